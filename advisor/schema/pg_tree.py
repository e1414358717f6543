"""libpg_query parse trees (as JSON) to operations: one builder method per statement node (the
nodes themselves are read in ``pg_nodes``).

Node shapes are PostgreSQL's own (``src/include/nodes/parsenodes.h``); every lookup is defensive, so a
node this builder does not know yields an :class:`~advisor.schema.ops.Other` operation.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from advisor.schema.ops import (
    AddColumn,
    AddConstraint,
    AlterColumnType,
    AlterDomain,
    AlterEnum,
    Cluster,
    ColumnDef,
    ColumnParts,
    Constraint,
    ConstraintKind,
    Created,
    CreateFunction,
    CreateIndex,
    CreateTable,
    Default,
    DetachPartition,
    Drop,
    DropColumn,
    DropConstraint,
    DropIndex,
    DropNotNull,
    Expression,
    Loc,
    Op,
    Other,
    RefreshView,
    Reindex,
    Rename,
    RenameKind,
    RewriteTable,
    SetDefault,
    SetNotNull,
    SetSetting,
    Transaction,
    Truncate,
    TxKind,
    Vacuum,
    ValidateConstraint,
    Write,
)
from advisor.schema.pg_nodes import (
    Node,
    column_refs,
    constraint_of,
    default_of,
    inlined_calls,
    is_column,
    items_of,
    lowest_location,
    name_in,
    not_null_columns,
    option_is_on,
    qualified,
    relname,
    strings_of,
    type_ref,
    view_of,
    volatility_of,
)
from advisor.schema.pg_text import (
    PLAIN,
    check_sql,
    default_sql,
    last_token,
    plain_command_starts,
    scanned_command_starts,
    where_sql,
)
from advisor.schema.source import Positions, Source

_DROP_KINDS = {
    "OBJECT_TABLE": "table",
    "OBJECT_SCHEMA": "schema",
    "OBJECT_VIEW": "view",
    "OBJECT_MATVIEW": "materialized view",
    "OBJECT_TYPE": "type",
    "OBJECT_SEQUENCE": "sequence",
    "OBJECT_FUNCTION": "function",
    "OBJECT_TRIGGER": "trigger",
    "OBJECT_EXTENSION": "extension",
}
_REWRITES = {
    "AT_SetLogged": "SET LOGGED",
    "AT_SetUnLogged": "SET UNLOGGED",
    "AT_SetTableSpace": "SET TABLESPACE",
}
"""ALTER TABLE sub-commands that copy the whole table."""
_DOMAIN_ACTIONS = {"C": "add constraint", "O": "set not null", "V": "validate"}
"""AlterDomainStmt's one-letter subtypes that check the stored values."""
_TX_KINDS = {
    "TRANS_STMT_BEGIN": TxKind.BEGIN,
    "TRANS_STMT_START": TxKind.BEGIN,
    "TRANS_STMT_COMMIT": TxKind.COMMIT,
    "TRANS_STMT_ROLLBACK": TxKind.ROLLBACK,
    "TRANS_STMT_COMMIT_PREPARED": TxKind.OTHER,
    "TRANS_STMT_PREPARE": TxKind.COMMIT,
}


class Builder:
    """One method per libpg_query statement node, named after it, yielding operations."""

    def __init__(
        self, loc: Loc, base: int, positions: Positions, source: Source, start: int, length: int
    ) -> None:
        self.loc = loc
        self.base = base
        self.positions = positions
        self.source = source
        self.start = start
        self.length = length

    def at(self, offset: int | None) -> Loc:
        """The location of a node offset (relative to the parsed text), or the statement's."""
        if offset is None or offset < 0:
            return self.loc
        line, column = self.positions.from_byte(self.base + offset)
        return Loc(self.loc.file, line, column, self.loc.statement)

    def text_from(self, offset: int | None) -> str:
        """The statement's text from a node offset (relative to the parsed text) to its end."""
        start = self.start if offset is None or offset < 0 else self.base + offset
        return self.positions.data[start : self.start + self.length].decode("utf-8", "replace")

    def constraint(self, node: Node) -> Constraint | None:
        """A constraint node, a CHECK with its condition's text."""
        con = constraint_of(node)
        if con is None or con.kind is not ConstraintKind.CHECK:
            return con
        sql = check_sql(self.text_from(node.get("location")))
        check = Expression(sql, column_refs(node.get("raw_expr"))) if sql else None
        return replace(con, check=check)

    def default(self, expr: Node | None, keyword: int | None = None) -> Default | None:
        """A default expression, with its text cut from its DEFAULT keyword: at ``keyword`` (a
        column constraint's location), or the last DEFAULT token before the expression starts
        (``ALTER COLUMN ... SET DEFAULT``, whose command has no location)."""
        default = default_of(expr)
        start = lowest_location(expr)
        if default is None or (keyword is None and start is None):
            return default
        if keyword is None and start is not None:
            head = self.positions.data[self.start : self.base + start].decode("utf-8", "replace")
            at = last_token(head, "DEFAULT")
            keyword = None if at is None else start - len(head[at:].encode("utf-8"))
        sql = default_sql(self.text_from(keyword)) if keyword is not None else None
        return replace(default, text=Expression(sql)) if sql else default

    def column(self, node: Node, loc: Loc | None = None) -> ColumnDef:
        parts = ColumnParts()
        for item in node.get("constraints") or ():
            con = item.get("Constraint", {})
            contype = con.get("contype")
            if contype == "CONSTR_NOTNULL":
                parts.not_null = True
            elif contype == "CONSTR_DEFAULT":
                parts.default = self.default(con.get("raw_expr"), con.get("location"))
            elif contype == "CONSTR_PRIMARY":
                parts.primary_key = parts.not_null = True
                parts.primary_key_name = con.get("conname")
            elif contype == "CONSTR_UNIQUE":
                parts.unique, parts.unique_name = True, con.get("conname")
            elif contype == "CONSTR_IDENTITY":
                parts.identity = True
            elif contype == "CONSTR_GENERATED":
                parts.generated_stored = con.get("generated_kind") == "s"
            elif contype == "CONSTR_FOREIGN":
                parts.references = constraint_of(con)
            elif contype == "CONSTR_CHECK":
                check = self.constraint(con)
                parts.checks += [check] if check is not None else []
        where = loc or self.at(node.get("location"))
        return parts.definition(name_in(node, "colname"), type_ref(node.get("typeName")), where)

    def create_stmt(self, body: Node) -> Iterator[Op]:
        columns: list[ColumnDef] = []
        constraints: list[Constraint] = []
        for element in body.get("tableElts") or ():
            if "ColumnDef" in element:
                columns.append(self.column(element["ColumnDef"]))
            elif "Constraint" in element:
                con = self.constraint(element["Constraint"])
                if con is not None:
                    constraints.append(replace(con, loc=self.at(element["Constraint"].get("location"))))
        parents = body.get("inhRelations") or ()
        partition_of = relname(parents[0].get("RangeVar")) if parents and body.get("partbound") else None
        elements = body.get("tableElts") or ()
        like = tuple(
            relname(e["TableLikeClause"].get("relation")) for e in elements if "TableLikeClause" in e
        )
        copied = bool(like) or (bool(parents) and partition_of is None)
        relation = body.get("relation", {})
        yield CreateTable(
            loc=self.loc,
            table=relname(relation),
            columns=tuple(columns),
            constraints=tuple(constraints),
            if_not_exists=bool(body.get("if_not_exists")),
            temporary=relation.get("relpersistence") == "t",
            partition_of=partition_of,
            copied=copied,
            partitioned=body.get("partspec") is not None,
            like=like,
        )

    def create_table_as_stmt(self, body: Node) -> Iterator[Op]:
        into = body.get("into", {})
        name = relname(into.get("rel"))
        yield CreateTable(loc=self.loc, table=name, copied=True, from_query=True)
        if body.get("objtype") == "OBJECT_MATVIEW":
            yield view_of(self.loc, name, body.get("query"), strings_of(into.get("colNames")), True)

    def create_function_stmt(self, body: Node) -> Iterator[Op]:
        if body.get("is_procedure"):
            yield Other(loc=self.loc, kind="CreateProcedure")
            return
        name = strings_of(body.get("funcname"))[-1]
        volatility = volatility_of(body.get("options")) or "volatile"
        inlined = inlined_calls(body)
        yield CreateFunction(loc=self.loc, name=name, volatility=volatility, inlined_calls=inlined)

    def alter_function_stmt(self, body: Node) -> Iterator[Op]:
        volatility = volatility_of(body.get("actions"))
        names = strings_of(body.get("func", {}).get("objname"))
        if volatility and names:
            yield CreateFunction(loc=self.loc, name=names[-1], volatility=volatility, altered=True)
        else:
            yield Other(loc=self.loc, kind="AlterFunctionStmt")

    def create_schema_stmt(self, body: Node) -> Iterator[Op]:
        yield Created(loc=self.loc, kind="schema", name=str(body.get("schemaname", "")))

    def create_domain_stmt(self, body: Node) -> Iterator[Op]:
        yield Created(loc=self.loc, kind="domain", name=qualified(strings_of(body.get("domainname"))))

    def alter_domain_stmt(self, body: Node) -> Iterator[Op]:
        domain = qualified(strings_of(body.get("typeName")))
        subtype = body.get("subtype")
        constraint = (body.get("def") or {}).get("Constraint", {})
        action = _DOMAIN_ACTIONS.get(str(subtype), "other")
        not_valid = bool(constraint.get("skip_validation"))
        yield AlterDomain(loc=self.loc, domain=domain, action=action, not_valid=not_valid)

    def view_stmt(self, body: Node) -> Iterator[Op]:
        name = relname(body.get("view"))
        yield view_of(self.loc, name, body.get("query"), strings_of(body.get("aliases")), False)

    def index_stmt(self, body: Node) -> Iterator[Op]:
        elems = [param.get("IndexElem", {}) for param in body.get("indexParams") or ()]
        columns: list[str | None] = [elem.get("name") for elem in elems]
        include = tuple(p.get("IndexElem", {}).get("name") for p in body.get("indexIncludingParams") or ())
        predicate = body.get("whereClause")
        sql = where_sql(self.text_from(None)) if predicate is not None else None
        yield CreateIndex(
            loc=self.loc,
            table=relname(body.get("relation")),
            name=body.get("idxname"),
            columns=tuple(columns),
            unique=bool(body.get("unique")),
            concurrently=bool(body.get("concurrent")),
            partial=body.get("whereClause") is not None,
            method=str(body.get("accessMethod", "btree")),
            where_not_null=not_null_columns(predicate),
            descending=tuple(elem.get("ordering") == "SORTBY_DESC" for elem in elems),
            include=include,
            where=Expression(sql, column_refs(predicate)) if sql else None,
            opclasses=tuple((strings_of(elem.get("opclass")) or ("",))[-1] for elem in elems),
            if_not_exists=bool(body.get("if_not_exists")),
        )

    def alter_table_stmt(self, body: Node) -> Iterator[Op]:
        table = relname(body.get("relation"))
        cmds = [item.get("AlterTableCmd", {}) for item in body.get("cmds") or ()]
        starts = self.command_starts(len(cmds))
        for cmd, loc in zip(cmds, starts, strict=True):
            yield from self.alter(table, cmd, loc, body.get("objtype", "OBJECT_TABLE"))

    def alter(self, table: str, cmd: Node, loc: Loc, objtype: str) -> Iterator[Op]:
        subtype = cmd.get("subtype", "")
        name = name_in(cmd, "name")
        definition = cmd.get("def") or {}
        if subtype == "AT_AddColumn" and "ColumnDef" in definition:
            column = self.column(definition["ColumnDef"], loc)
            yield AddColumn(loc=loc, table=table, column=column, if_not_exists=bool(cmd.get("missing_ok")))
        elif subtype == "AT_AddConstraint" and "Constraint" in definition:
            con = self.constraint(definition["Constraint"])
            if con is not None:
                yield AddConstraint(loc=loc, table=table, constraint=con)
        elif subtype == "AT_ValidateConstraint":
            yield ValidateConstraint(loc=loc, table=table, name=name)
        elif subtype == "AT_DropConstraint":
            yield DropConstraint(loc=loc, table=table, name=name)
        elif subtype == "AT_AlterColumnType":
            column = definition.get("ColumnDef", {})
            new_type = type_ref(column.get("typeName"))
            using = column.get("raw_default")
            yield AlterColumnType(
                loc=loc,
                table=table,
                column=name,
                type=new_type,
                using=using is not None and not is_column(using, name, new_type),
            )
        elif subtype == "AT_SetNotNull":
            yield SetNotNull(loc=loc, table=table, column=name)
        elif subtype == "AT_DropNotNull":
            yield DropNotNull(loc=loc, table=table, column=name)
        elif subtype == "AT_ColumnDefault":
            yield SetDefault(loc=loc, table=table, column=name, default=self.default(cmd.get("def")))
        elif subtype == "AT_DropColumn":
            yield DropColumn(loc=loc, table=table, column=name)
        elif subtype == "AT_DetachPartition":
            part = definition.get("PartitionCmd", {})
            yield DetachPartition(
                loc=loc,
                table=table,
                partition=relname(part.get("name")),
                concurrently=bool(part.get("concurrent")),
            )
        elif subtype in _REWRITES and objtype == "OBJECT_TABLE":
            what = _REWRITES[subtype] + (f" {name}" if name else "")
            yield RewriteTable(loc=loc, table=table, what=what)
        else:
            yield Other(loc=loc, kind=f"{objtype}:{subtype}")

    def command_starts(self, count: int) -> list[Loc]:
        """Where each sub-command of an ALTER TABLE starts: after the table name, then after each
        comma outside parentheses. Plain text is cut with a regular expression; text with quotes
        or comments goes through the server's scanner."""
        if count == 0:
            return []
        data = self.positions.data[self.start : self.start + self.length]
        text = data.decode("utf-8", errors="replace")
        starts = plain_command_starts(text) if PLAIN.fullmatch(text) else scanned_command_starts(text)
        if starts is None or len(starts) != count:
            return [self.loc] * count
        offset = self.start - self.base
        ascii = text.isascii()
        return [self.at(offset + (s if ascii else len(text[:s].encode("utf-8")))) for s in starts]

    def drop_stmt(self, body: Node) -> Iterator[Op]:
        kind = body.get("removeType", "")
        names = tuple(qualified(strings_of(items_of(obj))) for obj in body.get("objects") or ())
        if kind == "OBJECT_INDEX":
            yield DropIndex(loc=self.loc, names=names, concurrently=bool(body.get("concurrent")))
        else:
            yield Drop(
                loc=self.loc,
                kind=_DROP_KINDS.get(kind, kind.removeprefix("OBJECT_").lower()),
                names=names,
                cascade=body.get("behavior") == "DROP_CASCADE",
            )

    def dropdb_stmt(self, body: Node) -> Iterator[Op]:
        yield Drop(loc=self.loc, kind="database", names=(str(body.get("dbname", "")),))

    def rename_stmt(self, body: Node) -> Iterator[Op]:
        kind = body.get("renameType", "")
        table = relname(body.get("relation")) or None
        new = name_in(body, "newname")
        if kind == "OBJECT_COLUMN":
            yield Rename(
                loc=self.loc, kind=RenameKind.COLUMN, table=table, old=name_in(body, "subname"), new=new
            )
        elif kind in ("OBJECT_TABLE", "OBJECT_INDEX") and table:
            rename = RenameKind.TABLE if kind == "OBJECT_TABLE" else RenameKind.INDEX
            yield Rename(loc=self.loc, kind=rename, table=table, old=table, new=new)
        elif kind == "OBJECT_SCHEMA":
            old = name_in(body, "subname")
            yield Rename(loc=self.loc, kind=RenameKind.SCHEMA, table=None, old=old, new=new)
        elif kind == "OBJECT_TABCONSTRAINT":
            old = name_in(body, "subname")
            yield Rename(loc=self.loc, kind=RenameKind.CONSTRAINT, table=table, old=old, new=new)
        else:
            yield Rename(loc=self.loc, kind=RenameKind.OTHER, table=table, old=table or "", new=new)

    def truncate_stmt(self, body: Node) -> Iterator[Op]:
        tables = tuple(relname(rel.get("RangeVar")) for rel in body.get("relations") or ())
        yield Truncate(loc=self.loc, tables=tables)

    def transaction_stmt(self, body: Node) -> Iterator[Op]:
        yield Transaction(loc=self.loc, kind=_TX_KINDS.get(body.get("kind", ""), TxKind.OTHER))

    def variable_set_stmt(self, body: Node) -> Iterator[Op]:
        values = []
        for arg in body.get("args") or ():
            const = arg.get("A_Const", {})
            for key in ("sval", "ival", "fval"):
                if key in const:
                    values.append(str(const[key].get(key, 0)))
        yield SetSetting(
            loc=self.loc,
            name=str(body.get("name", "")).lower(),
            value=",".join(values) or str(body.get("kind", "")),
            local=bool(body.get("is_local")),
        )

    def vacuum_stmt(self, body: Node) -> Iterator[Op]:
        if not body.get("is_vacuumcmd"):
            yield Other(loc=self.loc, kind="AnalyzeStmt")
            return
        options = {
            str(elem.get("defname")): option_is_on(elem)
            for elem in (opt.get("DefElem", {}) for opt in body.get("options") or ())
        }
        tables = tuple(
            relname(rel.get("VacuumRelation", {}).get("relation")) for rel in body.get("rels") or ()
        )
        yield Vacuum(loc=self.loc, full=options.get("full", False), tables=tables)

    def reindex_stmt(self, body: Node) -> Iterator[Op]:
        params = {opt.get("DefElem", {}).get("defname") for opt in body.get("params") or ()}
        target = str(body.get("kind", "")).removeprefix("REINDEX_OBJECT_").lower()
        name = relname(body.get("relation")) or body.get("name")
        yield Reindex(loc=self.loc, target=target, name=name, concurrently="concurrently" in params)

    def refresh_mat_view_stmt(self, body: Node) -> Iterator[Op]:
        view = relname(body.get("relation"))
        yield RefreshView(loc=self.loc, view=view, concurrently=bool(body.get("concurrent")))

    def cluster_stmt(self, body: Node) -> Iterator[Op]:
        yield Cluster(loc=self.loc, table=relname(body.get("relation")) or None)

    def update_stmt(self, body: Node) -> Iterator[Op]:
        table = relname(body.get("relation"))
        yield Write(loc=self.loc, kind="update", table=table, where=body.get("whereClause") is not None)

    def delete_stmt(self, body: Node) -> Iterator[Op]:
        table = relname(body.get("relation"))
        yield Write(loc=self.loc, kind="delete", table=table, where=body.get("whereClause") is not None)

    def alter_enum_stmt(self, body: Node) -> Iterator[Op]:
        type_name = qualified(strings_of(body.get("typeName")))
        if body.get("oldVal"):
            yield AlterEnum(loc=self.loc, type_name=type_name, action="rename", value=str(body["oldVal"]))
        else:
            yield AlterEnum(loc=self.loc, type_name=type_name, action="add", value=str(body.get("newVal")))
