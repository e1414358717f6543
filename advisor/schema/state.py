"""The schema as replaying the migrations builds it: tables, columns, indexes, keys and constraints.

Rules look at it before each operation is applied (what exists, what was created by the migrations
being linted), and end-of-run rules look at the final state; recommend reads the final state of its
``schema:`` files. A table the replay has never seen is assumed to exist already with data in it:
migrations run against a database we cannot see. Renames and drops follow what the engines do:
a dropped column takes the keys, indexes and checks that use it along, a dropped table the foreign
keys that point at it, and a renamed column is renamed wherever it is used.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from advisor.schema.names import exact, fresh_name, key_of
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
    Expression,
    Loc,
    Op,
    Rename,
    RenameKind,
    SetDefault,
    SetNotNull,
    ValidateConstraint,
    snake,
)
from advisor.schema.tables import (
    CheckState,
    ColumnState,
    ForeignKeyState,
    FunctionState,
    IndexState,
    TableState,
)

__all__ = [
    "CheckState",
    "ColumnState",
    "ForeignKeyState",
    "FunctionState",
    "IndexState",
    "Schema",
    "TableState",
]


def implied_name(table: str, columns: Sequence[str | None], suffix: str) -> str:
    """PostgreSQL's name for an unnamed constraint or index, so that later DDL can refer to it.

    >>> implied_name("orders", ("user_id", "status"), "key"), implied_name("orders", ("id",), "pkey")
    ('orders_user_id_status_key', 'orders_pkey')
    """
    if suffix == "pkey":
        return exact(f"{key_of(table)}_pkey")
    return exact("_".join([key_of(table), *(key_of(c) for c in columns if c), suffix]))


class Schema:
    """Tables by folded name; :meth:`apply` replays one operation."""

    def __init__(self, dialect: str = "postgres") -> None:
        self.dialect = dialect
        """The sqlglot dialect that rewrites a CHECK or predicate when a column it reads is renamed."""
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

    # CREATE TABLE and columns ---------------------------------------------------------------------

    def on_create_table(self, op: CreateTable) -> None:
        if op.if_not_exists and self.table(op.table) is not None:
            return  # CREATE TABLE IF NOT EXISTS of a table that exists does nothing
        replaced = self.table(op.table)
        if replaced is not None:
            for index in list(replaced.indexes):
                self._forget_index(replaced, index)
        keyed = not op.temporary and op.partition_of is None and not op.copied
        table = TableState(
            name=op.table, new=True, created_in=op.loc.file, loc=op.loc, keyed=keyed, known=not op.copied
        )
        table.partitioned, table.temporary, table.engine = op.partitioned, op.temporary, op.engine
        table.from_query, table.partition_of = op.from_query, op.partition_of
        self.tables[key_of(op.table)] = table
        for source in filter(None, map(self.table, op.like)):  # LIKE copies columns, not keys
            for copied in source.columns.values():
                copy = ColumnState(copied.name, copied.type, copied.not_null, copied.type_sql, loc=op.loc)
                table.columns[key_of(copied.name)] = copy
        for column in op.columns:
            self._add_column(table, column)
        for constraint in op.constraints:
            self._add_constraint(table, constraint, constraint.loc or op.loc)
        if op.partition_of:
            parent = self.table(op.partition_of)
            if parent is not None:
                table.columns = dict(parent.columns)
                table.primary_key = parent.primary_key

    def _add_column(self, table: TableState, column: ColumnDef) -> None:
        if key_of(column.name) in table.columns:
            self._drop_column(table, column.name)
        table.columns[key_of(column.name)] = ColumnState(
            column.name,
            column.type,
            column.not_null,
            column.type_sql,
            column.default,
            column.identity,
            column.loc,
        )
        own = (column.name,)
        if column.primary_key:
            self._add_constraint(
                table, Constraint(ConstraintKind.PRIMARY_KEY, column.primary_key_name, own), column.loc
            )
        if column.unique:
            self._add_constraint(
                table, Constraint(ConstraintKind.UNIQUE, column.unique_name, own), column.loc
            )
        if column.references is not None:
            con = column.references
            self._foreign_key(
                table,
                Constraint(
                    con.kind,
                    con.name,
                    own,
                    con.ref_table,
                    con.ref_columns,
                    on_delete=con.on_delete,
                    on_update=con.on_update,
                ),
                column.loc,
            )
        for check in column.checks:
            self._add_constraint(table, check, column.loc)

    def on_add_column(self, op: AddColumn) -> None:
        table = self.table(op.table)
        if table is not None and not (op.if_not_exists and table.column(op.column.name)):
            self._add_column(table, op.column)

    def on_alter_column_type(self, op: AlterColumnType) -> None:
        table = self.table(op.table)
        column = table.column(op.column) if table else None
        if column is None:
            return
        column.type, column.type_sql = op.type, op.type_sql
        if op.definition is not None:  # MySQL's MODIFY: the whole definition is replaced
            column.not_null, column.default = op.definition.not_null, op.definition.default
            column.identity = op.definition.identity

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

    def on_set_default(self, op: SetDefault) -> None:
        table = self.table(op.table)
        column = table.column(op.column) if table else None
        if column is not None:
            column.default = op.default

    def on_drop_column(self, op: DropColumn) -> None:
        table = self.table(op.table)
        if table is not None:
            self._drop_column(table, op.column)

    def _drop_column(self, table: TableState, name: str) -> None:
        """Remove a column and, as the engines do, every key, index and check that uses it."""
        col = key_of(name)
        table.columns.pop(col, None)
        if col in table.primary_key:
            table.primary_key, table.primary_key_name = (), None
        for index in [i for i in table.indexes if col in _used_columns(i)]:
            self._forget_index(table, index)
        table.foreign_keys = [fk for fk in table.foreign_keys if col not in fk.columns]
        table.checks = [ck for ck in table.checks if col not in map(key_of, ck.expression.columns)]

    # Constraints ----------------------------------------------------------------------------------

    def _add_constraint(self, table: TableState, con: Constraint, loc: Loc | None) -> None:
        if con.kind is ConstraintKind.PRIMARY_KEY:
            columns = con.columns or self._index_columns(con.using_index)
            for index in [i for i in table.indexes if i.constraint is ConstraintKind.PRIMARY_KEY]:
                self._forget_index(table, index)
            table.primary_key = tuple(key_of(c) for c in columns)
            table.primary_key_name = con.name
            for column in columns:
                state = table.column(column)
                if state is not None:
                    state.not_null = True
            self._attach_or_index(table, con, columns, loc)
        elif con.kind is ConstraintKind.UNIQUE:
            columns = con.columns or self._index_columns(con.using_index)
            if con.name:
                for index in [i for i in table.indexes if i.constraint and i.called(con.name)]:
                    self._forget_index(table, index)
            self._attach_or_index(table, con, columns, loc)
        elif con.kind is ConstraintKind.FOREIGN_KEY:
            self._foreign_key(table, con, loc)
        elif con.kind is ConstraintKind.CHECK and con.check is not None:
            if con.name:
                table.checks = [c for c in table.checks if key_of(c.name or "") != key_of(con.name)]
            table.checks.append(CheckState(con.name, con.check, loc))
        if con.not_valid and con.name and loc is not None:
            table.not_valid[key_of(con.name)] = loc
            if con.not_null_of:
                table._pending_not_null[key_of(con.name)] = key_of(con.not_null_of)
        elif con.not_null_of:
            table._validated_not_null.add(key_of(con.not_null_of))

    def _foreign_key(self, table: TableState, con: Constraint, loc: Loc | None) -> None:
        columns = tuple(key_of(c) for c in con.columns)
        if con.name:
            table.foreign_keys = [
                fk for fk in table.foreign_keys if key_of(fk.name or "") != key_of(con.name)
            ]
        fk = ForeignKeyState(con.name, columns, con.ref_table or "", con.ref_columns, loc)
        fk.on_delete, fk.on_update = con.on_delete, con.on_update
        fk.implied_name = None if con.name else implied_name(table.name, columns, "fkey")
        table.foreign_keys.append(fk)

    def _index_columns(self, name: str | None) -> tuple[str, ...]:
        index = self.indexes.get(key_of(name)) if name else None
        return tuple(c for c in index.columns if c) if index else ()

    def _attach_or_index(
        self, table: TableState, con: Constraint, columns: tuple[str, ...], loc: Loc | None
    ) -> None:
        existing = self.indexes.get(key_of(con.using_index)) if con.using_index else None
        if existing is not None:
            existing.unique, existing.constraint = True, con.kind
            return
        suffix = "pkey" if con.kind is ConstraintKind.PRIMARY_KEY else "key"
        index = IndexState(con.name, table.name, tuple(key_of(c) for c in columns), True, loc=loc)
        index.constraint = con.kind
        index.implied_name = None if con.name else implied_name(table.name, columns, suffix)
        self._register(table, index)

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
        if table is None:
            return
        wanted = key_of(op.name)
        table.not_valid.pop(wanted, None)
        table.foreign_keys = [
            fk for fk in table.foreign_keys if wanted not in {key_of(fk.name or ""), fk.implied_name}
        ]
        table.checks = [ck for ck in table.checks if key_of(ck.name or "") != wanted]
        keys = [
            index
            for index in table.indexes
            if index.constraint is not None
            and (index.called(op.name) or (op.primary_key and index.constraint is ConstraintKind.PRIMARY_KEY))
        ]
        for index in keys:
            self._forget_index(table, index)
        if op.primary_key or any(index.constraint is ConstraintKind.PRIMARY_KEY for index in keys):
            table.primary_key, table.primary_key_name = (), None

    # Indexes --------------------------------------------------------------------------------------

    def _register(self, table: TableState, index: IndexState) -> None:
        table.indexes.append(index)
        for name in (index.name, index.implied_name):
            if name:
                self.indexes[key_of(name)] = index

    def _forget_index(self, table: TableState, index: IndexState) -> None:
        table.indexes = [item for item in table.indexes if item is not index]
        for name in (index.name, index.implied_name):
            if name and self.indexes.get(key_of(name)) is index:
                del self.indexes[key_of(name)]

    def on_create_index(self, op: CreateIndex) -> None:
        if op.if_not_exists and op.name and key_of(op.name) in self.indexes:
            return
        table = self._placeholder(op.table)
        index = IndexState(
            op.name, table.name, tuple(key_of(c) if c else None for c in op.columns), op.unique, op.partial
        )
        index.method, index.loc = op.method, op.loc
        index.where_not_null = tuple(key_of(c) for c in op.where_not_null)
        index.descending, index.include, index.where = op.descending, op.include, op.where
        index.opclasses = op.opclasses
        if not op.name:
            taken = {key_of(n) for i in table.indexes for n in (i.name, i.implied_name) if n}
            index.implied_name = fresh_name(implied_name(table.name, op.columns, "idx"), taken)
        self._register(table, index)

    def on_drop_index(self, op: DropIndex) -> None:
        for name in op.names:
            index = self.indexes.get(key_of(name))
            table = self.table(index.table) if index else None
            if table is not None and index is not None:
                self._forget_index(table, index)
            else:
                self.indexes.pop(key_of(name), None)

    # Other objects --------------------------------------------------------------------------------

    def on_created(self, op: Created) -> None:
        self.created.setdefault((op.kind, key_of(op.name)), op.loc.file)

    def on_create_function(self, op: CreateFunction) -> None:
        known = self.functions.get(key_of(op.name))
        inlined = known.inlined_calls if op.altered and known is not None else op.inlined_calls
        self.functions[key_of(op.name)] = FunctionState(op.volatility, inlined)

    # DROP and RENAME ------------------------------------------------------------------------------

    def on_drop(self, op: Drop) -> None:
        if op.kind == "table":
            self._drop_tables(op.names)

    def _drop_tables(self, names: tuple[str, ...]) -> None:
        """Drop tables, their indexes, and the foreign keys that point at them (what CASCADE does)."""
        for name in names:
            table = self.tables.pop(key_of(name), None)
            if table is None:
                continue
            for index in list(table.indexes):
                self._forget_index(table, index)
            for other in self.tables.values():
                other.foreign_keys = [fk for fk in other.foreign_keys if key_of(fk.ref_table) != key_of(name)]

    def on_rename(self, op: Rename) -> None:
        if op.kind is RenameKind.INDEX:
            index = self.indexes.get(key_of(op.old))
            table = self.table(index.table) if index else None
            if index is not None and table is not None:
                self._forget_index(table, index)
                index.name, index.implied_name = op.new, None
                self._register(table, index)
            return
        table = self.table(op.table)
        if table is None:
            return
        if op.kind is RenameKind.TABLE:
            self._rename_table(table, op.new)
        elif op.kind is RenameKind.COLUMN and table.column(op.old) is not None:
            self._rename_column(table, op.old, op.new)

    def _rename_table(self, table: TableState, new: str) -> None:
        """Rename in place, keeping the table's position; foreign keys and indexes follow it."""
        old = key_of(table.name)
        table.name = new
        renamed = {(key_of(new) if key == old else key): value for key, value in self.tables.items()}
        self.tables.clear()
        self.tables.update(renamed)
        for index in table.indexes:
            index.table = new
        for other in self.tables.values():
            for fk in other.foreign_keys:
                if key_of(fk.ref_table) == old:
                    fk.ref_table = new

    def _rename_column(self, table: TableState, old: str, new: str) -> None:
        """Rename a column in place, and wherever it is used (keys, indexes, checks, predicates)."""
        old_key, new_key = key_of(old), key_of(new)
        table.columns = {
            (new_key if key == old_key else key): column for key, column in table.columns.items()
        }
        table.columns[new_key].name = new

        def swap(columns: tuple[str, ...]) -> tuple[str, ...]:
            return tuple(new_key if key_of(c) == old_key else c for c in columns)

        table.primary_key = swap(table.primary_key)
        for index in table.indexes:
            index.columns = tuple(new_key if c and key_of(c) == old_key else c for c in index.columns)
            index.include = tuple(new if c and key_of(c) == old_key else c for c in index.include)
            index.where_not_null = swap(index.where_not_null)
            if index.where is not None:
                index.where = self._renamed(index.where, old_key, new)
        for fk in table.foreign_keys:
            fk.columns = swap(fk.columns)
        for check in table.checks:
            check.expression = self._renamed(check.expression, old_key, new)
        for other in self.tables.values():
            for fk in other.foreign_keys:
                if key_of(fk.ref_table) == key_of(table.name):
                    fk.ref_columns = tuple(new if key_of(c) == old_key else c for c in fk.ref_columns)

    def _renamed(self, expression: Expression, old_key: str, new: str) -> Expression:
        if old_key not in map(key_of, expression.columns):
            return expression
        from advisor.schema.sqlglot_nodes import with_column_renamed

        columns = tuple(dict.fromkeys(new if key_of(c) == old_key else c for c in expression.columns))
        sql = with_column_renamed(expression.sql, old_key, new, self.dialect)
        return replace(expression, sql=sql, columns=columns)


def _used_columns(index: IndexState) -> set[str]:
    """Every column an index uses: keys, INCLUDE and its predicate's."""
    used = [*index.columns, *index.include, *(index.where.columns if index.where else ())]
    return {key_of(c) for c in used if c}
