"""A table and its indexes at a later date: the same size model, with the rows that
``growth_per_day`` adds by then."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from advisor.cost.design import IndexDesign
from advisor.cost.models import TableModel, model_index

DAYS_PER_YEAR = 365


@dataclass(frozen=True)
class Footprint:
    """Rows and bytes of a table and its indexes at one point in time."""

    rows: float
    table_bytes: float
    index_bytes: float

    @property
    def total_bytes(self) -> float:
        return self.table_bytes + self.index_bytes

    @property
    def index_share(self) -> float:
        """Index bytes as a share of the table's own bytes."""
        return self.index_bytes / self.table_bytes if self.table_bytes else 0.0


def footprint(tm: TableModel, indexes: Iterable[IndexDesign], days: float = 0) -> Footprint:
    """The table of ``tm`` with ``indexes``, ``days`` from now at its declared daily growth.

    >>> from advisor.spec.model import Column, IndexKey, Table
    >>> from advisor.cost.physical import engine_for
    >>> t = Table("t", (Column("id", "bigint"),), rows=1_000_000, growth_per_day=1000)
    >>> pk = IndexDesign("t", (IndexKey("id"),), origin="primary_key")
    >>> later = footprint(TableModel(t, engine_for("postgres")), [pk], 365)
    >>> later.rows, round(later.table_bytes / 1e6, 1), round(later.index_bytes / 1e6, 1)
    (1365000.0, 49.3, 30.5)
    """
    rows = tm.rows + (tm.table.growth_per_day or 0) * days
    model = tm if days == 0 else TableModel(replace(tm.table, rows=round(rows)), tm.engine)
    index_bytes = sum(model_index(model, d).size_bytes for d in indexes)
    return Footprint(model.rows, model.size_bytes, index_bytes)


def growth_bytes_per_day(tm: TableModel) -> float:
    """Table bytes one day of growth adds, at today's bytes per row."""
    return (tm.table.growth_per_day or 0) * tm.size_bytes / tm.rows
