"""Full scale without the rows: what the planner should believe about each loaded table (its
declared row count and distinct values), and how an absolute statistic taken from the loaded rows
carries over to that size."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from advisor.verify.data import TableData


@dataclass(frozen=True)
class TableScale:
    """One loaded table and the size the spec gives it."""

    table: str
    rows: int
    """The spec's row count."""
    ndv: dict[str, int] = field(default_factory=dict)
    """Distinct values per column (lower-case name), where the spec gives them."""
    flat: frozenset[str] = frozenset()
    """Columns with a declared ndv but no declared frequencies: the loaded rows repeat each value
    more often than the full table would, so their most common values are not common at all."""
    all_visible: float = 1.0
    """The cost model's share of all-visible pages: the planner reads it as ``relallvisible``."""


def full_scale_targets(
    data: Sequence[TableData], visible: Mapping[str, float] | None = None
) -> tuple[TableScale, ...]:
    """The tables loaded with fewer rows than the spec gives them, with their declared sizes.

    >>> from advisor.spec.model import Column, Table
    >>> big = Table("orders", (Column("id", "bigint"), Column("status", "text", ndv=5)), rows=10**9)
    >>> small = Table("codes", (Column("code", "text"),), rows=50)
    >>> loaded = [TableData(big, ("id", "status"), [(1, "a")] * 3, 10**9),
    ...           TableData(small, ("code",), [("x",)] * 50, 50)]
    >>> full_scale_targets(loaded)
    (TableScale(table='orders', rows=1000000000, ndv={'status': 5}, flat=frozenset({'status'}), all_visible=1.0),)
    """
    out = []
    for d in data:
        if d.table.rows is None or d.table.rows <= len(d.rows):
            continue
        ndv = {c.name.lower(): min(c.ndv, d.table.rows) for c in d.table.columns if c.ndv}
        flat = frozenset(c.name.lower() for c in d.table.columns if c.ndv and not c.frequencies)
        share = (visible or {}).get(d.table.name.lower(), 1.0)
        out.append(TableScale(d.table.name, d.table.rows, ndv, flat, share))
    return tuple(out)


def scaled_distinct(loaded: float, loaded_rows: float, declared_ndv: int | None) -> float:
    """A column's distinct-value statistic at full scale, in PostgreSQL's ``stadistinct`` form
    (positive: a count; negative: minus the share of rows). The spec's ndv wins; otherwise a count
    taken from the loaded rows becomes the same share of the full table, and a share stays as is.

    >>> scaled_distinct(82.0, 3000, 100_000_000)
    100000000.0
    >>> scaled_distinct(300.0, 3000, None)
    -0.1
    >>> scaled_distinct(-1.0, 3000, None)
    -1.0
    """
    if declared_ndv:
        return float(declared_ndv)
    if loaded > 0 and loaded_rows > 0:
        return -min(1.0, loaded / loaded_rows)
    return loaded
