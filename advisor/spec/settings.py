"""``[tool.advisor.recommend]`` in pyproject.toml, or ``[recommend]`` in advisor.toml: the rules a
project turns off, and the severities and thresholds it sets for the others.

The nearest configuration file from the current folder upwards is used, as for ``advisor lint``::

    [tool.advisor.recommend]
    ignore = ["QRY001"]
    severity = { IDX009 = "error" }
    thresholds = { IDX001 = { min_cost_reduction = 0.3 }, COV001 = { max_table_share = 0.3 } }
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from advisor.catalog.model import Severity
from advisor.errors import AdvisorError, Location
from advisor.settings_file import config_section


@dataclass(frozen=True)
class Settings:
    ignore: frozenset[str] = frozenset()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    thresholds: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    """Rule id to threshold name to value; the catalog's defaults fill in the rest."""
    keep_going: bool = False
    """``--keep-going``: a pattern the analysis cannot read is a finding (QRY011), not an error."""


def load_settings(path: Path | None) -> Settings:
    """The recommend settings in ``path`` (defaults when ``None`` or when the file has none)."""
    if path is None:
        return Settings()
    section, prefix = config_section(path, "recommend")
    from pydantic import BaseModel, ConfigDict, ValidationError

    class SettingsIn(BaseModel):
        model_config = ConfigDict(extra="forbid")

        ignore: list[str] = []
        severity: dict[str, Severity] = {}
        thresholds: dict[str, dict[str, float]] = {}

    try:
        given = SettingsIn.model_validate(section)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join([prefix, *(str(part) for part in error["loc"])])
        raise AdvisorError(error["msg"], Location(path, field=where)) from None
    return _checked(given.ignore, given.severity, given.thresholds, path, prefix)


def _checked(
    ignore: list[str],
    severity: dict[str, Severity],
    thresholds: dict[str, dict[str, float]],
    path: Path,
    prefix: str,
) -> Settings:
    """The settings, once every rule id and threshold name is one the catalog knows."""
    import difflib

    from advisor.catalog import RECOMMEND_FAMILIES, load_catalog

    known = {rule.id: rule for rule in load_catalog(families=RECOMMEND_FAMILIES)}

    def rule(rule_id: str, key: str) -> str:
        upper = rule_id.upper()
        if upper not in known:
            close = difflib.get_close_matches(upper, sorted(known), n=2, cutoff=0.6)
            hint = f" (did you mean {' or '.join(close)}?)" if close else ""
            raise AdvisorError(f"unknown rule {rule_id!r}{hint}", Location(path, field=f"{prefix}.{key}"))
        return upper

    out: dict[str, dict[str, float]] = {}
    for rule_id, values in thresholds.items():
        upper = rule(rule_id, f"thresholds.{rule_id}")
        for name in values:
            if name not in known[upper].defaults:
                names = ", ".join(sorted(known[upper].defaults)) or "none"
                raise AdvisorError(
                    f"{upper} has no threshold {name!r} (it has: {names})",
                    Location(path, field=f"{prefix}.thresholds.{rule_id}.{name}"),
                )
        out[upper] = dict(values)
    return Settings(
        frozenset(rule(r, "ignore") for r in ignore),
        {rule(r, f"severity.{r}"): s for r, s in severity.items()},
        out,
    )
