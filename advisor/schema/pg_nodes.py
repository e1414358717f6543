"""Reading libpg_query parse-tree nodes (as JSON): names, types, defaults, constraints, options,
view outputs; what the statement builder (``pg_tree``) and its readers share.

Node shapes are PostgreSQL's own (``src/include/nodes/parsenodes.h``); every lookup is defensive.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from advisor.schema.names import ExactName
from advisor.schema.ops import Constraint, ConstraintKind, CreateView, Default, Loc, TypeRef

Node = dict[str, Any]


TYPE_NAMES = {
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


CONSTRAINT_KINDS = {
    "CONSTR_PRIMARY": ConstraintKind.PRIMARY_KEY,
    "CONSTR_UNIQUE": ConstraintKind.UNIQUE,
    "CONSTR_FOREIGN": ConstraintKind.FOREIGN_KEY,
    "CONSTR_CHECK": ConstraintKind.CHECK,
    "CONSTR_EXCLUSION": ConstraintKind.EXCLUDE,
}


def name_in(node: Node, key: str) -> str:
    """The string under ``key`` as it is (an ``ExactName`` stays one), ``""`` if there is none."""
    value = node.get(key)
    return value if isinstance(value, str) else ""


def string_of(node: Node) -> str:
    return name_in(node.get("String", {}), "sval")


def strings_of(nodes: list[Node] | None) -> tuple[str, ...]:
    return tuple(string_of(node) for node in nodes or ())


def relname(rel: Node | None) -> str:
    """A relation's name, schema-qualified unless in ``public``."""
    if not rel:
        return ""
    schema = rel.get("schemaname")
    name = name_in(rel, "relname")
    if not schema or schema == "public":
        return name
    return ExactName(f"{schema}.{name}") if isinstance(name, ExactName) else f"{schema}.{name}"


def qualified(names: tuple[str, ...]) -> str:
    """A dotted name, without ``public.``, marked as its last part is."""
    text = ".".join(name for name in names if name) if names[:1] != ("public",) else ".".join(names[1:])
    return ExactName(text) if names and isinstance(names[-1], ExactName) else text


def type_ref(node: Node | None) -> TypeRef | None:
    """A TypeName node as a canonical :class:`TypeRef` (``pg_catalog.int4`` becomes ``integer``)."""
    if not node:
        return None
    names = [name for name in strings_of(node.get("names")) if name != "pg_catalog"]
    if not names:
        return None
    name = TYPE_NAMES.get(names[-1], names[-1])
    args = tuple(int_of(mod) for mod in node.get("typmods") or () if int_of(mod) is not None)
    if name == "interval":
        args = ()  # the typmod of an interval is a field mask, not a size
    return TypeRef(name, tuple(a for a in args if a is not None), bool(node.get("arrayBounds")))


def int_of(node: Node) -> int | None:
    const = node.get("A_Const")
    if const is None:
        return None
    if "ival" in const:
        return int(const["ival"].get("ival", 0))
    return None


def functions_in(node: Any) -> Iterator[str]:
    """Names of every function called inside an expression tree."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "FuncCall":
                names = strings_of(value.get("funcname"))
                if names:
                    yield names[-1]
            yield from functions_in(value)
    elif isinstance(node, list):
        for item in node:
            yield from functions_in(item)


def column_refs(node: Any) -> tuple[str, ...]:
    """The columns an expression reads, by their last name part, each once."""
    found: dict[str, None] = {}
    for item in _walk(node):
        fields = item.get("ColumnRef", {}).get("fields")
        if fields and "String" in fields[-1]:
            found[string_of(fields[-1])] = None
    return tuple(found)


def lowest_location(node: Any) -> int | None:
    """The smallest parse offset inside an expression: where its text starts (a cast's own
    location is its ``::``, after its argument)."""
    found = [
        value
        for item in _walk(node)
        for key, value in item.items()
        if key == "location" and isinstance(value, int) and value >= 0
    ]
    return min(found, default=None)


def _walk(node: Any) -> Iterator[Node]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)


FK_ACTIONS = {"r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}
"""A foreign key's ``fk_del_action`` / ``fk_upd_action`` letters; ``a`` (NO ACTION) is the default."""


def default_of(expr: Node | None) -> Default | None:
    """What matters about a default expression: a volatile function in it, or being a literal."""
    if expr is None:
        return None
    calls = tuple(dict.fromkeys(f.lower() for f in functions_in(expr)))
    volatile = next((f for f in calls if f in VOLATILE_FUNCTIONS), None)
    inner = expr.get("TypeCast", {}).get("arg", expr)
    constant = "A_Const" in inner
    return Default(volatile=volatile, constant=constant, calls=calls)


def constraint_of(node: Node) -> Constraint | None:
    kind = CONSTRAINT_KINDS.get(node.get("contype", ""))
    if kind is None:
        return None
    not_null_of = None
    test = (node.get("raw_expr") or {}).get("NullTest")
    if kind is ConstraintKind.CHECK and test and test.get("nulltesttype") == "IS_NOT_NULL":
        fields = strings_of(test.get("arg", {}).get("ColumnRef", {}).get("fields"))
        not_null_of = fields[-1] if fields else None
    return Constraint(
        kind=kind,
        name=node.get("conname"),
        columns=strings_of(node.get("keys") or node.get("fk_attrs")),
        ref_table=relname(node.get("pktable")) or None,
        ref_columns=strings_of(node.get("pk_attrs")),
        using_index=node.get("indexname"),
        not_valid=bool(node.get("skip_validation")),
        not_null_of=not_null_of,
        on_delete=FK_ACTIONS.get(str(node.get("fk_del_action"))),
        on_update=FK_ACTIONS.get(str(node.get("fk_upd_action"))),
    )


TRUE_WORDS = ("true", "on", "yes", "1")


FALSE_WORDS = ("false", "off", "no", "0")


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
    word = string_of(arg).lower()
    if len(word) > 1 and word.startswith("o"):  # "o" alone is ambiguous: on or off
        return "on".startswith(word)
    return not (word and any(value.startswith(word) for value in FALSE_WORDS))


def volatility_of(options: list[Node] | None) -> str | None:
    """The IMMUTABLE / STABLE / VOLATILE a function's options state, if any."""
    for option in options or ():
        elem = option.get("DefElem", {})
        if elem.get("defname") == "volatility":
            return string_of(elem.get("arg", {})).lower()
    return None


NOT_INLINED = ("fromClause", "whereClause", "groupClause", "havingClause", "sortClause", "limitCount",
                "limitOffset", "distinctClause", "withClause", "windowClause", "valuesLists", "larg")  # fmt: skip


def inlined_calls(body: Node) -> tuple[str, ...] | None:
    """The calls in a SQL function's body when PostgreSQL inlines it (``inline_function``): one
    ``SELECT expr`` without FROM or any other clause, or ``RETURN expr``; not SECURITY DEFINER, no
    SET, no SETOF. ``None`` when it is not inlined."""
    options = {
        elem.get("defname"): elem.get("arg") or {}
        for elem in (option.get("DefElem", {}) for option in body.get("options") or ())
    }
    if string_of(options.get("language", {})).lower() != "sql" or "set" in options:
        return None
    definer = options.get("security", {}).get("Boolean", {}).get("boolval")
    if definer or (body.get("returnType") or {}).get("setof"):
        return None
    returned = (body.get("sql_body") or {}).get("ReturnStmt", {}).get("returnval")
    if returned is None:
        items = items_of(options.get("as", {"List": {}}))
        returned = single_expression(string_of(items[0]) if items else "")
    return None if returned is None else tuple(dict.fromkeys(f.lower() for f in functions_in(returned)))


def single_expression(source: str) -> Node | None:
    """The expression of a body that is exactly ``SELECT expr``, else ``None``."""
    from pglast import parser

    try:
        stmts = json.loads(parser.parse_sql_json(str(source))).get("stmts", [])
    except parser.ParseError:
        return None
    select = stmts[0]["stmt"].get("SelectStmt") if len(stmts) == 1 else None
    if select is None or any(select.get(clause) for clause in NOT_INLINED):
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
        fields = strings_of(null_test.get("arg", {}).get("ColumnRef", {}).get("fields"))
        if null_test.get("nulltesttype") != "IS_NOT_NULL" or not fields or not fields[-1]:
            return ()
        columns.append(fields[-1])
    return tuple(columns)


def is_column(expr: Node, column: str, new_type: TypeRef | None) -> bool:
    """``USING col`` or ``USING col::new_type``: the conversion PostgreSQL makes without USING."""
    cast = expr.get("TypeCast")
    if cast is not None:
        if type_ref(cast.get("typeName")) != new_type:
            return False
        expr = cast.get("arg", {})
    fields = strings_of(expr.get("ColumnRef", {}).get("fields"))
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
            stars.append(string_of(fields[-2]) if len(fields) > 1 else None)
        names.append(res.get("name") or figure_name(res.get("val") or {}))
    sources: list[tuple[str, str]] = []
    merged = from_tables(select.get("fromClause") or [], sources)
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


def from_tables(items: list[Node], found: list[tuple[str, str]]) -> bool:
    """Collect (alias, table) of the FROM items into ``found``; whether a join merges columns."""
    merged = False
    for item in items:
        if "RangeVar" in item:
            rel = item["RangeVar"]
            alias = (rel.get("alias") or {}).get("aliasname") or name_in(rel, "relname")
            found.append((alias, relname(rel)))
        elif "JoinExpr" in item:
            join = item["JoinExpr"]
            merged |= bool(join.get("usingClause") or join.get("isNatural"))
            merged |= from_tables([join.get("larg") or {}, join.get("rarg") or {}], found)
        else:
            found.append(("", ""))  # a subquery or function: its columns are unknown
    return merged


def figure_name(expr: Node) -> str | None:
    if "ColumnRef" in expr:
        fields = expr["ColumnRef"].get("fields") or []
        return None if fields and "A_Star" in fields[-1] else string_of(fields[-1]) if fields else "?column?"
    if "FuncCall" in expr:
        names = strings_of(expr["FuncCall"].get("funcname"))
        return names[-1] if names else "?column?"
    if "TypeCast" in expr:
        inner = figure_name(expr["TypeCast"].get("arg") or {})
        if inner not in (None, "?column?"):
            return inner
        names = strings_of(expr["TypeCast"].get("typeName", {}).get("names"))
        return names[-1] if names else "?column?"
    if "CaseExpr" in expr:
        return "case"
    if "CoalesceExpr" in expr:
        return "coalesce"
    return "?column?"


def items_of(node: Node) -> list[Node]:
    if "List" in node:
        return list(node["List"].get("items", []))
    return [node]
