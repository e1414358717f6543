"""Selectivity: the share of a table's rows a predicate keeps.

Equality is ``1/ndv``, or the value's declared frequency when the SQL names the value; IN sums
its members; ranges use fixed defaults (PostgreSQL's own: 1/3 one-sided, 0.5 % two-sided)
except against the current time on a table whose daily growth is known, where the window in days
times the growth gives the share. Predicates on different columns are taken as independent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from advisor.analysis.shape import Predicate, PredicateKind
from advisor.cost.histogram import ranges_share
from advisor.spec.model import Column, Table

ONE_SIDED_RANGE = 1 / 3
TWO_SIDED_RANGE = 0.005
LIKE_PREFIX = 0.01
NULL_SHARE = 0.05
DEFAULT_NDV_SHARE = 0.1
"""Distinct values assumed when a column has no ``ndv``: 10 % of the rows (unique columns: all)."""

_NOW = re.compile(r"current_date|current_timestamp|now\(\)|localtimestamp|getdate|sysdate", re.I)
_INTERVAL = re.compile(r"interval\s*'?\s*(\d+)\s*'?\s*(minute|hour|day|week|month|year)", re.I)
_UNIT_DAYS = {"minute": 1 / 1440, "hour": 1 / 24, "day": 1, "week": 7, "month": 30, "year": 365}


@dataclass(frozen=True)
class Estimate:
    share: float
    assumed: str = ""
    """Non-empty when a default stood in for a missing statistic: says which."""


def column_ndv(table: Table, column: Column) -> tuple[int, bool]:
    """Distinct values of ``column`` and whether that number was assumed.

    Without statistics a referencing column is taken to hold no more values than its parent
    key has (``references_ndv``), whatever share of its own rows the default gives.

    >>> from advisor.spec.model import Table, Column
    >>> t = Table("t", (Column("a"), Column("b", unique=True), Column("p", references_ndv=20)), rows=1000)
    >>> column_ndv(t, t.columns[0]), column_ndv(t, t.columns[1]), column_ndv(t, t.columns[2])
    ((100, True), (1000, False), (20, True))
    """
    rows = max(1, table.rows or 0)
    if column.ndv is not None:
        return max(1, column.ndv), False
    if column.unique or column.primary_key or table.primary_key == (column.name.lower(),):
        return rows, False
    if column.frequencies:
        return len(column.frequencies), True
    return min(default_ndv(rows), column.references_ndv or rows), True


def default_ndv(rows: int) -> int:
    """The distinct values assumed for a column without statistics: ``DEFAULT_NDV_SHARE`` of the rows."""
    return max(1, int(rows * DEFAULT_NDV_SHARE))


def ndv_note(table: Table, column: Column, ndv: int) -> str:
    """What ``column_ndv`` assumed, for the report's list of assumptions."""
    what = f"{table.name}.{column.name} ndv (no stats given; assumed {ndv:,}"
    bounded = column.references_ndv is not None and ndv < default_ndv(max(1, table.rows or 0))
    if column.references is not None and bounded and not column.frequencies:
        parent, key = column.references
        return what + f": at most the {column.references_ndv:,} values of {parent}.{key})"
    return what + ")"


def _value_share(table: Table, column: Column, value: object) -> float:
    known = column.frequency_of(value)
    if known is not None:
        return known
    ndv, _ = column_ndv(table, column)
    if column.frequencies:
        rest = max(0.0, 1.0 - sum(share for _, share in column.frequencies))
        return rest / max(1, ndv - len(column.frequencies))
    return 1.0 / ndv


def estimate(table: Table, predicate: Predicate) -> Estimate:
    """The share of ``table``'s rows that satisfy ``predicate``; ``IS NULL`` keeps the column's
    ``null_frac`` when given.

    >>> t = Table("t", (Column("a", null_frac=0.25),), rows=100)
    >>> estimate(t, Predicate("t", "a", PredicateKind.EQ, (None,))).share
    0.25
    """
    column = table.column(predicate.column)
    if column is None:
        return Estimate(1.0)
    ndv, assumed = column_ndv(table, column)
    note = ndv_note(table, column, ndv) if assumed else ""
    kind = predicate.kind
    if kind is PredicateKind.EQ:
        if predicate.values == (None,):
            if not column.nullable:
                return Estimate(0.0)
            if column.null_frac is not None:
                return Estimate(column.null_frac)
            return Estimate(
                NULL_SHARE, f"{table.name}.{column.name} NULL share (no null_frac given; assumed 5%)"
            )
        if predicate.constant:
            return Estimate(_value_share(table, column, predicate.values[0]), note)
        return Estimate(1.0 / ndv, note)
    if kind is PredicateKind.IN:
        if predicate.constant:
            share = sum(_value_share(table, column, v) for v in predicate.values)
        else:
            share = max(1, predicate.members) / ndv
        return Estimate(min(1.0, share), note)
    if kind is PredicateKind.RANGE:
        from_histogram = ranges_share(column, [predicate])
        if from_histogram is not None:
            return Estimate(from_histogram)
        return Estimate(range_share(table, predicate))
    if kind is PredicateKind.LIKE_PREFIX:
        return Estimate(LIKE_PREFIX)
    if kind is PredicateKind.NOT_SARGABLE:
        return Estimate(unindexable_share(table, column, predicate))
    return Estimate(1.0)


MATCH_SHARE = 0.005
"""A condition on an expression of the column, or a pattern nothing can test: the planner's
default (``DEFAULT_EQ_SEL``, ``DEFAULT_MATCH_SEL``)."""


def unindexable_share(table: Table, column: Column, predicate: Predicate) -> float:
    """The share of rows a condition no index serves keeps: it still decides which table drives
    a join. A negation keeps the rest of the values; a LIKE pattern is tried on the common values
    and the histogram's bounds, as the planner does; anything else gets the planner's default.

    >>> from advisor.spec.model import Table, Column
    >>> c = Column("name", histogram=("almond red", "azure green", "blue tan", "green red", "khaki tan"))
    >>> t = Table("p", (c,), rows=1000)
    >>> unindexable_share(t, c, Predicate("p", "name", PredicateKind.NOT_SARGABLE, ("%green%",),
    ...                   reason="LIKE pattern starts with a wildcard"))
    0.4
    >>> unindexable_share(t, c, Predicate("p", "name", PredicateKind.NOT_SARGABLE, ("x",), reason="<> comparison"))
    0.99
    """
    reason = predicate.reason
    if reason == "<> comparison" and predicate.constant:
        return max(0.0, 1.0 - _value_share(table, column, predicate.values[0]))
    if reason == "NOT IN":
        if predicate.constant:
            return max(0.0, 1.0 - sum(_value_share(table, column, v) for v in predicate.values))
        return max(0.0, 1.0 - predicate.members / column_ndv(table, column)[0])
    like = reason in ("LIKE pattern starts with a wildcard", "NOT LIKE")
    if like and predicate.constant and isinstance(predicate.values[0], str):
        share = pattern_share(column, predicate.values[0])
        if share is not None:
            return 1.0 - share if reason == "NOT LIKE" else share
    if reason.startswith("NOT ") or reason in ("negated condition", "IS NOT TRUE / FALSE"):
        return 1.0 - MATCH_SHARE
    return MATCH_SHARE


def pattern_share(column: Column, pattern: str) -> float | None:
    """The share of rows matching a LIKE ``pattern``, from the common values and the histogram's
    bounds (``histogram_selectivity``), or ``None`` with neither."""
    sample = [str(b) for b in column.histogram]
    if not sample and not column.frequencies:
        return None
    regex = re.compile(
        "".join(".*" if ch == "%" else "." if ch == "_" else re.escape(ch) for ch in pattern), re.S
    )
    common = sum(f for v, f in column.frequencies if regex.fullmatch(v))
    rest = max(0.0, 1.0 - sum(f for _, f in column.frequencies) - (column.null_frac or 0.0))
    if not sample:
        return common
    hits = sum(1 for b in sample if regex.fullmatch(b))
    return common + rest * max(hits, 0.5) / len(sample)


def range_share(table: Table, predicate: Predicate) -> float:
    """A range's share: a time window over known daily growth, else the fixed defaults.

    >>> from advisor.spec.model import Table, Column
    >>> t = Table("t", (Column("created_at", "timestamp"),), rows=365_000, growth_per_day=1000)
    >>> p = Predicate("t", "created_at", PredicateKind.RANGE, sql="created_at >= CURRENT_DATE")
    >>> round(range_share(t, p), 5)
    0.00274
    >>> old = Predicate("t", "created_at", PredicateKind.RANGE, sql="created_at < NOW() - INTERVAL '300 days'")
    >>> round(range_share(t, old), 3)
    0.178
    """
    two_sided = (
        " between " in predicate.sql.lower() or predicate.sql.count("<") + predicate.sql.count(">") > 1
    )
    days = window_days(predicate)
    if days is not None and table.growth_per_day and table.rows:
        window = min(1.0, days * table.growth_per_day / table.rows)
        return 1.0 - window if older_than(predicate) else window
    return TWO_SIDED_RANGE if two_sided else ONE_SIDED_RANGE


def window_days(predicate: Predicate) -> float | None:
    """The length in days of a range against the current time (``>= now() - interval '7 days'``;
    ``>= CURRENT_DATE`` is one day), or ``None`` when the range does not involve the current time.

    >>> window_days(Predicate("t", "at", PredicateKind.RANGE, sql="at >= now() - INTERVAL '7 days'"))
    7.0
    >>> window_days(Predicate("t", "at", PredicateKind.RANGE, sql="at >= :since")) is None
    True
    """
    if not _NOW.search(predicate.sql):
        return None
    interval = _INTERVAL.search(predicate.sql)
    if interval is None:
        return 1.0
    return float(int(interval.group(1)) * _UNIT_DAYS[interval.group(2).lower()])


_COMPARE = re.compile(r"(<=|>=|<|>)")


def older_than(predicate: Predicate) -> bool:
    """Whether a range against the current time keeps the rows *before* the window
    (``created_at < now() - interval '90 days'``) rather than those inside it.

    >>> p = Predicate("t", "at", PredicateKind.RANGE, sql="at < NOW() - INTERVAL '90' DAY")
    >>> older_than(p), older_than(Predicate("t", "at", PredicateKind.RANGE, sql="NOW() > at"))
    (True, True)
    """
    text = predicate.sql.strip()
    match = _COMPARE.search(text)
    if match is None:
        return False
    less = match.group(1).startswith("<")
    column_first = text.lower().lstrip('"`[').startswith(predicate.column.lower())
    return less if column_first else not less
