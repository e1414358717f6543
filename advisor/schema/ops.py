"""The neutral operation model: what a migration statement does, whatever the dialect said it in.

Front ends (:mod:`advisor.schema.postgres`, :mod:`advisor.schema.generic`) turn statements into these
records; rules read only them and the schema state replaying them builds. Every operation carries the
place it came from, so a finding points at the exact line and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache

_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


@cache
def snake(name: str) -> str:
    """``CreateTable`` -> ``create_table``: handler names for operation and node types.

    >>> snake("AlterTableStmt")
    'alter_table_stmt'
    """
    return _CAMEL.sub("_", name).lower()


@dataclass(frozen=True)
class Loc:
    """Where an operation is: file, 1-based line and column, and the statement's index in its file."""

    file: str
    line: int
    column: int = 1
    statement: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class TypeRef:
    """A column type by canonical lowercase name and its numeric arguments.

    >>> str(TypeRef("varchar", (255,))), str(TypeRef("integer", array=True))
    ('varchar(255)', 'integer[]')
    """

    name: str
    args: tuple[int, ...] = ()
    array: bool = False
    values: tuple[str, ...] = ()
    """The members of a MySQL ENUM or SET."""

    def __str__(self) -> str:
        inner = [str(arg) for arg in self.args] or [repr(value) for value in self.values]
        text = self.name + (f"({', '.join(inner)})" if inner else "")
        return text + ("[]" if self.array else "")


@dataclass(frozen=True)
class Expression:
    """A DEFAULT, CHECK or partial-index predicate as the DDL wrote it: its SQL text, in the
    dialect, and the columns it reads, so that renames and drops can follow it."""

    sql: str
    columns: tuple[str, ...] = ()
    foreign: str | None = None
    """What it holds that no engine takes there (a query, a parameter...), where the front end
    can tell: said as ``holds a query, which a check expression cannot``."""
    rebuilt: bool = False
    """``sql`` was written back from a sqlglot tree in the dialect, without comments, so it need
    not be read again; otherwise it is the text as written."""


@dataclass(frozen=True)
class Default:
    """A column default: ``volatile`` names a function whose value differs per row (``random()``),
    ``constant`` says whether it is a plain literal."""

    volatile: str | None = None
    constant: bool = True
    calls: tuple[str, ...] = ()
    """Every function the expression calls, by folded name without schema (PostgreSQL)."""
    expression: bool = False
    """MySQL: an expression default (``DEFAULT (a + 1)``), not a literal nor CURRENT_TIMESTAMP."""
    text: Expression | None = None
    """The default expression itself, where the front end could cut it out."""


class ConstraintKind(StrEnum):
    PRIMARY_KEY = "primary key"
    UNIQUE = "unique"
    FOREIGN_KEY = "foreign key"
    CHECK = "check"
    EXCLUDE = "exclude"


@dataclass(frozen=True)
class Constraint:
    """A table constraint; ``not_null_of`` names the column of a ``CHECK (col IS NOT NULL)``."""

    kind: ConstraintKind
    name: str | None = None
    columns: tuple[str, ...] = ()
    ref_table: str | None = None
    ref_columns: tuple[str, ...] = ()
    using_index: str | None = None
    not_valid: bool = False
    not_null_of: str | None = None
    loc: Loc | None = None
    """Where it is written, when it is part of a CREATE TABLE."""
    check: Expression | None = None
    """A CHECK's condition."""
    on_delete: str | None = None
    """A foreign key's ``ON DELETE`` action, upper case (``CASCADE``, ``SET NULL``...)."""
    on_update: str | None = None


@dataclass(frozen=True)
class ColumnDef:
    name: str
    type: TypeRef | None
    loc: Loc
    not_null: bool = False
    default: Default | None = None
    primary_key: bool = False
    unique: bool = False
    references: Constraint | None = None
    identity: bool = False
    generated_stored: bool = False
    type_sql: str | None = None
    """The type as the dialect spells it, where that differs from ``str(type)``."""
    checks: tuple[Constraint, ...] = ()
    """CHECK constraints written on the column."""
    primary_key_name: str | None = None
    """The ``CONSTRAINT name`` of an inline PRIMARY KEY."""
    unique_name: str | None = None
    """The ``CONSTRAINT name`` of an inline UNIQUE."""


@dataclass
class ColumnParts:
    """What a front end gathers from a column's constraints, one at a time, before the
    :class:`ColumnDef` is built (:meth:`definition`)."""

    not_null: bool = False
    default: Default | None = None
    primary_key: bool = False
    unique: bool = False
    references: Constraint | None = None
    identity: bool = False
    generated_stored: bool = False
    checks: list[Constraint] = field(default_factory=list)
    primary_key_name: str | None = None
    unique_name: str | None = None

    def definition(self, name: str, type: TypeRef | None, loc: Loc, type_sql: str | None = None) -> ColumnDef:
        gathered = vars(self) | {"checks": tuple(self.checks)}
        return ColumnDef(name=name, type=type, loc=loc, type_sql=type_sql, **gathered)


@dataclass(frozen=True, kw_only=True)
class Op:
    """Base of every operation."""

    loc: Loc


@dataclass(frozen=True, kw_only=True)
class CreateTable(Op):
    table: str
    columns: tuple[ColumnDef, ...] = ()
    constraints: tuple[Constraint, ...] = ()
    if_not_exists: bool = False
    temporary: bool = False
    partition_of: str | None = None
    copied: bool = False
    """Columns come from elsewhere (LIKE, INHERITS, AS SELECT): the definition is not all here."""
    partitioned: bool = False
    """Declared PARTITION BY: a parent whose rows live in its partitions."""
    like: tuple[str, ...] = ()
    """Tables whose columns ``LIKE other`` copies in."""
    from_query: bool = False
    """``CREATE TABLE ... AS SELECT``: the columns are the query's."""
    engine: str | None = None
    """MySQL's ``ENGINE=``, lower case."""


@dataclass(frozen=True, kw_only=True)
class AddColumn(Op):
    table: str
    column: ColumnDef
    if_not_exists: bool = False


@dataclass(frozen=True, kw_only=True)
class CreateIndex(Op):
    table: str
    name: str | None
    columns: tuple[str | None, ...]
    """Key columns in order; ``None`` for an expression key."""
    unique: bool = False
    concurrently: bool = False
    partial: bool = False
    method: str = "btree"
    where_not_null: tuple[str, ...] = ()
    """The columns of a partial index's predicate when it is only ``col IS NOT NULL [AND ...]``:
    any ``col = value`` implies it, so the index still serves equality lookups on them."""
    descending: tuple[bool, ...] = ()
    """Per key column: sorted descending."""
    include: tuple[str | None, ...] = ()
    """INCLUDE columns; ``None`` for an expression."""
    where: Expression | None = None
    """A partial index's predicate."""
    opclasses: tuple[str, ...] = ()
    """Per key column: its operator class, ``""`` for the default one."""
    if_not_exists: bool = False


@dataclass(frozen=True, kw_only=True)
class DropIndex(Op):
    names: tuple[str, ...]
    concurrently: bool = False


@dataclass(frozen=True, kw_only=True)
class AddConstraint(Op):
    table: str
    constraint: Constraint


@dataclass(frozen=True, kw_only=True)
class ValidateConstraint(Op):
    table: str
    name: str


@dataclass(frozen=True, kw_only=True)
class DropConstraint(Op):
    table: str
    name: str
    foreign_key: bool = False
    """Said to be a foreign key by the statement itself (MySQL's DROP FOREIGN KEY)."""
    primary_key: bool = False
    """The table's primary key, whatever its name (MySQL's DROP PRIMARY KEY)."""


@dataclass(frozen=True, kw_only=True)
class AlterColumnType(Op):
    table: str
    column: str
    type: TypeRef | None
    using: bool = False
    """A USING expression other than the column itself (``USING col`` converts as no USING does)."""
    type_sql: str | None = None
    """The type as the dialect spells it, where that differs from ``str(type)``."""
    definition: ColumnDef | None = None
    """MySQL's MODIFY / CHANGE COLUMN: the whole new definition, which also replaces the
    column's nullability, default and AUTO_INCREMENT."""


@dataclass(frozen=True, kw_only=True)
class SetNotNull(Op):
    table: str
    column: str


@dataclass(frozen=True, kw_only=True)
class DropNotNull(Op):
    table: str
    column: str


@dataclass(frozen=True, kw_only=True)
class SetDefault(Op):
    table: str
    column: str
    default: Default | None
    """``None`` for DROP DEFAULT."""


class RenameKind(StrEnum):
    TABLE = "table"
    COLUMN = "column"
    INDEX = "index"
    CONSTRAINT = "constraint"
    SCHEMA = "schema"
    OTHER = "other"


@dataclass(frozen=True, kw_only=True)
class Rename(Op):
    kind: RenameKind
    table: str | None
    old: str
    new: str


@dataclass(frozen=True, kw_only=True)
class Drop(Op):
    """DROP of a whole object: ``kind`` is ``table``, ``schema``, ``database``, ``view``, ``type``..."""

    kind: str
    names: tuple[str, ...]
    cascade: bool = False


@dataclass(frozen=True, kw_only=True)
class DropColumn(Op):
    table: str
    column: str


@dataclass(frozen=True, kw_only=True)
class Truncate(Op):
    tables: tuple[str, ...]


class TxKind(StrEnum):
    BEGIN = "begin"
    COMMIT = "commit"
    ROLLBACK = "rollback"
    OTHER = "other"
    """SAVEPOINT, RELEASE, ROLLBACK TO, PREPARE: no change of nesting."""


@dataclass(frozen=True, kw_only=True)
class Transaction(Op):
    kind: TxKind


@dataclass(frozen=True, kw_only=True)
class SetSetting(Op):
    name: str
    value: str
    local: bool = False


@dataclass(frozen=True, kw_only=True)
class Vacuum(Op):
    full: bool
    tables: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Reindex(Op):
    target: str
    """``index``, ``table``, ``schema``, ``database`` or ``system``."""
    name: str | None
    concurrently: bool = False


@dataclass(frozen=True, kw_only=True)
class Cluster(Op):
    table: str | None


@dataclass(frozen=True, kw_only=True)
class RewriteTable(Op):
    """ALTER TABLE forms that write a new copy of the table: ``what`` is the clause, as written."""

    table: str
    what: str


@dataclass(frozen=True, kw_only=True)
class RefreshView(Op):
    """REFRESH MATERIALIZED VIEW."""

    view: str
    concurrently: bool = False


@dataclass(frozen=True, kw_only=True)
class Write(Op):
    """UPDATE or DELETE; ``where`` says whether it has a WHERE clause."""

    kind: str
    table: str
    where: bool


@dataclass(frozen=True, kw_only=True)
class AlterEnum(Op):
    type_name: str
    action: str
    """``add`` or ``rename`` a value."""
    value: str


@dataclass(frozen=True, kw_only=True)
class DetachPartition(Op):
    table: str
    partition: str
    concurrently: bool = False


@dataclass(frozen=True, kw_only=True)
class TableOptions(Op):
    """MySQL's ``ALGORITHM=`` and ``LOCK=`` clauses of an ALTER TABLE (upper case, as written)."""

    table: str
    algorithm: str | None = None
    lock: str | None = None


@dataclass(frozen=True, kw_only=True)
class Created(Op):
    """CREATE of a named object other than a table, index, view or function: ``kind`` is
    ``schema`` or ``domain``."""

    kind: str
    name: str


@dataclass(frozen=True, kw_only=True)
class AlterDomain(Op):
    """ALTER DOMAIN: ``action`` is ``add constraint``, ``set not null``, ``validate`` or ``other``."""

    domain: str
    action: str
    not_valid: bool = False


@dataclass(frozen=True, kw_only=True)
class CreateFunction(Op):
    """CREATE FUNCTION, or ALTER FUNCTION changing the volatility: ``volatility`` is ``immutable``,
    ``stable`` or ``volatile`` (PostgreSQL's default when the statement says none)."""

    name: str
    volatility: str = "volatile"
    inlined_calls: tuple[str, ...] | None = None
    """For a SQL function PostgreSQL inlines into the calling expression (a body of one ``SELECT
    expr`` or ``RETURN expr``): the functions its body calls, whose volatility then counts instead
    of the declared one. ``None`` for a function that is not inlined."""
    altered: bool = False
    """ALTER FUNCTION: the volatility changes, the body stays."""


@dataclass(frozen=True, kw_only=True)
class CreateView(Op):
    """CREATE [OR REPLACE] [MATERIALIZED] VIEW: ``columns`` are its output names, as the server names
    them (``None`` for a ``*`` it would expand)."""

    view: str
    columns: tuple[str | None, ...] = ()
    materialized: bool = False
    stars: tuple[str | None, ...] = ()
    """For each ``None`` of ``columns`` in order: the qualifier of its ``alias.*``, ``None`` for ``*``."""
    sources: tuple[tuple[str, str], ...] = ()
    """The FROM clause's tables: (alias or name, table), to expand the stars from the schema."""
    merged: bool = False
    """A JOIN ... USING or NATURAL JOIN, whose ``*`` shows the joined columns once."""


@dataclass(frozen=True, kw_only=True)
class LongIdentifier(Op):
    """An identifier longer than the server keeps (PostgreSQL's parser truncates it silently)."""

    name: str


@dataclass(frozen=True, kw_only=True)
class Other(Op):
    """A statement that parsed but changes nothing the rules look at (INSERT, GRANT, functions...)."""

    kind: str


@dataclass(frozen=True, kw_only=True)
class Unparseable(Op):
    message: str


@dataclass(frozen=True)
class Statement:
    """One statement of a file: where it starts, the line it ends on, and what it does."""

    loc: Loc
    end_line: int
    ops: tuple[Op, ...]
    text: str = ""
    """The statement's SQL as written, where the front end keeps it (PostgreSQL)."""


@dataclass(frozen=True, kw_only=True)
class EndOfFile(Op):
    """Not a statement: the linter emits it after each file's last one (open transactions...)."""


@dataclass(frozen=True, kw_only=True)
class EndOfRun(Op):
    """Not a statement: emitted once after the last file, for rules on the final schema."""
