"""Cost one read of a table: a sequential scan, or a scan through one index, in PostgreSQL's cost
units and by its planner's formulas (``advisor.cost.pages``); ``plans`` picks the cheapest.

An index path seeks on its leading equality / IN keys and at most one range key and reads the
matching leaf entries, each leaf page a random read. It then fetches the heap pages of the
matching rows (Mackert-Lohman, interpolated by the leading column's correlation), unless the
index covers every referenced column, in which case only the pages that are not all-visible
are read; or, when no order is needed, it reads them as a bitmap heap scan, each page once.
With a LIMIT and no sort in the way, the scan stops early and costs its share of the whole.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping

from advisor.analysis.shape import OrderKey, Predicate, PredicateKind
from advisor.cost.access import POINT, RANGE, Access, AccessPlan
from advisor.cost.design import IndexDesign
from advisor.cost.models import IndexModel, TableModel, covers, where_share
from advisor.cost.pages import (
    CPU_INDEX_TUPLE,
    CPU_OPERATOR,
    CPU_TUPLE,
    SEQ_PAGE,
    bitmap_heap_io,
    heap_io,
    index_io,
    sort_cost,
)

PARALLEL_MIN_PAGES = 1024
"""PostgreSQL plans a parallel sequential scan of a table of 8 MB or more."""
PARALLEL_DIVISOR = 2.4
"""Two workers and the leader's share, as ``get_parallel_divisor`` counts them."""
PARALLEL_SETUP = 1000.0


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
    if tm.engine.parallel_scans and tm.pages >= PARALLEL_MIN_PAGES:
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
