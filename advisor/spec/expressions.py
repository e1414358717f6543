"""SQL expressions the input supplies (a column's ``default``, a ``check``, a partial index's
``where``): exactly one expression of its kind, or refused.

Generated DDL re-emits them from the parsed tree, never from the text, so the text could only do
harm if the tree itself held more than an expression: a second statement (``1; DROP TABLE t``), a
subquery, a parameter, an aggregate. Comments are dropped from the tree, as they carry nothing the
engine needs and are text the input chose.
"""

from __future__ import annotations

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, SqlglotError, TokenError

from advisor.schema.sqlglot_nodes import foreign_part

KINDS = ("default", "check", "where")

_CONDITIONS = (exp.Predicate, exp.Connector, exp.Not, exp.Boolean, exp.Column, exp.Xor)


def parse_expression(text: str, dialect: str, kind: str) -> exp.Expr:
    """The one expression ``text`` holds, without comments; ``ValueError`` with the reason if it is
    not exactly one ``kind`` (``default``: a scalar without column references; ``check`` and
    ``where``: a condition on the table's own columns).

    >>> parse_expression("now()", "postgres", "default").sql("postgres")
    'CURRENT_TIMESTAMP'
    >>> parse_expression("qty >= 0 /* why */", "postgres", "check").sql("postgres")
    'qty >= 0'
    >>> parse_expression("1; DROP TABLE precious", "postgres", "default")
    Traceback (most recent call last):
    ValueError: holds 2 statements, not one expression
    """
    try:
        # into=Condition parses one expression and nothing after it: no statement, no second one
        tree = sqlglot.parse_one(text, read=dialect, into=exp.Condition)
    except (ParseError, TokenError):
        raise ValueError(_not_one_expression(text, dialect)) from None
    except SqlglotError as exc:  # sqlglot's other refusals still name the text
        raise ValueError(f"not a SQL expression ({type(exc).__name__})") from None
    reason = expression_problem(tree, kind)
    if reason is not None:
        raise ValueError(reason)
    return without_comments(tree)


def _not_one_expression(text: str, dialect: str) -> str:
    """Why ``text`` does not parse as one expression, as a user would put it."""
    try:
        statements = [s for s in sqlglot.parse(text, read=dialect) if s is not None]
    except SqlglotError as exc:
        detail = exc.errors[0].get("description") if isinstance(exc, ParseError) and exc.errors else exc
        return f"not a SQL expression ({detail})"
    if len(statements) > 1:
        return f"holds {len(statements)} statements, not one expression"
    return "not one SQL expression (a statement, or words left over after it)"


def expression_problem(tree: exp.Expr, kind: str) -> str | None:
    """Why ``tree`` is not a ``kind`` expression, or ``None`` if it is one.

    >>> print(expression_problem(sqlglot.parse_one("pending"), "default"))
    refers to the column 'pending' (quote a string: "'pending'")
    >>> expression_problem(sqlglot.parse_one("qty + 1"), "check")
    'is not a condition (it gives a value, not true or false)'
    """
    reason = foreign_part(tree, kind)
    if reason is not None:
        return reason
    for node in tree.walk():
        if isinstance(node, exp.Column) and node.table:
            return f"refers to {node.sql()}: name the table's own columns without a table"
        if kind == "default" and isinstance(node, exp.Column):
            return f"refers to the column {node.name!r} (quote a string: \"'{node.name}'\")"
    if kind != "default" and not _is_condition(tree):
        return "is not a condition (it gives a value, not true or false)"
    return None


def without_comments(tree: exp.Expr) -> exp.Expr:
    """``tree`` with every comment dropped (in place), so none of the input's text is re-emitted."""
    for node in tree.walk():
        node.comments = None
    return tree


def _is_condition(tree: exp.Expr) -> bool:
    while isinstance(tree, exp.Paren):
        tree = tree.this
    if isinstance(tree, _CONDITIONS):
        return True
    # a function known to give a boolean (sqlglot types few of them; unknown ones are let through)
    return isinstance(tree, exp.Func) and not isinstance(tree, exp.Cast)
