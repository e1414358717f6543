"""``[tool.advisor.lint]`` in pyproject.toml, or ``[lint]`` in advisor.toml: the linter's settings.

The nearest folder (from the current one upwards) holding an ``advisor.toml``, or a
``pyproject.toml`` with a ``[tool.advisor]`` table, provides them; command-line options win.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from advisor.catalog.model import Severity
from advisor.errors import AdvisorError, Location
from advisor.settings_file import config_section


@dataclass(frozen=True)
class LintConfig:
    """The settings a project may fix; every one is optional."""

    dialect: str | None = None
    target_version: str | None = None
    assume_in_transaction: bool | None = None
    fail_on: str | None = None
    select: tuple[str, ...] = ()
    """Rules that are off by default (MIG020) to switch on."""
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    """Glob patterns of files not to lint, relative to the configuration file's folder."""
    severity: dict[str, Severity] = field(default_factory=dict)
    big_table_rows: int = 1_000_000
    schema: tuple[Path, ...] = ()
    """DDL files or migration folders, relative to the configuration file: the schema before the
    files linted (what ``--schema`` gives), so that a pre-commit hook, which passes only the staged
    files, still knows the tables and indexes of the earlier migrations."""
    root: Path = Path()


def _input_model() -> Any:
    """The pydantic model of the TOML table (built only when a configuration file exists)."""
    from typing import Literal

    from pydantic import BaseModel, ConfigDict, Field

    class LintConfigIn(BaseModel):
        model_config = ConfigDict(extra="forbid", populate_by_name=True)

        dialect: str | None = None
        target_version: str | int | float | None = Field(None, alias="target-version")
        assume_in_transaction: bool | None = Field(None, alias="assume-in-transaction")
        fail_on: Literal["error", "warning"] | None = Field(None, alias="fail-on")
        select: list[str] = []
        ignore: list[str] = []
        exclude: list[str] = []
        severity: dict[str, Severity] = {}
        big_table_rows: int = Field(1_000_000, alias="big-table-rows", gt=0)
        schema_: list[str] = Field([], alias="schema")  # BaseModel has a schema() method

    return LintConfigIn


def load_config(path: Path | None) -> LintConfig:
    """The lint settings in ``path`` (defaults when ``None`` or when the file has none)."""
    if path is None:
        return LintConfig()
    section, prefix = config_section(path, "lint")
    from pydantic import ValidationError

    try:
        given = _input_model().model_validate(section)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join([prefix, *(str(part) for part in error["loc"])])
        raise AdvisorError(error["msg"], Location(path, field=where)) from None
    config = LintConfig(
        dialect=given.dialect,
        target_version=None if given.target_version is None else str(given.target_version),
        assume_in_transaction=given.assume_in_transaction,
        fail_on=given.fail_on,
        select=tuple(r.upper() for r in given.select),
        ignore=tuple(r.upper() for r in given.ignore),
        exclude=tuple(given.exclude),
        severity={rule.upper(): value for rule, value in given.severity.items()},
        big_table_rows=given.big_table_rows,
        schema=tuple(path.parent / entry for entry in given.schema_),
        root=path.parent,
    )
    for name, ids in (
        ("select", config.select),
        ("ignore", config.ignore),
        ("severity", list(config.severity)),
    ):
        for rule_id in ids:
            check_rule_id(rule_id, Location(path, field=f"{prefix}.{name}"))
    return config


def check_rule_id(rule_id: str, where: Location) -> None:
    """An :class:`AdvisorError` unless ``rule_id`` is a lint rule, with the closest ids as a hint."""
    import difflib

    from advisor.lint.checks.base import lint_rule_ids

    known = lint_rule_ids()
    if rule_id.upper() in known:
        return
    close = difflib.get_close_matches(rule_id.upper(), sorted(known), n=2, cutoff=0.6)
    hint = f" (did you mean {' or '.join(close)}?)" if close else ""
    raise AdvisorError(f"unknown rule {rule_id!r}{hint}; `advisor rules` lists them", where)


def parse_version(text: str) -> tuple[int, ...]:
    """``"12"`` -> ``(12,)``, ``"3.35.5"`` -> ``(3, 35, 5)``; anything else is a ``ValueError``.

    >>> parse_version("10.5"), parse_version("16")
    ((10, 5), (16,))
    """
    parts = text.strip().split(".")
    if not parts or not all(part.isdigit() for part in parts):
        raise ValueError(f"invalid version {text!r}: expected digits separated by dots, such as 14 or 3.35")
    return tuple(int(part) for part in parts)


def normalize(dialect: str) -> str:
    """The linter's name for a dialect.

    >>> normalize("PostgreSQL")
    'postgres'
    """
    from advisor.dialects import REGISTRY, lookup

    known = lookup(dialect)
    if known is not None and known.migrations:
        return known.name
    linted = ", ".join(d.name for d in REGISTRY if d.migrations)
    raise ValueError(f"unknown dialect {dialect!r}; the linter knows {linted}")
