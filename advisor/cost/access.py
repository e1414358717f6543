"""Cost one table access under a set of indexes: the cheapest of a sequential scan and each
usable index, in PostgreSQL's cost units and by its planner's formulas (``advisor.cost.pages``).

An index path seeks on its leading equality / IN keys and at most one range key and reads the
matching leaf entries, each leaf page a random read. It then fetches the heap pages of the
matching rows (Mackert-Lohman, interpolated by the leading column's correlation), unless the
index covers every referenced column, in which case only the pages that are not all-visible
are read; or, when no order is needed, it reads them as a bitmap heap scan, each page once.
With a LIMIT and no sort in the way, the scan stops early and costs its share of the whole.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from advisor.analysis.shape import OrderKey, Predicate, PredicateKind
from advisor.cost.correlated import correlations, points_share
from advisor.cost.design import IndexDesign
from advisor.cost.histogram import ranges_share
from advisor.cost.pages import (
    CACHE_BYTES,
    CPU_INDEX_TUPLE,
    CPU_OPERATOR,
    CPU_TUPLE,
    SEQ_PAGE,
    bitmap_heap_io,
    heap_io,
    index_io,
    sort_cost,
)
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

PARALLEL_MIN_PAGES = 1024
"""PostgreSQL plans a parallel sequential scan of a table of 8 MB or more."""
PARALLEL_DIVISOR = 2.4
"""Two workers and the leader's share, as ``get_parallel_divisor`` counts them."""
PARALLEL_SETUP = 1000.0
SARGABLE = (PredicateKind.EQ, PredicateKind.IN, PredicateKind.RANGE, PredicateKind.LIKE_PREFIX)
POINT, MULTI, RANGE = 0, 1, 2
"""How an index key column is sought (``Access.seeks``)."""


@dataclass(frozen=True, eq=False)
class Access:
    """What a query block asks of one table. Compared by identity: the cost model builds one per
    (block, table access, join columns) and reuses it (``TableModel.accesses``), so the plan memo
    finds it without hashing its predicates on every lookup."""

    table: str
    predicates: tuple[Predicate, ...]
    referenced: frozenset[str]
    order_by: tuple[OrderKey, ...] = ()
    limit: int | None = None

    @cached_property
    def sargable(self) -> Mapping[str, list[Predicate]]:
        """The predicates an index range can serve, by column."""
        return _by_column(self.predicates)

    @cached_property
    def seeks(self) -> Mapping[str, tuple[int, list[Predicate]]]:
        """By column, how an index key on it is sought and with which predicates: ``POINT``
        (equalities, and IN lists of one), else ``MULTI`` (IN lists), else ``RANGE`` (the rest,
        after which the key's later columns only filter). Asked on every costing of an index."""
        out: dict[str, tuple[int, list[Predicate]]] = {}
        for column, preds in self.sargable.items():
            point = [
                p
                for p in preds
                if p.kind is PredicateKind.EQ or (p.kind is PredicateKind.IN and p.members == 1)
            ]
            multi = [p for p in preds if p.kind is PredicateKind.IN]
            out[column] = (POINT, point) if point else (MULTI, multi) if multi else (RANGE, preds)
        return out


@dataclass(frozen=True)
class AccessPlan:
    index: IndexDesign | None
    """``None`` for a sequential scan."""
    cost: float
    rows: float
    """Rows the access returns."""
    entries: float = 0.0
    heap_fetches: float = 0.0
    index_only: bool = False
    ordered: bool = False
    """The index delivers the ORDER BY, so no sort."""
    table: str = ""
    """The table read (named for a sequential scan; an index names its own)."""
    bitmap: bool = False
    """Read as a bitmap heap scan: every matching page once, in physical order."""

    def describe(self) -> str:
        if self.index is None:
            return "sequential scan"
        how = "index-only scan" if self.index_only else "bitmap scan" if self.bitmap else "index scan"
        text = f"{how} on {self.index.label()}, {_count(self.entries, 'entry', 'entries')}"
        if self.heap_fetches:
            text += f", {_count(self.heap_fetches, 'row fetch', 'row fetches')}"
        return text + (", in index order" if self.ordered else "")


def _count(n: float, one: str, many: str) -> str:
    """``1 entry``, ``36 entries``, ``0.4 entries``: estimates rounded for reading."""
    if round(n) == 1:
        return f"1 {one}"
    return (f"{n:,.0f}" if n >= 1 else f"{n:.2g}") + f" {many}"


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
    if eng.name == "postgres":
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


def _by_column(predicates: Iterable[Predicate]) -> Mapping[str, list[Predicate]]:
    out: dict[str, list[Predicate]] = {}
    for pred in predicates:
        if pred.kind in SARGABLE:
            out.setdefault(pred.column, []).append(pred)
    return out


def _partial_usable(design: IndexDesign, preds: Mapping[str, list[Predicate]]) -> bool:
    where = design.where
    if where is None:
        return True
    return any(
        pred.kind in (PredicateKind.EQ, PredicateKind.IN)
        and pred.constant
        and where.implied_by(pred.column, tuple(str(v) for v in pred.values))
        for pred in preds.get(where.column, [])
    )


def delivers_order(design: IndexDesign, bound: Collection[str], order_by: tuple[OrderKey, ...]) -> bool:
    """Whether scanning ``design`` after seeking equality-bound columns ``bound`` yields rows in
    ``order_by`` order (forwards or backwards).

    >>> from advisor.spec.model import IndexKey
    >>> d = IndexDesign("o", (IndexKey("user_id"), IndexKey("created_at", True)))
    >>> delivers_order(d, frozenset({"user_id"}), (OrderKey("o", "created_at", True),))
    True
    >>> delivers_order(d, frozenset(), (OrderKey("o", "created_at", True),))
    False
    """
    wanted = [k for k in order_by if k.column not in bound]
    if not order_by:
        return False
    if not wanted:
        return True
    keys = list(design.keys)
    start = 0
    while start < len(keys) and keys[start].column in bound:
        start += 1
    tail = keys[start : start + len(wanted)]
    if len(tail) < len(wanted) or [k.column for k in tail] != [k.column for k in wanted]:
        return False
    same = all(a.descending == b.descending for a, b in zip(tail, wanted, strict=True))
    flipped = all(a.descending != b.descending for a, b in zip(tail, wanted, strict=True))
    return same or flipped


def descent_cost(im: IndexModel) -> float:
    """Root-to-leaf descent as CPU, not page reads: the upper levels of a B-tree in use stay in
    cache. PostgreSQL's planner charges the same (50 operator costs a level, plus one per
    comparison of the binary searches).

    >>> from advisor.spec.model import IndexKey
    >>> im = IndexModel(IndexDesign("t", (IndexKey("a"),)), 1_000_000.0, 3000.0, 3, 0.0, 333.0)
    >>> round(descent_cost(im), 3)
    0.55
    """
    return (im.height + 1) * 50 * CPU_OPERATOR + math.ceil(math.log2(max(im.entries, 2.0))) * CPU_OPERATOR


def _sort_cost(tm: TableModel, rows: float, limit: int | None) -> float:
    return sort_cost(rows, tm.row_width, limit)


def seq_scan(tm: TableModel, access: Access) -> AccessPlan:
    """Every page in order and every row through the filter; on PostgreSQL a large table is
    read by two workers and the leader, which share the CPU but not the pages."""
    rows_out = tm.rows * tm.share(access.predicates)
    cpu = tm.rows * (CPU_TUPLE + CPU_OPERATOR * len(access.predicates))
    cost = tm.pages * SEQ_PAGE + cpu
    if tm.engine.name == "postgres" and tm.pages >= PARALLEL_MIN_PAGES:
        cost = tm.pages * SEQ_PAGE + cpu / PARALLEL_DIVISOR + PARALLEL_SETUP
    if access.limit is not None and not access.order_by:
        cost *= min(1.0, access.limit / max(rows_out, 1e-9))
    if access.order_by:
        cost += _sort_cost(tm, rows_out, access.limit)
    if access.limit is not None:
        rows_out = min(rows_out, float(access.limit))
    return AccessPlan(None, cost, rows_out, table=access.table)


def index_scan(tm: TableModel, access: Access, im: IndexModel, loops: float = 1.0) -> AccessPlan | None:
    """The cost of one read of ``access`` through one index (one of ``loops`` repeated reads, as
    the inner side of a nested loop), or ``None`` when the index cannot help."""
    design = im.design
    preds = access.sargable
    where = design.where
    if where is not None and not _partial_usable(design, preds):
        return None
    if (
        not access.order_by
        and (not design.keys or design.keys[0].column not in preds)
        and (where is None or where.column not in preds)
    ):
        return None  # nothing to seek on, no order to deliver
    bound: set[str] = set()
    used: set[str] = set()
    seeking: list[Predicate] = []
    seeks = access.seeks
    for key in design.keys:
        sought = seeks.get(key.column)
        if sought is None:
            break
        how, by = sought
        seeking += by
        used.add(key.column)
        if how == POINT:
            bound.add(key.column)
        elif how == RANGE:
            break
    # one share over all the seek's predicates, so that a dependency between them counts
    seek = tm.share(seeking)
    if design.where is not None and design.where.column in preds:
        # the partial predicate is already in the index's size; only a narrower query filter remains
        narrower = tm.share(preds[design.where.column]) / max(where_share(tm, design), 1e-12)
        seek *= min(1.0, narrower) if design.where.column in used else 1.0
        used.add(design.where.column)
    ordered = bool(access.order_by) and delivers_order(design, bound, access.order_by)
    if not used and not ordered:
        return None
    stored = design.stored_columns()
    inside_rest: list[Predicate] = []
    outside_rest: list[Predicate] = []
    for p in access.predicates:
        if p.column not in used:
            (inside_rest if p.column in stored else outside_rest).append(p)
    in_index = tm.share(inside_rest)
    outside = tm.share(outside_rest)
    if design.where is not None and design.where.column not in used and design.where.column in preds:
        outside *= min(1.0, tm.share(preds[design.where.column]) / max(where_share(tm, design), 1e-12))
    entries = max(im.entries * seek, 1.0)
    fetches = entries * in_index
    rows_full = fetches * outside
    only = covers(tm, design, access.referenced)
    leaf = max(1.0, math.ceil(entries / im.per_leaf))
    index_part = (
        descent_cost(im)
        + index_io(leaf, im.leaf_pages, tm.cache_pages, loops)
        + entries * (CPU_INDEX_TUPLE + CPU_OPERATOR * max(1, len(used)))
    )
    filters = CPU_OPERATOR * len(outside_rest)
    invisible = 1.0 - tm.all_visible if only else 1.0
    corr = tm.correlation(design.keys[0].column) if design.keys else 0.0
    corr *= 0.75 if len(design.keys) > 1 else 1.0
    heap = heap_io(fetches, tm.rows, tm.pages, tm.cache_pages, corr, loops, invisible)
    cost = index_part + heap + fetches * (CPU_TUPLE + filters)
    read = 1.0
    if access.limit is not None and (ordered or not access.order_by):
        # the scan stops after LIMIT rows: the planner charges that share of the whole
        read = min(1.0, access.limit / max(rows_full, 1e-9))
        cost *= read
    elif access.order_by and not ordered:
        cost += _sort_cost(tm, rows_full, access.limit)
    bitmap = False
    if not only and not ordered and loops <= 1:
        # a bitmap heap scan: no order, no early stop, each page once
        by_bitmap = (
            index_part
            + 0.1 * CPU_OPERATOR * entries
            + bitmap_heap_io(fetches, tm.pages)
            + fetches * (CPU_TUPLE + filters + CPU_OPERATOR)
        )
        if access.order_by:
            by_bitmap += _sort_cost(tm, rows_full, access.limit)
        if by_bitmap < cost:
            cost, bitmap = by_bitmap, True
    rows_out = rows_full
    if access.limit is not None:
        rows_out = min(rows_out, float(access.limit))
    if bitmap:
        read = 1.0
    fetched = 0.0 if only else fetches * read
    return AccessPlan(design, cost, rows_out, entries * read, fetched, only, ordered, bitmap=bitmap)


def plan_with(tm: TableModel, access: Access, im: IndexModel) -> AccessPlan | None:
    """``access`` through the index ``im`` alone (``None`` when it cannot help), costed once."""
    key = (access, im)
    memo = tm.plans
    if key in memo:
        return memo[key]
    plan = memo[key] = index_scan(tm, access, im)
    return plan


def best_plan(tm: TableModel, access: Access, indexes: Iterable[IndexModel]) -> AccessPlan:
    """The cheapest way to serve ``access``: a sequential scan or one of ``indexes``."""
    memo = tm.plans
    best = memo.get((access, None))
    if best is None:
        best = memo[(access, None)] = seq_scan(tm, access)
    for im in indexes:
        plan = plan_with(tm, access, im)
        if plan is not None and plan.cost < best.cost:
            best = plan
    return best


def loop_count(loops: float) -> float:
    """Outer rows of a nested loop as its inner plans are costed: whole, and at least one."""
    return max(1.0, float(round(loops)))


def loop_plan(tm: TableModel, access: Access, im: IndexModel, loops: float) -> AccessPlan | None:
    """``access`` through ``im`` once per outer row of ``loops`` (``loop_count``), costed once."""
    key = (access, im, loops)
    if key not in tm.loop_plans:
        tm.loop_plans[key] = index_scan(tm, access, im, loops)
    return tm.loop_plans[key]


def repeated_plan(tm: TableModel, access: Access, indexes: Iterable[IndexModel], loops: float) -> AccessPlan:
    """The cheapest way to serve ``access`` once per outer row of a nested loop, ``loops`` times:
    the cost is per lookup, with the pages the lookups share counted once (``index_pages_fetched``
    over all of them)."""
    best = best_plan(tm, access, ())
    loops = loop_count(loops)
    for im in indexes:
        plan = loop_plan(tm, access, im, loops)
        if plan is not None and plan.cost < best.cost:
            best = plan
    return best
