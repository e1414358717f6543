"""The table and index models of the cost model: a table's sizes on one engine and the share of its
rows a set of predicates keeps (``TableModel``, which also remembers the plans costed against it),
and an index's entries, pages and height on it (``IndexModel``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from advisor.analysis.shape import Predicate, PredicateKind
from advisor.cost.access import Access, AccessPlan
from advisor.cost.correlated import correlations, points_share
from advisor.cost.design import IndexDesign
from advisor.cost.histogram import ranges_share
from advisor.cost.pages import CACHE_BYTES
from advisor.cost.physical import (
    Engine,
    aligned_width,
    btree_height,
    column_width,
    inner_pages,
    pages_for,
    rows_per_page,
)
from advisor.cost.selectivity import TWO_SIDED_RANGE, estimate
from advisor.spec.model import Table


@dataclass(frozen=True, eq=False)
class TableModel:
    """A table's sizes on one engine, computed once; it also remembers the plans costed against
    it, since selection asks the same question for every trial that leaves an index in place.
    Compared by identity: one model per table per run."""

    table: Table
    engine: Engine
    all_visible: float = 1.0
    """Share of pages an index-only scan need not read (the statistics', or derived from the
    write rates: ``pages.all_visible_share``)."""
    plans: dict[tuple[Access, IndexModel | None], AccessPlan | None] = field(default_factory=dict, repr=False)
    loop_plans: dict[tuple[Access, IndexModel, float], AccessPlan | None] = field(
        default_factory=dict, repr=False
    )
    """Plans of an access repeated once per outer row of a nested loop, by the loop count."""
    accesses: dict[tuple[int, int, tuple[str, ...]], tuple[object, object, Access]] = field(
        default_factory=dict, repr=False
    )
    """The ``Access`` built for (block id, table access id, join columns), with the block and the
    table access themselves, so that an id reused by another object is never taken for a hit."""
    interned: dict[tuple[object, ...], Access] = field(default_factory=dict, repr=False)
    """The ``Access`` of each distinct question (predicates, columns read, order, limit)."""
    estimates: dict[Predicate, float] = field(default_factory=dict, repr=False)
    """Each predicate's share of the rows (``selectivity.estimate``), computed once."""
    index_models: dict[IndexDesign, IndexModel] = field(default_factory=dict, repr=False)
    """``model_index`` of each design asked for: one model per index, so the plan memos find it."""
    correlations: dict[str, float] = field(default_factory=dict, repr=False)
    """``correlation`` by column, computed once."""

    @cached_property
    def rows(self) -> float:
        return float(max(1, self.table.rows or 0))

    @cached_property
    def row_width(self) -> int:
        return sum(column_width(c.type) for c in self.table.columns) + self.engine.row_overhead

    @cached_property
    def pages(self) -> float:
        return pages_for(self.rows, rows_per_page(self.engine, self.row_width))

    @cached_property
    def size_bytes(self) -> float:
        return self.pages * self.engine.page_size

    @cached_property
    def cache_pages(self) -> float:
        """The planner's ``effective_cache_size`` in this engine's pages."""
        return CACHE_BYTES / self.engine.page_size

    def correlation(self, column: str) -> float:
        """How closely the heap follows ``column``'s order: the statistic when given; otherwise
        1 for the leading primary-key column (rows usually arrive in key order), else 0."""
        known = self.correlations.get(column)
        if known is None:
            col = self.table.column(column)
            if col is not None and col.correlation is not None:
                known = col.correlation
            else:
                known = 1.0 if self.table.primary_key[:1] == (column.lower(),) else 0.0
            self.correlations[column] = known
        return known

    def type_of(self, column: str) -> str:
        col = self.table.column(column)
        return col.type if col is not None else "bigint"

    def width(self, column: str) -> int:
        col = self.table.column(column)
        return column_width(col.type) if col is not None else 8

    def share(self, predicates: Iterable[Predicate]) -> float:
        """Combined share of rows keeping all ``predicates``: independence across columns, except
        that an equality a more selective bound column determines (a functional dependency, or a
        composite reference's parent rows) is not multiplied in (``points_share``); two bounds on
        one column (``a >= x AND a < y``) are taken as one two-sided range."""
        predicates = tuple(predicates)
        if not predicates:
            return 1.0
        if len(predicates) == 1 and (predicates[0].kind is not PredicateKind.EQ or not self.correlated):
            # one condition: its own estimate (a lone range is one-sided, a lone point depends on nothing)
            pred = predicates[0]
            part = self.estimates.get(pred)
            if part is None:
                part = self.estimates[pred] = estimate(self.table, pred).share
            return part
        share = 1.0
        ranges: dict[str, list[float]] = {}
        bounded: dict[str, list[Predicate]] = {}
        points: dict[str, float] | None = {} if self.correlated else None
        known = self.estimates
        for pred in predicates:
            part = known.get(pred)
            if part is None:
                part = known[pred] = estimate(self.table, pred).share
            if pred.kind is PredicateKind.RANGE:
                ranges.setdefault(pred.column, []).append(part)
                bounded.setdefault(pred.column, []).append(pred)
            elif points is not None and pred.kind is PredicateKind.EQ and pred.values != (None,):
                points[pred.column] = points.get(pred.column, 1.0) * part
            else:
                share *= part
        if points:
            share *= points_share(self.table, points)
        for column, parts in ranges.items():
            col = self.table.column(column)
            both = ranges_share(col, bounded[column]) if col is not None and len(parts) > 1 else None
            if both is not None:
                share *= both
            else:
                share *= min(min(parts), TWO_SIDED_RANGE) if len(parts) > 1 else parts[0]
        return share

    @cached_property
    def correlated(self) -> bool:
        """Whether the table declares dependencies between columns (``correlated``)."""
        return correlations(self.table) is not None

    def pk_columns(self) -> frozenset[str]:
        return frozenset(c.lower() for c in self.table.primary_key)


@dataclass(frozen=True, eq=False)
class IndexModel:
    """An index's entries, pages and height on a table."""

    design: IndexDesign
    entries: float
    leaf_pages: float
    height: int
    size_bytes: float
    per_leaf: float


def model_index(tm: TableModel, design: IndexDesign) -> IndexModel:
    """Size and shape of ``design`` on the table ``tm``, computed once."""
    known = tm.index_models.get(design)
    if known is None:
        known = tm.index_models[design] = _model_index(tm, design)
    return known


def _model_index(tm: TableModel, design: IndexDesign) -> IndexModel:
    eng = tm.engine
    entries = tm.rows
    if design.where is not None:
        entries *= where_share(tm, design)
    key_width = sum(tm.width(c) for c in design.columns)
    extra = sum(tm.width(c) for c in design.include)
    if eng.secondary_carries_pk and design.origin != "primary_key":
        extra += sum(tm.width(c) for c in tm.pk_columns() if c not in design.columns)
    if design.origin == "primary_key" and eng.secondary_carries_pk:
        # the clustered index is the table itself
        return IndexModel(design, entries, tm.pages, btree_height(tm.pages, 100.0), 0.0, tm.rows / tm.pages)
    entry = key_width + extra + eng.entry_overhead
    inner = key_width + eng.entry_overhead
    if eng.aligned_entries:
        # each value on its type's boundary, the tuple on 8 bytes, plus its 4-byte line pointer
        types = [tm.type_of(c) for c in design.columns]
        entry = aligned_width(types + [tm.type_of(c) for c in design.include]) + 4
        inner = aligned_width(types) + 4
    per_leaf = rows_per_page(eng, entry, eng.leaf_fill)
    leaf = pages_for(entries, per_leaf)
    fanout = rows_per_page(eng, inner)
    size = (leaf + inner_pages(leaf, fanout)) * eng.page_size
    return IndexModel(design, entries, leaf, btree_height(leaf, fanout), size, per_leaf)


def covering_share(tm: TableModel, wide: IndexDesign, plain: IndexDesign) -> float:
    """What storing more columns (``wide``) adds to the index ``plain``, as a share of the table's
    size. The covering rule limits this, not the whole index: on a narrow table the plain index is
    already close to the table's size."""
    return (model_index(tm, wide).size_bytes - model_index(tm, plain).size_bytes) / tm.size_bytes


def where_share(tm: TableModel, design: IndexDesign) -> float:
    """Share of the table a partial index holds."""
    assert design.where is not None
    pred = Predicate(
        design.table,
        design.where.column,
        PredicateKind.IN,
        design.where.values,
        members=len(design.where.values),
    )
    return estimate(tm.table, pred).share


def covers(tm: TableModel, design: IndexDesign, referenced: frozenset[str]) -> bool:
    """Whether the index alone answers a read of ``referenced`` columns."""
    if design.origin == "primary_key" and tm.engine.secondary_carries_pk:
        return True
    stored = design.stored_columns()
    if tm.engine.secondary_carries_pk:
        stored |= tm.pk_columns()
    return referenced <= stored
