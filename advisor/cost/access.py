"""Cost one table access under a set of indexes: the cheapest of a sequential scan and each
usable index, in page reads plus per-row CPU in PostgreSQL's units.

An index path seeks on its leading equality / IN keys and at most one range key, reads the
matching leaf entries (or only as many as a LIMIT needs when the index delivers the ORDER BY),
then fetches one table page per row unless the index covers every referenced column.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from advisor.analysis.shape import OrderKey, Predicate, PredicateKind
from advisor.cost.correlated import correlations, points_share
from advisor.cost.design import IndexDesign
from advisor.cost.physical import (
    Engine,
    btree_height,
    column_width,
    inner_pages,
    pages_for,
    rows_per_page,
)
from advisor.cost.selectivity import TWO_SIDED_RANGE, estimate
from advisor.spec.model import Table

CPU_TUPLE = 0.01
CPU_INDEX_TUPLE = 0.005
CPU_OPERATOR = 0.0025
SARGABLE = (PredicateKind.EQ, PredicateKind.IN, PredicateKind.RANGE, PredicateKind.LIKE_PREFIX)


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

    def describe(self) -> str:
        if self.index is None:
            return "sequential scan"
        how = "index-only scan" if self.index_only else "index scan"
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
    plans: dict[tuple[Access, IndexModel | None], AccessPlan | None] = field(default_factory=dict, repr=False)
    accesses: dict[tuple[int, int, tuple[str, ...]], tuple[object, object, Access]] = field(
        default_factory=dict, repr=False
    )
    """The ``Access`` built for (block id, table access id, join columns), with the block and the
    table access themselves, so that an id reused by another object is never taken for a hit."""

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

    def width(self, column: str) -> int:
        col = self.table.column(column)
        return column_width(col.type) if col is not None else 8

    def share(self, predicates: Iterable[Predicate]) -> float:
        """Combined share of rows keeping all ``predicates``: independence across columns, except
        that an equality a more selective bound column determines (a functional dependency, or a
        composite reference's parent rows) is not multiplied in (``points_share``); two bounds on
        one column (``a >= x AND a < y``) are taken as one two-sided range."""
        share = 1.0
        ranges: dict[str, list[float]] = {}
        points: dict[str, float] | None = {} if correlations(self.table) is not None else None
        for pred in predicates:
            part = estimate(self.table, pred).share
            if pred.kind is PredicateKind.RANGE:
                ranges.setdefault(pred.column, []).append(part)
            elif points is not None and pred.kind is PredicateKind.EQ and pred.values != (None,):
                points[pred.column] = points.get(pred.column, 1.0) * part
            else:
                share *= part
        if points:
            share *= points_share(self.table, points)
        for parts in ranges.values():
            share *= min(min(parts), TWO_SIDED_RANGE) if len(parts) > 1 else parts[0]
        return share

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
    """Size and shape of ``design`` on the table ``tm``."""
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
    per_leaf = rows_per_page(eng, key_width + extra + eng.entry_overhead, eng.leaf_fill)
    leaf = pages_for(entries, per_leaf)
    fanout = rows_per_page(eng, key_width + eng.entry_overhead)
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


def delivers_order(design: IndexDesign, bound: frozenset[str], order_by: tuple[OrderKey, ...]) -> bool:
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


def _sort_cost(rows: float, limit: int | None) -> float:
    n = max(rows, 1.0)
    width = min(n, float(limit)) if limit else n
    return 2 * CPU_OPERATOR * n * math.log2(width + 1)


def seq_scan(tm: TableModel, access: Access) -> AccessPlan:
    rows_out = tm.rows * tm.share(access.predicates)
    read = 1.0
    if access.limit is not None and not access.order_by:
        read = min(1.0, access.limit / max(rows_out, 1e-9))
    cost = (tm.pages + tm.rows * (CPU_TUPLE + CPU_OPERATOR * len(access.predicates))) * read
    if access.order_by:
        cost += _sort_cost(rows_out, access.limit)
    if access.limit is not None:
        rows_out = min(rows_out, float(access.limit))
    return AccessPlan(None, cost, rows_out, table=access.table)


def index_scan(tm: TableModel, access: Access, im: IndexModel) -> AccessPlan | None:
    """The cost of reading ``access`` through one index, or ``None`` when it cannot help."""
    design = im.design
    preds = _by_column(access.predicates)
    if not _partial_usable(design, preds):
        return None
    seek, bound, used = 1.0, set(), set()
    for key in design.keys:
        col_preds = preds.get(key.column)
        if not col_preds:
            break
        point = [
            p
            for p in col_preds
            if p.kind is PredicateKind.EQ or (p.kind is PredicateKind.IN and p.members == 1)
        ]
        if point:
            seek *= tm.share(point)
            bound.add(key.column)
            used.add(key.column)
            continue
        multi = [p for p in col_preds if p.kind is PredicateKind.IN]
        if multi:
            seek *= tm.share(multi)
            used.add(key.column)
            continue
        seek *= tm.share(col_preds)
        used.add(key.column)
        break
    if design.where is not None and design.where.column in preds:
        # the partial predicate is already in the index's size; only a narrower query filter remains
        narrower = tm.share(preds[design.where.column]) / max(where_share(tm, design), 1e-12)
        seek *= min(1.0, narrower) if design.where.column in used else 1.0
        used.add(design.where.column)
    ordered = delivers_order(design, frozenset(bound), access.order_by)
    if not used and not ordered:
        return None
    stored = design.stored_columns()
    rest = [p for p in access.predicates if p.column not in used]
    in_index = tm.share(p for p in rest if p.column in stored)
    outside = tm.share(p for p in rest if p.column not in stored)
    if design.where is not None and design.where.column not in used and design.where.column in preds:
        outside *= min(1.0, tm.share(preds[design.where.column]) / max(where_share(tm, design), 1e-12))
    matched = im.entries * seek
    entries = matched
    if access.limit is not None and (ordered or not access.order_by):
        entries = min(matched, access.limit / max(in_index * outside, 1e-12))
    only = covers(tm, design, access.referenced)
    fetches = 0.0 if only else entries * in_index
    leaf = max(1.0, entries / im.per_leaf)
    cost = descent_cost(im) + leaf + min(fetches, tm.pages) + entries * CPU_INDEX_TUPLE + fetches * CPU_TUPLE
    rows_out = entries * in_index * outside
    if access.order_by and not ordered:
        cost += _sort_cost(rows_out, access.limit)
    if access.limit is not None:
        rows_out = min(rows_out, float(access.limit))
    return AccessPlan(design, cost, rows_out, entries, fetches, only, ordered)


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
