"""libpg_query parse trees (as JSON) to operations: one builder method per statement node.

Node shapes are PostgreSQL's own (``src/include/nodes/parsenodes.h``); every lookup is defensive, so a
node this builder does not know yields an :class:`~advisor.schema.ops.Other` operation.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from advisor.schema.ops import (
    AddColumn,
    AddConstraint,
    AlterColumnType,
    AlterDomain,
    AlterEnum,
    Cluster,
    ColumnDef,
    Constraint,
    ConstraintKind,
    Created,
    CreateFunction,
    CreateIndex,
    CreateTable,
    CreateView,
    Default,
    DetachPartition,
    Drop,
    DropColumn,
    DropConstraint,
    DropIndex,
    DropNotNull,
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
    TypeRef,
    Vacuum,
    ValidateConstraint,
    Write,
)
from advisor.schema.source import Positions, Source

Node = dict[str, Any]

_TYPE_NAMES = {
    "int2": "smallint",
    "int4": "integer",
    "int8": "bigint",
    "float4": "real",
    "float8": "double precision",
    "bpchar": "char",
    "bool": "boolean",
    "serial2": "smallserial",
    "serial4": "serial",
    "serial8": "bigserial",
    "decimal": "numeric",
    "int": "integer",
}
VOLATILE_FUNCTIONS = frozenset(
    {
        "random",
        "gen_random_uuid",
        "uuid_generate_v1",
        "uuid_generate_v1mc",
        "uuid_generate_v4",
        "uuidv4",
        "uuidv7",
        "clock_timestamp",
        "timeofday",
        "nextval",
        "txid_current",
        "random_normal",
    }
)
"""Functions whose value differs per row: as a default of a new column they force a table rewrite."""

_CONSTRAINT_KINDS = {
    "CONSTR_PRIMARY": ConstraintKind.PRIMARY_KEY,
    "CONSTR_UNIQUE": ConstraintKind.UNIQUE,
    "CONSTR_FOREIGN": ConstraintKind.FOREIGN_KEY,
    "CONSTR_CHECK": ConstraintKind.CHECK,
    "CONSTR_EXCLUSION": ConstraintKind.EXCLUDE,
}
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


def _str(node: Node) -> str:
    return str(node.get("String", {}).get("sval", ""))


def _strings(nodes: list[Node] | None) -> tuple[str, ...]:
    return tuple(_str(node) for node in nodes or ())


def _relname(rel: Node | None) -> str:
    """A relation's name, schema-qualified unless in ``public``."""
    if not rel:
        return ""
    schema = rel.get("schemaname")
    name = str(rel.get("relname", ""))
    return f"{schema}.{name}" if schema and schema != "public" else name


def _qualified(names: tuple[str, ...]) -> str:
    return ".".join(name for name in names if name) if names[:1] != ("public",) else ".".join(names[1:])


def type_ref(node: Node | None) -> TypeRef | None:
    """A TypeName node as a canonical :class:`TypeRef` (``pg_catalog.int4`` becomes ``integer``)."""
    if not node:
        return None
    names = [name for name in _strings(node.get("names")) if name != "pg_catalog"]
    if not names:
        return None
    name = _TYPE_NAMES.get(names[-1], names[-1])
    args = tuple(_int(mod) for mod in node.get("typmods") or () if _int(mod) is not None)
    if name == "interval":
        args = ()  # the typmod of an interval is a field mask, not a size
    return TypeRef(name, tuple(a for a in args if a is not None), bool(node.get("arrayBounds")))


def _int(node: Node) -> int | None:
    const = node.get("A_Const")
    if const is None:
        return None
    if "ival" in const:
        return int(const["ival"].get("ival", 0))
    return None


def _functions(node: Any) -> Iterator[str]:
    """Names of every function called inside an expression tree."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "FuncCall":
                names = _strings(value.get("funcname"))
                if names:
                    yield names[-1]
            yield from _functions(value)
    elif isinstance(node, list):
        for item in node:
            yield from _functions(item)


def default_of(expr: Node | None) -> Default | None:
    """What matters about a default expression: a volatile function in it, or being a literal."""
    if expr is None:
        return None
    calls = tuple(dict.fromkeys(f.lower() for f in _functions(expr)))
    volatile = next((f for f in calls if f in VOLATILE_FUNCTIONS), None)
    inner = expr.get("TypeCast", {}).get("arg", expr)
    constant = "A_Const" in inner
    return Default(volatile=volatile, constant=constant, calls=calls)


def constraint_of(node: Node) -> Constraint | None:
    kind = _CONSTRAINT_KINDS.get(node.get("contype", ""))
    if kind is None:
        return None
    not_null_of = None
    test = (node.get("raw_expr") or {}).get("NullTest")
    if kind is ConstraintKind.CHECK and test and test.get("nulltesttype") == "IS_NOT_NULL":
        fields = _strings(test.get("arg", {}).get("ColumnRef", {}).get("fields"))
        not_null_of = fields[-1] if fields else None
    return Constraint(
        kind=kind,
        name=node.get("conname"),
        columns=_strings(node.get("keys") or node.get("fk_attrs")),
        ref_table=_relname(node.get("pktable")) or None,
        ref_columns=_strings(node.get("pk_attrs")),
        using_index=node.get("indexname"),
        not_valid=bool(node.get("skip_validation")),
        not_null_of=not_null_of,
    )


_TRUE = ("true", "on", "yes", "1")
_FALSE = ("false", "off", "no", "0")


def option_is_on(elem: Node) -> bool:
    """A boolean option of VACUUM, EXPLAIN...: bare is on; otherwise the value the server's
    ``parse_bool`` reads (``FALSE``, ``off``, ``0``, and any unique prefix of them).

    >>> option_is_on({"defname": "full"}), option_is_on({"defname": "full", "arg": {"String": {"sval": "false"}}})
    (True, False)
    >>> option_is_on({"defname": "full", "arg": {"Integer": {}}})
    False
    """
    arg = elem.get("arg")
    if arg is None:
        return True
    if "Integer" in arg:
        return int(arg["Integer"].get("ival", 0)) != 0
    word = _str(arg).lower()
    if len(word) > 1 and word.startswith("o"):  # "o" alone is ambiguous: on or off
        return "on".startswith(word)
    return not (word and any(value.startswith(word) for value in _FALSE))


def _volatility(options: list[Node] | None) -> str | None:
    """The IMMUTABLE / STABLE / VOLATILE a function's options state, if any."""
    for option in options or ():
        elem = option.get("DefElem", {})
        if elem.get("defname") == "volatility":
            return _str(elem.get("arg", {})).lower()
    return None


_NOT_INLINED = ("fromClause", "whereClause", "groupClause", "havingClause", "sortClause", "limitCount",
                "limitOffset", "distinctClause", "withClause", "windowClause", "valuesLists", "larg")  # fmt: skip


def _inlined_calls(body: Node) -> tuple[str, ...] | None:
    """The calls in a SQL function's body when PostgreSQL inlines it (``inline_function``): one
    ``SELECT expr`` without FROM or any other clause, or ``RETURN expr``; not SECURITY DEFINER, no
    SET, no SETOF. ``None`` when it is not inlined."""
    options = {
        elem.get("defname"): elem.get("arg") or {}
        for elem in (option.get("DefElem", {}) for option in body.get("options") or ())
    }
    if _str(options.get("language", {})).lower() != "sql" or "set" in options:
        return None
    definer = options.get("security", {}).get("Boolean", {}).get("boolval")
    if definer or (body.get("returnType") or {}).get("setof"):
        return None
    returned = (body.get("sql_body") or {}).get("ReturnStmt", {}).get("returnval")
    if returned is None:
        items = _list(options.get("as", {"List": {}}))
        returned = _single_expression(_str(items[0]) if items else "")
    return None if returned is None else tuple(dict.fromkeys(f.lower() for f in _functions(returned)))


def _single_expression(source: str) -> Node | None:
    """The expression of a body that is exactly ``SELECT expr``, else ``None``."""
    from pglast import parser

    try:
        stmts = json.loads(parser.parse_sql_json(source)).get("stmts", [])
    except parser.ParseError:
        return None
    select = stmts[0]["stmt"].get("SelectStmt") if len(stmts) == 1 else None
    if select is None or any(select.get(clause) for clause in _NOT_INLINED):
        return None
    targets = select.get("targetList") or []
    return targets[0].get("ResTarget", {}).get("val") if len(targets) == 1 else None


def not_null_columns(where: Node | None) -> tuple[str, ...]:
    """The columns of an index predicate made only of ``col IS NOT NULL`` tests joined by AND;
    ``()`` for any other predicate.

    >>> not_null_columns({"NullTest": {"arg": {"ColumnRef": {"fields": [{"String": {"sval": "a"}}]}},
    ...                                "nulltesttype": "IS_NOT_NULL"}})
    ('a',)
    """
    if not where:
        return ()
    tests = (
        where["BoolExpr"].get("args", [])
        if where.get("BoolExpr", {}).get("boolop") == "AND_EXPR"
        else [where]
    )
    columns: list[str] = []
    for test in tests:
        null_test = test.get("NullTest", {})
        fields = _strings(null_test.get("arg", {}).get("ColumnRef", {}).get("fields"))
        if null_test.get("nulltesttype") != "IS_NOT_NULL" or not fields or not fields[-1]:
            return ()
        columns.append(fields[-1])
    return tuple(columns)


def _is_column(expr: Node, column: str, new_type: TypeRef | None) -> bool:
    """``USING col`` or ``USING col::new_type``: the conversion PostgreSQL makes without USING."""
    cast = expr.get("TypeCast")
    if cast is not None:
        if type_ref(cast.get("typeName")) != new_type:
            return False
        expr = cast.get("arg", {})
    fields = _strings(expr.get("ColumnRef", {}).get("fields"))
    return bool(fields) and fields[-1] == column


def view_of(
    loc: Loc, name: str, query: Node | None, aliases: tuple[str, ...], materialized: bool
) -> CreateView:
    """A view's output columns as PostgreSQL names them (``FigureColname``): the alias, the column,
    the function, ``?column?`` for other expressions; ``None`` for a ``*``, with what it expands
    from. Names the statement lists (``CREATE VIEW v (a, b)``) replace the first ones."""
    select = (query or {}).get("SelectStmt", {})
    while select.get("larg"):  # a UNION / INTERSECT / EXCEPT takes its names from its first branch
        select = select["larg"]
    names: list[str | None] = []
    stars: list[str | None] = []
    for target in select.get("targetList") or ():
        res = target.get("ResTarget", {})
        fields = (res.get("val") or {}).get("ColumnRef", {}).get("fields") or []
        if fields and "A_Star" in fields[-1]:
            stars.append(_str(fields[-2]) if len(fields) > 1 else None)
        names.append(res.get("name") or _figure_name(res.get("val") or {}))
    sources: list[tuple[str, str]] = []
    merged = _from_tables(select.get("fromClause") or [], sources)
    columns = (*aliases, *names[len(aliases) :])
    if aliases:
        stars = stars[sum(1 for n in names[: len(aliases)] if n is None) :]
    return CreateView(
        loc=loc,
        view=name,
        columns=columns,
        materialized=materialized,
        stars=tuple(stars),
        sources=tuple(sources),
        merged=merged,
    )


def _from_tables(items: list[Node], found: list[tuple[str, str]]) -> bool:
    """Collect (alias, table) of the FROM items into ``found``; whether a join merges columns."""
    merged = False
    for item in items:
        if "RangeVar" in item:
            rel = item["RangeVar"]
            alias = (rel.get("alias") or {}).get("aliasname") or str(rel.get("relname", ""))
            found.append((alias, _relname(rel)))
        elif "JoinExpr" in item:
            join = item["JoinExpr"]
            merged |= bool(join.get("usingClause") or join.get("isNatural"))
            merged |= _from_tables([join.get("larg") or {}, join.get("rarg") or {}], found)
        else:
            found.append(("", ""))  # a subquery or function: its columns are unknown
    return merged


def _figure_name(expr: Node) -> str | None:
    if "ColumnRef" in expr:
        fields = expr["ColumnRef"].get("fields") or []
        return None if fields and "A_Star" in fields[-1] else _str(fields[-1]) if fields else "?column?"
    if "FuncCall" in expr:
        names = _strings(expr["FuncCall"].get("funcname"))
        return names[-1] if names else "?column?"
    if "TypeCast" in expr:
        inner = _figure_name(expr["TypeCast"].get("arg") or {})
        if inner not in (None, "?column?"):
            return inner
        names = _strings(expr["TypeCast"].get("typeName", {}).get("names"))
        return names[-1] if names else "?column?"
    if "CaseExpr" in expr:
        return "case"
    if "CoalesceExpr" in expr:
        return "coalesce"
    return "?column?"


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

    def column(self, node: Node, loc: Loc | None = None) -> ColumnDef:
        not_null = primary = unique = identity = stored = False
        default = references = None
        for item in node.get("constraints") or ():
            con = item.get("Constraint", {})
            contype = con.get("contype")
            if contype == "CONSTR_NOTNULL":
                not_null = True
            elif contype == "CONSTR_DEFAULT":
                default = default_of(con.get("raw_expr"))
            elif contype == "CONSTR_PRIMARY":
                primary = not_null = True
            elif contype == "CONSTR_UNIQUE":
                unique = True
            elif contype == "CONSTR_IDENTITY":
                identity = True
            elif contype == "CONSTR_GENERATED":
                stored = con.get("generated_kind") == "s"
            elif contype == "CONSTR_FOREIGN":
                references = constraint_of(con)
        return ColumnDef(
            name=str(node.get("colname", "")),
            type=type_ref(node.get("typeName")),
            loc=loc or self.at(node.get("location")),
            not_null=not_null,
            default=default,
            primary_key=primary,
            unique=unique,
            references=references,
            identity=identity,
            generated_stored=stored,
        )

    def create_stmt(self, body: Node) -> Iterator[Op]:
        columns: list[ColumnDef] = []
        constraints: list[Constraint] = []
        for element in body.get("tableElts") or ():
            if "ColumnDef" in element:
                columns.append(self.column(element["ColumnDef"]))
            elif "Constraint" in element:
                con = constraint_of(element["Constraint"])
                if con is not None:
                    constraints.append(replace(con, loc=self.at(element["Constraint"].get("location"))))
        parents = body.get("inhRelations") or ()
        partition_of = _relname(parents[0].get("RangeVar")) if parents and body.get("partbound") else None
        elements = body.get("tableElts") or ()
        copied = any("TableLikeClause" in e for e in elements) or (bool(parents) and partition_of is None)
        relation = body.get("relation", {})
        yield CreateTable(
            loc=self.loc,
            table=_relname(relation),
            columns=tuple(columns),
            constraints=tuple(constraints),
            if_not_exists=bool(body.get("if_not_exists")),
            temporary=relation.get("relpersistence") == "t",
            partition_of=partition_of,
            copied=copied,
            partitioned=body.get("partspec") is not None,
        )

    def create_table_as_stmt(self, body: Node) -> Iterator[Op]:
        into = body.get("into", {})
        name = _relname(into.get("rel"))
        yield CreateTable(loc=self.loc, table=name, copied=True)
        if body.get("objtype") == "OBJECT_MATVIEW":
            yield view_of(self.loc, name, body.get("query"), _strings(into.get("colNames")), True)

    def create_function_stmt(self, body: Node) -> Iterator[Op]:
        if body.get("is_procedure"):
            yield Other(loc=self.loc, kind="CreateProcedure")
            return
        name = _strings(body.get("funcname"))[-1]
        volatility = _volatility(body.get("options")) or "volatile"
        inlined = _inlined_calls(body)
        yield CreateFunction(loc=self.loc, name=name, volatility=volatility, inlined_calls=inlined)

    def alter_function_stmt(self, body: Node) -> Iterator[Op]:
        volatility = _volatility(body.get("actions"))
        names = _strings(body.get("func", {}).get("objname"))
        if volatility and names:
            yield CreateFunction(loc=self.loc, name=names[-1], volatility=volatility, altered=True)
        else:
            yield Other(loc=self.loc, kind="AlterFunctionStmt")

    def create_schema_stmt(self, body: Node) -> Iterator[Op]:
        yield Created(loc=self.loc, kind="schema", name=str(body.get("schemaname", "")))

    def create_domain_stmt(self, body: Node) -> Iterator[Op]:
        yield Created(loc=self.loc, kind="domain", name=_qualified(_strings(body.get("domainname"))))

    def alter_domain_stmt(self, body: Node) -> Iterator[Op]:
        domain = _qualified(_strings(body.get("typeName")))
        subtype = body.get("subtype")
        constraint = (body.get("def") or {}).get("Constraint", {})
        action = _DOMAIN_ACTIONS.get(str(subtype), "other")
        not_valid = bool(constraint.get("skip_validation"))
        yield AlterDomain(loc=self.loc, domain=domain, action=action, not_valid=not_valid)

    def view_stmt(self, body: Node) -> Iterator[Op]:
        name = _relname(body.get("view"))
        yield view_of(self.loc, name, body.get("query"), _strings(body.get("aliases")), False)

    def index_stmt(self, body: Node) -> Iterator[Op]:
        columns: list[str | None] = []
        for param in body.get("indexParams") or ():
            elem = param.get("IndexElem", {})
            columns.append(elem.get("name"))
        yield CreateIndex(
            loc=self.loc,
            table=_relname(body.get("relation")),
            name=body.get("idxname"),
            columns=tuple(columns),
            unique=bool(body.get("unique")),
            concurrently=bool(body.get("concurrent")),
            partial=body.get("whereClause") is not None,
            method=str(body.get("accessMethod", "btree")),
            where_not_null=not_null_columns(body.get("whereClause")),
        )

    def alter_table_stmt(self, body: Node) -> Iterator[Op]:
        table = _relname(body.get("relation"))
        cmds = [item.get("AlterTableCmd", {}) for item in body.get("cmds") or ()]
        starts = self.command_starts(len(cmds))
        for cmd, loc in zip(cmds, starts, strict=True):
            yield from self.alter(table, cmd, loc, body.get("objtype", "OBJECT_TABLE"))

    def alter(self, table: str, cmd: Node, loc: Loc, objtype: str) -> Iterator[Op]:
        subtype = cmd.get("subtype", "")
        name = str(cmd.get("name") or "")
        definition = cmd.get("def") or {}
        if subtype == "AT_AddColumn" and "ColumnDef" in definition:
            yield AddColumn(loc=loc, table=table, column=self.column(definition["ColumnDef"], loc))
        elif subtype == "AT_AddConstraint" and "Constraint" in definition:
            con = constraint_of(definition["Constraint"])
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
                using=using is not None and not _is_column(using, name, new_type),
            )
        elif subtype == "AT_SetNotNull":
            yield SetNotNull(loc=loc, table=table, column=name)
        elif subtype == "AT_DropNotNull":
            yield DropNotNull(loc=loc, table=table, column=name)
        elif subtype == "AT_ColumnDefault":
            yield SetDefault(loc=loc, table=table, column=name, default=default_of(cmd.get("def")))
        elif subtype == "AT_DropColumn":
            yield DropColumn(loc=loc, table=table, column=name)
        elif subtype == "AT_DetachPartition":
            part = definition.get("PartitionCmd", {})
            yield DetachPartition(
                loc=loc,
                table=table,
                partition=_relname(part.get("name")),
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
        starts = _plain_command_starts(text) if _PLAIN.fullmatch(text) else _scanned_command_starts(text)
        if starts is None or len(starts) != count:
            return [self.loc] * count
        offset = self.start - self.base
        ascii = text.isascii()
        return [self.at(offset + (s if ascii else len(text[:s].encode("utf-8")))) for s in starts]

    def drop_stmt(self, body: Node) -> Iterator[Op]:
        kind = body.get("removeType", "")
        names = tuple(_qualified(_strings(_list(obj))) for obj in body.get("objects") or ())
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
        table = _relname(body.get("relation")) or None
        new = str(body.get("newname", ""))
        if kind == "OBJECT_COLUMN":
            yield Rename(
                loc=self.loc, kind=RenameKind.COLUMN, table=table, old=str(body.get("subname")), new=new
            )
        elif kind in ("OBJECT_TABLE", "OBJECT_INDEX") and table:
            rename = RenameKind.TABLE if kind == "OBJECT_TABLE" else RenameKind.INDEX
            yield Rename(loc=self.loc, kind=rename, table=table, old=table, new=new)
        elif kind == "OBJECT_SCHEMA":
            old = str(body.get("subname"))
            yield Rename(loc=self.loc, kind=RenameKind.SCHEMA, table=None, old=old, new=new)
        elif kind == "OBJECT_TABCONSTRAINT":
            old = str(body.get("subname"))
            yield Rename(loc=self.loc, kind=RenameKind.CONSTRAINT, table=table, old=old, new=new)
        else:
            yield Rename(loc=self.loc, kind=RenameKind.OTHER, table=table, old=table or "", new=new)

    def truncate_stmt(self, body: Node) -> Iterator[Op]:
        tables = tuple(_relname(rel.get("RangeVar")) for rel in body.get("relations") or ())
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
            _relname(rel.get("VacuumRelation", {}).get("relation")) for rel in body.get("rels") or ()
        )
        yield Vacuum(loc=self.loc, full=options.get("full", False), tables=tables)

    def reindex_stmt(self, body: Node) -> Iterator[Op]:
        params = {opt.get("DefElem", {}).get("defname") for opt in body.get("params") or ()}
        target = str(body.get("kind", "")).removeprefix("REINDEX_OBJECT_").lower()
        name = _relname(body.get("relation")) or body.get("name")
        yield Reindex(loc=self.loc, target=target, name=name, concurrently="concurrently" in params)

    def refresh_mat_view_stmt(self, body: Node) -> Iterator[Op]:
        view = _relname(body.get("relation"))
        yield RefreshView(loc=self.loc, view=view, concurrently=bool(body.get("concurrent")))

    def cluster_stmt(self, body: Node) -> Iterator[Op]:
        yield Cluster(loc=self.loc, table=_relname(body.get("relation")) or None)

    def update_stmt(self, body: Node) -> Iterator[Op]:
        table = _relname(body.get("relation"))
        yield Write(loc=self.loc, kind="update", table=table, where=body.get("whereClause") is not None)

    def delete_stmt(self, body: Node) -> Iterator[Op]:
        table = _relname(body.get("relation"))
        yield Write(loc=self.loc, kind="delete", table=table, where=body.get("whereClause") is not None)

    def alter_enum_stmt(self, body: Node) -> Iterator[Op]:
        type_name = _qualified(_strings(body.get("typeName")))
        if body.get("oldVal"):
            yield AlterEnum(loc=self.loc, type_name=type_name, action="rename", value=str(body["oldVal"]))
        else:
            yield AlterEnum(loc=self.loc, type_name=type_name, action="add", value=str(body.get("newVal")))


_PLAIN = re.compile(r"[^'\"$\-/]*", re.DOTALL)
"""Statement text without quotes, dollar quotes or comments: safe to cut with regular expressions."""
_ALTER_HEAD = re.compile(
    r"\s*ALTER\s+(?:TABLE|INDEX|VIEW|MATERIALIZED\s+VIEW|FOREIGN\s+TABLE)\s+"
    r"(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?[\w.]+\s*(?:\*\s*)?",
    re.IGNORECASE,
)
_BREAKS = re.compile(r"[(),]")


def _plain_command_starts(text: str) -> list[int] | None:
    head = _ALTER_HEAD.match(text)
    if head is None:
        return None
    starts = [head.end()]
    depth = 0
    for match in _BREAKS.finditer(text, head.end()):
        char = match.group()
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0:
            rest = len(text) - len(text[match.end() :].lstrip())
            starts.append(rest)
    return starts


def _scanned_command_starts(text: str) -> list[int] | None:
    from pglast import parser

    try:
        tokens = parser.scan(text)
    except parser.ParseError:
        return None
    index = 0
    while index < len(tokens) and tokens[index].name in ("ALTER", "TABLE", "IF_P", "EXISTS", "ONLY"):
        index += 1
    index += 1  # the table name
    while index + 1 < len(tokens) and tokens[index].name == "ASCII_46":
        index += 2
    if index < len(tokens) and tokens[index].name == "ASCII_42":
        index += 1
    starts: list[int] = []
    depth = 0
    expect = True
    for token in tokens[index:]:
        if expect:
            starts.append(token.start)
            expect = False
        if token.name == "ASCII_40":
            depth += 1
        elif token.name == "ASCII_41":
            depth -= 1
        elif token.name == "ASCII_44" and depth == 0:
            expect = True
    return starts


def _list(node: Node) -> list[Node]:
    if "List" in node:
        return list(node["List"].get("items", []))
    return [node]
