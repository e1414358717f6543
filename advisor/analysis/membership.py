"""Classify the conditions that match a column against a list: ``IN``, a row ``IN``, ``= ANY(...)``,
and an OR of equalities on one column, which is an IN too.

Choices:

- ``IN (:list)`` and ``= ANY(:array)`` are an IN of one (parameterized) member, as the list length is
  unknown; ``IN (SELECT ...)`` and ``= ANY(SELECT ...)`` too: one lookup per row of the subquery.
- ``(a, b) IN ((1, 2), (3, 4))`` is an IN of two members per column.
"""

from __future__ import annotations

from sqlglot import exp

from advisor.analysis.facts import (
    COLUMN_OPERAND,
    EXPRESSION_OPERAND,
    VALUE_OPERAND,
    Fact,
    Namer,
    Operand,
    Restriction,
    Role,
    S,
    all_columns,
    bare_column,
    copy_node,
    expression_reason,
    not_sargable,
    read_operand,
    restriction,
)
from advisor.analysis.literals import literals
from advisor.analysis.nodes import QUERIES, unparen
from advisor.analysis.resolve import resolution_name
from advisor.analysis.shape import PredicateKind


def in_condition(
    node: exp.In, whole: exp.Expr, role: Role[S], name_of: Namer, negated: bool
) -> list[Fact[S]]:
    """The facts of ``node``, an IN (``NOT IN`` when ``negated``) that ``whole`` renders."""
    negated = negated != bool(node.args.get("negate"))
    target_node = unparen(node.this)
    query = node.args.get("query") or node.args.get("unnest")
    if type(target_node) is exp.Tuple:
        return _row_in(node, whole, target_node, role, negated)
    target = read_operand(target_node, role)
    if target.kind == EXPRESSION_OPERAND:
        return not_sargable(whole, target, expression_reason(target.node, name_of))
    if target.kind != COLUMN_OPERAND:
        return []
    members: list[exp.Expr] | None = None
    if query is None:
        members = list(node.expressions)
        if any(read_operand(member, role).kind != VALUE_OPERAND for member in members):
            return []
    if negated:
        values, parameterized = literals(members or [])
        return [
            restriction(
                target,
                PredicateKind.NOT_SARGABLE,
                whole,
                values=values,
                parameterized=parameterized or members is None,
                members=len(members) if members else 1,
                reason="NOT IN",
            )
        ]
    return [membership(target, whole, members)]


def _row_in(node: exp.In, whole: exp.Expr, target: exp.Tuple, role: Role[S], negated: bool) -> list[Fact[S]]:
    """``(a, b) IN ((1, 2), (3, 4))``: an IN per column, one member per row."""
    rows: list[list[exp.Expr]] | None = None
    if node.args.get("query") is None:
        rows = []
        for row in node.expressions:
            row = unparen(row)
            items = list(row.expressions) if type(row) is exp.Tuple else [row]
            if len(items) != len(target.expressions):
                return []
            rows.append(items)
    unqualify = all_columns(whole, role)
    facts: list[Fact[S]] = []
    for position, item in enumerate(target.expressions):
        operand = read_operand(item, role)
        if operand.kind != COLUMN_OPERAND:
            continue
        members = None if rows is None else [row[position] for row in rows]
        if members is not None and any(
            read_operand(member, role).kind != VALUE_OPERAND for member in members
        ):
            return []
        if negated:
            facts.append(restriction(operand, PredicateKind.NOT_SARGABLE, whole, reason="NOT IN"))
        else:
            facts.append(membership(operand, whole, members, unqualify))
    return facts


def merge_equalities(disjuncts: list[exp.Expr], role: Role[S]) -> Restriction[S] | None:
    """The OR of ``disjuncts`` as one IN, when each is an equality or IN list on the same column."""
    target: Operand[S] | None = None
    members: list[exp.Expr] = []
    for disjunct in disjuncts:
        if type(disjunct) is exp.EQ:
            left, right = read_operand(disjunct.this, role), read_operand(disjunct.expression, role)
            column, value = (left, right) if left.kind == COLUMN_OPERAND else (right, left)
            if column.kind != COLUMN_OPERAND or value.kind != VALUE_OPERAND or type(value.node) is exp.Any:
                return None
            found = [value.node]
        elif type(disjunct) is exp.In and not disjunct.args.get("query") and not disjunct.args.get("negate"):
            column = read_operand(disjunct.this, role)
            found = list(disjunct.expressions)
            if column.kind != COLUMN_OPERAND or any(
                read_operand(m, role).kind != VALUE_OPERAND for m in found
            ):
                return None
        else:
            return None
        if target is None:
            target = column
        elif column.columns[0][0] is not target.columns[0][0] or (
            resolution_name(column.columns[0][1]) != resolution_name(target.columns[0][1])
        ):
            return None
        members.extend(found)
    if target is None:
        return None
    column_node = target.columns[0][1]
    built = exp.In(this=bare_column(column_node), expressions=[copy_node(member) for member in members])
    return membership(target, built, members, unqualify=())


def membership(
    target: Operand[S],
    node: exp.Expr,
    members: list[exp.Expr] | None,
    unqualify: tuple[exp.Column, ...] | None = None,
) -> Restriction[S]:
    """An IN restriction; ``members`` None when they come from a subquery or an array parameter."""
    if members is None:
        return restriction(target, PredicateKind.IN, node, parameterized=True, unqualify=unqualify)
    values, parameterized = literals(members)
    return restriction(
        target,
        PredicateKind.IN,
        node,
        values=values,
        parameterized=parameterized,
        members=len(members),
        unqualify=unqualify,
    )


def any_members(node: exp.Any) -> list[exp.Expr] | None:
    """The members of ``= ANY(...)``: an ARRAY[...]'s items, one run-time array, or None for a
    subquery."""
    inner = unparen(node.this)
    if isinstance(inner, QUERIES):
        return None
    if type(inner) is exp.Array:
        return list(inner.expressions)
    return [inner]
