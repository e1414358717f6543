"""Replay DDL files (a schema dump or migrations) into table drafts, statement by statement, with sqlglot.

Each file is tokenized once and cut at top-level semicolons, so one statement sqlglot cannot parse is
an error naming its own file and line instead of hiding the rest. Statements that do not change the
shape of tables (INSERT, SET, GRANT, COMMENT, views, functions...) are skipped, and so are those sqlglot
only keeps as opaque commands. The DDL ran on a real database, so a statement about a table we do not
know (created by something skipped) is skipped too, rather than failing the whole load.

Not represented, because the model cannot hold them: expression indexes, non-B-tree indexes (GIN, GiST,
FULLTEXT...), temporary tables, ``CREATE TABLE ... AS`` and ``PARTITION OF`` (their columns are not in
the statement).
"""

from __future__ import annotations

from pathlib import Path

from sqlglot import exp

from advisor.errors import AdvisorError, Location
from advisor.schema.names import key_of
from advisor.schema.source import read_source
from advisor.schema.sqlglot_nodes import (
    column_name,
    partitioned,
    reference_actions,
    renamed_tables,
    storage_engine,
    trigram_column,
    with_column_renamed,
)
from advisor.schema.statements import parse_statements
from advisor.spec.draft import (
    CheckDraft,
    ColumnDraft,
    ForeignKeyDraft,
    IndexDraft,
    KeyDraft,
    TableDraft,
    default_constraint_name,
    drop_indexes,
    drop_tables,
    rename_column_references,
    rename_index,
    rename_table,
)
from advisor.spec.expressions import foreign_part, without_comments
from advisor.spec.model import spelled

_BTREE = {"btree", ""}
_MYSQL_FAMILY = {"mysql", "singlestore", "doris", "starrocks"}


def replay_files(files: list[Path], dialect: str, tables: dict[str, TableDraft]) -> None:
    """Apply every statement of ``files``, in order, to ``tables`` (keyed by ``key_of`` name)."""
    replay = _Replay(dialect, tables)
    for path in files:
        for line, statement in parse_statements(path, read_source(path).text, dialect):
            replay.apply(statement, Location(path, line))


def _names(nodes: list[exp.Expr]) -> list[str] | None:
    """Column keys of ``nodes``; ``None`` if any of them is an expression."""
    names = [column_name(node) for node in nodes]
    return None if any(name is None for name in names) else [key_of(name) for name in names if name]


class _Replay:
    """The schema state as statements are applied; one method per kind of statement."""

    def __init__(self, dialect: str, tables: dict[str, TableDraft]) -> None:
        self.dialect = dialect
        self.tables = tables

    def apply(self, statement: exp.Expr, where: Location) -> None:
        """Apply one parsed statement; kinds that do not shape tables are skipped."""
        if isinstance(statement, exp.Create):
            kind = str(statement.args.get("kind") or "").upper()
            if kind == "TABLE":
                self._create_table(statement, where)
            elif kind == "INDEX":
                self._create_index(statement, where)
        elif isinstance(statement, exp.Alter):
            kind = str(statement.args.get("kind") or "").upper()
            if kind == "TABLE":
                self._alter_table(statement, where)
            elif kind == "INDEX":
                self._alter_index(statement)
        elif isinstance(statement, exp.Drop):
            self._drop(statement)
        elif isinstance(statement, exp.Command):
            self._command(statement)

    # CREATE TABLE ---------------------------------------------------------------------------------

    def _create_table(self, statement: exp.Create, where: Location) -> None:
        """CREATE TABLE with column definitions (not ``AS SELECT``, not temporary)."""
        schema = statement.this
        if not isinstance(schema, exp.Schema) or not isinstance(schema.this, exp.Table):
            return
        properties = statement.args.get("properties")
        if properties is not None and properties.find(exp.TemporaryProperty):
            return
        name = self._spelled(schema.this, table=True)
        if key_of(name) in self.tables and statement.args.get("exists"):
            return
        table = TableDraft(name=name, origin=where, from_ddl=True)
        table.partitioned, table.engine = partitioned(statement), storage_engine(statement)
        for item in schema.expressions:
            if isinstance(item, exp.ColumnDef):
                self._add_column(table, item, where)
            elif isinstance(item, exp.Identifier):
                table.add_column(ColumnDraft(name=self._spelled(item), origin=where))
            elif isinstance(item, exp.LikeProperty):
                self._copy_columns(table, item, where)
            else:
                self._table_constraint(table, item, None, where)
        self.tables[key_of(name)] = table

    def _spelled(self, node: exp.Expr, table: bool = False) -> str:
        """The name of ``node`` (an identifier, or a table, column or definition named by one), an
        ``ExactName`` where the engine keeps its spelling (``spec.model.spelled``)."""
        ident = node if isinstance(node, exp.Identifier) else node.this
        quoted = isinstance(ident, exp.Identifier) and bool(ident.quoted)
        return spelled(node.name, quoted, self.dialect, table)

    def _copy_columns(self, table: TableDraft, like: exp.LikeProperty, where: Location) -> None:
        """PostgreSQL's ``(LIKE other)``: the other table's columns, without its keys."""
        source = self.tables.get(key_of(like.this.name)) if isinstance(like.this, exp.Table) else None
        for column in source.columns.values() if source else ():
            table.add_column(
                ColumnDraft(name=column.name, origin=where, type=column.type, nullable=column.nullable)
            )

    def _add_column(self, table: TableDraft, definition: exp.ColumnDef, where: Location) -> None:
        """A column definition with its inline NOT NULL / PRIMARY KEY / UNIQUE / REFERENCES."""
        column = ColumnDraft(name=self._spelled(definition), origin=where, type=self._type_text(definition))
        key = key_of(column.name)
        if key in table.columns:
            table.drop_column(key)
        table.add_column(column)
        for constraint in definition.constraints:
            kind = constraint.args.get("kind")
            label = constraint.this.name if isinstance(constraint.this, exp.Identifier) else None
            if isinstance(kind, exp.NotNullColumnConstraint):
                column.nullable = bool(kind.args.get("allow_null"))
            elif isinstance(kind, exp.PrimaryKeyColumnConstraint):
                self._set_primary_key(table, [key], label, where)
            elif isinstance(kind, exp.UniqueColumnConstraint):
                self._add_unique(table, [key], label, where)
            elif isinstance(kind, exp.Reference):
                self._add_foreign_key(table, [key], kind, label, where)
            elif isinstance(kind, exp.DefaultColumnConstraint) and kind.this is not None:
                column.default = self._expression(kind.this, "default", where)
            elif isinstance(
                kind, exp.AutoIncrementColumnConstraint | exp.GeneratedAsIdentityColumnConstraint
            ):
                column.identity = True
            elif isinstance(kind, exp.CheckColumnConstraint):
                self._add_check(table, kind, label, where)

    def _expression(self, tree: exp.Expr, kind: str, where: Location) -> str:
        """A DEFAULT, CHECK or index predicate of the DDL as SQL text, rebuilt from its tree without
        comments; one holding what no engine takes there (a query, a parameter) is an error."""
        reason = foreign_part(tree, kind)
        if reason is not None:
            raise AdvisorError(f"{kind.upper()} {reason}", where)
        return without_comments(tree.copy()).sql(dialect=self.dialect)

    def _type_text(self, definition: exp.ColumnDef) -> str:
        """The column's type as lower-case SQL of the dialect (``text`` for SQLite's untyped columns)."""
        kind = definition.args.get("kind")
        if not isinstance(kind, exp.DataType):
            return "text"
        return kind.sql(dialect=self.dialect).lower()

    def _table_constraint(
        self, table: TableDraft, item: exp.Expr, label: str | None, where: Location
    ) -> None:
        """A table-level constraint (or MySQL index) inside CREATE TABLE or ALTER TABLE ADD."""
        if isinstance(item, exp.Constraint):
            self._named_constraint(table, item, where)
        elif isinstance(item, exp.PrimaryKey):
            columns = _names(item.expressions)
            if columns:
                self._set_primary_key(table, columns, label, where)
        elif isinstance(item, exp.UniqueColumnConstraint) and isinstance(item.this, exp.Schema):
            columns = _names(item.this.expressions)
            own_label = item.this.this.name if isinstance(item.this.this, exp.Identifier) else label
            if columns:
                self._add_unique(table, columns, own_label, where)
        elif isinstance(item, exp.ForeignKey):
            columns = _names(item.expressions)
            reference = item.args.get("reference")
            if columns and isinstance(reference, exp.Reference):
                self._add_foreign_key(table, columns, reference, label, where)
        elif isinstance(item, exp.IndexColumnConstraint):
            self._inline_index(table, item, where)
        elif isinstance(item, exp.CheckColumnConstraint):
            self._add_check(table, item, label, where)

    def _add_check(
        self, table: TableDraft, item: exp.CheckColumnConstraint, label: str | None, where: Location
    ) -> None:
        """A CHECK constraint, kept as SQL with the columns it reads; one of the same name is replaced."""
        condition = item.this
        if not isinstance(condition, exp.Expr):
            return
        if label:
            table.checks = [c for c in table.checks if (c.name or "").lower() != label.lower()]
        columns = sorted({key_of(c.name) for c in condition.find_all(exp.Column)})
        table.checks.append(CheckDraft(label, self._expression(condition, "check", where), columns, where))

    def _named_constraint(self, table: TableDraft, item: exp.Constraint, where: Location) -> None:
        """``CONSTRAINT name ...``: the parts get the name."""
        label = item.this.name if isinstance(item.this, exp.Identifier) else None
        parts = list(item.expressions)
        # T-SQL writes the key's columns in the CLUSTERED / NONCLUSTERED part that follows it.
        clustered = next(
            (
                p
                for p in parts
                if isinstance(p, exp.ClusteredColumnConstraint | exp.NonClusteredColumnConstraint)
            ),
            None,
        )
        clustered_columns = (
            _names(clustered.this) if clustered is not None and isinstance(clustered.this, list) else None
        )
        for part in parts:
            if isinstance(part, exp.PrimaryKeyColumnConstraint) and clustered_columns:
                self._set_primary_key(table, clustered_columns, label, where)
            elif isinstance(part, exp.UniqueColumnConstraint) and part.this is None and clustered_columns:
                self._add_unique(table, clustered_columns, label, where)
            else:
                self._table_constraint(table, part, label, where)

    def _set_primary_key(
        self, table: TableDraft, columns: list[str], label: str | None, where: Location
    ) -> None:
        """Set the table's primary key (PostgreSQL's default name when unnamed)."""
        name = label or default_constraint_name(table.key, columns, "pkey")
        table.primary_key = KeyDraft(name=name, columns=columns, origin=where)

    def _add_unique(self, table: TableDraft, columns: list[str], label: str | None, where: Location) -> None:
        """Add a unique constraint, replacing one of the same name."""
        name = label or default_constraint_name(table.key, columns, "key")
        table.uniques = [u for u in table.uniques if u.name.lower() != name.lower()]
        table.uniques.append(KeyDraft(name=name, columns=columns, origin=where))

    def _add_foreign_key(
        self,
        table: TableDraft,
        columns: list[str],
        reference: exp.Reference,
        label: str | None,
        where: Location,
    ) -> None:
        """Add a foreign key; without target columns it means the target's primary key."""
        target = reference.this
        target_columns: list[str] | None = None
        if isinstance(target, exp.Schema):
            target_columns = _names(target.expressions)
            target = target.this
        if not isinstance(target, exp.Table):
            return
        name = label or default_constraint_name(table.key, columns, "fkey")
        table.foreign_keys = [fk for fk in table.foreign_keys if fk.name.lower() != name.lower()]
        actions = reference_actions(reference)
        table.foreign_keys.append(
            ForeignKeyDraft(
                name=name,
                columns=columns,
                target_table=key_of(target.name),
                target_columns=target_columns,
                origin=where,
                on_delete=actions.get("DELETE"),
                on_update=actions.get("UPDATE"),
            )
        )

    def _inline_index(self, table: TableDraft, item: exp.IndexColumnConstraint, where: Location) -> None:
        """MySQL's ``KEY name (cols)`` / ``INDEX`` inside CREATE TABLE or ALTER TABLE ADD."""
        if str(item.args.get("kind") or "").upper() in ("FULLTEXT", "SPATIAL"):
            return
        methods = [item.args.get("index_type")] + [
            o.args.get("using") for o in item.args.get("options") or []
        ]
        if any(method and str(method).lower() not in _BTREE for method in methods):
            return
        keys = self._index_keys(table, item.expressions)
        if keys is None:
            return
        label = self._spelled(item.this) if isinstance(item.this, exp.Identifier) else None
        name = label or table.fresh_index_name("_".join([table.key, *(k for k, _ in keys), "idx"]))
        table.indexes[name.lower()] = IndexDraft(name=name, keys=keys, origin=where)

    def _index_keys(self, table: TableDraft, nodes: list[exp.Expr]) -> list[tuple[str, bool]] | None:
        """``(column key, descending)`` per key; ``None`` when a key is an expression, not a column."""
        keys = []
        for node in nodes:
            descending = isinstance(node, exp.Ordered) and bool(node.args.get("desc"))
            name = column_name(node) or self._prefix_column(table, node)
            if name is None:
                return None
            keys.append((key_of(name), descending))
        return keys

    def _prefix_column(self, table: TableDraft, node: exp.Expr) -> str | None:
        """MySQL's prefix key ``col(10)`` reads as a call of a function named like the column."""
        inner = node.this if isinstance(node, exp.Ordered) else node
        if self.dialect not in _MYSQL_FAMILY or not isinstance(inner, exp.Anonymous):
            return None
        name = str(inner.this)
        return name if key_of(name) in table.columns and len(inner.expressions) == 1 else None

    # CREATE INDEX ---------------------------------------------------------------------------------

    def _create_index(self, statement: exp.Create, where: Location) -> None:
        """CREATE [UNIQUE] INDEX on plain columns, with DESC, INCLUDE and WHERE kept."""
        index = statement.this
        if not isinstance(index, exp.Index):
            return
        table_node = index.args.get("table")
        params = index.args.get("params")
        table = self.tables.get(key_of(table_node.name)) if isinstance(table_node, exp.Table) else None
        if table is None or not isinstance(params, exp.IndexParameters):
            return
        using = params.args.get("using")
        method = str(using.name if isinstance(using, exp.Expr) else using or "").lower()
        if method not in _BTREE:
            column = trigram_column(params) if method in ("gin", "gist") and index.name else None
            if table is not None and column is not None and key_of(column) in table.columns:
                table.trigram[index.name.lower()] = key_of(column)
            return
        keys = self._index_keys(table, params.args.get("columns") or [])
        include = _names(params.args.get("include") or [])
        if not keys or include is None:
            return
        label = self._spelled(index) if index.name else None
        if label and label.lower() in table.indexes and statement.args.get("exists"):
            return
        name = label or table.fresh_index_name("_".join([table.key, *(k for k, _ in keys), "idx"]))
        where_clause = params.args.get("where")
        predicate = where_clause.this if isinstance(where_clause, exp.Where) else None
        table.indexes[name.lower()] = IndexDraft(
            name=name,
            keys=keys,
            origin=where,
            include=include,
            where=self._expression(predicate, "where", where) if predicate is not None else None,
            unique=bool(statement.args.get("unique")),
            predicate_columns=sorted({key_of(c.name) for c in predicate.find_all(exp.Column)})
            if predicate
            else [],
        )

    # ALTER ----------------------------------------------------------------------------------------

    def _alter_table(self, statement: exp.Alter, where: Location) -> None:
        """ALTER TABLE: each action in turn (several may follow one another)."""
        target = statement.this
        table = self.tables.get(key_of(target.name)) if isinstance(target, exp.Table) else None
        if table is None:
            return
        for action in statement.args.get("actions") or []:
            table = self._alter_action(table, action, where)

    def _alter_action(self, table: TableDraft, action: exp.Expr, where: Location) -> TableDraft:
        """Apply one ALTER TABLE action; returns the table (a rename changes its key)."""
        if isinstance(action, exp.ColumnDef):
            if not (action.args.get("exists") and key_of(action.name) in table.columns):
                self._add_column(table, action, where)
        elif isinstance(action, exp.AddConstraint):
            for item in action.expressions:
                self._table_constraint(table, item, None, where)
        elif isinstance(action, exp.Drop):
            self._drop_from_table(table, action)
        elif isinstance(action, exp.DropPrimaryKey):
            table.primary_key = None
        elif isinstance(action, exp.AlterRename) and isinstance(action.this, exp.Table):
            return rename_table(self.tables, table, self._spelled(action.this, table=True))
        elif isinstance(action, exp.RenameColumn):
            to = action.args.get("to")
            old, new = (
                column_name(action.this),
                self._spelled(to) if isinstance(to, exp.Identifier | exp.Column) else None,
            )
            if old and new and key_of(old) in table.columns:
                self._rename_column(table, old, new)
        elif isinstance(action, exp.AlterColumn):
            self._alter_column(table, action, where)
        elif isinstance(action, exp.ModifyColumn):
            self._modify_column(table, action, where)
        return table

    def _rename_column(self, table: TableDraft, old: str, new: str) -> None:
        """Rename everywhere, partial-index predicates and checks included (the engines rewrite those too)."""
        table.rename_column(old, new)
        rename_column_references(self.tables, table.key, old, new)
        old_key = key_of(old)
        for check in table.checks:
            if old_key in check.columns:
                check.sql = with_column_renamed(check.sql, old_key, new, self.dialect)
                check.columns = sorted({key_of(new) if c == old_key else c for c in check.columns})
        for index in table.indexes.values():
            if index.where is not None and old_key in index.predicate_columns:
                index.where = with_column_renamed(index.where, old_key, new, self.dialect)
                index.predicate_columns = sorted(
                    {key_of(new) if c == old_key else c for c in index.predicate_columns}
                )

    def _drop_from_table(self, table: TableDraft, action: exp.Drop) -> None:
        """ALTER TABLE ... DROP COLUMN / INDEX / CONSTRAINT."""
        kind = str(action.args.get("kind") or "").upper()
        for item in action.args.get("tables") or []:
            name = item.name
            if kind == "COLUMN":
                table.drop_column(name)
            elif kind == "INDEX":
                table.indexes.pop(name.lower(), None)
            elif kind in ("CONSTRAINT", "FOREIGN KEY"):
                table.drop_constraint(name)

    def _alter_column(self, table: TableDraft, action: exp.AlterColumn, where: Location) -> None:
        """ALTER COLUMN ... TYPE / SET NOT NULL / DROP NOT NULL."""
        column = table.columns.get(key_of(action.name))
        if column is None:
            return
        dtype = action.args.get("dtype")
        if isinstance(dtype, exp.DataType):
            column.type = dtype.sql(dialect=self.dialect).lower()
        if action.args.get("allow_null") is not None:
            column.nullable = bool(action.args.get("allow_null"))
        default = action.args.get("default")
        if isinstance(default, exp.Expr):
            column.default = self._expression(default, "default", where)
        elif action.args.get("drop") and dtype is None:
            column.default = None

    def _modify_column(self, table: TableDraft, action: exp.ModifyColumn, where: Location) -> None:
        """MySQL's MODIFY / CHANGE COLUMN: a new definition, keeping the column's indexes."""
        definition = action.this
        if not isinstance(definition, exp.ColumnDef):
            return
        old = column_name(action.args.get("rename_from")) or definition.name
        column = table.columns.get(key_of(old))
        if column is None:
            return
        if old != definition.name:
            self._rename_column(table, old, self._spelled(definition))
        column.type = self._type_text(definition)
        column.nullable = not any(
            isinstance(c.args.get("kind"), exp.NotNullColumnConstraint)
            and not c.args["kind"].args.get("allow_null")
            for c in definition.constraints
        )
        kinds = [c.args.get("kind") for c in definition.constraints]
        default = next((k.this for k in kinds if isinstance(k, exp.DefaultColumnConstraint)), None)
        column.default = (
            self._expression(default, "default", where) if isinstance(default, exp.Expr) else None
        )
        column.identity = any(isinstance(k, exp.AutoIncrementColumnConstraint) for k in kinds)

    def _alter_index(self, statement: exp.Alter) -> None:
        """ALTER INDEX ... RENAME TO."""
        target = statement.this
        for action in statement.args.get("actions") or []:
            if isinstance(action, exp.AlterRename) and isinstance(target, exp.Table):
                rename_index(self.tables, target.name, self._spelled(action.this))

    # DROP and commands ----------------------------------------------------------------------------

    def _drop(self, statement: exp.Drop) -> None:
        """DROP TABLE (foreign keys to it go too) and DROP INDEX; unknown names are ignored."""
        kind = str(statement.args.get("kind") or "").upper()
        names = [item.name for item in statement.args.get("tables") or [] if isinstance(item, exp.Table)]
        if kind == "TABLE":
            drop_tables(self.tables, names)
        elif kind == "INDEX":
            drop_indexes(self.tables, names)

    def _command(self, statement: exp.Command) -> None:
        """MySQL's ``RENAME TABLE a TO b, c TO d``, which sqlglot keeps as an opaque command."""
        if str(statement.this).upper() != "RENAME" or self.dialect not in _MYSQL_FAMILY:
            return
        body = statement.expression
        for old, new in renamed_tables(body.name if isinstance(body, exp.Expr) else str(body or "")):
            table = self.tables.get(key_of(old))
            if table is not None:
                rename_table(self.tables, table, new)
