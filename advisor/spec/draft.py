"""Mutable tables while the DDL is replayed and ``tables:`` is applied; frozen by ``advisor.spec.freeze``.

Columns are keyed by their lower-cased name, and constraints and indexes refer to columns by that key,
so renames and drops only have to touch one place per structure. Each piece remembers where it was
defined (``Location``) so that a check at the end can still point at the right file and line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from advisor.errors import Location
from advisor.schema.names import key_of


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
        return key_of(self.name)

    def add_column(self, column: ColumnDraft) -> None:
        self.columns[key_of(column.name)] = column

    def drop_column(self, name: str) -> None:
        """Remove a column and, as the engines do, every index and constraint that uses it."""
        col = key_of(name)
        self.columns.pop(col, None)
        if self.primary_key is not None and col in self.primary_key.columns:
            self.primary_key = None
        self.uniques = [u for u in self.uniques if col not in u.columns]
        self.foreign_keys = [fk for fk in self.foreign_keys if col not in fk.columns]
        self.checks = [ck for ck in self.checks if col not in ck.columns]
        self.indexes = {
            name: ix
            for name, ix in self.indexes.items()
            if col not in [k for k, _ in ix.keys]
            and col not in ix.include
            and col not in ix.predicate_columns
        }
        self.trigram = {name: c for name, c in self.trigram.items() if c != col}

    def rename_column(self, old: str, new: str) -> None:
        """Rename a column in place, keeping its position and every reference to it."""
        old_key, new_key = key_of(old), key_of(new)
        self.columns = {
            (new_key if k == old_key else k): (_renamed(c, new) if k == old_key else c)
            for k, c in self.columns.items()
        }
        keys: list[KeyDraft] = [*self.uniques, *([self.primary_key] if self.primary_key else [])]
        for key in keys:
            key.columns = [new_key if c == old_key else c for c in key.columns]
        for fk in self.foreign_keys:
            fk.columns = [new_key if c == old_key else c for c in fk.columns]
        for ix in self.indexes.values():
            ix.keys = [(new_key if c == old_key else c, desc) for c, desc in ix.keys]
            ix.include = [new_key if c == old_key else c for c in ix.include]
        self.trigram = {name: new_key if c == old_key else c for name, c in self.trigram.items()}

    def drop_constraint(self, name: str) -> None:
        """Drop the primary key, unique, foreign key or check called ``name``."""
        wanted = name.lower()
        if self.primary_key is not None and self.primary_key.name.lower() == wanted:
            self.primary_key = None
        self.uniques = [u for u in self.uniques if u.name.lower() != wanted]
        self.foreign_keys = [fk for fk in self.foreign_keys if fk.name.lower() != wanted]
        self.checks = [ck for ck in self.checks if (ck.name or "").lower() != wanted]

    def fresh_index_name(self, base: str) -> str:
        """``base``, or ``base1``, ``base2``... whichever no index of this table uses yet."""
        name, number = base, 0
        while name.lower() in self.indexes:
            number += 1
            name = f"{base}{number}"
        return name


def _renamed(column: ColumnDraft, new: str) -> ColumnDraft:
    column.name = new
    return column


def default_constraint_name(table: str, columns: list[str], suffix: str) -> str:
    """PostgreSQL's name for an unnamed constraint or index, so that later DDL can refer to it.

    >>> default_constraint_name("orders", ["user_id", "status"], "key")
    'orders_user_id_status_key'
    >>> default_constraint_name("orders", ["order_id"], "pkey")
    'orders_pkey'
    """
    if suffix == "pkey":
        return f"{table}_pkey"
    return "_".join([table, *columns, suffix])


def rename_table(tables: dict[str, TableDraft], table: TableDraft, new_name: str) -> TableDraft:
    """Rename ``table`` in place, keeping its position in the output; foreign keys follow it."""
    old_key = table.key
    table.name = new_name
    renamed = {(table.key if key == old_key else key): value for key, value in tables.items()}
    tables.clear()
    tables.update(renamed)
    for other in tables.values():
        for fk in other.foreign_keys:
            if fk.target_table == old_key:
                fk.target_table = table.key
    return table


def rename_index(tables: dict[str, TableDraft], old: str, new: str) -> None:
    """Rename the index called ``old``, in whichever table has it."""
    for table in tables.values():
        index = table.indexes.pop(old.lower(), None)
        if index is not None:
            index.name = new
            table.indexes[new.lower()] = index
            return
        if old.lower() in table.trigram:
            table.trigram[new.lower()] = table.trigram.pop(old.lower())
            return


def rename_column_references(tables: dict[str, TableDraft], table_key: str, old: str, new: str) -> None:
    """Foreign keys follow a renamed column of the table they point at."""
    old_key, new_key = key_of(old), key_of(new)
    for table in tables.values():
        for fk in table.foreign_keys:
            if fk.target_table == table_key and fk.target_columns is not None:
                fk.target_columns = [new_key if c == old_key else c for c in fk.target_columns]


def drop_tables(tables: dict[str, TableDraft], names: list[str]) -> None:
    """DROP TABLE: the tables called ``names`` and the foreign keys that point at them (what DROP
    ... CASCADE does); unknown names are ignored."""
    for name in names:
        if tables.pop(key_of(name), None) is not None:
            for table in tables.values():
                table.foreign_keys = [fk for fk in table.foreign_keys if fk.target_table != key_of(name)]


def drop_indexes(tables: dict[str, TableDraft], names: list[str]) -> None:
    """DROP INDEX: each index called one of ``names``, in whichever table has it."""
    for name in names:
        for table in tables.values():
            if table.indexes.pop(name.lower(), None) or table.trigram.pop(name.lower(), None):
                break
