"""sqlglot statement trees to operations, for the dialects PostgreSQL's parser does not read (MySQL,
MariaDB, SQLite): one builder method per kind of statement, and the readers of names, types and
defaults they share.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from sqlglot import exp

from advisor.schema.ops import (
    AddColumn,
    AddConstraint,
    AlterColumnType,
    ColumnDef,
    Constraint,
    ConstraintKind,
    CreateIndex,
    CreateTable,
    CreateView,
    Default,
    Drop,
    DropColumn,
    DropConstraint,
    DropIndex,
    DropNotNull,
    Loc,
    Op,
    Other,
    Rename,
    RenameKind,
    RewriteTable,
    SetDefault,
    SetNotNull,
    SetSetting,
    TableOptions,
    Transaction,
    Truncate,
    TxKind,
    TypeRef,
    Write,
)
from advisor.schema.source import Positions
from advisor.schema.sqlglot_nodes import column_name, properties_of, renamed_tables

_TYPES = {
    "INT": "integer",
    "UINT": "integer unsigned",
    "UBIGINT": "bigint unsigned",
    "USMALLINT": "smallint unsigned",
    "UMEDIUMINT": "mediumint unsigned",
    "UTINYINT": "tinyint unsigned",
    "DECIMAL": "numeric",
    "BIGDECIMAL": "numeric",
    "TIMESTAMPTZ": "timestamptz",
    "DOUBLE": "double",
    "NCHAR": "char",
    "NVARCHAR": "varchar",
}


_VOLATILE = ("RAND", "UUID", "RANDOM", "RANDOMBLOB", "UUID_SHORT")


_OPTION = re.compile(r"\b(ALGORITHM|LOCK)\s*=?\s*(\w+)", re.IGNORECASE)


_SPECIAL_INDEX = re.compile(
    r"\s*(?P<kind>FULLTEXT|SPATIAL)\s+INDEX\s+(?P<name>\S+)\s+ON\s+(?P<table>\S+)\s*\((?P<columns>[^)]*)\)",
    re.IGNORECASE,
)
"""MySQL's CREATE FULLTEXT / SPATIAL INDEX, which sqlglot keeps as text."""


_CONVERT = re.compile(r"\bCONVERT\s+TO\s+(?:CHARACTER\s+SET|CHARSET)\b", re.IGNORECASE)


def _name(node: object) -> str:
    if not isinstance(node, exp.Expr):
        return ""
    if isinstance(node, exp.Table):
        return ".".join(part.name for part in node.parts)
    if isinstance(node, exp.Schema):
        return _name(node.this)
    return node.name


def type_ref(node: exp.Expr | None) -> TypeRef | None:
    if not isinstance(node, exp.DataType):
        return None
    raw = node.this.name if hasattr(node.this, "name") else str(node.this)
    name = _TYPES.get(raw, raw.lower())
    args: list[int] = []
    values: list[str] = []
    for param in node.expressions:
        value = param.this if isinstance(param, exp.DataTypeParam) else param
        if isinstance(value, exp.Literal) and value.is_string:
            values.append(str(value.this))
        elif isinstance(value, exp.Literal) and value.is_int:
            args.append(int(value.this))
    return TypeRef(name, tuple(args), values=tuple(values))


def _default(node: exp.Expr | None) -> Default | None:
    if node is None:
        return None
    volatile = next(
        (f.sql_name() for f in node.find_all(exp.Func) if f.sql_name().upper() in _VOLATILE), None
    )
    if isinstance(node, exp.Rand | exp.Uuid):
        volatile = node.sql_name()
    constant = isinstance(node, exp.Literal | exp.Null | exp.Boolean) or (
        isinstance(node, exp.Neg) and isinstance(node.this, exp.Literal)
    )
    now = isinstance(node, exp.CurrentTimestamp | exp.CurrentDate | exp.CurrentTime) or (
        isinstance(node, exp.Anonymous | exp.Func) and node.sql_name().upper() in ("NOW", "LOCALTIMESTAMP")
    )
    return Default(
        volatile=volatile.lower() if volatile else None, constant=constant, expression=not (constant or now)
    )


def _identifiers(nodes: list[exp.Expr]) -> tuple[str, ...]:
    """The column names of ``nodes``; an expression is named by its text (never a column)."""
    return tuple(column_name(node) or node.name for node in nodes)


def _reference(node: exp.Reference) -> tuple[str, tuple[str, ...]]:
    target = node.this
    if isinstance(target, exp.Schema):
        return _name(target.this), _identifiers(target.expressions)
    return _name(target), ()


class Builder:
    def __init__(self, loc: Loc, positions: Positions) -> None:
        self.loc = loc
        self.positions = positions

    def at(self, node: exp.Expr) -> Loc:
        """The position of the first identifier of ``node``, or the statement's."""
        ident = node if isinstance(node, exp.Identifier) else node.find(exp.Identifier)
        start = ident.meta.get("start") if ident is not None else None
        if not isinstance(start, int):
            return self.loc
        line, column = self.positions.from_char(start)
        return Loc(self.loc.file, line, column, self.loc.statement)

    def build(self, node: exp.Expr) -> Iterator[Op]:
        loc = self.loc
        if isinstance(node, exp.Create):
            yield from self.create(node)
        elif isinstance(node, exp.Alter) and (node.args.get("kind") or "").upper() == "TABLE":
            yield from self.alter(node)
        elif isinstance(node, exp.Drop):
            yield from self.drop(node)
        elif isinstance(node, exp.TruncateTable):
            yield Truncate(loc=loc, tables=tuple(_name(t) for t in node.expressions))
        elif isinstance(node, exp.Transaction):
            yield Transaction(loc=loc, kind=TxKind.BEGIN)
        elif isinstance(node, exp.Commit):
            yield Transaction(loc=loc, kind=TxKind.COMMIT)
        elif isinstance(node, exp.Rollback):
            savepoint = node.args.get("savepoint")
            yield Transaction(loc=loc, kind=TxKind.OTHER if savepoint else TxKind.ROLLBACK)
        elif isinstance(node, exp.Update | exp.Delete):
            kind = "update" if isinstance(node, exp.Update) else "delete"
            table = _name(node.this)
            yield Write(loc=loc, kind=kind, table=table, where=node.args.get("where") is not None)
        elif isinstance(node, exp.Command):
            yield from self.command(node)
        elif isinstance(node, exp.Set):
            yield from self.set(node)
        else:
            yield Other(loc=loc, kind=type(node).__name__)

    def set(self, node: exp.Set) -> Iterator[Op]:
        """``SET [SESSION] name = value, ...``: one setting each (``foreign_key_checks`` matters)."""
        found = False
        for item in node.expressions:
            assignment = item.this if isinstance(item, exp.SetItem) else None
            if isinstance(assignment, exp.EQ) and isinstance(assignment.this, exp.Column | exp.Identifier):
                value = assignment.expression
                text = (
                    value.name
                    if isinstance(value, exp.Literal | exp.Identifier | exp.Column)
                    else value.sql()
                )
                yield SetSetting(loc=self.loc, name=assignment.this.name.lower(), value=text)
                found = True
        if not found:
            yield Other(loc=self.loc, kind="Set")

    def create(self, node: exp.Create) -> Iterator[Op]:
        kind = (node.args.get("kind") or "").upper()
        if kind == "TABLE":
            yield from self.create_table(node)
        elif kind == "INDEX":
            index = node.this
            params = index.args.get("params")
            columns = params.args.get("columns", []) if params else []
            keys: list[str | None] = []
            for column in columns:
                inner = column.this if isinstance(column, exp.Ordered) else column
                keys.append(inner.name if isinstance(inner, exp.Column | exp.Identifier) else None)
            yield CreateIndex(
                loc=self.loc,
                table=_name(index.args.get("table")),
                name=index.name or None,
                columns=tuple(keys),
                unique=bool(node.args.get("unique")),
                partial=bool(params and params.args.get("where")),
            )
        elif kind == "VIEW":
            # the view's name only: output names need the server's rules, which differ per engine
            yield CreateView(loc=self.loc, view=_name(node.this))
        else:
            yield Other(loc=self.loc, kind=f"CREATE {kind}")

    def column(self, node: exp.ColumnDef) -> ColumnDef:
        not_null = primary = unique = identity = stored = False
        default = references = None
        for item in node.constraints:
            kind = item.kind
            if isinstance(kind, exp.NotNullColumnConstraint) and not kind.args.get("allow_null"):
                not_null = True
            elif isinstance(kind, exp.DefaultColumnConstraint):
                default = _default(kind.this)
            elif isinstance(kind, exp.PrimaryKeyColumnConstraint):
                primary = not_null = True
            elif isinstance(kind, exp.UniqueColumnConstraint):
                unique = True
            elif isinstance(
                kind, (exp.AutoIncrementColumnConstraint, exp.GeneratedAsIdentityColumnConstraint)
            ):
                identity = True
            elif isinstance(kind, exp.ComputedColumnConstraint):
                stored = bool(kind.args.get("persisted"))
            elif isinstance(kind, exp.Reference):
                table, cols = _reference(kind)
                references = Constraint(ConstraintKind.FOREIGN_KEY, ref_table=table, ref_columns=cols)
        return ColumnDef(
            name=node.name,
            type=type_ref(node.args.get("kind")),
            loc=self.at(node),
            not_null=not_null,
            default=default,
            primary_key=primary,
            unique=unique,
            references=references,
            identity=identity,
            generated_stored=stored,
        )

    def constraint(self, node: exp.Expr) -> Constraint | None:
        name = None
        if isinstance(node, exp.Constraint):
            name = node.name or None
            inner = node.expressions[0] if node.expressions else None
            if inner is None:
                return None
            node = inner
        if isinstance(node, exp.PrimaryKey):
            return Constraint(ConstraintKind.PRIMARY_KEY, name, _identifiers(node.expressions))
        if isinstance(node, exp.ForeignKey):
            ref = node.args.get("reference")
            table, cols = _reference(ref) if isinstance(ref, exp.Reference) else ("", ())
            return Constraint(ConstraintKind.FOREIGN_KEY, name, _identifiers(node.expressions), table, cols)
        if isinstance(node, exp.UniqueColumnConstraint):
            schema = node.this
            cols = _identifiers(schema.expressions) if isinstance(schema, exp.Schema) else ()
            return Constraint(ConstraintKind.UNIQUE, name, cols)
        if isinstance(node, exp.CheckColumnConstraint):
            return Constraint(ConstraintKind.CHECK, name)
        return None

    def create_table(self, node: exp.Create) -> Iterator[Op]:
        schema = node.this
        columns: list[ColumnDef] = []
        constraints: list[Constraint] = []
        indexes: list[exp.IndexColumnConstraint] = []
        for element in schema.expressions if isinstance(schema, exp.Schema) else ():
            if isinstance(element, exp.ColumnDef):
                columns.append(self.column(element))
            elif isinstance(element, exp.IndexColumnConstraint):
                indexes.append(element)
            else:
                con = self.constraint(element)
                if con is not None:
                    constraints.append(con)
        name = _name(schema)
        yield CreateTable(
            loc=self.loc,
            table=name,
            columns=tuple(columns),
            constraints=tuple(constraints),
            if_not_exists=bool(node.args.get("exists")),
            temporary=any(isinstance(p, exp.TemporaryProperty) for p in properties_of(node)),
        )
        for index in indexes:  # MySQL's inline KEY k (a, b): a plain index of the new table
            cols = _identifiers(index.expressions)
            yield CreateIndex(loc=self.at(index), table=name, name=index.name or None, columns=cols)

    def alter(self, node: exp.Alter) -> Iterator[Op]:
        table = _name(node.this)
        for action in node.args.get("actions") or ():
            yield from self.action(table, action)
        algorithm = lock = None
        for option in node.args.get("options") or ():
            if isinstance(option, exp.AlgorithmProperty):
                algorithm = option.name.upper()
            elif isinstance(option, exp.LockProperty):
                lock = option.name.upper()
        if algorithm or lock:
            yield TableOptions(loc=self.loc, table=table, algorithm=algorithm, lock=lock)

    def action(self, table: str, action: exp.Expr) -> Iterator[Op]:
        loc = self.at(action)
        if isinstance(action, exp.ColumnDef):
            yield AddColumn(loc=loc, table=table, column=self.column(action))
        elif isinstance(action, exp.ModifyColumn):
            column = action.this
            if isinstance(column, exp.ColumnDef):
                old = action.args.get("rename_from")
                if old is not None and old.name.lower() != column.name.lower():
                    yield Rename(loc=loc, kind=RenameKind.COLUMN, table=table, old=old.name, new=column.name)
                yield AlterColumnType(
                    loc=loc, table=table, column=column.name, type=type_ref(column.args.get("kind"))
                )
        elif isinstance(action, exp.AlterColumn):
            yield from self.alter_column(table, action, loc)
        elif isinstance(action, exp.AddConstraint):
            for item in action.expressions:
                if isinstance(item, exp.IndexColumnConstraint):
                    cols = tuple(c.name for c in item.expressions)
                    method = str(item.args.get("kind") or "btree").lower()
                    yield CreateIndex(
                        loc=loc, table=table, name=item.name or None, columns=cols, method=method
                    )
                    continue
                con = self.constraint(item)
                if con is not None:
                    yield AddConstraint(loc=loc, table=table, constraint=con)
        elif isinstance(action, exp.Drop):
            kind = (action.args.get("kind") or "").upper()
            for target in action.args.get("tables") or ():
                if kind == "COLUMN":
                    yield DropColumn(loc=loc, table=table, column=target.name)
                elif kind == "INDEX":
                    yield DropIndex(loc=loc, names=(target.name,))
                else:
                    fk = kind == "FOREIGN KEY"
                    yield DropConstraint(loc=loc, table=table, name=target.name, foreign_key=fk)
        elif isinstance(action, exp.RenameColumn):
            old, new = action.this, action.args.get("to")
            yield Rename(loc=loc, kind=RenameKind.COLUMN, table=table, old=old.name, new=_name(new))
        elif isinstance(action, exp.DropPrimaryKey):
            yield DropConstraint(loc=loc, table=table, name="PRIMARY")
        elif isinstance(action, exp.AlterRename):
            yield Rename(loc=self.loc, kind=RenameKind.TABLE, table=table, old=table, new=_name(action.this))
        else:
            yield Other(loc=loc, kind=f"ALTER TABLE {type(action).__name__}")

    def alter_column(self, table: str, action: exp.AlterColumn, loc: Loc) -> Iterator[Op]:
        column, args = action.name, action.args
        if args.get("dtype") is not None:
            yield AlterColumnType(loc=loc, table=table, column=column, type=type_ref(args["dtype"]))
        elif args.get("allow_null") is False:
            yield SetNotNull(loc=loc, table=table, column=column)
        elif args.get("allow_null") is True:  # DROP NOT NULL
            yield DropNotNull(loc=loc, table=table, column=column)
        elif args.get("drop"):  # DROP DEFAULT
            yield SetDefault(loc=loc, table=table, column=column, default=None)
        elif args.get("default") is not None:
            yield SetDefault(loc=loc, table=table, column=column, default=_default(args["default"]))
        else:
            yield Other(loc=loc, kind="ALTER COLUMN")

    def drop(self, node: exp.Drop) -> Iterator[Op]:
        kind = (node.args.get("kind") or "").upper()
        names = tuple(_name(t) for t in node.args.get("tables") or ())
        if kind == "INDEX":
            yield DropIndex(loc=self.loc, names=names, concurrently=bool(node.args.get("concurrently")))
        else:
            yield Drop(loc=self.loc, kind=kind.lower(), names=names, cascade=bool(node.args.get("cascade")))

    def command(self, node: exp.Command) -> Iterator[Op]:
        """Statements sqlglot keeps as text: the few clauses rules need are read from it."""
        head = str(node.this).upper()
        body = node.expression.name if isinstance(node.expression, exp.Expr) else str(node.expression or "")
        if head == "RENAME":
            pairs = renamed_tables(body)
            for old, new in pairs:
                yield Rename(loc=self.loc, kind=RenameKind.TABLE, table=old, old=old, new=new)
            if pairs:
                return
        special = _SPECIAL_INDEX.match(body) if head == "CREATE" else None
        if special:
            name, table, columns = special.group("name", "table", "columns")
            keys = tuple(part.strip().strip("`") for part in columns.split(","))
            method = special.group("kind").lower()
            yield CreateIndex(
                loc=self.loc, table=table.strip("`"), name=name.strip("`"), columns=keys, method=method
            )
            return
        if head == "ALTER" and _CONVERT.search(body) and len(body.split()) > 1:
            yield RewriteTable(
                loc=self.loc, table=body.split()[1].strip('`"'), what="CONVERT TO CHARACTER SET"
            )
            return
        if head in ("ALTER", "CREATE"):
            options = {key.upper(): value.upper() for key, value in _OPTION.findall(body)}
            if options:
                table = body.split()[1] if head == "ALTER" and len(body.split()) > 1 else ""
                yield TableOptions(
                    loc=self.loc,
                    table=table.strip('`"'),
                    algorithm=options.get("ALGORITHM"),
                    lock=options.get("LOCK"),
                )
                return
        yield Other(loc=self.loc, kind=f"{head} command")
