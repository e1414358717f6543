"""Move a function or arithmetic off an indexed column, so that an index range serves the
comparison: ``DATE(created_at) = :d`` becomes the half-open range
``created_at >= :d AND created_at < :d + 1 day``, ``YEAR(c) = 2024`` a range of dates,
``total + 10 > :x`` becomes ``total > :x - 10``.

>>> from advisor.rewrite.render import render
>>> render(unwrap(exp.condition("DATE(created_at) = :d", dialect="postgres")), "postgres")
"created_at >= :d AND created_at < (CAST(:d AS DATE) + INTERVAL '1 DAY')"
>>> render(unwrap(exp.condition("DATE(created_at) = :d", dialect="mysql")), "mysql")
'created_at >= :d AND created_at < DATE_ADD(CAST(:d AS DATE), INTERVAL 1 DAY)'
>>> unwrap(exp.condition("LOWER(email) = :e")) is None
True
"""

from __future__ import annotations

from sqlglot import exp

_COMPARISONS: dict[type[exp.Expr], type[exp.Expr]] = {
    exp.EQ: exp.EQ,
    exp.GT: exp.LT,
    exp.GTE: exp.LTE,
    exp.LT: exp.GT,
    exp.LTE: exp.GTE,
}
"""Each comparison and its mirror (``v < f(c)`` is ``f(c) > v``)."""


def _has_column(node: exp.Expr) -> bool:
    return node.find(exp.Column) is not None


def _date_of(node: exp.Expr) -> exp.Column | None:
    """The column inside ``DATE(c)`` / ``CAST(c AS DATE)``, or None."""
    inner: exp.Expr | None = None
    date_function = isinstance(node, (exp.Date, exp.TsOrDsToDate)) and not node.expressions
    if date_function or (isinstance(node, exp.Cast) and node.to.is_type(exp.DataType.Type.DATE)):
        inner = node.this
    elif isinstance(node, exp.Anonymous) and node.name.upper() == "DATE" and len(node.expressions) == 1:
        inner = node.expressions[0]
    return inner if isinstance(inner, exp.Column) else None


def _year_of(node: exp.Expr) -> exp.Column | None:
    inner: exp.Expr | None = None
    if isinstance(node, exp.Year):
        inner = node.this
    elif isinstance(node, exp.Extract) and node.name.upper() == "YEAR":
        inner = node.expression
    # MySQL's YEAR(c) reads as YEAR(TS_OR_DS_TO_DATE(c)).
    if inner is not None and not isinstance(inner, exp.Column):
        inner = _date_of(inner)
    return inner if isinstance(inner, exp.Column) else None


def _next_day(value: exp.Expr) -> exp.Expr:
    """The day after ``value``; cast to DATE first, since PostgreSQL cannot add an interval to an
    untyped literal or a text parameter."""
    day = value.copy()
    if not (isinstance(day, exp.Cast) and day.to.is_type(exp.DataType.Type.DATE)):
        day = exp.Cast(this=day, to=exp.DataType.build("date"))
    return exp.DateAdd(this=day, expression=exp.Literal.number(1), unit=exp.Var(this="DAY"))


def _range(column: exp.Column, low: exp.Expr | None, high: exp.Expr | None) -> exp.Expr:
    """``low <= column < high`` with either bound optional."""
    parts: list[exp.Expr] = []
    if low is not None:
        parts.append(exp.GTE(this=column.copy(), expression=low))
    if high is not None:
        parts.append(exp.LT(this=column.copy(), expression=high))
    return exp.and_(*parts) if len(parts) > 1 else parts[0]


def _whole_days(op: type[exp.Expr], column: exp.Column, start: exp.Expr, end: exp.Expr) -> exp.Expr:
    """``f(column) op v`` where ``f(column) = v`` means ``start <= column < end``."""
    if op is exp.EQ:
        return _range(column, start, end)
    if op is exp.GT:
        return _range(column, end, None)
    if op is exp.GTE:
        return _range(column, start, None)
    if op is exp.LT:
        return _range(column, None, start)
    return _range(column, None, end)


def _year_bounds(value: exp.Expr) -> tuple[exp.Expr, exp.Expr] | None:
    if isinstance(value, exp.Literal) and not value.is_string and value.this.isdigit():
        year = int(value.this)
        return exp.Literal.string(f"{year:04d}-01-01"), exp.Literal.string(f"{year + 1:04d}-01-01")
    return None


def _arithmetic(op: type[exp.Expr], node: exp.Expr, value: exp.Expr) -> exp.Expr | None:
    """``c + k op v`` to ``c op v - k``, likewise for ``-`` and for ``*`` by a positive number.
    Division is left alone: on an integer column PostgreSQL and SQLite divide in integers, so
    ``c / 2 > 45`` is not ``c > 90`` (91 passes the second only)."""
    if not isinstance(node, (exp.Add, exp.Sub, exp.Mul)):
        return None
    left, right = node.this, node.expression
    if isinstance(left, exp.Column) and not _has_column(right):
        column, k = left, right
    elif isinstance(right, exp.Column) and not _has_column(left) and isinstance(node, (exp.Add, exp.Mul)):
        # + and * commute; - is rewritten only with the column first
        column, k = right, left
    else:
        return None
    if isinstance(node, exp.Add):
        bound: exp.Expr = exp.Sub(this=value.copy(), expression=k.copy())
    elif isinstance(node, exp.Sub):
        bound = exp.Add(this=value.copy(), expression=k.copy())
    else:
        # Multiplying by a negative or unknown number would flip the comparison; the division
        # is generated as true division in every dialect (sqlglot casts where needed).
        if not (isinstance(k, exp.Literal) and not k.is_string and float(k.this) > 0):
            return None
        bound = exp.Div(this=value.copy(), expression=k.copy())
    if not isinstance(value, (exp.Literal, exp.Placeholder, exp.Column)):
        bound.set("this", exp.Paren(this=bound.this))
    return op(this=column.copy(), expression=bound)


def unwrap(condition: exp.Expr) -> exp.Expr | None:
    """``condition`` with the function or arithmetic moved off its column, or None when no
    equivalent range exists (``LOWER(email) = :e`` needs an expression index instead).

    >>> from advisor.rewrite.render import render
    >>> render(unwrap(exp.condition("YEAR(created_at) = 2024", dialect="mysql")), "mysql")
    "created_at >= '2024-01-01' AND created_at < '2025-01-01'"
    >>> render(unwrap(exp.condition("total * 2 >= :x")), "postgres")  # no integer division
    'total >= CAST(:x AS DOUBLE PRECISION) / 2'
    >>> render(unwrap(exp.condition("total + 10 > :x")), "mysql")
    'total > :x - 10'
    >>> render(unwrap(exp.condition(":d < DATE(created_at)")), "postgres")
    "created_at >= (CAST(:d AS DATE) + INTERVAL '1 DAY')"
    """
    while isinstance(condition, exp.Paren):
        condition = condition.this
    op = type(condition)
    if op not in _COMPARISONS:
        return None
    left, right = condition.this, condition.expression
    while isinstance(left, exp.Paren):
        left = left.this
    if _has_column(right) and not _has_column(left):
        left, right, op = right, left, _COMPARISONS[op]
        while isinstance(left, exp.Paren):
            left = left.this
    if _has_column(right) or isinstance(left, exp.Column):
        return None
    column = _date_of(left)
    if column is not None:
        return _whole_days(op, column, right.copy(), _next_day(right))
    column = _year_of(left)
    bounds = _year_bounds(right)
    if column is not None and bounds is not None:
        return _whole_days(op, column, *bounds)
    return _arithmetic(op, left, right)
