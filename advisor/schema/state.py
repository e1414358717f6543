"""The schema as replaying the migrations builds it: tables, columns, indexes, keys and constraints.

Rules look at it before each operation is applied (what exists, what was created by the migrations
being linted), and end-of-run rules look at the final state. A table the replay has never seen is
assumed to exist already with data in it: migrations run against a database we cannot see.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from advisor.schema.names import key_of
from advisor.schema.ops import (
    AddColumn,
    AddConstraint,
    AlterColumnType,
    ColumnDef,
    Constraint,
    ConstraintKind,
    Created,
    CreateFunction,
    CreateIndex,
    CreateTable,
    Drop,
    DropColumn,
    DropConstraint,
    DropIndex,
    DropNotNull,
    Loc,
    Op,
    Rename,
    RenameKind,
    SetNotNull,
    TypeRef,
    ValidateConstraint,
    snake,
)


@dataclass
class ColumnState:
    name: str
    type: TypeRef | None
    not_null: bool = False


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


@dataclass
class ForeignKeyState:
    name: str | None
    columns: tuple[str, ...]
    ref_table: str
    ref_columns: tuple[str, ...]
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

    def column(self, name: str) -> ColumnState | None:
        return self.columns.get(key_of(name))

    def has_not_null_check(self, column: str) -> bool:
        return key_of(column) in self._validated_not_null

    _validated_not_null: set[str] = field(default_factory=set)
    _pending_not_null: dict[str, str] = field(default_factory=dict)


class Schema:
    """Tables by folded name; :meth:`apply` replays one operation."""

    def __init__(self) -> None:
        self.tables: dict[str, TableState] = {}
        self.indexes: dict[str, IndexState] = {}
        self.functions: dict[str, FunctionState] = {}
        """Functions the migrations created, by folded name."""
        self.created: dict[tuple[str, str], str] = {}
        """(kind, folded name) of the schemas and domains the migrations created: the file that did."""

    def table(self, name: str | None) -> TableState | None:
        return self.tables.get(key_of(name)) if name else None

    def is_new(self, name: str | None) -> bool:
        """Whether the table was created by the migrations being linted (so it is empty)."""
        table = self.table(name)
        return table is not None and table.new

    def add_table(self, table: TableState) -> None:
        self.tables[key_of(table.name)] = table
        for index in table.indexes:
            if index.name:
                self.indexes[key_of(index.name)] = index

    def apply(self, op: Op) -> None:
        """Change the state as ``op`` would; unknown objects are ignored."""
        handler = getattr(self, "on_" + snake(type(op).__name__), None)
        if handler is not None:
            handler(op)

    def on_create_table(self, op: CreateTable) -> None:
        if op.if_not_exists and self.table(op.table) is not None:
            return  # CREATE TABLE IF NOT EXISTS of a table that exists does nothing
        keyed = not op.temporary and op.partition_of is None and not op.copied
        table = TableState(
            name=op.table, new=True, created_in=op.loc.file, loc=op.loc, keyed=keyed, known=not op.copied
        )
        table.partitioned = op.partitioned
        for column in op.columns:
            self._add_column(table, column)
        for constraint in op.constraints:
            self._add_constraint(table, constraint, constraint.loc or op.loc)
        if op.partition_of:
            parent = self.table(op.partition_of)
            if parent is not None:
                table.columns = dict(parent.columns)
                table.primary_key = parent.primary_key
        self.tables[key_of(op.table)] = table

    def _add_column(self, table: TableState, column: ColumnDef) -> None:
        table.columns[key_of(column.name)] = ColumnState(column.name, column.type, column.not_null)
        if column.primary_key:
            table.primary_key = (column.name,)
            self._index(table, None, (column.name,), True, column.loc)
        elif column.unique:
            self._index(table, None, (column.name,), True, column.loc)
        if column.references is not None:
            con = column.references
            ref_columns = con.ref_columns
            self._foreign_key(table, con.name, (column.name,), con.ref_table or "", ref_columns, column.loc)

    def _index(
        self,
        table: TableState,
        name: str | None,
        columns: tuple[str | None, ...],
        unique: bool,
        loc: Loc | None,
        partial: bool = False,
        method: str = "btree",
    ) -> None:
        index = IndexState(
            name, table.name, tuple(key_of(c) if c else None for c in columns), unique, partial
        )
        index.method, index.loc = method, loc
        table.indexes.append(index)
        if name:
            self.indexes[key_of(name)] = index

    def _foreign_key(
        self,
        table: TableState,
        name: str | None,
        columns: tuple[str, ...],
        ref_table: str,
        ref_columns: tuple[str, ...],
        loc: Loc,
    ) -> None:
        fk = ForeignKeyState(name, tuple(key_of(c) for c in columns), ref_table, ref_columns, loc)
        table.foreign_keys.append(fk)

    def _add_constraint(self, table: TableState, con: Constraint, loc: Loc) -> None:
        if con.kind is ConstraintKind.PRIMARY_KEY:
            columns = con.columns or self._index_columns(con.using_index)
            table.primary_key = columns
            for column in columns:
                state = table.column(column)
                if state is not None:
                    state.not_null = True
            self._attach_or_index(table, con, columns, loc)
        elif con.kind is ConstraintKind.UNIQUE:
            self._attach_or_index(table, con, con.columns or self._index_columns(con.using_index), loc)
        elif con.kind is ConstraintKind.FOREIGN_KEY:
            self._foreign_key(table, con.name, con.columns, con.ref_table or "", con.ref_columns, loc)
        if con.not_valid and con.name:
            table.not_valid[key_of(con.name)] = loc
            if con.not_null_of:
                table._pending_not_null[key_of(con.name)] = key_of(con.not_null_of)
        elif con.not_null_of:
            table._validated_not_null.add(key_of(con.not_null_of))

    def _index_columns(self, name: str | None) -> tuple[str, ...]:
        index = self.indexes.get(key_of(name)) if name else None
        return tuple(c for c in index.columns if c) if index else ()

    def _attach_or_index(
        self, table: TableState, con: Constraint, columns: tuple[str, ...], loc: Loc
    ) -> None:
        existing = self.indexes.get(key_of(con.using_index)) if con.using_index else None
        if existing is not None:
            existing.unique = True
        else:
            self._index(table, con.name, columns, True, loc)

    def on_add_column(self, op: AddColumn) -> None:
        table = self.table(op.table)
        if table is not None:
            self._add_column(table, op.column)

    def on_add_constraint(self, op: AddConstraint) -> None:
        self._add_constraint(self._placeholder(op.table), op.constraint, op.loc)

    def _placeholder(self, name: str) -> TableState:
        """The table called ``name``; one we know nothing of yet is recorded as existing and unknown."""
        table = self.table(name)
        if table is None:
            table = TableState(name=name, known=False)
            self.tables[key_of(name)] = table
        return table

    def on_validate_constraint(self, op: ValidateConstraint) -> None:
        table = self.table(op.table)
        if table is not None:
            table.not_valid.pop(key_of(op.name), None)
            column = table._pending_not_null.pop(key_of(op.name), None)
            if column:
                table._validated_not_null.add(column)

    def on_drop_constraint(self, op: DropConstraint) -> None:
        table = self.table(op.table)
        if table is not None:
            table.not_valid.pop(key_of(op.name), None)
            table.foreign_keys = [fk for fk in table.foreign_keys if key_of(fk.name or "") != key_of(op.name)]

    def on_created(self, op: Created) -> None:
        self.created.setdefault((op.kind, key_of(op.name)), op.loc.file)

    def on_create_function(self, op: CreateFunction) -> None:
        known = self.functions.get(key_of(op.name))
        inlined = known.inlined_calls if op.altered and known is not None else op.inlined_calls
        self.functions[key_of(op.name)] = FunctionState(op.volatility, inlined)

    def on_create_index(self, op: CreateIndex) -> None:
        table = self._placeholder(op.table)
        self._index(table, op.name, op.columns, op.unique, op.loc, op.partial, op.method)
        table.indexes[-1].where_not_null = tuple(key_of(c) for c in op.where_not_null)

    def on_drop_index(self, op: DropIndex) -> None:
        for name in op.names:
            index = self.indexes.pop(key_of(name), None)
            table = self.table(index.table) if index else None
            if table is not None and index is not None:
                table.indexes = [item for item in table.indexes if item is not index]

    def on_alter_column_type(self, op: AlterColumnType) -> None:
        table = self.table(op.table)
        column = table.column(op.column) if table else None
        if column is not None:
            column.type = op.type

    def on_set_not_null(self, op: SetNotNull) -> None:
        table = self.table(op.table)
        column = table.column(op.column) if table else None
        if column is not None:
            column.not_null = True

    def on_drop_not_null(self, op: DropNotNull) -> None:
        table = self.table(op.table)
        column = table.column(op.column) if table else None
        if column is not None:
            column.not_null = False

    def on_drop_column(self, op: DropColumn) -> None:
        table = self.table(op.table)
        if table is not None:
            table.columns.pop(key_of(op.column), None)

    def on_drop(self, op: Drop) -> None:
        if op.kind == "table":
            for name in op.names:
                table = self.tables.pop(key_of(name), None)
                for index in table.indexes if table else ():
                    if index.name:
                        self.indexes.pop(key_of(index.name), None)

    def on_rename(self, op: Rename) -> None:
        if op.kind is RenameKind.INDEX:
            index = self.indexes.pop(key_of(op.old), None)
            if index is not None:
                index.name = op.new
                self.indexes[key_of(op.new)] = index
            return
        table = self.table(op.table)
        if table is None:
            return
        if op.kind is RenameKind.TABLE:
            del self.tables[key_of(table.name)]
            table.name = op.new
            self.tables[key_of(op.new)] = table
        elif op.kind is RenameKind.COLUMN:
            column = table.columns.pop(key_of(op.old), None)
            if column is not None:
                column.name = op.new
                table.columns[key_of(op.new)] = column
