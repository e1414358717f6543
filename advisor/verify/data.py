"""Synthetic rows from the spec's statistics, scaled down to a cap, for a planner to look at.

What is kept: each table's share of the largest table (no table smaller than a tenth of the cap
or 1,000 rows, so that none is a handful of rows), each column's rows per distinct value, capped at the square
root of the scaled rows so that one value still selects a small share (scaling the ratio of distinct
values to rows instead would leave 9 billion order lines over 1 million products with one product
in 10,000 rows), declared value frequencies, uniqueness of keys, and realistic physical order: time columns and the foreign keys
of a child created with its parent (``order_items.order_id``: at most 10 children per parent and
most parents have some) grow with the row number, as rows are inserted; other values are spread
at random (seeded, so every run loads the same rows).
"""

from __future__ import annotations

import math
import random
import string
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlglot import exp

from advisor.cost.selectivity import column_ndv
from advisor.emit.type_families import INT_RANGES
from advisor.emit.types import target_type
from advisor.spec.model import Column, Spec, Table

DT = exp.DataType.Type
DEFAULT_SPAN_DAYS = 365
_DIGITS = string.digits + string.ascii_lowercase


@dataclass(frozen=True)
class TableData:
    table: Table
    columns: tuple[str, ...]
    rows: list[tuple[object, ...]]
    declared_rows: int
    """Rows the spec gives (or the cap, when it gives none)."""

    def values(self, column: str) -> list[object]:
        at = [c.lower() for c in self.columns].index(column.lower())
        return [row[at] for row in self.rows]


def now_utc() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


SMALL_TABLE_ROWS = 1000
"""No table gets fewer rows than this (or the cap, if smaller): below it planners scan anything."""


def scaled_rows(spec: Spec, cap: int) -> dict[str, int]:
    """Rows to load per table key: the largest table gets ``cap``, the others their share of it,
    at least a tenth of the cap or 1,000 rows (never more than the cap or the table has).

    >>> from advisor.spec.model import Column, Table, Spec
    >>> from pathlib import Path
    >>> big, small = Table("big", (Column("a"),), rows=10**9), Table("small", (Column("a"),), rows=50)
    >>> scaled_rows(Spec(Path("x"), "postgres", (big, small), ()), 1000)
    {'big': 1000, 'small': 50}
    """
    declared = {t.name.lower(): t.rows or cap for t in spec.tables}
    largest = max(declared.values(), default=1)
    floor = max(1, min(cap, max(cap // 10, SMALL_TABLE_ROWS)))
    out = {}
    for key, rows in declared.items():
        share = round(rows * cap / largest)
        out[key] = max(1, min(rows, max(share, floor)))
    return out


class _Generator:
    def __init__(self, spec: Spec, cap: int, now: datetime):
        self.spec = spec
        self.types = {
            t.name.lower(): {
                c.name.lower(): target_type(c.type, spec.dialect, spec.dialect) for c in t.columns
            }
            for t in spec.tables
        }
        self.sizes = scaled_rows(spec, cap)
        self.cap = cap
        self.now = now
        self.done: dict[str, TableData] = {}

    def table(self, table: Table) -> TableData:
        key = table.name.lower()
        n = self.sizes[key]
        rnd = random.Random(f"advisor:{key}")
        columns = [self._column(table, col, n, rnd) for col in table.columns]
        rows = list(zip(*columns, strict=True)) if columns else []
        rows = self._whole_references(table, rows, rnd)
        rows = self._unique_keys(table, rows)
        data = TableData(table, tuple(c.name for c in table.columns), rows, table.rows or self.cap)
        self.done[key] = data
        return data

    def _column(self, table: Table, col: Column, n: int, rnd: random.Random) -> list[object]:
        dtype = self.types[table.name.lower()][col.name.lower()]
        declared = table.rows or self.cap
        ndv, _ = column_ndv(table, col)
        if col.unique or list(table.primary_key) == [col.name] or ndv >= declared:
            return [self._value(table, col, dtype, r, n) for r in range(n)]
        per_value = min(declared / max(ndv, 1), math.sqrt(n))
        k = max(1, min(n, ndv, round(n / max(per_value, 1.0))))
        if col.references is not None:
            parent = self.done.get(col.references[0])
            if parent is not None:
                return self._foreign(table, col, parent, k, n, rnd)
            if col.nullable:
                return [None] * n
        if col.frequencies:
            return self._frequent(table, col, dtype, max(k, len(col.frequencies)), n, rnd)
        if _kind(dtype)[0] in ("date", "time"):
            return [self._value(table, col, dtype, r * k // n, k) for r in range(n)]
        picks = [r % k for r in range(n)]
        rnd.shuffle(picks)
        return [self._value(table, col, dtype, i, k) for i in picks]

    def _foreign(
        self, table: Table, col: Column, parent: TableData, k: int, n: int, rnd: random.Random
    ) -> list[object]:
        assert col.references is not None
        pool = parent.values(col.references[1])
        k = min(k, len(pool))
        per_parent = (table.rows or n) / max(1, parent.declared_rows)
        if per_parent <= 10 and k >= len(pool) // 2:
            # children created with their parent: adjacent rows share the key
            return [pool[r * k // n] for r in range(n)]
        chosen = rnd.sample(pool, k)
        picks = [chosen[r % k] for r in range(n)]
        rnd.shuffle(picks)
        return picks

    def _parent_pool(self, column: Column | None) -> list[object]:
        """The distinct values of the key ``column`` references, in order (empty: no reference)."""
        if column is None or column.references is None:
            return []
        parent = self.done.get(column.references[0])
        if parent is None:
            return []
        return list(dict.fromkeys(parent.values(column.references[1])))

    def _frequent(
        self, table: Table, col: Column, dtype: exp.DataType, k: int, n: int, rnd: random.Random
    ) -> list[object]:
        out: list[object] = []
        for text, share in col.frequencies:
            out += [_typed(text, dtype)] * round(share * n)
        others = [self._value(table, col, dtype, i, k) for i in range(len(col.frequencies), k)]
        named = {v for v in out}
        others = [v for v in others if v not in named] or [None if col.nullable else out[0]]
        while len(out) < n:
            out.append(others[len(out) % len(others)])
        out = out[:n]
        rnd.shuffle(out)
        return out

    def _value(self, table: Table, col: Column, dtype: exp.DataType, i: int, k: int) -> object:
        """The ``i``-th of ``k`` distinct values of the column's type, in increasing order."""
        kind, length = _kind(dtype)
        if kind == "int":
            top = INT_RANGES.get(dtype.this, (0, i + 1))[1]
            return i + 1 if i < top else i % top + 1
        if kind == "real":
            return _real(dtype, i, k)
        if kind == "bool":
            return i % 2 == 1
        if kind in ("date", "time"):
            span = timedelta(days=DEFAULT_SPAN_DAYS)
            if table.growth_per_day and table.rows:
                span = timedelta(days=max(1.0, table.rows / table.growth_per_day))
            moment = self.now - span + span * ((i + 0.5) / max(k, 1))
            return moment.date() if kind == "date" else moment.replace(microsecond=0)
        if kind == "json":
            return f'{{"n": {i}}}'
        if kind == "uuid":
            return f"00000000-0000-0000-0000-{i:012x}"
        return _text(col.name, i, length)

    def _whole_references(
        self, table: Table, rows: list[tuple[object, ...]], rnd: random.Random
    ) -> list[tuple[object, ...]]:
        """A composite foreign key's columns taken together from one row of the parent, so every
        tuple exists there (drawn column by column, ``(w_id, d_id)`` pairs the parent lacks)."""
        names = [c.name.lower() for c in table.columns]
        for fk in table.foreign_keys:
            parent = self.done.get(fk.ref_table.lower())
            if len(fk.columns) < 2 or parent is None or not rows:
                continue
            at = [names.index(c.lower()) for c in fk.columns]
            parent_names = [c.lower() for c in parent.columns]
            ref = [parent_names.index(c.lower()) for c in fk.ref_columns]
            tuples = sorted({tuple(row[i] for i in ref) for row in parent.rows}, key=str)
            if not tuples:
                continue
            # keep the spread the first column was drawn with: the same number of distinct tuples
            k = min(len(tuples), len({row[at[0]] for row in rows}) or 1)
            chosen = rnd.sample(tuples, k)
            fixed = []
            for n, row in enumerate(rows):
                values = list(row)
                for i, value in zip(at, chosen[n % k], strict=True):
                    values[i] = value
                fixed.append(tuple(values))
            rows = fixed
        return rows

    def _unique_keys(self, table: Table, rows: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
        """Composite primary and unique keys made unique by numbering rows within their prefix (by
        drawing another of the parent's keys, when the last key column references one)."""
        names = [c.name.lower() for c in table.columns]
        keys = [ix.columns for ix in table.indexes if ix.unique and len(ix.columns) > 1]
        for key in keys:
            at = [names.index(c.lower()) for c in key]
            if len({tuple(row[a] for a in at) for row in rows}) == len(rows):
                continue
            seen: Counter[tuple[object, ...]] = Counter()
            fixed = []
            column = table.column(key[-1])
            pool = self._parent_pool(column)
            length = _kind(self.types[table.name.lower()][key[-1].lower()])[1]
            for row in rows:
                prefix = tuple(row[a] for a in at[:-1])
                seen[prefix] += 1
                values = list(row)
                last = at[-1]
                current = values[last]
                if pool:
                    values[last] = pool[(seen[prefix] - 1) % len(pool)]
                else:
                    values[last] = (
                        seen[prefix] if isinstance(current, int) else _text(key[-1], seen[prefix], length)
                    )
                fixed.append(tuple(values))
            rows = fixed
        return rows


def _real(dtype: exp.DataType, i: int, k: int) -> float:
    """The ``i``-th of ``k`` values of a number type: ``i + 0.5``, or, where a DECIMAL(p, s) cannot
    hold that (``decimal(4,4)`` holds less than 1), spread below its largest value at its scale.

    >>> _real(exp.DataType.build("decimal(4,4)"), 10, 100), _real(exp.DataType.build("numeric(10,2)"), 10, 100)
    (0.105, 10.5)
    """
    if not dtype.is_type(DT.DECIMAL) or not dtype.expressions:
        return i + 0.5
    params = [int(e.name) for e in dtype.expressions if e.name.isdigit()]
    if not params:
        return i + 0.5
    precision, scale = params[0], params[1] if len(params) > 1 else 0
    top = 10.0 ** (precision - scale) - 10.0 ** (-scale)
    if i + 0.5 <= top:
        return i + 0.5
    return round((i + 0.5) / max(k, 1) * top, scale)


_KINDS: dict[tuple[object, ...], tuple[str, int | None]] = {}


def _kind(dtype: exp.DataType) -> tuple[str, int | None]:
    """The kind of values a type holds, and a text type's length; cached, as sqlglot's type tests
    are slow next to making a value."""
    key = (dtype.this, *(e.name for e in dtype.expressions))
    known = _KINDS.get(key)
    if known is not None:
        return known
    kind = "text"
    if dtype.is_type(*exp.DataType.INTEGER_TYPES):
        kind = "int"
    elif dtype.is_type(*exp.DataType.REAL_TYPES):
        kind = "real"
    elif dtype.is_type(DT.BOOLEAN):
        kind = "bool"
    elif dtype.is_type(DT.DATE):
        kind = "date"
    elif dtype.is_type(*exp.DataType.TEMPORAL_TYPES):
        kind = "time"
    elif dtype.is_type(DT.JSON, DT.JSONB):
        kind = "json"
    elif dtype.is_type(DT.UUID):
        kind = "uuid"
    _KINDS[key] = (kind, _length(dtype))
    return _KINDS[key]


def _length(dtype: exp.DataType) -> int | None:
    if dtype.expressions and dtype.is_type(DT.CHAR, DT.VARCHAR, DT.NCHAR, DT.NVARCHAR):
        param = dtype.expressions[0]
        try:
            return int(param.name)
        except ValueError:
            return None
    return None


def _text(column: str, i: int, length: int | None) -> str:
    """A distinct, sortable text value: ``email_000042``; squeezed into short types by base 36.

    >>> _text("email", 42, None), _text("currency", 42, 3)
    ('email_000042', '016')
    """
    if length is None or length >= len(column) + 8:
        return f"{column}_{i:06d}"
    digits = ""
    while i or not digits:
        i, rest = divmod(i, 36)
        digits = _DIGITS[rest] + digits
    return digits.rjust(length, "0")[-length:]


def _typed(text: str, dtype: exp.DataType) -> object:
    """A declared frequency's value (always text in the spec) in the column's type."""
    try:
        if dtype.is_type(*exp.DataType.INTEGER_TYPES):
            return int(text)
        if dtype.is_type(*exp.DataType.REAL_TYPES):
            return float(text)
        if dtype.is_type(DT.BOOLEAN):
            return text.lower() in ("1", "true", "t", "yes")
    except ValueError:
        return text
    return text


def generate(spec: Spec, cap: int, now: datetime, order: Sequence[Table]) -> list[TableData]:
    """Rows for every table, parents before children (``order``); values follow the spec's types."""
    generator = _Generator(spec, cap, now)
    return [generator.table(table) for table in order]
