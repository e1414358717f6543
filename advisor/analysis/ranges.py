"""Classify ``BETWEEN`` and ``LIKE``: the conditions a B-tree serves as one range of keys, or
cannot serve, with the reason.

Choices:

- ``:x BETWEEN lo AND hi`` is ``lo <= :x`` and ``hi >= :x``: a RANGE on each column.
- ``LIKE 'abc%'`` and ``LIKE :prefix || '%'`` are a LIKE_PREFIX; a pattern that starts with a
  wildcard or is known only at run time, ``NOT LIKE`` and ``ILIKE`` are not sargable.
"""

from __future__ import annotations

from sqlglot import exp

from advisor.analysis.facts import (
    COLUMN_OPERAND,
    EXPRESSION_OPERAND,
    VALUE_OPERAND,
    Fact,
    Namer,
    Role,
    S,
    bare_column,
    copy_node,
    expression_reason,
    not_sargable,
    not_sargable_restriction,
    read_operand,
    restriction,
)
from advisor.analysis.literals import literal_value, literals
from advisor.analysis.nodes import unparen
from advisor.analysis.shape import Literal, PredicateKind


def between_condition(
    node: exp.Between, whole: exp.Expr, role: Role[S], name_of: Namer, negated: bool
) -> list[Fact[S]]:
    """The facts of ``node``, a BETWEEN (``NOT BETWEEN`` when ``negated``) that ``whole`` renders."""
    negated = negated != bool(node.args.get("negate"))
    target = read_operand(node.this, role)
    low, high = read_operand(node.args["low"], role), read_operand(node.args["high"], role)
    if target.kind == COLUMN_OPERAND and low.kind == VALUE_OPERAND and high.kind == VALUE_OPERAND:
        values, parameterized = literals([low.node, high.node])
        kind = PredicateKind.NOT_SARGABLE if negated else PredicateKind.RANGE
        reason = "NOT BETWEEN" if negated else ""
        return [restriction(target, kind, whole, values=values, parameterized=parameterized, reason=reason)]
    if target.kind == EXPRESSION_OPERAND and low.kind == VALUE_OPERAND and high.kind == VALUE_OPERAND:
        return not_sargable(whole, target, expression_reason(target.node, name_of))
    if target.kind != VALUE_OPERAND or negated:
        return []
    # :x BETWEEN lo AND hi  ==  lo <= :x AND hi >= :x
    facts: list[Fact[S]] = []
    for bound, comparison in ((low, exp.LTE), (high, exp.GTE)):
        if bound.kind == COLUMN_OPERAND:
            column = bound.columns[0][1]
            built = comparison(this=bare_column(column), expression=copy_node(target.node))
            facts.append(restriction(bound, PredicateKind.RANGE, built, target.node, unqualify=()))
    return facts


def like_condition(
    node: exp.Like | exp.ILike, whole: exp.Expr, role: Role[S], name_of: Namer, negated: bool
) -> list[Fact[S]]:
    """The facts of ``node``, a LIKE or ILIKE (``NOT`` when ``negated``) that ``whole`` renders."""
    negated = negated != bool(node.args.get("negate"))
    target = read_operand(node.this, role)
    pattern = read_operand(node.expression, role)
    if pattern.kind != VALUE_OPERAND:
        return []
    if target.kind == EXPRESSION_OPERAND:
        return not_sargable(whole, target, expression_reason(target.node, name_of))
    if target.kind != COLUMN_OPERAND:
        return []
    keyword = "ILIKE" if isinstance(node, exp.ILike) else "LIKE"
    literal, value = literal_value(pattern.node)
    values: tuple[Literal, ...] = (value,) if literal else ()
    parameterized = not literal
    if negated or keyword == "ILIKE":
        reason = f"NOT {keyword}" if negated else "ILIKE (case-insensitive match)"
        return [not_sargable_restriction(target, whole, reason, values, parameterized)]
    leading = _leading_part(pattern.node)
    known, start = literal_value(leading)
    if known and isinstance(start, str) and start[:1] in ("%", "_"):
        reason = "LIKE pattern starts with a wildcard"
        return [not_sargable_restriction(target, whole, reason, values, parameterized)]
    if not literal and leading is pattern.node:
        reason = "LIKE pattern known only at run time"
        return [not_sargable_restriction(target, whole, reason, values, parameterized)]
    # A literal prefix, or a run-time prefix followed by a wildcard (:prefix || '%').
    return [restriction(target, PredicateKind.LIKE_PREFIX, whole, values=values, parameterized=parameterized)]


def _leading_part(node: exp.Expr) -> exp.Expr:
    """The first operand of a string concatenation (``:p || '%'``, ``CONCAT(:p, '%')``)."""
    node = unparen(node)
    while True:
        if type(node) is exp.DPipe:
            node = unparen(node.this)
        elif type(node) is exp.Concat and node.expressions:
            node = unparen(node.expressions[0])
        else:
            return node
