"""What the QRY rule modules share: the analyzed patterns, findings anchored on a pattern, and
the rewritten SQL as the fix text."""

from __future__ import annotations

import re
from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis.shape import Predicate, QueryShape
from advisor.rewrite.render import render
from advisor.rules.base import Finding
from advisor.rules.context import Context
from advisor.spec.model import Pattern, Table


def top(ctx: Context) -> Iterator[tuple[Pattern, QueryShape]]:
    """Each analyzed pattern with its shape, in spec order."""
    for pattern in ctx.spec.patterns:
        shape = ctx.shapes.get(pattern.name)
        if shape is not None:
            yield pattern, shape


def finding(
    ctx: Context,
    rule: str,
    pattern: Pattern,
    message: str,
    fix: str,
    evidence: tuple[tuple[str, str], ...] = (),
    ddl: str | None = None,
) -> Finding:
    return Finding(
        rule,
        ctx.severity(rule),
        pattern.name,
        message,
        fix,
        evidence,
        patterns=(pattern.name,),
        line=pattern.sql_line or pattern.line,
        ddl=ddl,
    )


_PYFORMAT = re.compile(r"%\((\w+)\)s")


def condition_sql(pred: Predicate) -> str:
    """The condition as the user wrote placeholders (the analysis spells them per dialect).

    >>> from advisor.analysis.shape import PredicateKind
    >>> condition_sql(Predicate("t", "c", PredicateKind.EQ, sql="DATE(c) = %(d)s"))
    'DATE(c) = :d'
    """
    return _PYFORMAT.sub(r":\1", pred.sql)


def rows_of(ctx: Context, table: str) -> float:
    model = ctx.models.get(table)
    return model.rows if model is not None else 0.0


def _positional(tree: exp.Expr | None) -> int:
    return 0 if tree is None else sum(1 for p in tree.find_all(exp.Placeholder) if p.name in ("", "?"))


def rewrite_text(tree: exp.Expr | None, dialect: str, original: exp.Expr | None) -> str:
    """``rewrite as: SQL``, warning when the rewrite repeats positional (``?``) parameters."""
    if tree is None:
        return ""
    text = f"rewrite as: {render(tree, dialect)}"
    if _positional(tree) > _positional(original):
        text += " (it repeats positional parameters: bind their values in the new order, or name them)"
    return text


def single_key(table: Table | None) -> str | None:
    if table is None or len(table.primary_key) != 1:
        return None
    return table.primary_key[0].lower()


def schema_of(ctx: Context) -> dict[str, set[str]]:
    return {t.name.lower(): {c.name.lower() for c in t.columns} for t in ctx.spec.tables}


def infix_like(pred: Predicate) -> bool:
    """LIKE '%...' as the analysis classifies it, or ILIKE with a literal starting with a wildcard.

    >>> from advisor.analysis.shape import PredicateKind
    >>> reason = "ILIKE (case-insensitive match)"
    >>> infix_like(Predicate("t", "c", PredicateKind.NOT_SARGABLE, ("%x",), reason=reason))
    True
    """
    if pred.reason == "LIKE pattern starts with a wildcard":
        return True
    return (
        pred.reason.startswith("ILIKE")
        and bool(pred.values)
        and isinstance(pred.values[0], str)
        and pred.values[0].startswith(("%", "_"))
    )


def served_by_trigram(ctx: Context, pred: Predicate) -> bool:
    """Whether ``pred`` is an infix LIKE on a column the DDL gives a trigram index, which serves
    it on PostgreSQL (the cost model knows only B-trees, so it cannot show this itself)."""
    table = ctx.spec.table(pred.table)
    return infix_like(pred) and table is not None and pred.column.lower() in table.trigram_columns
