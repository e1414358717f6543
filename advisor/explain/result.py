"""The one result object every output format renders. Its JSON form is documented in the README
and carries ``version``; add fields, never change the meaning of existing ones."""

from __future__ import annotations

from dataclasses import dataclass

from advisor.rules.base import Finding

RESULT_VERSION = 1


@dataclass(frozen=True)
class Served:
    pattern: str
    per_sec: float
    cost_before: float
    """Cost units per execution with the indexes that exist."""
    cost_after: float
    """Cost units per execution with the whole plan applied."""
    plan: str
    """How the pattern reads the table with the plan applied."""


@dataclass(frozen=True)
class Recommendation:
    number: int
    action: str
    """``create`` or ``drop``."""
    table: str
    index: str
    """Human form: ``orders (user_id, created_at DESC) INCLUDE (total_amount)``."""
    name: str
    ddl: str
    rules: tuple[str, ...]
    reason: str
    serves: tuple[Served, ...]
    benefit: float
    """Net cost units per second the workload saves thanks to this change (reads minus writes)."""
    benefit_share: float
    """Share of its patterns' cost (before) that this change removes, 0..1."""
    size_bytes: float
    """Estimated size; negative for a drop (space freed)."""
    write_pages_per_sec: float
    """Index maintenance it adds per second over all write patterns (negative for a drop)."""
    write_note: str
    """Per write: ``+1 page per insert into orders``."""


@dataclass(frozen=True)
class Rejected:
    index: str
    rule: str
    reason: str
    patterns: tuple[str, ...]


@dataclass(frozen=True)
class PlannerStep:
    """One index the planner chose, with its cost per second of the statements the index could
    change before and after it, beside the model's for the same statements."""

    index: str
    planner_before: float
    planner_after: float
    model_before: float
    model_after: float
    size_bytes: int
    """HypoPG's estimate of the index's size."""
    note: str | None = None
    """Where the planner's gain and the model's differ by more than a factor of two."""


@dataclass(frozen=True)
class Planner:
    """How the real planner chose the plan (``recommend --db``)."""

    engine: str
    calls: int
    """Distinct questions asked of the planner (a statement under the what-if indexes on its tables)."""
    cost_before: float
    """The planner's cost per second of the statements it explained, with today's indexes."""
    cost_after: float
    steps: tuple[PlannerStep, ...]
    left_out: tuple[str, ...]


@dataclass(frozen=True)
class Totals:
    cost_before: float
    """Cost units per second of the whole workload with the indexes that exist."""
    cost_after: float
    storage_bytes: float
    write_pages_per_sec: float


@dataclass(frozen=True)
class TableCapacity:
    """A table's estimated size now and after one and three years of its declared growth, with
    the indexes it has once the plan is applied, and the storage structure its traffic suits."""

    table: str
    rows: float
    row_width: int
    """Bytes per row: column widths by type plus the engine's row overhead."""
    growth_per_day: int
    table_bytes: float
    index_bytes: float
    index_share: float
    """Index bytes / table bytes, against the usual 0.3."""
    table_bytes_1y: float
    index_bytes_1y: float
    table_bytes_3y: float
    index_bytes_3y: float
    storage: str
    """``b-tree`` or ``lsm``."""
    storage_reason: str


@dataclass(frozen=True)
class ChecklistItem:
    """One line of the architect's checklist that ends every report."""

    item: str
    status: str
    """``ok`` (in place or nothing to do), ``todo`` (findings or the spec call for work) or
    ``unknown`` (the spec does not say; ``key`` names what to declare)."""
    detail: str
    key: str
    """The spec key that declares this fact (``operations.backups``)."""
    rules: tuple[str, ...] = ()
    """Rules whose findings decided the status."""


@dataclass(frozen=True)
class SchemaColumn:
    name: str
    type: str
    primary_key: bool
    """Part of the primary key."""
    unique: bool
    """Unique on its own (a unique constraint, or the whole primary key)."""
    nullable: bool
    references: str | None
    """``table.column`` it points to."""


@dataclass(frozen=True)
class SchemaTable:
    """A table as the report draws it: columns with key markers and its indexes after the plan."""

    name: str
    columns: tuple[SchemaColumn, ...]
    indexes: tuple[str, ...]
    """Labels of the indexes it has once the plan is applied (constraint indexes included,
    ``UNIQUE `` before the unique ones)."""
    recommended: tuple[str, ...]
    """Labels of the indexes the plan creates on it."""
    recommended_names: tuple[str, ...] = ()
    """Their names, in the same order."""


@dataclass(frozen=True)
class Result:
    file: str
    dialect: str
    tables: int
    patterns: int
    recommendations: tuple[Recommendation, ...]
    findings: tuple[Finding, ...]
    rejected: tuple[Rejected, ...]
    assumptions: tuple[str, ...]
    totals: Totals
    version: int = RESULT_VERSION
    capacity: tuple[TableCapacity, ...] = ()
    checklist: tuple[ChecklistItem, ...] = ()
    schema: tuple[SchemaTable, ...] = ()
    planner: Planner | None = None
    """Set when the real planner chose the plan."""
