"""Read the values conditions compare with: literals, also negated, parenthesized or cast, and the
date arithmetic a planner folds into one date (``DATE '1994-01-01' + INTERVAL '1' YEAR``)."""

from __future__ import annotations

from decimal import Decimal

from sqlglot import exp

from advisor.analysis.nodes import unparen
from advisor.analysis.shape import Literal


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
    node = unparen(node)
    while isinstance(node, exp.Cast):
        node = unparen(node.this)
    negative = False
    if type(node) is exp.Neg:
        negative, node = True, unparen(node.this)
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

    interval = unparen(node.expression)
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


def literals(nodes: list[exp.Expr]) -> tuple[tuple[Literal, ...], bool]:
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
