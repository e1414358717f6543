"""MariaDB's engine-independent histograms (``mysql.column_stats``) as the spec's ``histogram``.

MariaDB keeps equal-height histograms in two ways. ``SINGLE_PREC_HB`` and ``DOUBLE_PREC_HB`` (the
default) store each bucket's end as a fraction of the column's range, in one or two bytes: the
bound is ``min + fraction x (max - min)`` in the value's stored form, which this reads for
numbers and DATEs (a DATE is placed as the number YYYYMMDD).
``JSON_HB`` (10.8+) stores each bucket's first value as text, and the last one's end.
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

from advisor.introspect.model import Scalar

_INTEGER = re.compile(r"^(tiny|small|medium|big)?int(eger)?\b|^(big)?serial\b|^year\b")
_DECIMAL = re.compile(r"^(decimal|numeric|float|double|real)\b")


def decode(
    kind: str | None, data: bytes | str | None, low: str | None, high: str | None, column_type: str
) -> tuple[Scalar, ...]:
    """The bounds of a column's histogram, lowest first; ``()`` where they cannot be read.

    >>> decode("DOUBLE_PREC_HB", bytes([0, 128]), "0", "100", "int(11)")
    (0, 50, 100)
    >>> decode("SINGLE_PREC_HB", bytes([128]), "2024-01-01", "2024-03-01", "date")
    ('2024-01-01', '2024-02-01', '2024-03-01')
    >>> decode("SINGLE_PREC_HB", bytes([64]), "2024-01-01", "2024-03-01", "date")
    ('2024-01-01', '2024-01-31', '2024-03-01')
    >>> decode("JSON_HB", '{"histogram_hb": [{"start": "a"}, {"start": "m", "end": "z"}]}', "a", "z", "text")
    ('a', 'm', 'z')
    """
    if kind is None or data is None or low is None or high is None:
        return ()
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogateescape")
    column_type = column_type.lower()
    if kind == "JSON_HB":
        return _from_json(data, column_type)
    if kind in ("SINGLE_PREC_HB", "DOUBLE_PREC_HB"):
        width = 1 if kind == "SINGLE_PREC_HB" else 2
        top = (1 << (8 * width)) - 1
        ends = [
            int.from_bytes(data[i : i + width], "little") / top
            for i in range(0, len(data) - width + 1, width)
        ]
        return _interpolate(low, high, ends, column_type)
    return ()


def _interpolate(low: str, high: str, fractions: list[float], column_type: str) -> tuple[Scalar, ...]:
    points = [0.0, *fractions, 1.0]
    if _INTEGER.match(column_type) or _DECIMAL.match(column_type):
        try:
            lo, hi = float(low), float(high)
        except ValueError:
            return ()
        values = [lo + f * (hi - lo) for f in points]
        if _INTEGER.match(column_type):
            return _increasing(tuple(round(v) for v in values))
        return _increasing(tuple(round(v, 6) for v in values))
    if column_type.startswith("date") and not column_type.startswith("datetime"):
        # a DATE is positioned as the number YYYYMMDD (its value as a number), not by its day count
        try:
            p0, p1 = _packed(date.fromisoformat(low[:10])), _packed(date.fromisoformat(high[:10]))
        except ValueError:
            return ()
        return _increasing(tuple(_unpacked(round(p0 + f * (p1 - p0))).isoformat() for f in points))
    return ()  # a fraction of a text column's range means nothing


def _packed(day: date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


def _unpacked(packed: int) -> date:
    """The date a position falls on; between months (20240199), the last day before it."""
    year, month, day = packed // 10000, (packed // 100) % 100, packed % 100
    if month > 12:
        month, day = 12, 31
    if month < 1:
        return date(year - 1, 12, 31) if year > 1 else date(1, 1, 1)
    while day > 0:
        try:
            return date(year, month, day)
        except ValueError:
            day -= 1
    return date(year, month, 1) - timedelta(days=1) if (year, month) > (1, 1) else date(1, 1, 1)


def _from_json(data: bytes, column_type: str) -> tuple[Scalar, ...]:
    try:
        buckets = json.loads(data.decode("utf-8"))["histogram_hb"]
        bounds = [str(b["start"]) for b in buckets] + [str(buckets[-1]["end"])]
    except (ValueError, KeyError, IndexError, TypeError):
        return ()
    if _INTEGER.match(column_type) or _DECIMAL.match(column_type):
        try:
            numbers = [float(b) for b in bounds]
        except ValueError:
            return ()
        if _INTEGER.match(column_type):
            return _increasing(tuple(round(n) for n in numbers))
        return _increasing(tuple(numbers))
    if any(not b for b in bounds):
        return ()  # the spec takes no empty bound
    return _increasing(tuple(bounds))


def _increasing(bounds: tuple[Scalar, ...]) -> tuple[Scalar, ...]:
    """``bounds`` as they are (a value repeated over buckets is a common one, as in PostgreSQL's
    bounds), or ``()`` when they do not span two values."""
    return bounds if len(set(bounds)) >= 2 else ()
