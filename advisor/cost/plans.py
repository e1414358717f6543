"""The cheapest plan for one table access under a set of indexes: a sequential scan or a scan of
one index (``scans``), each costed once and remembered on the table model; also as the inner side
of a nested loop, once per outer row."""

from __future__ import annotations

from collections.abc import Iterable

from advisor.cost.access import Access, AccessPlan
from advisor.cost.models import IndexModel, TableModel
from advisor.cost.scans import index_scan, seq_scan


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
