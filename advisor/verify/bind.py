"""A pattern as a runnable statement for the target engine: placeholders bound to representative
values drawn from the loaded rows, time functions fixed to the moment the rows were made (so the
windows of ``created_at >= now() - interval '7 days'`` cover the same rows on every engine), then
generated in the target's dialect by sqlglot."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from datetime import date, datetime, timedelta

import sqlglot
from sqlglot import exp

from advisor.analysis.placeholders import normalize_placeholders
from advisor.dialects import dialect as facts_of
from advisor.emit.indexes import nulls_first
from advisor.verify.data import TableData

_COMPARISONS = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.Like, exp.ILike)
_FLIPPED: dict[type[exp.Expr], type[exp.Expr]] = {exp.GT: exp.LT, exp.GTE: exp.LTE, exp.LT: exp.GT}
_FLIPPED[exp.LTE] = exp.GTE
_UNITS = {
    "second": timedelta(seconds=1),
    "minute": timedelta(minutes=1),
    "hour": timedelta(hours=1),
    "day": timedelta(days=1),
    "week": timedelta(weeks=1),
    "month": timedelta(days=30),
    "year": timedelta(days=365),
}
_NOW = (exp.CurrentTimestamp, exp.CurrentDatetime, exp.CurrentTime)


def representative(values: list[object], op: type[exp.Expr] | None) -> object:
    """A value a real query would bind: for equality, one of median frequency (neither the rarest
    nor the most common); for a lower bound the 90th percentile (a recent window), for an upper
    bound the 10th.

    >>> representative([1, 1, 1, 2, 2, 3], exp.EQ), representative(list(range(100)), exp.GTE)
    (2, 90)
    """
    present = [v for v in values if v is not None]
    if not present:
        return None
    if op in (exp.GT, exp.GTE, exp.LT, exp.LTE):
        ordered = sorted(present, key=_sort_key)
        share = 0.9 if op in (exp.GT, exp.GTE) else 0.1
        return ordered[min(len(ordered) - 1, int(len(ordered) * share))]
    counts = Counter(present)
    ranked = sorted(counts, key=lambda v: (counts[v], _sort_key(v)))
    return ranked[len(ranked) // 2]


def _sort_key(value: object) -> tuple[int, str | float]:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (0, float(value))
    return (1, str(value))


def literal(value: object) -> exp.Expr:
    """A SQL literal for a Python value (timestamps as ``'YYYY-MM-DD HH:MM:SS'`` text)."""
    if value is None:
        return exp.Null()
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, int | float):
        return exp.Literal.number(value)
    if isinstance(value, datetime):
        return exp.Literal.string(value.strftime("%Y-%m-%d %H:%M:%S"))
    if isinstance(value, date):
        return exp.Literal.string(value.isoformat())
    return exp.Literal.string(str(value))


class Binder:
    """Binds the patterns of one spec against the rows loaded for it."""

    def __init__(self, dialect: str, data: Mapping[str, TableData], now: datetime) -> None:
        self.dialect = dialect
        self.data = data
        self.now = now

    def bind(self, sql: str, target: str) -> str:
        """``sql`` (in the spec's dialect) with values bound, in ``target``'s dialect."""
        tree = sqlglot.parse_one(normalize_placeholders(sql, self.dialect), read=self.dialect)
        tables = {t.alias_or_name.lower(): t.name.lower() for t in tree.find_all(exp.Table)}
        tree = tree.transform(self._fold_time)
        for node in list(tree.find_all(exp.Placeholder, exp.Parameter)):
            if isinstance(node, exp.Parameter) and isinstance(node.parent, exp.Parameter):
                continue
            node.replace(self._value_for(node, tables, tree))
        for ordered in tree.find_all(exp.Ordered):
            # Keep the target's own null placement: an explicit NULLS FIRST/LAST that differs from it
            # stops SQLite and MySQL from reading an index in order.
            ordered.set("nulls_first", nulls_first(target, bool(ordered.args.get("desc"))))
        if not facts_of(target).extract:
            tree = tree.transform(_sqlite_extract)
        return tree.sql(dialect=target)

    def _fold_time(self, node: exp.Expr) -> exp.Expr:
        """``now()``, ``CURRENT_DATE`` and ``now() - interval '7 days'`` as fixed timestamps."""
        if isinstance(node, exp.Sub | exp.Add) and isinstance(node.expression, exp.Interval):
            base = self._moment(node.this)
            step = _interval(node.expression)
            if base is not None and step is not None:
                moment = base - step if isinstance(node, exp.Sub) else base + step
                return literal(moment)
        now = self._moment(node)
        if now is not None and not isinstance(node.parent, exp.Sub | exp.Add):
            return literal(now)
        return node

    def _moment(self, node: exp.Expr) -> datetime | None:
        if isinstance(node, _NOW) or (isinstance(node, exp.Anonymous) and node.name.lower() == "now"):
            return self.now
        if isinstance(node, exp.CurrentDate):
            return self.now.replace(hour=0, minute=0, second=0)
        return None

    def _value_for(self, node: exp.Expr, tables: dict[str, str], tree: exp.Expr) -> exp.Expr:
        parent = node.parent
        if isinstance(parent, exp.Limit | exp.Fetch):
            return exp.Literal.number(20)
        if isinstance(parent, exp.Offset):
            return exp.Literal.number(0)
        column: exp.Expr | None = None
        op: type[exp.Expr] | None = exp.EQ
        if isinstance(parent, exp.In):
            column = parent.this
        elif isinstance(parent, exp.Between):
            column = parent.this
            op = exp.GTE if node is parent.args.get("low") else exp.LTE
        elif isinstance(parent, _COMPARISONS):
            on_right = node is parent.expression
            column = parent.this if on_right else parent.expression
            op = type(parent) if on_right else _FLIPPED.get(type(parent), type(parent))
        elif isinstance(parent, exp.Tuple) and isinstance(parent.parent, exp.Values):
            column = _insert_column(parent, node, tree)
        values = self._values(column, tables) if isinstance(column, exp.Column) else None
        value = representative(values, op) if values else None
        return literal(value if value is not None else 1)

    def _values(self, column: exp.Column, tables: dict[str, str]) -> list[object] | None:
        if column.table:
            candidates = [tables.get(column.table.lower(), column.table.lower())]
        else:
            candidates = list(dict.fromkeys(tables.values()))
        for key in candidates:
            data = self.data.get(key)
            if data is not None and column.name.lower() in (c.lower() for c in data.columns):
                return data.values(column.name)
        return None


def _insert_column(row: exp.Tuple, node: exp.Expr, tree: exp.Expr) -> exp.Column | None:
    """The column an INSERT ... VALUES value goes into."""
    schema = tree.this if isinstance(tree, exp.Insert) else None
    if not isinstance(schema, exp.Schema):
        return None
    names = [e.name for e in schema.expressions]
    at = next((i for i, e in enumerate(row.expressions) if e is node), None)
    if at is None or at >= len(names):
        return None
    table = schema.this.name if isinstance(schema.this, exp.Table) else ""
    return exp.column(names[at], table=table)


def _interval(node: exp.Interval) -> timedelta | None:
    """``interval '7 days'`` / ``INTERVAL 7 DAY`` as a timedelta; ``None`` if unreadable."""
    text = f"{node.this.name if isinstance(node.this, exp.Expr) else node.this} {node.text('unit')}"
    match = re.fullmatch(r"\s*(-?\d+(?:\.\d+)?)\s*([a-z]+?)s?\s*", text, re.IGNORECASE)
    if match is None:
        return None
    unit = _UNITS.get(match.group(2).lower())
    return unit * float(match.group(1)) if unit is not None else None


_STRFTIME = {"YEAR": "%Y", "MONTH": "%m", "DAY": "%d", "HOUR": "%H", "MINUTE": "%M", "SECOND": "%S"}


def _sqlite_extract(node: exp.Expr) -> exp.Expr:
    """``EXTRACT(YEAR FROM d)``, which SQLite does not have and sqlglot writes as it is, as
    ``CAST(STRFTIME('%Y', d) AS INTEGER)``.

    >>> sqlglot.parse_one("SELECT EXTRACT(year FROM d) FROM t").transform(_sqlite_extract).sql("sqlite")
    "SELECT CAST(STRFTIME('%Y', d) AS INTEGER) FROM t"
    """
    if not isinstance(node, exp.Extract):
        return node
    unit = _STRFTIME.get(node.this.name.upper())
    if unit is None:
        return node
    text = exp.Anonymous(this="STRFTIME", expressions=[exp.Literal.string(unit), node.expression])
    return exp.Cast(this=text, to=exp.DataType.build("INTEGER"))
