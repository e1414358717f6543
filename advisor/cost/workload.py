"""Cost whole patterns under an index configuration: reads, joins and index maintenance.

A join is costed as the cheaper of a nested loop (one lookup into the inner table per outer
row, through its best index, with the pages that repeated lookups find in cache counted as the
planner counts them) and a hash join (one scan of the inner table into a hash table, probed
once per outer row). Writes pay one page
per row for the table and one per index they must maintain; on PostgreSQL an UPDATE that changes
no indexed column is a HOT update and maintains no index, while one that does maintains them all.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from advisor.analysis.shape import (
    JoinEdge,
    OrderKey,
    Predicate,
    PredicateKind,
    QueryShape,
    StatementKind,
    TableAccess,
)
from advisor.cost.access import Access, AccessPlan
from advisor.cost.design import IndexDesign
from advisor.cost.models import IndexModel, TableModel
from advisor.cost.pages import CPU_OPERATOR, CPU_TUPLE
from advisor.cost.plans import best_plan, loop_count, loop_plan, plan_with, repeated_plan

Config = Mapping[str, Sequence[IndexModel]]


@dataclass(frozen=True)
class Probe:
    """One question the costing of a statement asked of a table: the cheapest plan for ``access``,
    repeated ``loops`` times (1 outside a nested loop), whose answer cost ``cost``."""

    access: Access
    loops: float
    cost: float
    index: IndexDesign | None
    """The index of the plan chosen (``None`` for a sequential scan)."""


@dataclass(frozen=True)
class PatternCost:
    read: float
    """Cost units per execution spent finding and reading rows."""
    write: float
    """Pages written per execution (table and index maintenance)."""
    plans: tuple[AccessPlan, ...] = ()
    probes: tuple[Probe, ...] = field(default=(), compare=False)
    """Every plan the costing chose, with what it was asked (``cost_shape`` records them): an
    index that beats none of them leaves the statement's cost as it is (``unchanged_by``)."""

    @property
    def total(self) -> float:
        return self.read + self.write


def _access(
    tm: TableModel, acc: TableAccess, joined: tuple[Predicate, ...] = (), shape: QueryShape | None = None
) -> Access:
    """The access ``acc`` asks of ``tm``, with the join columns bound per outer row and, given the
    block, its ORDER BY and LIMIT when they apply to this table alone. Built once, then reused."""
    key = (id(shape), id(acc), tuple(p.column for p in joined))
    hit = tm.accesses.get(key)
    if hit is not None and hit[0] is shape and hit[1] is acc:
        return hit[2]
    order: tuple[OrderKey, ...] = ()
    limit: int | None = None
    # GROUP BY and DISTINCT sort or hash every row first: neither order nor LIMIT reaches the table
    if shape is not None and not shape.group_by and not shape.distinct:
        if shape.order_by and all(k.table == acc.table for k in shape.order_by):
            order = shape.order_by
        if shape.limit is not None and (order or not shape.order_by):
            limit = shape.limit
    predicates = acc.predicates + joined
    # one object per question, whichever statement asks it: the plan memos are by identity
    access = tm.interned.setdefault(
        (predicates, acc.referenced, order, limit),
        Access(acc.table, predicates, acc.referenced, order, limit),
    )
    tm.accesses[key] = (shape, acc, access)
    return access


@lru_cache(maxsize=4096)
def equivalent_joins(joins: tuple[JoinEdge, ...]) -> tuple[JoinEdge, ...]:
    """``joins`` and the equalities they imply (``a.x = b.y AND b.y = c.z`` joins ``a`` to ``c``
    on ``x = z``), as the planner's equivalence classes derive them: a join order may then
    reach a table through any column of its class.

    >>> e = equivalent_joins((JoinEdge("p", "pk", "l", "pk"), JoinEdge("s", "pk", "l", "pk")))
    >>> [(j.left_table, j.right_table) for j in e]
    [('p', 'l'), ('s', 'l'), ('p', 's')]
    """
    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def root(node: tuple[str, str]) -> tuple[str, str]:
        while parent.setdefault(node, node) != node:
            node = parent[node]
        return node

    for edge in joins:
        parent[root((edge.left_table, edge.left_column))] = root((edge.right_table, edge.right_column))
    classes: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for node in parent:
        classes.setdefault(root(node), []).append(node)
    have = {((e.left_table, e.left_column), (e.right_table, e.right_column)) for e in joins}
    have |= {(b, a) for a, b in have}
    out = list(joins)
    for members in classes.values():
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if a[0] != b[0] and (a, b) not in have:
                    out.append(JoinEdge(a[0], a[1], b[0], b[1]))
                    have |= {(a, b), (b, a)}
    return tuple(out)


def _join_predicates(edges: Sequence[JoinEdge], inner: str, visited: set[str]) -> tuple[Predicate, ...]:
    """The join columns by which ``inner`` can be looked up from the tables ``visited``."""
    columns: dict[str, None] = {}
    for edge in edges:
        if edge.left_table == inner and edge.right_table in visited:
            columns[edge.left_column] = None
        elif edge.right_table == inner and edge.left_table in visited:
            columns[edge.right_column] = None
    return tuple(Predicate(inner, column, PredicateKind.EQ, parameterized=True) for column in columns)


def block_rows(models: Mapping[str, TableModel], shape: QueryShape, config: Config) -> float:
    """Rows one query block returns (joins included, before any GROUP BY)."""
    return _block(models, shape, config, [])[2]


def _best(tm: TableModel, access: Access, config: Config, probes: list[Probe]) -> AccessPlan:
    plan = best_plan(tm, access, config.get(access.table, ()))
    probes.append(Probe(access, 1.0, plan.cost, plan.index))
    return plan


def _block(
    models: Mapping[str, TableModel], shape: QueryShape, config: Config, probes: list[Probe]
) -> tuple[float, list[AccessPlan], float]:
    """Cost, access plans and result rows of one query block: the cheapest of the join orders
    started from each table that may drive (``_drivers``), each other table joining by a lookup
    per row or one scan, whichever is cheaper."""
    accesses = [a for a in shape.accesses if a.table in models]
    if not accesses:
        return 0.0, [], 0.0
    alone = {
        a.table: _best(models[a.table], _access(models[a.table], a, shape=shape), config, probes)
        for a in accesses
    }
    if len(accesses) == 1:
        plan = alone[accesses[0].table]
        return plan.cost, [plan], plan.rows
    edges = equivalent_joins(shape.joins)
    best: tuple[float, list[AccessPlan], float] | None = None
    for driving in _drivers(accesses, alone):
        bound = best[0] if best is not None else math.inf
        order = _join_order(models, shape, edges, config, accesses, alone, driving, probes, bound)
        if order is not None:
            best = order
    assert best is not None  # the first order has no bound to exceed
    return best


def _drivers(accesses: Sequence[TableAccess], alone: Mapping[str, AccessPlan]) -> list[TableAccess]:
    """The tables a join order may start from: the one that yields the fewest rows alone, and
    each table the block filters. Starting only from the smallest can mislead: a small table
    nothing filters (TPC-H's ``nation``) may lead through the largest one, where starting from a
    filtered table would reach it by a lookup per row."""
    smallest = min(accesses, key=lambda a: (alone[a.table].rows, alone[a.table].cost))
    return [smallest, *(a for a in accesses if a is not smallest and a.predicates)]


def _join_order(
    models: Mapping[str, TableModel],
    shape: QueryShape,
    edges: Sequence[JoinEdge],
    config: Config,
    accesses: Sequence[TableAccess],
    alone: Mapping[str, AccessPlan],
    driving: TableAccess,
    probes: list[Probe],
    bound: float,
) -> tuple[float, list[AccessPlan], float] | None:
    """The join order from ``driving`` that adds, at each step, the connected table leaving the
    fewest rows (greedy operator ordering): its cost, plans and result rows; ``None`` as soon
    as it costs ``bound`` or more (an order found before is as cheap)."""
    plans = [alone[driving.table]]
    cost, rows = plans[0].cost, plans[0].rows
    if cost >= bound:
        return None
    visited = {driving.table}
    pending = [a for a in accesses if a is not driving]
    while pending:
        connected = [a for a in pending if _join_predicates(edges, a.table, visited)] or pending[:1]
        steps = [
            (
                _join_step(
                    models,
                    shape,
                    edges,
                    config,
                    a,
                    visited,
                    rows,
                    _loop_count(edges, a.table, alone, visited),
                    probes,
                ),
                a,
            )
            for a in connected
        ]
        (added, plan, rows), nxt = min(steps, key=lambda step: (step[0][2], step[0][0]))
        pending.remove(nxt)
        cost += added
        if cost >= bound:
            return None
        plans.append(plan)
        visited.add(nxt.table)
    return cost, plans, rows


def _loop_count(
    edges: Sequence[JoinEdge], inner: str, alone: Mapping[str, AccessPlan], visited: set[str]
) -> float:
    """How often the planner expects a lookup into ``inner`` to repeat (``get_loop_count``): the
    rows, alone, of the tables that give it its join values. It is not the rows of the join so
    far, which the lookups are multiplied by: a lookup repeated for each of 800,000 outer rows
    finds most pages cached however few of those rows the join keeps. Where several tables give
    one column (an equivalence), the planner can take it from the largest."""
    sources: dict[str, float] = {}
    for edge in edges:
        for this, column, other in (
            (edge.left_table, edge.left_column, edge.right_table),
            (edge.right_table, edge.right_column, edge.left_table),
        ):
            if this == inner and other in visited and other in alone:
                sources[column] = max(sources.get(column, 0.0), alone[other].rows)
    return min(sources.values()) if sources else 1.0


def _join_step(
    models: Mapping[str, TableModel],
    shape: QueryShape,
    edges: Sequence[JoinEdge],
    config: Config,
    acc: TableAccess,
    visited: set[str],
    rows: float,
    loops: float,
    probes: list[Probe],
) -> tuple[float, AccessPlan, float]:
    """Joining ``acc`` to ``rows`` rows of the tables ``visited``: the cost it adds, its access plan
    and the rows after it. A nested loop looks it up once per row, each lookup costed as one of
    ``loops`` (``_loop_count``); a hash join scans it once, builds a hash table of it and probes
    that once per row."""
    joined = _join_predicates(edges, acc.table, visited)
    tm = models[acc.table]
    indexes = config.get(acc.table, ())
    lookup = None
    if joined:
        inner = _access(tm, acc, joined)
        lookup = repeated_plan(tm, inner, indexes, loops)
        probes.append(Probe(inner, loop_count(loops), lookup.cost, lookup.index))
    scan = _best(tm, _access(tm, acc), config, probes)
    hashed = scan.cost + scan.rows * (CPU_OPERATOR + CPU_TUPLE) + rows * CPU_OPERATOR
    after = rows * lookup.rows if lookup is not None else rows * scan.rows
    if lookup is not None and rows * lookup.cost <= hashed:
        return rows * lookup.cost, lookup, after
    return hashed, scan, after


def maintained(tm: TableModel, indexes: Sequence[IndexModel], changed: frozenset[str] | None) -> int:
    """Indexes a write must touch; ``changed`` is ``None`` for INSERT / DELETE (all of them)."""
    clustered = tm.engine.secondary_carries_pk
    real = [im for im in indexes if not (clustered and im.design.origin == "primary_key")]
    if changed is None:
        return len(real)
    touched = [
        im
        for im in real
        if im.design.stored_columns() & changed or (im.design.where and im.design.where.column in changed)
    ]
    if tm.engine.hot_updates:
        return len(real) if touched else 0
    return len(touched)


def write_key(shape: QueryShape) -> frozenset[str] | None:
    """What decides the indexes a write maintains: the columns an UPDATE sets, or ``None`` for an
    INSERT or DELETE, which maintains them all."""
    return frozenset(shape.set_columns) if shape.kind is StatementKind.UPDATE else None


def _write_pages(tm: TableModel, shape: QueryShape, indexes: Sequence[IndexModel], rows: float) -> float:
    """Pages a write of ``rows`` rows changes: each row, and each index it must maintain."""
    return rows * (1 + maintained(tm, indexes, write_key(shape)))


@dataclass(frozen=True)
class Shortcut:
    """A statement whose cost under one more index follows from its cost without it: a read or
    UPDATE / DELETE of one table with no join or subquery (its best plan is the cheaper of the
    old one and the new index's), or an INSERT ... VALUES (one more index to maintain)."""

    tm: TableModel
    shape: QueryShape
    access: Access | None
    """The one table access; ``None`` for an INSERT ... VALUES."""


def shortcut(models: Mapping[str, TableModel], shape: QueryShape) -> Shortcut | None:
    """The shortcut for ``shape``, or ``None`` when only costing it again is exact."""
    if len(list(shape.walk())) != 1:
        return None
    if not shape.accesses:
        target = shape.target
        if shape.kind is StatementKind.INSERT and target is not None and target in models:
            return Shortcut(models[target], shape, None)
        return None
    table = shape.accesses[0].table
    if len(shape.accesses) != 1 or table not in models or shape.kind is StatementKind.INSERT:
        return None
    if shape.kind.writes and shape.target != table:
        return None
    tm = models[table]
    return Shortcut(tm, shape, _access(tm, shape.accesses[0], shape=shape))


def cost_added(
    sc: Shortcut, before: PatternCost, indexes: Sequence[IndexModel], added: IndexModel
) -> PatternCost:
    """``cost_shape`` of the shortcut's statement with ``indexes`` (the old ones and ``added``,
    last), from ``before``, its cost with the old ones."""
    shape = sc.shape
    if sc.access is None:
        return PatternCost(before.read, _write_pages(sc.tm, shape, indexes, float(shape.rows_written)))
    best = before.plans[0]
    plan = plan_with(sc.tm, sc.access, added)
    if plan is not None and plan.cost < best.cost:
        best = plan
    write = _write_pages(sc.tm, shape, indexes, best.rows) if shape.kind.writes else 0.0
    return PatternCost(best.cost, write, (best,))


def cost_with(sc: Shortcut, before: PatternCost, indexes: Sequence[IndexModel]) -> PatternCost:
    """``cost_shape`` of the shortcut's statement with ``indexes``, whatever they add or remove:
    one table's best plan among them (for an INSERT ... VALUES, only what it maintains)."""
    shape = sc.shape
    if sc.access is None:
        return PatternCost(before.read, _write_pages(sc.tm, shape, indexes, float(shape.rows_written)))
    best = best_plan(sc.tm, sc.access, indexes)
    write = _write_pages(sc.tm, shape, indexes, best.rows) if shape.kind.writes else 0.0
    return PatternCost(best.cost, write, (best,))


def cost_shape(models: Mapping[str, TableModel], shape: QueryShape, config: Config) -> PatternCost:
    """Cost of one execution of a statement and all its nested blocks."""
    read, write = 0.0, 0.0
    plans: list[AccessPlan] = []
    probes: list[Probe] = []
    for block in shape.walk():
        cost, block_plans, _ = _block(models, block, config, probes)
        read += cost
        plans.extend(block_plans)
    target = shape.target
    if shape.kind.writes and target is not None and target in models:
        tm = models[target]
        indexes = config.get(target, ())
        if shape.kind is StatementKind.INSERT:
            rows = float(shape.rows_written)
        else:
            acc = shape.access(target)
            rows = (
                _best(tm, _access(tm, acc, shape=shape), config, probes).rows if acc is not None else tm.rows
            )
        write = _write_pages(tm, shape, indexes, rows)
    return PatternCost(read, write, tuple(plans), tuple(probes))


def unchanged_by(
    tm: TableModel, cost: PatternCost, added: IndexModel, removed: Collection[IndexDesign] = ()
) -> bool:
    """Whether adding the index ``added`` on ``tm``'s table (and removing ``removed``) leaves the
    reads of a statement costed ``cost`` (by ``cost_shape``, before the change) exactly as they
    are: no plan chosen at any question the costing asked of that table used an index removed,
    and ``added`` offers none cheaper, so every choice, the join order's included, comes out the
    same. A costing that recorded nothing answers ``False``; a write to the table still pays for
    maintaining ``added``."""
    if not cost.probes:
        return False
    for probe in cost.probes:
        if probe.access.table != added.design.table:
            continue
        if probe.index is not None and probe.index in removed:
            return False
        if probe.loops <= 1.0:
            plan = plan_with(tm, probe.access, added)
        else:
            plan = loop_plan(tm, probe.access, added, probe.loops)
        if plan is not None and plan.cost < probe.cost:
            return False
    return True
