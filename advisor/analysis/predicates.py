"""Classify the conditions of a WHERE or ON clause into what an index can use.

Each top-level AND-ed conjunct yields zero or more facts (``facts``):

- a ``Restriction`` of one column of one table reference: ``EQ``, ``IN``, ``RANGE``,
  ``LIKE_PREFIX``, or ``NOT_SARGABLE`` (a condition on the column an index on it cannot serve, with
  the reason);
- an ``Equijoin`` ``a.x = b.y`` between two table references;
- a ``Disjunction``: an OR over the table references whose columns it mixes (an OR of equalities
  on one column is an IN instead).

Which table reference a column belongs to comes from a ``role`` callback, so this module works on
any kind of table reference (the analysis passes its ``Source`` objects): ``role(column)`` is the
reference for a column of a real table of the block, ``OPAQUE`` for a column of the block that
belongs to no real table (a derived table, a CTE, a select-list alias), and None for a value known
at run time (a column of an enclosing block, in a correlated subquery).

Comparisons, ``IS``, ``NOT`` and ``OR`` are read here; IN lists in ``membership``, ``BETWEEN`` and
``LIKE`` in ``ranges``, the values compared with in ``literals``.

Choices (and those of ``facts``, ``membership`` and ``ranges``):

- ``IS NULL`` is an EQ with the value None; ``IS NOT NULL`` a RANGE without values (a B-tree serves
  it as the range of non-null keys); a bare boolean column ``active`` an EQ with True, ``NOT
  active`` with False.
- A row comparison ``(a, b) = (1, 2)`` is an EQ per column; ``(a, b) > (:x, :y)`` (keyset
  pagination) a RANGE on its first column only, which is the range a B-tree on ``(a, b)`` scans.
- Only plain column-to-column equalities are join edges; other comparisons between columns of the
  block (``a.x < b.y``, ``a.x = b.y + 1``, ``a.x = a.y``) yield nothing.
"""

from __future__ import annotations

from sqlglot import exp

from advisor.analysis.facts import (
    COLUMN_OPERAND,
    EXPRESSION_OPERAND,
    VALUE_OPERAND,
    Disjunction,
    Equijoin,
    Fact,
    Namer,
    Opaque,
    Role,
    S,
    all_columns,
    expression_reason,
    not_sargable,
    read_operand,
    restriction,
)
from advisor.analysis.membership import any_members, in_condition, membership, merge_equalities
from advisor.analysis.nodes import block_columns, unparen
from advisor.analysis.ranges import between_condition, like_condition
from advisor.analysis.resolve import resolution_name
from advisor.analysis.shape import PredicateKind

_RANGES = (exp.GT, exp.GTE, exp.LT, exp.LTE)
_EQUALITIES = (exp.EQ, exp.NullSafeEQ)
_INEQUALITIES = (exp.NEQ, exp.NullSafeNEQ)
_COMPARISONS = (*_EQUALITIES, *_RANGES, *_INEQUALITIES)


def split_conjuncts(condition: exp.Expr) -> list[exp.Expr]:
    """The top-level AND-ed conditions of ``condition``, parentheses removed, in source order.

    >>> import sqlglot
    >>> [c.sql() for c in split_conjuncts(sqlglot.parse_one("a = 1 AND (b = 2 AND (c OR d))"))]
    ['a = 1', 'b = 2', 'c OR d']
    """
    out: list[exp.Expr] = []
    stack = [condition]
    while stack:
        node = unparen(stack.pop())
        if type(node) is exp.And:
            stack.append(node.expression)
            stack.append(node.this)
        else:
            out.append(node)
    return out


def classify(conjunct: exp.Expr, role: Role[S], name_of: Namer) -> list[Fact[S]]:
    """The facts one conjunct states; ``name_of`` names functions in reasons.

    >>> import sqlglot
    >>> where = sqlglot.parse_one("SELECT 1 FROM t WHERE LOWER(email) = ?").args["where"].this
    >>> [fact] = classify(where, lambda column: "t", lambda function: function.sql_name())
    >>> fact.source, fact.column, fact.kind.value, fact.reason
    ('t', 'email', 'not_sargable', 'function LOWER() on the column')
    """
    node = unparen(conjunct)
    if isinstance(node, exp.Or):
        return _disjunction(node, role, name_of)
    if isinstance(node, _COMPARISONS):
        return _comparison(node, role, name_of)
    if isinstance(node, exp.In):
        return in_condition(node, node, role, name_of, negated=False)
    if isinstance(node, exp.Between):
        return between_condition(node, node, role, name_of, negated=False)
    if isinstance(node, (exp.Like, exp.ILike)):
        return like_condition(node, node, role, name_of, negated=False)
    if isinstance(node, exp.Escape) and isinstance(node.this, (exp.Like, exp.ILike)):
        return like_condition(node.this, node, role, name_of, negated=False)
    if isinstance(node, exp.Is):
        return _is(node, node, role, name_of, negated=False)
    if isinstance(node, exp.Not):
        return _not(node, role, name_of)
    if type(node) is exp.Column:
        target = read_operand(node, role)
        if target.kind == COLUMN_OPERAND:
            return [restriction(target, PredicateKind.EQ, node, values=(True,))]
        return []
    return not_sargable(node, read_operand(node, role), _condition_reason(node, name_of))


def _comparison(node: exp.Expr, role: Role[S], name_of: Namer) -> list[Fact[S]]:
    left_node, right_node = unparen(node.this), unparen(node.expression)
    if type(left_node) is exp.Tuple and type(right_node) is exp.Tuple:
        return _row_comparison(node, left_node, right_node, role)
    left, right = read_operand(left_node, role), read_operand(right_node, role)
    equality = isinstance(node, _EQUALITIES)
    if left.kind == COLUMN_OPERAND and right.kind == COLUMN_OPERAND:
        (left_source, left_column), (right_source, right_column) = left.columns[0], right.columns[0]
        if equality and left_source is not right_source:
            return [
                Equijoin(
                    left_source, resolution_name(left_column), right_source, resolution_name(right_column)
                )
            ]
        return []
    if left.kind == COLUMN_OPERAND and right.kind == VALUE_OPERAND:
        target, value = left, right
    elif right.kind == COLUMN_OPERAND and left.kind == VALUE_OPERAND:
        target, value = right, left
    elif left.kind == EXPRESSION_OPERAND and right.kind == VALUE_OPERAND:
        return not_sargable(node, left, expression_reason(left.node, name_of), right.node)
    elif right.kind == EXPRESSION_OPERAND and left.kind == VALUE_OPERAND:
        return not_sargable(node, right, expression_reason(right.node, name_of), left.node)
    else:
        return []
    if isinstance(node, _INEQUALITIES):
        return [restriction(target, PredicateKind.NOT_SARGABLE, node, value.node, reason="<> comparison")]
    if not equality:
        return [restriction(target, PredicateKind.RANGE, node, value.node)]
    if type(value.node) is exp.Any:
        return [membership(target, node, any_members(value.node))]
    return [restriction(target, PredicateKind.EQ, node, value.node)]


def _row_comparison(node: exp.Expr, left: exp.Tuple, right: exp.Tuple, role: Role[S]) -> list[Fact[S]]:
    """``(a, b) = (1, 2)``: an EQ per column; ``(a, b) < (:x, :y)``: a RANGE on ``a``."""
    if len(left.expressions) != len(right.expressions):
        return []
    equality = isinstance(node, _EQUALITIES)
    pairs = list(zip(left.expressions, right.expressions, strict=True))
    if not equality and not isinstance(node, _RANGES):
        return []
    facts: list[Fact[S]] = []
    for left_node, right_node in pairs if equality else pairs[:1]:
        sides = read_operand(left_node, role), read_operand(right_node, role)
        if sides[0].kind == COLUMN_OPERAND and sides[1].kind == COLUMN_OPERAND:
            (left_source, left_column), (right_source, right_column) = (
                sides[0].columns[0],
                sides[1].columns[0],
            )
            if equality and left_source is not right_source:
                facts.append(
                    Equijoin(
                        left_source, resolution_name(left_column), right_source, resolution_name(right_column)
                    )
                )
            continue
        for target, value in (sides, sides[::-1]):
            if target.kind == COLUMN_OPERAND and value.kind == VALUE_OPERAND:
                kind = PredicateKind.EQ if equality else PredicateKind.RANGE
                facts.append(restriction(target, kind, node, value.node, unqualify=all_columns(node, role)))
    return facts


def _is(node: exp.Is, whole: exp.Expr, role: Role[S], name_of: Namer, negated: bool) -> list[Fact[S]]:
    negated = negated != bool(node.args.get("negate"))
    target = read_operand(node.this, role)
    right = unparen(node.expression)
    if type(right) is not exp.Null and type(right) is not exp.Boolean:
        return []
    if target.kind == EXPRESSION_OPERAND:
        return not_sargable(whole, target, expression_reason(target.node, name_of))
    if target.kind != COLUMN_OPERAND:
        return []
    if not negated and type(right) is exp.Boolean:
        # kept apart from ``= TRUE``: PostgreSQL matches a partial index on ``x IS TRUE`` only to
        # ``x IS TRUE`` (NULL makes the two differ); selectivity reads both as the value
        test = "IS TRUE" if right.this else "IS FALSE"
        return [restriction(target, PredicateKind.EQ, whole, values=(test,))]
    if not negated:
        return [restriction(target, PredicateKind.EQ, whole, right)]
    if type(right) is exp.Null:
        # IS NOT NULL: the B-tree range of all non-null keys.
        return [restriction(target, PredicateKind.RANGE, whole)]
    return [restriction(target, PredicateKind.NOT_SARGABLE, whole, right, reason="IS NOT TRUE / FALSE")]


def _not(node: exp.Not, role: Role[S], name_of: Namer) -> list[Fact[S]]:
    inner = unparen(node.this)
    if isinstance(inner, exp.In):
        return in_condition(inner, node, role, name_of, negated=True)
    if isinstance(inner, exp.Between):
        return between_condition(inner, node, role, name_of, negated=True)
    if isinstance(inner, (exp.Like, exp.ILike)):
        return like_condition(inner, node, role, name_of, negated=True)
    if isinstance(inner, exp.Escape) and isinstance(inner.this, (exp.Like, exp.ILike)):
        return like_condition(inner.this, node, role, name_of, negated=True)
    if type(inner) is exp.Column:
        target = read_operand(inner, role)
        if target.kind == COLUMN_OPERAND:
            return [restriction(target, PredicateKind.EQ, node, values=(False,))]
        return []
    if isinstance(inner, exp.Is):
        return _is(inner, node, role, name_of, negated=True)
    return not_sargable(node, read_operand(inner, role), "negated condition")


def _disjunction(node: exp.Or, role: Role[S], name_of: Namer) -> list[Fact[S]]:
    """An OR of equalities / INs on one column is an IN. A condition every branch holds is taken
    out of the OR, as the planner does (``(a AND b) OR (a AND c)`` is ``a AND (b OR c)``), so
    a join condition or a filter repeated in each branch still joins or filters; what remains of
    the OR is a Disjunction of the tables it names.

    >>> import sqlglot
    >>> where = sqlglot.parse_one("SELECT 1 FROM t WHERE (a = 1 AND b = 2) OR (a = 1 AND c = 3)").args["where"].this
    >>> [type(f).__name__ + ":" + getattr(f, "column", "") for f in classify(where, lambda c: "t", str)]
    ['Restriction:a', 'Disjunction:']
    """
    disjuncts: list[exp.Expr] = []
    stack: list[exp.Expr] = [node]
    while stack:
        current = unparen(stack.pop())
        if type(current) is exp.Or:
            stack.append(current.expression)
            stack.append(current.this)
        else:
            disjuncts.append(current)
    branches = [split_conjuncts(d) for d in disjuncts]
    common = [c for c in branches[0] if all(any(c == other for other in b) for b in branches[1:])]
    facts = [fact for c in common for fact in classify(c, role, name_of)]
    rests = [[c for c in b if not any(c == k for k in common)] for b in branches]
    if any(not rest for rest in rests):
        return facts  # a branch that is only the common part holds whenever the others do
    if all(len(rest) == 1 for rest in rests):
        merged = merge_equalities([rest[0] for rest in rests], role)
        if merged is not None:
            return [*facts, merged]
    sources: list[S] = []
    for column in (col for rest in rests for c in rest for col in block_columns(c)):
        source = role(column)
        if source is not None and not isinstance(source, Opaque) and source not in sources:
            sources.append(source)
    return [*facts, Disjunction(tuple(sources))] if sources else facts


def _condition_reason(node: exp.Expr, name_of: Namer) -> str:
    """Why an index on a column cannot serve a condition of another kind than the ones above."""
    if isinstance(node, (exp.RegexpLike, exp.RegexpILike)):
        return "regular expression match"
    if isinstance(node, exp.SimilarTo):
        return "SIMILAR TO pattern"
    if isinstance(node, exp.Func) and not isinstance(node, exp.Binary):
        name = name_of(node)
        if name:
            return f"function {name}() on the column"
    return "condition a B-tree index cannot serve"
