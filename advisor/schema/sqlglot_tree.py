"""sqlglot statement trees to operations, for the dialects PostgreSQL's parser does not read (MySQL,
MariaDB, SQLite): one builder method per kind of statement, and the readers of names, types and
defaults they share.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from sqlglot import exp

from advisor.schema.ops import (
    AddColumn,
    AddConstraint,
    AlterColumnType,
    CreateIndex,
    CreateView,
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
    Write,
)
from advisor.schema.sqlglot_defs import DefinitionReader
from advisor.schema.sqlglot_nodes import default_of, name_of, renamed_tables, type_ref

_OPTION = re.compile(r"\b(ALGORITHM|LOCK)\s*=?\s*(\w+)", re.IGNORECASE)


_SPECIAL_INDEX = re.compile(
    r"\s*(?P<kind>FULLTEXT|SPATIAL)\s+INDEX\s+(?P<name>\S+)\s+ON\s+(?P<table>\S+)\s*\((?P<columns>[^)]*)\)",
    re.IGNORECASE,
)
"""MySQL's CREATE FULLTEXT / SPATIAL INDEX, which sqlglot keeps as text."""


_CONVERT = re.compile(r"\bCONVERT\s+TO\s+(?:CHARACTER\s+SET|CHARSET)\b", re.IGNORECASE)


class Builder(DefinitionReader):
    """One method per kind of statement, yielding operations."""

    def build(self, node: exp.Expr) -> Iterator[Op]:
        loc = self.loc
        if isinstance(node, exp.Create):
            yield from self.create(node)
        elif isinstance(node, exp.Alter) and (node.args.get("kind") or "").upper() == "TABLE":
            yield from self.alter(node)
        elif isinstance(node, exp.Alter) and (node.args.get("kind") or "").upper() == "INDEX":
            yield from self.alter_index(node)
        elif isinstance(node, exp.Drop):
            yield from self.drop(node)
        elif isinstance(node, exp.TruncateTable):
            yield Truncate(loc=loc, tables=tuple(name_of(t) for t in node.expressions))
        elif isinstance(node, exp.Transaction):
            yield Transaction(loc=loc, kind=TxKind.BEGIN)
        elif isinstance(node, exp.Commit):
            yield Transaction(loc=loc, kind=TxKind.COMMIT)
        elif isinstance(node, exp.Rollback):
            savepoint = node.args.get("savepoint")
            yield Transaction(loc=loc, kind=TxKind.OTHER if savepoint else TxKind.ROLLBACK)
        elif isinstance(node, exp.Update | exp.Delete):
            kind = "update" if isinstance(node, exp.Update) else "delete"
            table = name_of(node.this)
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
            yield self.create_index(node)
        elif kind == "VIEW":
            # the view's name only: output names need the server's rules, which differ per engine
            yield CreateView(loc=self.loc, view=name_of(node.this))
        else:
            yield Other(loc=self.loc, kind=f"CREATE {kind}")

    def alter(self, node: exp.Alter) -> Iterator[Op]:
        table = name_of(node.this)
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
            exists = bool(action.args.get("exists"))
            yield AddColumn(loc=loc, table=table, column=self.column(action), if_not_exists=exists)
        elif isinstance(action, exp.ModifyColumn):
            column = action.this
            if isinstance(column, exp.ColumnDef):
                old = action.args.get("rename_from")
                if old is not None and old.name.lower() != column.name.lower():
                    yield Rename(loc=loc, kind=RenameKind.COLUMN, table=table, old=old.name, new=column.name)
                definition = self.column(column)
                yield AlterColumnType(
                    loc=loc,
                    table=table,
                    column=column.name,
                    type=definition.type,
                    type_sql=definition.type_sql,
                    definition=definition,
                )
        elif isinstance(action, exp.AlterColumn):
            yield from self.alter_column(table, action, loc)
        elif isinstance(action, exp.AddConstraint):
            for item in action.expressions:
                if isinstance(item, exp.IndexColumnConstraint):
                    yield replace(self.inline_index(table, item), loc=loc)
                    continue
                for con in self.constraints(item):
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
            yield Rename(loc=loc, kind=RenameKind.COLUMN, table=table, old=old.name, new=name_of(new))
        elif isinstance(action, exp.DropPrimaryKey):
            yield DropConstraint(loc=loc, table=table, name="PRIMARY", primary_key=True)
        elif isinstance(action, exp.AlterRename):
            yield Rename(
                loc=self.loc, kind=RenameKind.TABLE, table=table, old=table, new=name_of(action.this)
            )
        else:
            yield Other(loc=loc, kind=f"ALTER TABLE {type(action).__name__}")

    def alter_column(self, table: str, action: exp.AlterColumn, loc: Loc) -> Iterator[Op]:
        column, args = action.name, action.args
        if args.get("dtype") is not None:
            dtype = args["dtype"]
            spelled = dtype.sql(dialect=self.dialect).lower() if isinstance(dtype, exp.DataType) else None
            yield AlterColumnType(loc=loc, table=table, column=column, type=type_ref(dtype), type_sql=spelled)
        elif args.get("allow_null") is False:
            yield SetNotNull(loc=loc, table=table, column=column)
        elif args.get("allow_null") is True:  # DROP NOT NULL
            yield DropNotNull(loc=loc, table=table, column=column)
        elif args.get("drop"):  # DROP DEFAULT
            yield SetDefault(loc=loc, table=table, column=column, default=None)
        elif args.get("default") is not None:
            yield SetDefault(
                loc=loc, table=table, column=column, default=default_of(args["default"], self.dialect)
            )
        else:
            yield Other(loc=loc, kind="ALTER COLUMN")

    def alter_index(self, node: exp.Alter) -> Iterator[Op]:
        """ALTER INDEX ... RENAME TO; anything else changes nothing the rules look at."""
        name = name_of(node.this)
        for action in node.args.get("actions") or ():
            if isinstance(action, exp.AlterRename):
                new = name_of(action.this)
                yield Rename(loc=self.loc, kind=RenameKind.INDEX, table=name, old=name, new=new)
            else:
                yield Other(loc=self.loc, kind=f"ALTER INDEX {type(action).__name__}")

    def drop(self, node: exp.Drop) -> Iterator[Op]:
        kind = (node.args.get("kind") or "").upper()
        names = tuple(name_of(t) for t in node.args.get("tables") or ())
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
