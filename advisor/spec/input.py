"""The input file's shape as pydantic models: types, ranges and unknown keys, nothing cross-field.

These models exist only at the YAML boundary (``advisor.spec.validate`` runs them, ``advisor.spec.build``
turns them into the frozen model). Every optional key defaults to ``None`` so that later stages can tell
"not given" from a value, which matters when ``tables:`` enriches a table from the DDL.
Number fields accept what YAML makes of them: ints, floats with no fraction, and strings like ``1e9``
(PyYAML reads ``1e9`` as text; only ``1.0e9`` is a float in YAML 1.1).
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    StrictBool,
    StrictFloat,
    StrictInt,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from advisor.spec.dialects import DEFAULT_DIALECT, normalize_dialect
from advisor.spec.model import Consistency
from advisor.spec.sizes import bytes_from_number, parse_size

MAX_COUNT = 10**18
"""Row and value counts above this are typos, and would overflow the cost model's floats."""
_HUGE = 10**30


def _as_number(value: object, message: str) -> float | int:
    """A finite int or float from YAML (strings like ``1e9`` included); booleans are not numbers."""
    number: float | int
    if isinstance(value, bool):
        raise PydanticCustomError("number", message)
    if isinstance(value, int | float):
        number = value
    elif isinstance(value, str):
        text = value.strip().replace("_", "")
        try:
            number = int(text)
        except ValueError:
            try:
                number = float(text)
            except ValueError:
                raise PydanticCustomError("number", message) from None
    else:
        raise PydanticCustomError("number", message)
    # Bounded here so that later float() conversions cannot overflow.
    if (isinstance(number, int) and abs(number) > _HUGE) or (
        isinstance(number, float) and not math.isfinite(number)
    ):
        raise PydanticCustomError("number", message)
    return number


def _whole(value: object, minimum: int, message: str) -> int:
    number = _as_number(value, message)
    if isinstance(number, float):
        if not number.is_integer():
            raise PydanticCustomError("integer", message)
        number = int(number)
    if number < minimum or number > MAX_COUNT:
        raise PydanticCustomError("integer", message)
    return number


def count(value: object) -> int:
    """A whole number >= 0 (row counts, growth).

    >>> count("1e9")
    1000000000
    """
    return _whole(value, 0, "must be a whole number >= 0")


def positive_int(value: object) -> int:
    """A whole number >= 1 (ndv, index limits).

    >>> positive_int(5.0)
    5
    """
    return _whole(value, 1, "must be a positive integer")


def positive_number(value: object) -> float:
    """A finite number > 0 (frequencies).

    >>> positive_number("2.5")
    2.5
    """
    number = float(_as_number(value, "must be a positive number"))
    if number <= 0:
        raise PydanticCustomError("number", "must be a positive number")
    return number


def non_negative_number(value: object) -> float:
    """A finite number >= 0 (system-wide rates and budgets).

    >>> non_negative_number(0)
    0.0
    """
    number = float(_as_number(value, "must be a number >= 0"))
    if number < 0:
        raise PydanticCustomError("number", "must be a number >= 0")
    return number


def share(value: object) -> float:
    """A share of rows, between 0 and 1.

    >>> share(0.9)
    0.9
    """
    number = float(_as_number(value, "must be a share of rows between 0 and 1"))
    if not 0 <= number <= 1:
        raise PydanticCustomError("share", "must be a share of rows between 0 and 1")
    return number


def correlation(value: object) -> float:
    """A correlation coefficient, between -1 and 1.

    >>> correlation(-0.25)
    -0.25
    """
    number = float(_as_number(value, "must be a correlation between -1 and 1"))
    if not -1 <= number <= 1:
        raise PydanticCustomError("correlation", "must be a correlation between -1 and 1")
    return number


def storage_bytes(value: object) -> int:
    """Bytes from a number of bytes or a size string.

    >>> storage_bytes("2 GiB")
    2147483648
    >>> storage_bytes(1e9)
    1000000000
    """
    try:
        try:
            number = float(_as_number(value, "not a number"))
        except PydanticCustomError:
            if isinstance(value, str):
                return parse_size(value)
            raise ValueError(
                "must be a number of bytes or a size like '20GB', '512 MiB' or '1.5TB'"
            ) from None
        return bytes_from_number(number)
    except ValueError as exc:
        raise PydanticCustomError("size", str(exc)) from None


Count = Annotated[int, PlainValidator(count)]
PositiveInt = Annotated[int, PlainValidator(positive_int)]
PositiveNumber = Annotated[float, PlainValidator(positive_number)]
NonNegativeNumber = Annotated[float, PlainValidator(non_negative_number)]
Share = Annotated[float, PlainValidator(share)]
Correlation = Annotated[float, PlainValidator(correlation)]
StorageBytes = Annotated[int, PlainValidator(storage_bytes)]
Name = Annotated[str, Field(strict=True, min_length=1)]
Text = Annotated[str, Field(strict=True)]


def _name_list(value: object) -> object:
    """A single name is accepted where a list of names is expected."""
    return [value] if isinstance(value, str) else value


class InputModel(BaseModel):
    """Base of the input models: unknown keys are errors, values are strict where YAML is typed."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, allow_inf_nan=False, populate_by_name=False, defer_build=True
    )


ReferenceAction = Literal["cascade", "set null", "set default", "restrict", "no action"]


class ColumnIn(InputModel):
    type: Name | None = None
    ndv: PositiveInt | None = None
    frequencies: dict[str, Share] | None = None
    primary_key: StrictBool | None = None
    unique: StrictBool | None = None
    nullable: StrictBool | None = None
    references: Name | None = None
    description: Text | None = None
    default: Name | StrictInt | StrictFloat | StrictBool | None = None
    """A SQL expression in the file's dialect: ``0``, ``now()``, ``"'pending'"`` for a string."""
    check: Name | None = None
    """A SQL condition in the file's dialect: ``"quantity > 0"``."""
    on_delete: ReferenceAction | None = None
    on_update: ReferenceAction | None = None
    null_frac: Share | None = None
    correlation: Correlation | None = None
    histogram: Annotated[list[StrictInt | StrictFloat | Name], Field(min_length=2)] | None = None
    """Bounds of equal-count buckets of the values outside ``frequencies``, lowest first
    (``pg_stats.histogram_bounds``): a range against literals is estimated from them."""
    """How closely the table's physical row order follows this column's order, -1 to 1
    (``pg_stats.correlation``): an index range scan on a correlated column reads few heap pages."""

    @field_validator("on_delete", "on_update", mode="before")
    @classmethod
    def _action_case(cls, value: Any) -> Any:
        return " ".join(value.lower().split()) if isinstance(value, str) else value

    @model_validator(mode="before")
    @classmethod
    def _rejoin_type(cls, data: Any) -> Any:
        return rejoin_flow_type(data) if isinstance(data, dict) else data


def rejoin_flow_type(data: dict[str, Any]) -> dict[str, Any]:
    """Undo YAML's split of ``{ type: numeric(12,2) }`` into ``type: "numeric(12"`` and a key ``2)``.

    Inside ``{ }`` a comma ends the value, so the natural way to write such a type means something
    else in YAML; the pieces are recognizable (keys without values that close the parenthesis).

    >>> rejoin_flow_type({"type": "numeric(12", "2)": None, "ndv": 5})
    {'type': 'numeric(12,2)', 'ndv': 5}
    """
    text = data.get("type")
    if not isinstance(text, str) or text.count("(") <= text.count(")"):
        return data
    out: dict[str, Any] = {}
    joining = False
    for key, value in data.items():
        if key == "type":
            joining = True
        elif joining and value is None and text.count("(") > text.count(")"):
            text = f"{text},{key.strip()}"
            continue
        else:
            joining = False
        out[key] = value
    out["type"] = text
    return out


class IndexKeyIn(InputModel):
    """One key of an index: ``col``, ``col DESC`` or ``{column: col, desc: true}``."""

    column: Name
    desc: StrictBool | None = None
    order: Literal["asc", "desc"] | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: Any) -> Any:
        if isinstance(data, str):
            words = data.split()
            if len(words) == 1:
                return {"column": words[0]}
            if len(words) == 2 and words[1].lower() in ("asc", "desc"):
                return {"column": words[0], "order": words[1].lower()}
            raise PydanticCustomError(
                "index_key", "must be 'column', 'column DESC' or {column: ..., desc: true}"
            )
        if isinstance(data, dict) and isinstance(data.get("order"), str):
            data = {**data, "order": data["order"].lower()}
            if isinstance(data.get("desc"), bool) and data["desc"] != (data["order"] == "desc"):
                raise PydanticCustomError("index_key", "'desc' and 'order' disagree; give one of them")
        return data

    @property
    def descending(self) -> bool:
        return bool(self.desc) or self.order == "desc"


class IndexIn(InputModel):
    name: Name | None = None
    columns: Annotated[list[IndexKeyIn], Field(min_length=1)]
    unique: StrictBool = False
    include: list[Name] | None = None
    where: Name | None = None
    description: Text | None = None
    scans: Count | None = None
    """Scans the server counted since its statistics were reset (``advisor introspect`` writes it)."""

    _columns_list = field_validator("columns", "include", mode="before")(_name_list)


class TableIn(InputModel):
    rows: Count | None = None
    growth_per_day: Count | None = None
    all_visible: Share | None = None
    """Share of the table's pages marked all-visible (``relallvisible / relpages``): an index-only
    scan still reads the heap for the others."""
    consistency: Consistency | None = None
    primary_key: Annotated[list[Name], Field(min_length=1)] | None = None
    columns: dict[str, ColumnIn | None] | None = None
    indexes: list[IndexIn] | None = None
    functional_dependencies: list[Name] | None = None
    description: Text | None = None
    sensitive: StrictBool | None = None

    _key_list = field_validator("primary_key", "functional_dependencies", mode="before")(_name_list)

    @field_validator("consistency", mode="before")
    @classmethod
    def _consistency_case(cls, value: Any) -> Any:
        return value.lower() if isinstance(value, str) else value


class PatternIn(InputModel):
    name: Name
    sql: Name
    per_sec: PositiveNumber | None = None
    per_day: PositiveNumber | None = None
    weight: PositiveNumber | None = None
    description: Text | None = None
    origin: Name | None = None
    """Where the statement was recorded (``advisor introspect`` writes ``pg_stat_statements``):
    a recorded statement the analysis cannot read is a finding, not an input error."""

    @field_validator("sql")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise PydanticCustomError("blank", "must not be empty")
        return value


class WorkloadIn(InputModel):
    reads_per_sec: NonNegativeNumber | None = None
    writes_per_sec: NonNegativeNumber | None = None


class BudgetIn(InputModel):
    storage: StorageBytes | None = None
    max_indexes_per_table: PositiveInt | None = None
    max_write_overhead: NonNegativeNumber | None = None


def operational_fact(value: object) -> bool | str:
    """``true`` / ``false``, or a non-empty description of what is in place.

    >>> operational_fact("nightly base backup + WAL archiving"), operational_fact(False)
    ('nightly base backup + WAL archiving', False)
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip():
        return value.strip()
    raise PydanticCustomError("fact", "must be true, false or a description of what is in place")


Fact = Annotated[bool | str, PlainValidator(operational_fact)]


class OperationsIn(InputModel):
    """What runs around the database; the architect's checklist reads it."""

    monitoring: Fact | None = None
    backups: Fact | None = None
    replication: Fact | None = None
    partitioning: Fact | None = None
    connection_pooling: Fact | None = None
    explain_review: Fact | None = None
    migration_plan: Fact | None = None
    disaster_recovery: Fact | None = None


class SpecIn(InputModel):
    dialect: Name = DEFAULT_DIALECT
    # ``schema`` is a deprecated BaseModel method name, hence the alias.
    schema_files: list[Name] | None = Field(default=None, alias="schema")
    workload: WorkloadIn | None = None
    budget: BudgetIn | None = None
    tables: dict[str, TableIn | None] | None = None
    patterns: list[PatternIn] | None = None
    operations: OperationsIn | None = None

    _schema_list = field_validator("schema_files", mode="before")(_name_list)

    @field_validator("dialect")
    @classmethod
    def _known_dialect(cls, value: str) -> str:
        try:
            return normalize_dialect(value)
        except ValueError as exc:
            raise PydanticCustomError("dialect", str(exc)) from None
