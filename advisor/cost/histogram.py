"""Ranges against literals, estimated from a column's histogram as PostgreSQL's planner does.

``histogram`` holds the bounds of equal-count buckets of the values outside the most common
ones (``frequencies``): a bound falls in one bucket, and the share below it is the buckets
wholly below plus the part of its own bucket found by linear interpolation (numbers and ISO
dates; other text counts half a bucket). The common values are tested one by one, and the
NULLs are never in a range.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re

from advisor.analysis.shape import Predicate
from advisor.spec.model import Column

Bound = tuple[float | str, bool]
"""A value and whether it is included."""

_OPERATOR = re.compile(r"(<=|>=|<|>)")


def _number(value: object) -> float | None:
    """A number for interpolation: numbers as they are, ISO dates and timestamps as days.

    >>> _number(3), _number("1970-01-11"), _number("abc")
    (3.0, 10.0, None)
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    text = str(value)
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return None
    return moment.replace(tzinfo=None).timestamp() / 86400


def below(bounds: tuple[str | int | float, ...], value: object) -> float:
    """The share of the histogram's values below ``value``.

    >>> below((0, 10, 20, 30, 40), 15), below((0, 10, 20, 30, 40), -5), below(("a", "m", "z"), "q")
    (0.375, 0.0, 0.75)
    """
    buckets = len(bounds) - 1
    numbers = [_number(b) for b in bounds]
    target = _number(value)
    if target is not None and all(n is not None for n in numbers):
        keys = [n for n in numbers if n is not None]
        i = bisect.bisect_right(keys, target) - 1
        if i < 0:
            return 0.0
        if i >= buckets:
            return 1.0
        low, high = keys[i], keys[i + 1]
        inside = (target - low) / (high - low) if high > low else 0.5
        return (i + inside) / buckets
    texts = [str(b) for b in bounds]
    i = bisect.bisect_right(texts, str(value)) - 1
    if i < 0:
        return 0.0
    return 1.0 if i >= buckets else (i + 0.5) / buckets


def bounds_of(predicate: Predicate) -> tuple[Bound | None, Bound | None] | None:
    """The lower and upper bound a constant range sets on its column, or ``None`` when the SQL
    gives no literal to compare with.

    >>> from advisor.analysis.shape import PredicateKind as K
    >>> bounds_of(Predicate("t", "a", K.RANGE, (5,), sql="a >= 5"))
    ((5, True), None)
    >>> bounds_of(Predicate("t", "a", K.RANGE, (5,), sql="5 > a"))
    (None, (5, False))
    >>> bounds_of(Predicate("t", "a", K.RANGE, (1, 9), sql="a BETWEEN 1 AND 9"))
    ((1, True), (9, True))
    """
    if not predicate.constant or None in predicate.values:
        return None
    values = [v for v in predicate.values if v is not None and not isinstance(v, bool)]
    if len(values) != len(predicate.values):
        return None
    if len(values) == 2:
        return (values[0], True), (values[1], True)
    match = _OPERATOR.search(predicate.sql)
    if match is None or len(values) != 1:
        return None
    op = match.group(1)
    column_first = predicate.sql.strip().lower().lstrip('"`[').startswith(predicate.column.lower())
    less = op.startswith("<") == column_first
    bound: Bound = (values[0], op.endswith("="))
    return (None, bound) if less else (bound, None)


def range_share(column: Column, low: Bound | None, high: Bound | None, null_frac: float) -> float | None:
    """The share of all rows within ``low`` and ``high`` (either may be open), or ``None`` when
    the column has neither a histogram nor common values.

    >>> c = Column("a", histogram=(0, 10, 20, 30, 40), frequencies=(("5", 0.2),))
    >>> round(range_share(c, (0, True), (10, False), 0.0), 3)  # a quarter of 80 %, and the 5s
    0.4

    Without a histogram the common values are tested one by one and, as the planner assumes
    (``scalarineqsel``), half of the other values pass each bound: for a range bounded on both
    sides those halves cancel out (``clauselist_selectivity``), leaving the common values.

    >>> d = Column("d", frequencies=(("0.01", 0.3), ("0.05", 0.3), ("0.07", 0.3)))
    >>> round(range_share(d, (0.05, True), (0.07, True), 0.0), 3), round(range_share(d, None, (0.05, False), 0.0), 3)
    (0.6, 0.35)
    """
    if not column.histogram and not column.frequencies:
        return None
    common = sum(f for _, f in column.frequencies)
    inside = sum(freq for value, freq in column.frequencies if _within(value, low, high))
    rest = max(0.0, 1.0 - common - null_frac)
    if not column.histogram:
        return inside + (0.5 * rest if low is None or high is None else 0.0)
    share = below(column.histogram, high[0]) if high is not None else 1.0
    share -= below(column.histogram, low[0]) if low is not None else 0.0
    return max(0.0, share) * rest + inside


def _within(value: str, low: Bound | None, high: Bound | None) -> bool:
    number = _number(value)
    for bound, is_low in ((low, True), (high, False)):
        if bound is None:
            continue
        limit, inclusive = bound
        other = _number(limit)
        a, b = (number, other) if number is not None and other is not None else (value, str(limit))
        if a == b and not inclusive:
            return False
        if (a < b) if is_low else (a > b):  # type: ignore[operator]
            return False
    return True


def _tighter(a: Bound | None, b: Bound | None, low: bool) -> Bound | None:
    if a is None or b is None:
        return a or b
    x, y = _number(a[0]), _number(b[0])
    first_wins = (
        (x > y if low else x < y) if x is not None and y is not None else (str(a[0]) > str(b[0])) == low
    )
    return a if first_wins else b


def ranges_share(column: Column, predicates: list[Predicate]) -> float | None:
    """The share of all rows within every constant range of ``predicates`` on ``column`` (the
    tightest bounds of them all), or ``None`` without a histogram or common values, or without
    a literal bound.

    >>> from advisor.analysis.shape import PredicateKind as K
    >>> c = Column("d", histogram=("1992-01-01", "1993-01-01", "1994-01-01", "1995-01-01"))
    >>> ps = [Predicate("t", "d", K.RANGE, ("1993-01-01",), sql="d >= '1993-01-01'"),
    ...       Predicate("t", "d", K.RANGE, ("1994-01-01",), sql="d < '1994-01-01'")]
    >>> round(ranges_share(c, ps), 3)
    0.333
    """
    if not column.histogram and not column.frequencies:
        return None
    low: Bound | None = None
    high: Bound | None = None
    for pred in predicates:
        found = bounds_of(pred)
        if found is None:
            return None
        low, high = _tighter(low, found[0], True), _tighter(high, found[1], False)
    return range_share(column, low, high, column.null_frac or 0.0)
