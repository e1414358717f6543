"""Quote identifiers that are reserved words: sqlglot quotes them for MySQL only, so a table
named ``order`` or a column named ``user`` would otherwise come out as broken (or, for ``user``
in PostgreSQL, silently different) SQL."""

from __future__ import annotations

from sqlglot import exp

from advisor.dialects import lookup
from advisor.emit.names import POSTGRES_RESERVED


def quote_reserved(expression: exp.Expr, dialect: str, copy: bool = True) -> exp.Expr:
    """``expression`` with every identifier that is a reserved word quoted (MySQL: left to sqlglot).
    PostgreSQL's list serves the other engines too: most of its words are reserved in SQLite and
    SQL Server as well, and quoting an identifier there never changes its meaning. With ``copy``
    false the tree is changed in place; either way a tree without such a name is returned as it is.

    >>> from sqlglot import exp
    >>> quote_reserved(exp.column("user", table="order"), "postgres").sql("postgres")
    '"order"."user"'
    >>> quote_reserved(exp.column("user_id", table="orders"), "postgres").sql("postgres")
    'orders.user_id'
    """
    facts = lookup(dialect)
    if (facts is not None and facts.sqlglot_quotes_reserved) or not _reserved_names(expression):
        return expression
    if copy:
        expression = expression.copy()
    for node in _reserved_names(expression):
        node.set("quoted", True)
    return expression


def _reserved_names(expression: exp.Expr) -> list[exp.Identifier]:
    return [
        node
        for node in expression.find_all(exp.Identifier)
        if not node.quoted and node.name.lower() in POSTGRES_RESERVED
    ]
