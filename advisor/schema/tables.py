"""The tables of the replayed schema: columns, indexes, keys and constraints, as the operations
of :mod:`advisor.schema.ops` leave them (:mod:`advisor.schema.state` applies them)."""

from __future__ import annotations

from dataclasses import dataclass, field

from advisor.schema.names import key_of
from advisor.schema.ops import ConstraintKind, Default, Expression, Loc, TypeRef


@dataclass
class ColumnState:
    name: str
    type: TypeRef | None
    not_null: bool = False
    type_sql: str | None = None
    """The type as the dialect spells it, where that differs from ``str(type)``."""
    default: Default | None = None
    identity: bool = False
    loc: Loc | None = None


@dataclass
class IndexState:
    name: str | None
    table: str
    columns: tuple[str | None, ...]
    unique: bool = False
    partial: bool = False
    method: str = "btree"
    loc: Loc | None = None
    where_not_null: tuple[str, ...] = ()
    """For a partial index whose predicate is only ``col IS NOT NULL`` tests: those columns."""
    descending: tuple[bool, ...] = ()
    include: tuple[str | None, ...] = ()
    where: Expression | None = None
    opclasses: tuple[str, ...] = ()
    constraint: ConstraintKind | None = None
    """The PRIMARY KEY or UNIQUE constraint this index enforces; ``None`` for CREATE INDEX."""
    implied_name: str | None = None
    """For an unnamed index or constraint: the name the engine gives it (PostgreSQL's rule),
    by which later DDL can drop or rename it."""

    def called(self, name: str) -> bool:
        """Whether DDL naming ``name`` means this index."""
        return key_of(name) in {key_of(n) for n in (self.name, self.implied_name) if n}


@dataclass
class ForeignKeyState:
    name: str | None
    columns: tuple[str, ...]
    ref_table: str
    ref_columns: tuple[str, ...]
    loc: Loc | None = None
    on_delete: str | None = None
    on_update: str | None = None
    implied_name: str | None = None


@dataclass
class CheckState:
    """A CHECK constraint with its condition; dropping a column it reads drops it."""

    name: str | None
    expression: Expression
    loc: Loc | None = None


@dataclass(frozen=True)
class FunctionState:
    """A function the migrations created: its declared volatility, and the calls of its body
    when PostgreSQL inlines it into the caller (see :class:`~advisor.schema.ops.CreateFunction`)."""

    volatility: str
    inlined_calls: tuple[str, ...] | None = None


@dataclass
class TableState:
    name: str
    columns: dict[str, ColumnState] = field(default_factory=dict)
    primary_key: tuple[str, ...] = ()
    indexes: list[IndexState] = field(default_factory=list)
    foreign_keys: list[ForeignKeyState] = field(default_factory=list)
    not_valid: dict[str, Loc] = field(default_factory=dict)
    """NOT VALID constraints by name, with where they were added."""
    new: bool = False
    """Created by the migrations being linted."""
    created_in: str = ""
    """The file that created it, when ``new``."""
    known: bool = True
    """False for a table only seen being altered: its columns and indexes are unknown."""
    keyed: bool = True
    """Whether it should have a primary key (temporary tables and partitions need not)."""
    partitioned: bool = False
    loc: Loc | None = None
    """Where it was created; ``None`` for a table only seen being altered."""
    checks: list[CheckState] = field(default_factory=list)
    primary_key_name: str | None = None
    temporary: bool = False
    from_query: bool = False
    partition_of: str | None = None
    engine: str | None = None

    def column(self, name: str) -> ColumnState | None:
        return self.columns.get(key_of(name))

    def has_not_null_check(self, column: str) -> bool:
        return key_of(column) in self._validated_not_null

    _validated_not_null: set[str] = field(default_factory=set)
    _pending_not_null: dict[str, str] = field(default_factory=dict)
