"""Classify the conditions of a WHERE or ON clause into what an index can use.

Each top-level AND-ed conjunct yields zero or more facts:

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

Choices:

- A value that is not a literal (placeholder, outer column, ``now()``, ``CURRENT_DATE - 1``, any
  expression) makes the restriction ``parameterized``: its value is known only at run time.
- ``IN (:list)`` and ``= ANY(:array)`` are an IN of one (parameterized) member, as the list length is
  unknown; ``IN (SELECT ...)`` and ``= ANY(SELECT ...)`` too: one lookup per row of the subquery.
- ``IS NULL`` is an EQ with the value None; ``IS NOT NULL`` a RANGE without values (a B-tree serves
  it as the range of non-null keys); a bare boolean column ``active`` an EQ with True, ``NOT
  active`` with False.
- A row comparison ``(a, b) = (1, 2)`` is an EQ per column; ``(a, b) > (:x, :y)`` (keyset
  pagination) a RANGE on its first column only, which is the range a B-tree on ``(a, b)`` scans;
  ``(a, b) IN ((1, 2), (3, 4))`` an IN of two members per column.
- ``:x BETWEEN lo AND hi`` is ``lo <= :x`` and ``hi >= :x``: a RANGE on each column.
- Only plain column-to-column equalities are join edges; other comparisons between columns of the
  block (``a.x < b.y``, ``a.x = b.y + 1``, ``a.x = a.y``) yield nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Generic, TypeVar

from sqlglot import exp

from advisor.analysis.resolve import resolution_name
from advisor.analysis.shape import Literal, PredicateKind


class Opaque:
    """The role of a column of the block that belongs to no real table."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "OPAQUE"


OPAQUE = Opaque()

S = TypeVar("S")
Role = Callable[[exp.Column], S | Opaque | None]
Namer = Callable[[exp.Func], str]
"""The name of a function as the dialect spells it (``DATE`` rather than ``TS_OR_DS_TO_DATE``)."""


@dataclass(slots=True)
class Restriction(Generic[S]):
    """A conjunct restricting ``column`` of ``source``.

    ``node`` renders the conjunct once the columns in ``unqualify`` lose their table qualifier.
    """

    source: S
    column: str
    kind: PredicateKind
    node: exp.Expr
    unqualify: tuple[exp.Column, ...] = ()
    values: tuple[Literal, ...] = ()
    parameterized: bool = False
    members: int = 1
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Equijoin(Generic[S]):
    left: S
    left_column: str
    right: S
    right_column: str


@dataclass(frozen=True, slots=True)
class Disjunction(Generic[S]):
    sources: tuple[S, ...]


Fact = Restriction[S] | Equijoin[S] | Disjunction[S]

# Operand kinds.
_VALUE, _COLUMN, _EXPRESSION, _OPAQUE = range(4)


@dataclass(slots=True)
class _Operand(Generic[S]):
    """One side of a comparison, classified."""

    kind: int
    node: exp.Expr
    columns: list[tuple[S, exp.Column]]
    """For a plain column: itself; for an expression: the real tables' columns inside it."""


_QUERIES = (exp.Select, exp.SetOperation, exp.Subquery)
_LEAF_VALUES = (exp.Literal, exp.Placeholder, exp.Parameter, exp.Null, exp.Boolean, exp.SessionParameter)
_RANGES = (exp.GT, exp.GTE, exp.LT, exp.LTE)
_EQUALITIES = (exp.EQ, exp.NullSafeEQ)
_INEQUALITIES = (exp.NEQ, exp.NullSafeNEQ)
_COMPARISONS = (*_EQUALITIES, *_RANGES, *_INEQUALITIES)
_ARITHMETIC = (
    exp.Add,
    exp.Sub,
    exp.Mul,
    exp.Div,
    exp.Mod,
    exp.IntDiv,
    exp.Neg,
    exp.BitwiseAnd,
    exp.BitwiseOr,
    exp.BitwiseXor,
    exp.BitwiseNot,
    exp.BitwiseLeftShift,
    exp.BitwiseRightShift,
)
_JSON_EXTRACTIONS = (exp.JSONExtract, exp.JSONExtractScalar, exp.JSONBExtract, exp.JSONBExtractScalar)


def split_conjuncts(condition: exp.Expr) -> list[exp.Expr]:
    """The top-level AND-ed conditions of ``condition``, parentheses removed, in source order.

    >>> import sqlglot
    >>> [c.sql() for c in split_conjuncts(sqlglot.parse_one("a = 1 AND (b = 2 AND (c OR d))"))]
    ['a = 1', 'b = 2', 'c OR d']
    """
    out: list[exp.Expr] = []
    stack = [condition]
    while stack:
        node = _unparen(stack.pop())
        if type(node) is exp.And:
            stack.append(node.expression)
            stack.append(node.this)
        else:
            out.append(node)
    return out


def literal_value(node: exp.Expr) -> tuple[bool, Literal]:
    """``(True, value)`` when ``node`` is a literal (also negated, parenthesized or cast), else
    ``(False, None)``.

    >>> import sqlglot
    >>> literal_value(sqlglot.parse_one("-2.5"))
    (True, -2.5)
    >>> literal_value(sqlglot.parse_one("CAST('2024-01-01' AS DATE)"))
    (True, '2024-01-01')
    >>> literal_value(sqlglot.parse_one("now()"))
    (False, None)
    """
    node = _unparen(node)
    while isinstance(node, exp.Cast):
        node = _unparen(node.this)
    negative = False
    if type(node) is exp.Neg:
        negative, node = True, _unparen(node.this)
    if type(node) is exp.Literal:
        if node.is_string:
            return (False, None) if negative else (True, str(node.this))
        try:
            number = node.to_py()
        except ValueError:
            return False, None
        value: int | float = float(number) if isinstance(number, Decimal) else int(number)
        return True, -value if negative else value
    if negative:
        return False, None
    if type(node) is exp.Null:
        return True, None
    if type(node) is exp.Boolean:
        return True, bool(node.this)
    if isinstance(node, exp.Add | exp.Sub):
        shifted = _date_shift(node)
        if shifted is not None:
            return True, shifted
    return False, None


_UNIT_MONTHS = {"year": 12, "years": 12, "month": 1, "months": 1}
_UNIT_DAYS = {"day": 1, "days": 1, "week": 7, "weeks": 7}


def _date_shift(node: exp.Add | exp.Sub) -> str | None:
    """``DATE '1994-01-01' + INTERVAL '1' YEAR`` as the ISO date it stands for, as the planner
    folds it before estimating a range; ``None`` for anything else.

    >>> import sqlglot
    >>> _date_shift(sqlglot.parse_one("DATE '1998-12-01' - INTERVAL '90' DAY", read="postgres"))
    '1998-09-02'
    >>> _date_shift(sqlglot.parse_one("DATE '1995-01-31' + INTERVAL '1 month'", read="postgres"))
    '1995-02-28'
    """
    import calendar
    import datetime as dt

    interval = _unparen(node.expression)
    if not isinstance(interval, exp.Interval):
        return None
    ok, start = literal_value(node.this)
    if not ok or not isinstance(start, str):
        return None
    words = (
        f"{interval.this.name if interval.this else ''} {interval.unit.name if interval.unit else ''}".split()
    )
    try:
        day = dt.date.fromisoformat(start[:10])
        count = int(words[0]) * (-1 if isinstance(node, exp.Sub) else 1)
        unit = words[1].lower()
    except (ValueError, IndexError):
        return None
    if unit in _UNIT_DAYS:
        return (day + dt.timedelta(days=count * _UNIT_DAYS[unit])).isoformat()
    if unit not in _UNIT_MONTHS:
        return None
    months = day.year * 12 + day.month - 1 + count * _UNIT_MONTHS[unit]
    year, month = divmod(months, 12)
    if not 1 <= year <= 9999:
        return None
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last)).isoformat()


def classify(conjunct: exp.Expr, role: Role[S], name_of: Namer) -> list[Fact[S]]:
    """The facts one conjunct states; ``name_of`` names functions in reasons.

    >>> import sqlglot
    >>> where = sqlglot.parse_one("SELECT 1 FROM t WHERE LOWER(email) = ?").args["where"].this
    >>> [fact] = classify(where, lambda column: "t", lambda function: function.sql_name())
    >>> fact.source, fact.column, fact.kind.value, fact.reason
    ('t', 'email', 'not_sargable', 'function LOWER() on the column')
    """
    node = _unparen(conjunct)
    if isinstance(node, exp.Or):
        return _disjunction(node, role, name_of)
    if isinstance(node, _COMPARISONS):
        return _comparison(node, role, name_of)
    if isinstance(node, exp.In):
        return _in(node, node, role, name_of, negated=False)
    if isinstance(node, exp.Between):
        return _between(node, node, role, name_of, negated=False)
    if isinstance(node, (exp.Like, exp.ILike)):
        return _like(node, node, role, name_of, negated=False)
    if isinstance(node, exp.Escape) and isinstance(node.this, (exp.Like, exp.ILike)):
        return _like(node.this, node, role, name_of, negated=False)
    if isinstance(node, exp.Is):
        return _is(node, node, role, name_of, negated=False)
    if isinstance(node, exp.Not):
        return _not(node, role, name_of)
    if type(node) is exp.Column:
        target = _operand(node, role)
        if target.kind == _COLUMN:
            return [_restriction(target, PredicateKind.EQ, node, values=(True,))]
        return []
    return _not_sargable(node, _operand(node, role), _condition_reason(node, name_of))


def _comparison(node: exp.Expr, role: Role[S], name_of: Namer) -> list[Fact[S]]:
    left_node, right_node = _unparen(node.this), _unparen(node.expression)
    if type(left_node) is exp.Tuple and type(right_node) is exp.Tuple:
        return _row_comparison(node, left_node, right_node, role)
    left, right = _operand(left_node, role), _operand(right_node, role)
    equality = isinstance(node, _EQUALITIES)
    if left.kind == _COLUMN and right.kind == _COLUMN:
        (left_source, left_column), (right_source, right_column) = left.columns[0], right.columns[0]
        if equality and left_source is not right_source:
            return [Equijoin(left_source, _name(left_column), right_source, _name(right_column))]
        return []
    if left.kind == _COLUMN and right.kind == _VALUE:
        target, value = left, right
    elif right.kind == _COLUMN and left.kind == _VALUE:
        target, value = right, left
    elif left.kind == _EXPRESSION and right.kind == _VALUE:
        return _not_sargable(node, left, _expression_reason(left.node, name_of), right.node)
    elif right.kind == _EXPRESSION and left.kind == _VALUE:
        return _not_sargable(node, right, _expression_reason(right.node, name_of), left.node)
    else:
        return []
    if isinstance(node, _INEQUALITIES):
        return [_restriction(target, PredicateKind.NOT_SARGABLE, node, value.node, reason="<> comparison")]
    if not equality:
        return [_restriction(target, PredicateKind.RANGE, node, value.node)]
    if type(value.node) is exp.Any:
        return [_membership(target, node, _any_members(value.node))]
    return [_restriction(target, PredicateKind.EQ, node, value.node)]


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
        sides = _operand(left_node, role), _operand(right_node, role)
        if sides[0].kind == _COLUMN and sides[1].kind == _COLUMN:
            (left_source, left_column), (right_source, right_column) = (
                sides[0].columns[0],
                sides[1].columns[0],
            )
            if equality and left_source is not right_source:
                facts.append(Equijoin(left_source, _name(left_column), right_source, _name(right_column)))
            continue
        for target, value in (sides, sides[::-1]):
            if target.kind == _COLUMN and value.kind == _VALUE:
                kind = PredicateKind.EQ if equality else PredicateKind.RANGE
                facts.append(_restriction(target, kind, node, value.node, unqualify=_all_columns(node, role)))
    return facts


def _in(node: exp.In, whole: exp.Expr, role: Role[S], name_of: Namer, negated: bool) -> list[Fact[S]]:
    negated = negated != bool(node.args.get("negate"))
    target_node = _unparen(node.this)
    query = node.args.get("query") or node.args.get("unnest")
    if type(target_node) is exp.Tuple:
        return _row_in(node, whole, target_node, role, negated)
    target = _operand(target_node, role)
    if target.kind == _EXPRESSION:
        return _not_sargable(whole, target, _expression_reason(target.node, name_of))
    if target.kind != _COLUMN:
        return []
    members: list[exp.Expr] | None = None
    if query is None:
        members = list(node.expressions)
        if any(_operand(member, role).kind != _VALUE for member in members):
            return []
    if negated:
        values, parameterized = _literals(members or [])
        return [
            _restriction(
                target,
                PredicateKind.NOT_SARGABLE,
                whole,
                values=values,
                parameterized=parameterized or members is None,
                members=len(members) if members else 1,
                reason="NOT IN",
            )
        ]
    return [_membership(target, whole, members)]


def _row_in(node: exp.In, whole: exp.Expr, target: exp.Tuple, role: Role[S], negated: bool) -> list[Fact[S]]:
    """``(a, b) IN ((1, 2), (3, 4))``: an IN per column, one member per row."""
    rows: list[list[exp.Expr]] | None = None
    if node.args.get("query") is None:
        rows = []
        for row in node.expressions:
            row = _unparen(row)
            items = list(row.expressions) if type(row) is exp.Tuple else [row]
            if len(items) != len(target.expressions):
                return []
            rows.append(items)
    unqualify = _all_columns(whole, role)
    facts: list[Fact[S]] = []
    for position, item in enumerate(target.expressions):
        operand = _operand(item, role)
        if operand.kind != _COLUMN:
            continue
        members = None if rows is None else [row[position] for row in rows]
        if members is not None and any(_operand(member, role).kind != _VALUE for member in members):
            return []
        if negated:
            facts.append(_restriction(operand, PredicateKind.NOT_SARGABLE, whole, reason="NOT IN"))
        else:
            facts.append(_membership(operand, whole, members, unqualify))
    return facts


def _between(
    node: exp.Between, whole: exp.Expr, role: Role[S], name_of: Namer, negated: bool
) -> list[Fact[S]]:
    negated = negated != bool(node.args.get("negate"))
    target = _operand(node.this, role)
    low, high = _operand(node.args["low"], role), _operand(node.args["high"], role)
    if target.kind == _COLUMN and low.kind == _VALUE and high.kind == _VALUE:
        values, parameterized = _literals([low.node, high.node])
        kind = PredicateKind.NOT_SARGABLE if negated else PredicateKind.RANGE
        reason = "NOT BETWEEN" if negated else ""
        return [_restriction(target, kind, whole, values=values, parameterized=parameterized, reason=reason)]
    if target.kind == _EXPRESSION and low.kind == _VALUE and high.kind == _VALUE:
        return _not_sargable(whole, target, _expression_reason(target.node, name_of))
    if target.kind != _VALUE or negated:
        return []
    # :x BETWEEN lo AND hi  ==  lo <= :x AND hi >= :x
    facts: list[Fact[S]] = []
    for bound, comparison in ((low, exp.LTE), (high, exp.GTE)):
        if bound.kind == _COLUMN:
            column = bound.columns[0][1]
            built = comparison(this=_bare_column(column), expression=_copy(target.node))
            facts.append(_restriction(bound, PredicateKind.RANGE, built, target.node, unqualify=()))
    return facts


def _like(
    node: exp.Like | exp.ILike, whole: exp.Expr, role: Role[S], name_of: Namer, negated: bool
) -> list[Fact[S]]:
    negated = negated != bool(node.args.get("negate"))
    target = _operand(node.this, role)
    pattern = _operand(node.expression, role)
    if pattern.kind != _VALUE:
        return []
    if target.kind == _EXPRESSION:
        return _not_sargable(whole, target, _expression_reason(target.node, name_of))
    if target.kind != _COLUMN:
        return []
    keyword = "ILIKE" if isinstance(node, exp.ILike) else "LIKE"
    literal, value = literal_value(pattern.node)
    values: tuple[Literal, ...] = (value,) if literal else ()
    parameterized = not literal
    if negated or keyword == "ILIKE":
        reason = f"NOT {keyword}" if negated else "ILIKE (case-insensitive match)"
        return [_not_sargable_restriction(target, whole, reason, values, parameterized)]
    leading = _leading_part(pattern.node)
    known, start = literal_value(leading)
    if known and isinstance(start, str) and start[:1] in ("%", "_"):
        reason = "LIKE pattern starts with a wildcard"
        return [_not_sargable_restriction(target, whole, reason, values, parameterized)]
    if not literal and leading is pattern.node:
        reason = "LIKE pattern known only at run time"
        return [_not_sargable_restriction(target, whole, reason, values, parameterized)]
    # A literal prefix, or a run-time prefix followed by a wildcard (:prefix || '%').
    return [
        _restriction(target, PredicateKind.LIKE_PREFIX, whole, values=values, parameterized=parameterized)
    ]


def _is(node: exp.Is, whole: exp.Expr, role: Role[S], name_of: Namer, negated: bool) -> list[Fact[S]]:
    negated = negated != bool(node.args.get("negate"))
    target = _operand(node.this, role)
    right = _unparen(node.expression)
    if type(right) is not exp.Null and type(right) is not exp.Boolean:
        return []
    if target.kind == _EXPRESSION:
        return _not_sargable(whole, target, _expression_reason(target.node, name_of))
    if target.kind != _COLUMN:
        return []
    if not negated and type(right) is exp.Boolean:
        # kept apart from ``= TRUE``: PostgreSQL matches a partial index on ``x IS TRUE`` only to
        # ``x IS TRUE`` (NULL makes the two differ); selectivity reads both as the value
        test = "IS TRUE" if right.this else "IS FALSE"
        return [_restriction(target, PredicateKind.EQ, whole, values=(test,))]
    if not negated:
        return [_restriction(target, PredicateKind.EQ, whole, right)]
    if type(right) is exp.Null:
        # IS NOT NULL: the B-tree range of all non-null keys.
        return [_restriction(target, PredicateKind.RANGE, whole)]
    return [_restriction(target, PredicateKind.NOT_SARGABLE, whole, right, reason="IS NOT TRUE / FALSE")]


def _not(node: exp.Not, role: Role[S], name_of: Namer) -> list[Fact[S]]:
    inner = _unparen(node.this)
    if isinstance(inner, exp.In):
        return _in(inner, node, role, name_of, negated=True)
    if isinstance(inner, exp.Between):
        return _between(inner, node, role, name_of, negated=True)
    if isinstance(inner, (exp.Like, exp.ILike)):
        return _like(inner, node, role, name_of, negated=True)
    if isinstance(inner, exp.Escape) and isinstance(inner.this, (exp.Like, exp.ILike)):
        return _like(inner.this, node, role, name_of, negated=True)
    if type(inner) is exp.Column:
        target = _operand(inner, role)
        if target.kind == _COLUMN:
            return [_restriction(target, PredicateKind.EQ, node, values=(False,))]
        return []
    if isinstance(inner, exp.Is):
        return _is(inner, node, role, name_of, negated=True)
    return _not_sargable(node, _operand(inner, role), "negated condition")


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
        current = _unparen(stack.pop())
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
        merged = _merge_equalities([rest[0] for rest in rests], role)
        if merged is not None:
            return [*facts, merged]
    sources: list[S] = []
    for column in (col for rest in rests for c in rest for col in _columns(c)):
        source = role(column)
        if source is not None and not isinstance(source, Opaque) and source not in sources:
            sources.append(source)
    return [*facts, Disjunction(tuple(sources))] if sources else facts


def _merge_equalities(disjuncts: list[exp.Expr], role: Role[S]) -> Restriction[S] | None:
    target: _Operand[S] | None = None
    members: list[exp.Expr] = []
    for disjunct in disjuncts:
        if type(disjunct) is exp.EQ:
            left, right = _operand(disjunct.this, role), _operand(disjunct.expression, role)
            column, value = (left, right) if left.kind == _COLUMN else (right, left)
            if column.kind != _COLUMN or value.kind != _VALUE or type(value.node) is exp.Any:
                return None
            found = [value.node]
        elif type(disjunct) is exp.In and not disjunct.args.get("query") and not disjunct.args.get("negate"):
            column = _operand(disjunct.this, role)
            found = list(disjunct.expressions)
            if column.kind != _COLUMN or any(_operand(m, role).kind != _VALUE for m in found):
                return None
        else:
            return None
        if target is None:
            target = column
        elif column.columns[0][0] is not target.columns[0][0] or _name(column.columns[0][1]) != _name(
            target.columns[0][1]
        ):
            return None
        members.extend(found)
    if target is None:
        return None
    column_node = target.columns[0][1]
    built = exp.In(this=_bare_column(column_node), expressions=[_copy(member) for member in members])
    return _membership(target, built, members, unqualify=())


def _membership(
    target: _Operand[S],
    node: exp.Expr,
    members: list[exp.Expr] | None,
    unqualify: tuple[exp.Column, ...] | None = None,
) -> Restriction[S]:
    """An IN restriction; ``members`` None when they come from a subquery or an array parameter."""
    if members is None:
        return _restriction(target, PredicateKind.IN, node, parameterized=True, unqualify=unqualify)
    values, parameterized = _literals(members)
    return _restriction(
        target,
        PredicateKind.IN,
        node,
        values=values,
        parameterized=parameterized,
        members=len(members),
        unqualify=unqualify,
    )


def _any_members(node: exp.Any) -> list[exp.Expr] | None:
    """The members of ``= ANY(...)``: an ARRAY[...]'s items, one run-time array, or None for a
    subquery."""
    inner = _unparen(node.this)
    if isinstance(inner, _QUERIES):
        return None
    if type(inner) is exp.Array:
        return list(inner.expressions)
    return [inner]


def _restriction(
    target: _Operand[S],
    kind: PredicateKind,
    node: exp.Expr,
    value: exp.Expr | None = None,
    *,
    values: tuple[Literal, ...] | None = None,
    parameterized: bool = False,
    members: int = 1,
    reason: str = "",
    unqualify: tuple[exp.Column, ...] | None = None,
) -> Restriction[S]:
    source, column = target.columns[0]
    if value is not None:
        literal, found = literal_value(value)
        values, parameterized = ((found,), False) if literal else ((), True)
    return Restriction(
        source,
        _name(column),
        kind,
        node,
        (column,) if unqualify is None else unqualify,
        values or (),
        parameterized,
        members,
        reason,
    )


def _not_sargable_restriction(
    target: _Operand[S], node: exp.Expr, reason: str, values: tuple[Literal, ...], parameterized: bool
) -> Restriction[S]:
    return _restriction(
        target, PredicateKind.NOT_SARGABLE, node, values=values, parameterized=parameterized, reason=reason
    )


def _not_sargable(
    node: exp.Expr, operand: _Operand[S], reason: str, value: exp.Expr | None = None
) -> list[Fact[S]]:
    """A NOT_SARGABLE restriction per distinct real-table column inside ``operand``, compared with
    ``value`` when there is one."""
    if operand.kind not in (_COLUMN, _EXPRESSION):
        return []
    values: tuple[Literal, ...] = ()
    parameterized = False
    if value is not None:
        values, parameterized = _literals([value])
    facts: list[Fact[S]] = []
    seen: set[tuple[int, str]] = set()
    for source, column in operand.columns:
        key = (id(source), _name(column))
        if key in seen:
            continue
        seen.add(key)
        unqualify = tuple(other for owner, other in operand.columns if owner is source)
        facts.append(
            Restriction(
                source,
                key[1],
                PredicateKind.NOT_SARGABLE,
                node,
                unqualify,
                values,
                parameterized,
                reason=reason,
            )
        )
    return facts


def _operand(node: exp.Expr, role: Role[S]) -> _Operand[S]:
    node = _unparen(node)
    if isinstance(node, _LEAF_VALUES):
        return _Operand(_VALUE, node, [])
    if type(node) is exp.Column:
        source = role(node)
        if source is None:
            return _Operand(_VALUE, node, [])
        if isinstance(source, Opaque):
            return _Operand(_OPAQUE, node, [])
        return _Operand(_COLUMN, node, [(source, node)])
    columns: list[tuple[S, exp.Column]] = []
    opaque = False
    for column in _columns(node):
        source = role(column)
        if isinstance(source, Opaque):
            opaque = True
        elif source is not None:
            columns.append((source, column))
    if columns:
        return _Operand(_EXPRESSION, node, columns)
    return _Operand(_OPAQUE if opaque else _VALUE, node, [])


def _columns(node: exp.Expr) -> list[exp.Column]:
    """The column nodes under ``node`` that belong to its block (not to nested queries)."""
    found: list[exp.Column] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if type(current) is exp.Column:
            found.append(current)
            continue
        if isinstance(current, _QUERIES) or type(current) is exp.Lambda:
            continue
        for value in current.args.values():
            if type(value) is list:
                stack.extend(item for item in value if isinstance(item, exp.Expr))
            elif isinstance(value, exp.Expr):
                stack.append(value)
    return found


def _all_columns(node: exp.Expr, role: Role[S]) -> tuple[exp.Column, ...]:
    """The real-table columns of the block under ``node``."""
    return tuple(
        column
        for column in _columns(node)
        if (source := role(column)) is not None and not isinstance(source, Opaque)
    )


def _literals(nodes: list[exp.Expr]) -> tuple[tuple[Literal, ...], bool]:
    """The literal values among ``nodes`` and whether any is not a literal."""
    values: list[Literal] = []
    parameterized = False
    for node in nodes:
        literal, value = literal_value(node)
        if literal:
            values.append(value)
        else:
            parameterized = True
    return tuple(values), parameterized


def _leading_part(node: exp.Expr) -> exp.Expr:
    """The first operand of a string concatenation (``:p || '%'``, ``CONCAT(:p, '%')``)."""
    node = _unparen(node)
    while True:
        if type(node) is exp.DPipe:
            node = _unparen(node.this)
        elif type(node) is exp.Concat and node.expressions:
            node = _unparen(node.expressions[0])
        else:
            return node


def _expression_reason(node: exp.Expr, name_of: Namer) -> str:
    """Why an index on a column cannot serve a condition on the expression ``node`` around it."""
    node = _unparen(node)
    if isinstance(node, exp.Cast):
        return "CAST on the column"
    if isinstance(node, exp.Collate):
        return "COLLATE on the column"
    if isinstance(node, exp.DPipe):
        return "concatenation on the column"
    if isinstance(node, _ARITHMETIC):
        return "arithmetic on the column"
    if isinstance(node, exp.Case):
        return "CASE expression on the column"
    if isinstance(node, _JSON_EXTRACTIONS):
        return "JSON extraction on the column"
    if isinstance(node, exp.Func):
        name = name_of(node)
        return f"function {name}() on the column" if name else "expression on the column"
    return "expression on the column"


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


def _bare_column(column: exp.Column) -> exp.Column:
    """A new, unqualified column node with the same name (and quoting) as ``column``."""
    this = column.this
    if isinstance(this, exp.Identifier):
        return exp.Column(this=exp.Identifier(this=this.this, quoted=this.quoted))
    return exp.Column(this=_copy(this))


def _copy(node: exp.Expr) -> exp.Expr:
    """A copy of ``node`` for a built condition (the parsed tree must keep its parents); literals,
    the usual case, are rebuilt directly, which is much cheaper than a deep copy."""
    if type(node) is exp.Literal:
        return exp.Literal(this=node.this, is_string=node.args.get("is_string"))
    return node.copy()


def _name(column: exp.Column) -> str:
    return resolution_name(column)


def _unparen(node: exp.Expr) -> exp.Expr:
    while type(node) is exp.Paren:
        node = node.this
    return node
