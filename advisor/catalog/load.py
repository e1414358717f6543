"""Read and validate ``rules/<ID>.yaml`` into a :class:`~advisor.catalog.model.Catalog`.

The catalog ships as data (:mod:`advisor.catalog.files` finds it).

Validation is strict (unknown keys are errors) because the files are ours: a typo in a field name
should fail the test suite, not silently drop a section from ``advisor rules``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    StringConstraints,
    ValidationError,
)

from advisor.catalog.files import SUFFIX, default_directory
from advisor.catalog.model import Catalog, Example, Family, RuleDoc, Severity, Threshold, fix_lines
from advisor.errors import AdvisorError, Location

# The C loader is several times faster; fall back when PyYAML was built without libyaml.
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

DIALECTS = ("postgres", "mysql", "mariadb", "sqlite", "sqlserver")
"""Keys allowed under ``dialects:``: the engines the emitted DDL targets."""

_ID = re.compile(r"^[A-Z]{3}[0-9]{3}$")
_KEBAB = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


def _matches(pattern: re.Pattern[str], what: str) -> AfterValidator:
    def check(value: str) -> str:
        if not pattern.fullmatch(value):
            raise ValueError(f"{value!r} is not {what}")
        return value

    return AfterValidator(check)


def _number(value: object) -> int | float:
    # A plain union of strict int and float would put the member type into error locations.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{value!r} is not a number")
    return value


def _fix(value: str) -> str:
    fix_lines(value)  # its first paragraph is the fix findings state: one, or one per case
    return value


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
RuleId = Annotated[str, _matches(_ID, "a rule id (three capital letters and three digits, IDX001)")]
Slug = Annotated[str, _matches(_KEBAB, "kebab-case (lower-case words joined by '-')")]
ThresholdName = Annotated[str, _matches(_SNAKE, "snake_case (lower-case words joined by '_')")]
Dialect = Annotated[str, _matches(re.compile("|".join(DIALECTS)), "one of " + ", ".join(DIALECTS))]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class _ThresholdIn(_Strict):
    default: Annotated[Any, AfterValidator(_number)]
    description: Text


class _ExampleIn(_Strict):
    bad: Text
    good: Text
    context: Text | None = None


class _RuleIn(_Strict):
    """The file format; field names are the YAML keys."""

    id: RuleId
    name: Slug
    title: Text
    family: Family
    severity: Severity
    thresholds: dict[ThresholdName, _ThresholdIn]
    what: Text
    why: Text
    example: _ExampleIn
    fix: Annotated[Text, AfterValidator(_fix)]
    dialects: dict[Dialect, Text] = {}

    def to_doc(self) -> RuleDoc:
        return RuleDoc(
            id=self.id,
            name=self.name,
            title=self.title,
            family=self.family,
            severity=self.severity,
            thresholds=tuple(
                Threshold(name, item.default, item.description) for name, item in self.thresholds.items()
            ),
            what=self.what,
            why=self.why,
            example=Example(bad=self.example.bad, good=self.example.good, context=self.example.context),
            fix=self.fix,
            dialects=tuple(self.dialects.items()),
        )


@functools.cache
def _shipped(families: frozenset[Family]) -> Catalog:
    return read_catalog(default_directory(), families)


def load_catalog(directory: Path | None = None, families: Iterable[Family] | None = None) -> Catalog:
    """The catalog in ``directory``, or the shipped one (read once, then cached); with
    ``families``, only the rules of those families."""
    wanted = frozenset(Family) if families is None else frozenset(families)
    return _shipped(wanted) if directory is None else read_catalog(directory, wanted)


def read_catalog(directory: Traversable, families: frozenset[Family] = frozenset(Family)) -> Catalog:
    """Read and validate the ``*.yaml`` files of ``directory``, those of ``families`` only (a
    file's name is its rule's id, which starts with its family); raise on the first problem.

    ``recommend`` needs the design rules only: the migration rules (more than half of the files)
    are not parsed for it.
    """
    if not directory.is_dir():
        raise AdvisorError("rule catalog folder not found", Location(_path(directory)))
    entries = sorted((e for e in directory.iterdir() if e.is_file()), key=lambda e: e.name)
    for entry in entries:
        if entry.name.endswith(".yml"):
            raise AdvisorError(f"rule files end in {SUFFIX}", Location(_path(entry)))
    files = [e for e in entries if e.name.endswith(SUFFIX)]
    if not files:
        raise AdvisorError(f"no {SUFFIX} rule files", Location(_path(directory)))
    if families != frozenset(Family):
        files = [e for e in files if e.name.startswith(tuple(family.value for family in families))]
    docs = [read_rule(entry) for entry in files]
    _check_unique(docs, files)
    return Catalog(docs)


def read_rule(entry: Traversable) -> RuleDoc:
    """Parse and validate one rule file; every error names the file, and the field when known."""
    path = _path(entry)
    try:
        text = entry.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise AdvisorError(f"cannot read rule file: {exc}", Location(path)) from exc
    try:
        raw = yaml.load(text, Loader=_Loader)  # a safe loader: plain data only
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark is not None else None
        raise AdvisorError(f"invalid YAML: {exc.problem}", Location(path, line)) from exc
    except yaml.YAMLError as exc:
        raise AdvisorError(f"invalid YAML: {exc}", Location(path)) from exc
    if not isinstance(raw, dict):
        raise AdvisorError("a rule file must be a mapping of fields", Location(path, 1))
    try:
        model = _RuleIn.model_validate(raw)
    except ValidationError as exc:
        raise _explain(exc, path, text) from None
    stem = entry.name.removesuffix(SUFFIX)
    if model.id != stem:
        raise _at(path, text, ("id",), f"id {model.id!r} does not match the file name {entry.name!r}")
    if not model.id.startswith(model.family.value):
        raise _at(path, text, ("family",), f"family {model.family.value} does not match id {model.id}")
    return model.to_doc()


def _check_unique(docs: list[RuleDoc], files: list[Traversable]) -> None:
    """Ids follow from file names, but names are free text: two rules must not share one."""
    seen: dict[str, Traversable] = {}
    for doc, entry in zip(docs, files, strict=True):
        for key in (doc.id.lower(), doc.name):
            first = seen.setdefault(key, entry)
            if first is not entry:
                field = "id" if key == doc.id.lower() else "name"
                text = entry.read_text(encoding="utf-8")
                raise _at(_path(entry), text, (field,), f"{key!r} is already used by {first.name}")


def _explain(exc: ValidationError, path: Path, text: str) -> AdvisorError:
    """The first validation error as one line, pointing at the field (and its line)."""
    errors = exc.errors(include_url=False)
    first = errors[0]
    loc = tuple(part for part in first["loc"] if part != "[key]")
    message = str(first["msg"]).removeprefix("Value error, ")
    if first["type"] == "extra_forbidden":
        message = "unknown field"
    elif first["type"] == "missing":
        message = "missing"
    if len(errors) > 1:
        message += f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
    return _at(path, text, loc, message)


def _at(path: Path, text: str, loc: tuple[int | str, ...], message: str) -> AdvisorError:
    field = ".".join(str(part) for part in loc) or None
    return AdvisorError(message, Location(path, _line_of(text, loc), field))


def _line_of(text: str, loc: Iterable[int | str]) -> int | None:
    """1-based line of the deepest node of ``loc`` present in the YAML ``text``.

    Composing again is only done on the error path, so the happy path keeps the fast loader.

    >>> _line_of("id: X\\nexample:\\n  bad: 1\\n", ("example", "bad"))
    3
    >>> _line_of("id: X\\nexample:\\n  bad: 1\\n", ("example", "good"))
    2
    """
    try:
        node: Any = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return None
    if node is None:
        return None
    line: int = node.start_mark.line + 1
    for part in loc:
        if not isinstance(node, yaml.MappingNode):
            break
        for key, value in node.value:
            if key.value == str(part):
                line = key.start_mark.line + 1
                node = value
                break
        else:
            break
    return line


def _path(entry: Traversable) -> Path:
    return Path(str(entry))
