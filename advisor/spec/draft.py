"""Mutable tables while the DDL is replayed and ``tables:`` is applied; frozen by ``advisor.spec.freeze``.

Columns are keyed by their lower-cased name, and constraints and indexes refer to columns by that key,
so renames and drops only have to touch one place per structure. Each piece remembers where it was
defined (``Location``) so that a check at the end can still point at the right file and line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from advisor.errors import Location
from advisor.schema.names import fresh_name, key_of


@dataclass
class ColumnDraft:
    name: str
    origin: Location
    type: str = "text"
    nullable: bool = True
    ndv: int | None = None
    frequencies: tuple[tuple[str, float], ...] = ()
    yaml_line: int | None = None
    default: str | None = None
    identity: bool = False
    null_frac: float | None = None
    correlation: float | None = None
    histogram: tuple[str | int | float, ...] = ()


@dataclass
class KeyDraft:
    """A named list of columns: a primary key or a unique constraint."""

    name: str
    columns: list[str]
    origin: Location


@dataclass
class ForeignKeyDraft:
    name: str
    columns: list[str]
    target_table: str
    """Key of the referenced table."""
    target_columns: list[str] | None
    """``None`` when the DDL left them out: the referenced table's primary key."""
    origin: Location
    on_delete: str | None = None
    on_update: str | None = None
    constraint: bool = True
    """False for a ``references:`` that YAML adds to a table of the DDL: a join hint, not a constraint."""


@dataclass
class CheckDraft:
    """A CHECK constraint: its condition as SQL and the column keys it uses."""

    name: str | None
    sql: str
    columns: list[str]
    """Column keys the condition uses: dropping one drops the check, as the engines do."""
    origin: Location | None = None


@dataclass
class IndexDraft:
    name: str
    keys: list[tuple[str, bool]]
    """``(column key, descending)`` pairs."""
    origin: Location
    include: list[str] = field(default_factory=list)
    where: str | None = None
    unique: bool = False
    yaml_line: int | None = None
    predicate_columns: list[str] = field(default_factory=list)
    """Column keys the ``where`` text uses, when known (from DDL): dropping one drops the index."""
    scans: int | None = None


@dataclass
class TableDraft:
    name: str
    origin: Location
    columns: dict[str, ColumnDraft] = field(default_factory=dict)
    primary_key: KeyDraft | None = None
    uniques: list[KeyDraft] = field(default_factory=list)
    foreign_keys: list[ForeignKeyDraft] = field(default_factory=list)
    checks: list[CheckDraft] = field(default_factory=list)
    indexes: dict[str, IndexDraft] = field(default_factory=dict)
    """By lower-cased index name."""
    rows: int | None = None
    growth_per_day: int | None = None
    all_visible: float | None = None
    consistency: str | None = None
    functional_dependencies: list[tuple[list[str], list[str], Location]] = field(default_factory=list)
    yaml_line: int | None = None
    sensitive: bool = False
    from_ddl: bool = False
    partitioned: bool = False
    engine: str | None = None
    trigram: dict[str, str] = field(default_factory=dict)
    """PostgreSQL's trigram indexes (``USING gin (col gin_trgm_ops)``): index name (lower case) to
    the column key they index. The cost model knows B-trees only; the query rules read these."""

    @property
    def key(self) -> str:
        return key_of(self.name, any_case=True)

    def add_column(self, column: ColumnDraft) -> None:
        self.columns[key_of(column.name, any_case=True)] = column

    def fresh_index_name(self, base: str) -> str:
        """``base``, or ``base1``, ``base2``... whichever no index of this table uses yet."""
        return fresh_name(base, self.indexes)
