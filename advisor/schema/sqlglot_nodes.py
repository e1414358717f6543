"""Reading sqlglot DDL nodes for the statement builder (``sqlglot_tree``): names, types, defaults,
REFERENCES targets and actions, MySQL's RENAME TABLE pairs, a table's partitioning and storage
engine, trigram indexes.
"""

from __future__ import annotations

import sqlglot
from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import ParseError, TokenError
from sqlglot.tokenizer_core import TokenType

from advisor.schema.names import key_of
from advisor.schema.ops import Default, Expression, TypeRef
from advisor.schema.statements import quiet_sqlglot, split_on

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


def name_of(node: object) -> str:
    """A table's (schema-qualified) or an identifier's name; ``""`` for anything else."""
    if not isinstance(node, exp.Expr):
        return ""
    if isinstance(node, exp.Table):
        return ".".join(part.name for part in node.parts)
    if isinstance(node, exp.Schema):
        return name_of(node.this)
    return node.name


def type_ref(node: exp.Expr | None) -> TypeRef | None:
    """A column type as a canonical :class:`TypeRef` (``INT`` becomes ``integer``)."""
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


def default_of(node: exp.Expr | None, dialect: str) -> Default | None:
    """What matters about a default expression (a volatile function, a literal), and its SQL."""
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
        volatile=volatile.lower() if volatile else None,
        constant=constant,
        expression=not (constant or now),
        text=rebuilt(node, dialect, "default"),
    )


def rebuilt(node: exp.Expr, dialect: str, kind: str) -> Expression:
    """A DEFAULT (``kind`` ``default``), CHECK or predicate tree as SQL without comments, with the
    columns it reads and what it holds that no engine takes there."""
    columns = tuple(dict.fromkeys(column.name for column in node.find_all(exp.Column)))
    sql = node.sql(dialect=dialect, comments=False)
    return Expression(sql, columns, foreign_part(node, kind), rebuilt=True)


def identifiers(nodes: list[exp.Expr]) -> tuple[str, ...]:
    """The column names of ``nodes``; an expression is named by its text (never a column)."""
    return tuple(column_name(node) or node.name for node in nodes)


def reference(node: exp.Reference) -> tuple[str, tuple[str, ...]]:
    """The table a REFERENCES clause names and its columns (none when it names only the table)."""
    target = node.this
    if isinstance(target, exp.Schema):
        return name_of(target.this), identifiers(target.expressions)
    return name_of(target), ()


def column_name(node: exp.Expr | None) -> str | None:
    """The plain column name of an identifier, column or ordered column; ``None`` for expressions."""
    # A MySQL prefix key (``name(20)``) indexes the column: close enough for the cost model.
    while isinstance(node, exp.Ordered | exp.Collate | exp.ColumnPrefix):
        node = node.this
    if isinstance(node, exp.Identifier):
        return str(node.this)
    if isinstance(node, exp.Column) and not node.table:
        return node.name
    return None


def reference_actions(reference: exp.Reference) -> dict[str, str]:
    """``{"DELETE": "CASCADE", "UPDATE": "SET NULL"}`` from a REFERENCES clause's options."""
    actions = {}
    for option in reference.args.get("options") or []:
        words = str(option).upper().split()
        if len(words) > 2 and words[0] == "ON" and words[1] in ("DELETE", "UPDATE"):
            actions[words[1]] = " ".join(words[2:])
    return actions


def renamed_tables(text: str) -> list[tuple[str, str]]:
    """The ``(old, new)`` table names of MySQL's ``RENAME TABLE a TO b, c TO d`` (the text after
    RENAME, which sqlglot keeps as an opaque command), schema prefixes dropped.

    >>> renamed_tables("TABLE shop.a TO shop.b, `c` TO d")
    [('a', 'b'), ('c', 'd')]
    """
    try:
        tokens = Dialect.get_or_raise("mysql").tokenize(text)
    except TokenError:
        return []
    if not tokens or tokens[0].token_type != TokenType.TABLE:
        return []
    pairs = []
    for pair in split_on(tokens[1:], TokenType.COMMA):
        words = [t for t in pair if t.token_type != TokenType.DOT]
        at = next((i for i, t in enumerate(words) if t.text.upper() == "TO"), None)
        if at is not None and 0 < at < len(words) - 1:
            pairs.append((words[at - 1].text, words[-1].text))
    return pairs


_PARTITIONING = (exp.PartitionedByProperty, exp.PartitionByRangeProperty, exp.PartitionByListProperty)


def partitioned(node: exp.Create) -> bool:
    """Whether a CREATE TABLE partitions its table (PostgreSQL's PARTITION BY, MySQL's RANGE or
    LIST; sqlglot keeps MySQL's HASH and KEY partitioning as text it does not read)."""
    return any(isinstance(p, _PARTITIONING) for p in properties_of(node))


def storage_engine(node: exp.Create) -> str | None:
    """The ``ENGINE=`` of a MySQL CREATE TABLE, in lower case.

    >>> from sqlglot import parse_one
    >>> storage_engine(parse_one("CREATE TABLE t (id int) ENGINE=RocksDB", read="mysql"))
    'rocksdb'
    """
    return next((p.name.lower() for p in properties_of(node) if isinstance(p, exp.EngineProperty)), None)


def properties_of(node: exp.Create) -> list[exp.Expr]:
    props = node.args.get("properties")
    return list(props.expressions) if isinstance(props, exp.Properties) else []


def with_column_renamed(text: str, old_key: str, new: str, dialect: str) -> str:
    """A CHECK or index predicate's ``text`` with the column keyed ``old_key`` renamed to ``new``
    (what the engines do to them on RENAME COLUMN); text that does not parse stays as it is.

    >>> with_column_renamed("qty > 0 AND Qty < 10", "qty", "quantity", "postgres")
    'quantity > 0 AND quantity < 10'
    """
    try:
        with quiet_sqlglot():
            predicate = sqlglot.parse_one(text, dialect=dialect)
    except (ParseError, TokenError):
        return text

    def rename(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Column) and key_of(node.name) == old_key:
            return exp.column(new, table=node.table or None)
        return node

    return predicate.transform(rename).sql(dialect=dialect)


_NOT_IN_AN_EXPRESSION: tuple[tuple[type[exp.Expr], str], ...] = (
    (exp.Query, "a query"),
    (exp.Subquery, "a query"),
    (exp.Command, "a statement"),
    (exp.DDL, "a statement"),
    (exp.Drop, "a statement"),
    (exp.Alter, "a statement"),
    (exp.DML, "a statement"),
    (exp.Placeholder, "a parameter"),
    (exp.Parameter, "a parameter"),
    (exp.AggFunc, "an aggregate"),
    (exp.Window, "a window function"),
    (exp.Star, "*"),
)


def foreign_part(tree: exp.Expr, kind: str) -> str | None:
    """What ``tree`` holds that no DEFAULT, CHECK or index predicate of any engine may: a query, a
    statement, a parameter, an aggregate, a window function or ``*``; ``None`` if nothing.

    >>> foreign_part(sqlglot.parse_one("x > (SELECT max(y) FROM t)"), "check")
    'holds a query, which a check expression cannot'
    """
    for node in tree.walk():
        for cls, what in _NOT_IN_AN_EXPRESSION:
            if isinstance(node, cls):
                return f"holds {what}, which a {kind} expression cannot"
    return None
