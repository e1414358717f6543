"""Quote identifiers that are reserved words: sqlglot quotes them for MySQL only, so a table
named ``order`` or a column named ``user`` would otherwise come out as broken (or, for ``user``
in PostgreSQL, silently different) SQL."""

from __future__ import annotations

from sqlglot import exp

RESERVED = frozenset(
    [
        "all",
        "analyse",
        "analyze",
        "and",
        "any",
        "array",
        "as",
        "asc",
        "asymmetric",
        "authorization",
        "binary",
        "both",
        "case",
        "cast",
        "check",
        "collate",
        "collation",
        "column",
        "concurrently",
        "constraint",
        "create",
        "cross",
        "current_catalog",
        "current_date",
        "current_role",
        "current_schema",
        "current_time",
        "current_timestamp",
        "current_user",
        "default",
        "deferrable",
        "desc",
        "distinct",
        "do",
        "else",
        "end",
        "except",
        "false",
        "fetch",
        "for",
        "foreign",
        "freeze",
        "from",
        "full",
        "grant",
        "group",
        "having",
        "ilike",
        "in",
        "initially",
        "inner",
        "intersect",
        "into",
        "is",
        "isnull",
        "join",
        "lateral",
        "leading",
        "left",
        "like",
        "limit",
        "localtime",
        "localtimestamp",
        "natural",
        "not",
        "notnull",
        "null",
        "offset",
        "on",
        "only",
        "or",
        "order",
        "outer",
        "overlaps",
        "placing",
        "primary",
        "references",
        "returning",
        "right",
        "select",
        "session_user",
        "similar",
        "some",
        "symmetric",
        "system_user",
        "table",
        "tablesample",
        "then",
        "to",
        "trailing",
        "true",
        "union",
        "unique",
        "user",
        "using",
        "variadic",
        "verbose",
        "when",
        "where",
        "window",
        "with",
    ]
)
"""PostgreSQL's reserved key words (also those allowed only as function or type names); most are
reserved in SQLite and SQL Server as well, where quoting an identifier never changes its meaning."""


def quote_reserved(expression: exp.Expr, dialect: str) -> exp.Expr:
    """``expression`` with every identifier that is a reserved word quoted (MySQL: left to sqlglot).

    >>> from sqlglot import exp
    >>> quote_reserved(exp.column("user", table="order"), "postgres").sql("postgres")
    '"order"."user"'
    >>> quote_reserved(exp.column("user_id", table="orders"), "postgres").sql("postgres")
    'orders.user_id'
    """
    if dialect in ("mysql", "mariadb"):
        return expression

    def quote(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Identifier) and not node.quoted and node.name.lower() in RESERVED:
            return exp.Identifier(this=node.name, quoted=True)
        return node

    return expression.transform(quote)
