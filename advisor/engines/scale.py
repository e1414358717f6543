"""Full scale without the rows: what the planner should believe about each loaded table (its
declared row count and distinct values), and how a statistic taken from the loaded rows carries
over to that size."""

from __future__ import annotations

from dataclasses import dataclass, field


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
