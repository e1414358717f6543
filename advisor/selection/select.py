"""Choose indexes: greedy on net benefit per byte, re-costing after every pick, under the budget.

A pick that makes another index useless (its keys lead the pick's, same predicate, fewer
stored columns) replaces it, whether it was an earlier pick or a plain index that exists: that
is the merging step, and it is how ``orders (user_id)`` gives way to ``orders (user_id,
created_at DESC)``. Benefits only change for patterns on the table a pick lands on, so stale
scores are recomputed lazily when they reach the top of the queue. A last pass removes any pick
the others made unnecessary. Every decision keeps its figures as evidence for the report.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from advisor.analysis.shape import QueryShape
from advisor.cost.design import IndexDesign
from advisor.cost.models import covering_share
from advisor.cost.workload import (
    Config,
    PatternCost,
    cost_shape,
    equivalent_joins,
    shortcut,
)
from advisor.rules.base import Candidate, Drop, Rejection
from advisor.rules.context import Context
from advisor.selection.queue import Queue
from advisor.selection.state import State, Trial, redundant_beside, same_keys
from advisor.spec.model import IndexKey


@dataclass(frozen=True)
class Choice:
    candidate: Candidate
    replaces: tuple[IndexDesign, ...]
    gain: float
    """Net cost units per second saved when it was picked (reads saved minus writes added)."""
    size_bytes: float


@dataclass(frozen=True)
class Plan:
    chosen: tuple[Choice, ...]
    dropped: tuple[Drop, ...]
    rejected: tuple[Rejection, ...]
    before: Mapping[str, PatternCost]
    after: Mapping[str, PatternCost]
    config: Config


def widened_candidates(ctx: Context, candidates: Sequence[Candidate]) -> list[Candidate]:
    """For two candidates where one's keys lead the other's, the wider index that stores what
    both need, so one index can serve both patterns (kept only while it stays within the
    covering rule's size limit)."""
    share_limit = ctx.threshold("COV001", "max_table_share")
    have = {c.design for c in candidates}
    out: list[Candidate] = []
    by_table: dict[str, list[Candidate]] = {}
    for cand in candidates:
        by_table.setdefault(cand.design.table, []).append(cand)
    for group in by_table.values():
        # one's keys lead another's only with one predicate and the same first key
        by_lead: dict[tuple[object, str], list[Candidate]] = {}
        for cand in group:
            by_lead.setdefault(_lead(cand.design), []).append(cand)
        for a in group:
            for b in group if not a.design.keys else by_lead[_lead(a.design)]:
                if a is b or not a.design.keys_lead(b.design):
                    continue
                extra = [
                    c
                    for c in (*a.design.columns, *a.design.include, *b.design.include)
                    if c not in b.design.columns
                ]
                extra = list(dict.fromkeys(extra))
                if set(extra) == set(b.design.include):
                    continue
                if ctx.engine.supports_include:
                    design = IndexDesign(b.design.table, b.design.keys, tuple(sorted(extra)), b.design.where)
                else:
                    keys = b.design.keys + tuple(IndexKey(c) for c in extra if c not in b.design.include)
                    design = IndexDesign(b.design.table, keys, (), b.design.where)
                tm = ctx.models[design.table]
                plain = IndexDesign(design.table, b.design.keys, (), design.where)
                if design in have or covering_share(tm, design, plain) > share_limit:
                    continue
                have.add(design)
                reason = f"{b.reason}; also serves {', '.join(a.patterns)} so one index does the work of two"
                out.append(
                    Candidate(
                        design,
                        tuple(dict.fromkeys((*b.rules, *a.rules))),
                        tuple(dict.fromkeys((*b.patterns, *a.patterns))),
                        reason,
                        b.predicates,
                        a.referenced | b.referenced,
                    )
                )
    return out


def _lead(design: IndexDesign) -> tuple[object, str]:
    return (design.where, design.keys[0].column if design.keys else "")


def _not_worth_it(
    state: State,
    candidates: Sequence[Candidate],
    chosen: Mapping[IndexDesign, Choice],
    rejected: list[Rejection],
    rep: Mapping[str, str],
) -> list[Rejection]:
    """The candidates neither picked nor turned down for a stated reason that would save reads
    with the plan applied, but less than the index maintenance they add to the writes."""
    decided = set(chosen) | {r.design for r in rejected}
    # only where it explains something: a pattern of the candidate still reads its table in full
    scanning = {
        (p, a.table) for p, cost in state.costs.items() for a in cost.plans if a.index is None and a.table
    }
    out = []
    for cand in candidates:
        if cand.design in decided or not any(
            (rep.get(p), cand.design.table) in scanning for p in cand.patterns
        ):
            continue
        decided.add(cand.design)
        trial = state.trial(cand.design)
        if trial is None or trial.gain > 0:
            continue
        saved = trial.gain + trial.write
        if saved <= 1e-9 * max(1.0, trial.write):
            continue  # the picks serve its patterns as well: listing each such variant is noise
        reason = (
            f"saves {saved:,.0f} cost units/s on reads but adds {trial.write:,.0f} page writes/s to "
            "maintain it: the writes cost more"
        )
        out.append(Rejection(cand.design, "IDX001", reason, cand.patterns))
    return out


def _relevance(
    ctx: Context, shapes: Mapping[str, QueryShape]
) -> tuple[dict[tuple[str, str], set[str]], dict[str, set[str]]]:
    """(table, column) to the patterns of ``shapes`` that filter, join or order on it; table to
    its writers among them."""
    leads = {key: {p for p in names if p in shapes} for key, names in ctx.column_users.items()}
    for name, shape in shapes.items():
        for block in shape.walk():
            for k in block.order_by:
                leads.setdefault((k.table, k.column), set()).add(name)
    writers = {
        table: {
            p.name
            for p in patterns
            if p.name in shapes and shapes[p.name].kind.writes and shapes[p.name].target == table
        }
        for table, patterns in ctx.patterns_on.items()
    }
    return leads, writers


def representatives(shapes: Mapping[str, QueryShape]) -> dict[str, str]:
    """Each pattern to the first one with an equal shape: every configuration costs them alike,
    so selection costs one of them, at the sum of their rates (a workload often repeats one
    statement under several names, and a hot table's share of them makes its costing
    quadratic).

    >>> from advisor.analysis.shape import StatementKind
    >>> read = QueryShape(StatementKind.SELECT)
    >>> representatives({"a": read, "b": QueryShape(StatementKind.DELETE), "c": read})
    {'a': 'a', 'b': 'b', 'c': 'a'}
    """
    first: dict[QueryShape, str] = {}
    return {name: first.setdefault(shape, name) for name, shape in shapes.items()}


def _initial_state(
    ctx: Context, drops: Sequence[Drop]
) -> tuple[State, dict[str, str], dict[str, PatternCost]]:
    """The selection state with today's indexes less ``drops``, each pattern's representative
    (``representatives``) and the representatives' costs before any change."""
    rep = representatives(ctx.shapes)
    shapes = {p: shape for p, shape in ctx.shapes.items() if rep[p] == p}
    freq = dict.fromkeys(shapes, 0.0)
    for pattern in ctx.spec.patterns:
        if pattern.name in rep:
            freq[rep[pattern.name]] += pattern.per_sec
    touches = {table: [p.name for p in ps if p.name in shapes] for table, ps in ctx.patterns_on.items()}
    state = State(ctx, {}, {}, touches, freq, *_relevance(ctx, shapes))
    for name, shape in shapes.items():
        columns: dict[str, set[str]] = {}
        for block in shape.walk():
            for edge in equivalent_joins(block.joins):
                columns.setdefault(edge.left_table, set()).add(edge.left_column)
                columns.setdefault(edge.right_table, set()).add(edge.right_column)
        if columns:
            state.lookups[name] = {table: frozenset(cols) for table, cols in columns.items()}
            for table in columns:
                state.joins_on.setdefault(table, set()).add(name)
        sc = shortcut(ctx.models, shape)
        if sc is not None:
            state.shortcuts[name] = sc
    for table, designs in ctx.existing.items():
        state.config[table] = [state.model(d) for d in designs]
    before = {p: cost_shape(ctx.models, shape, state.config) for p, shape in shapes.items()}
    state.costs = dict(before)
    state.baseline = dict(before)
    for drop in drops:
        state.apply(drop.design.table, state.without(drop.design))
    return state, rep, before


def model_gains(
    ctx: Context, candidates: Sequence[Candidate], drops: Sequence[Drop]
) -> dict[IndexDesign, float]:
    """Each candidate's net gain (cost units per second) added alone to today's indexes less
    ``drops``; a candidate the plan could not hold beside them is left out."""
    state, _, _ = _initial_state(ctx, drops)
    out = {}
    for cand in candidates:
        trial = state.trial(cand.design)
        if trial is not None:
            out[cand.design] = trial.gain
    return out


def plan_of(ctx: Context, picks: Sequence[Candidate], drops: Sequence[Drop]) -> Plan:
    """The plan of exactly ``picks``, added in order after ``drops`` (each replacing what it makes
    redundant), costed by the model: for a choice made by another judge than the model."""
    state, rep, before = _initial_state(ctx, drops)
    chosen: dict[IndexDesign, Choice] = {}
    for cand in picks:
        trial = state.trial(cand.design)
        if trial is None:
            continue
        state.apply(cand.design.table, trial)
        replaces: list[IndexDesign] = []
        for im in trial.replaced:
            earlier = chosen.pop(im.design, None)
            replaces += list(earlier.replaces) if earlier is not None else [im.design]
        chosen[cand.design] = Choice(cand, tuple(replaces), trial.gain, trial.size)
    dropped = list(drops) + _replaced_existing(state, chosen, drops)
    return Plan(
        tuple(chosen.values()),
        tuple(dropped),
        (),
        {p: before[r] for p, r in rep.items()},
        {p: state.costs[r] for p, r in rep.items()},
        dict(state.config),
    )


def select(ctx: Context, candidates: Sequence[Candidate], drops: Sequence[Drop]) -> Plan:
    """Pick from ``candidates`` after applying ``drops``; see the module docstring."""
    state, rep, before = _initial_state(ctx, drops)

    rejected: list[Rejection] = []
    chosen: dict[IndexDesign, Choice] = {}
    # Greedy picks depend on their order: a narrow index picked early can stand in the way of the
    # covering one a later pick made worth it. So the passes run again from the plan they made
    # until one adds nothing: the plan is then one that planning again, with it applied, keeps.
    # A candidate turned down for a threshold was measured against the plan of that moment; once
    # later picks or removals have changed its table, it is measured again, as planning again
    # with the plan applied would.
    turned_down: dict[IndexDesign, tuple[Candidate, int]] = {}
    pool: Sequence[Candidate] = candidates
    settled = False
    for round_ in range(_ROUNDS):
        picked_on = _greedy(state, pool, chosen, rejected, turned_down)
        # only the tables the swap changed can offer a pick again; after the first pass, also
        # those a pass picked on, since what the first pass found worth nothing may be worth it now
        changed = _swap(state, candidates, chosen) | (picked_on if round_ else set())
        stale = _stale(state, turned_down)
        if not changed and not stale:
            changed = _drop_unneeded(state, chosen, rejected)
            stale = _stale(state, turned_down)
            if not changed and not stale:
                settled = True
                break
        pool = list(
            {c.design: c for c in [*stale, *(c for c in candidates if c.design.table in changed)]}.values()
        )
    if not settled:
        _drop_unneeded(state, chosen, rejected)

    rejected = _settled(rejected, chosen)
    rejected += _not_worth_it(state, candidates, chosen, rejected, rep)
    dropped = list(drops) + _replaced_existing(state, chosen, drops)
    return Plan(
        tuple(chosen.values()),
        tuple(dropped),
        tuple(rejected),
        {p: before[r] for p, r in rep.items()},
        {p: state.costs[r] for p, r in rep.items()},
        dict(state.config),
    )


def _replaced_existing(
    state: State, chosen: Mapping[IndexDesign, Choice], drops: Sequence[Drop]
) -> list[Drop]:
    """The existing indexes the final configuration no longer holds, each with the recommended
    index that took its place, in pick order (never a set's: the report must not change from
    one run to the next)."""
    final = {im.design for ims in state.config.values() for im in ims}
    done = {d.design for d in drops}
    gone = [d for c in chosen.values() for d in c.replaces if d.existing and d not in final and d not in done]
    gone += [d for ds in state.ctx.existing.values() for d in ds if d not in final and d not in done]
    out = []
    for design in dict.fromkeys(gone):
        on_table = [c for c in chosen if c.table == design.table]
        wider = next((c for c in on_table if design.serves_as_prefix_of(c) or same_keys(design, c)), None)
        if wider is not None:
            out.append(Drop(design, "IDX006", "its keys lead a recommended index", wider))
        elif on_table:
            out.append(
                Drop(design, "IDX006", "the recommended indexes serve its patterns as well", on_table[0])
            )
    return out


_ROUNDS = 4


def _stale(state: State, turned_down: dict[IndexDesign, tuple[Candidate, int]]) -> list[Candidate]:
    """The candidates turned down for a threshold since whose rejection a pattern they could serve
    has moved (``State.moved_since``), to be measured again (``_settled`` keeps the last word)."""
    out = []
    for design, (cand, tick) in list(turned_down.items()):
        if any(state.moved_since(p, tick) for p in state.reads_of(design)):
            del turned_down[design]
            out.append(cand)
    return out


def _settled(rejected: Sequence[Rejection], chosen: Mapping[IndexDesign, Choice]) -> list[Rejection]:
    """Each candidate's last rejection, in the order it was first turned down, less the
    candidates measured again and picked."""
    latest = {r.design: r for r in rejected}
    out: dict[IndexDesign, Rejection] = {}
    for r in rejected:
        if r.design not in chosen and r.design not in out:
            out[r.design] = latest[r.design]
    return list(out.values())


def _greedy(
    state: State,
    candidates: Sequence[Candidate],
    chosen: dict[IndexDesign, Choice],
    rejected: list[Rejection],
    turned_down: dict[IndexDesign, tuple[Candidate, int]],
) -> set[str]:
    """One greedy pass over ``candidates`` from the current configuration; a candidate turned
    down for a threshold is noted in ``turned_down`` with the tick it was measured at. Returns
    the tables it picked on."""
    ctx = state.ctx
    min_cut = ctx.threshold("IDX001", "min_cost_reduction")
    min_per_gb = ctx.threshold("IDX001", "min_benefit_per_gb")
    used_bytes = sum(c.size_bytes for c in chosen.values())
    used_writes = sum(state.freq[p] * (state.costs[p].write - state.baseline[p].write) for p in state.costs)
    queue = Queue(state, [c for c in candidates if c.design not in chosen])
    picked_on: set[str] = set()
    while (picked := queue.pop()) is not None:
        i, trial = picked
        cand = queue.candidates[i]
        table = cand.design.table
        why = _over_budget(ctx, state, trial, used_bytes, used_writes)
        threshold = why is None
        if why is None and trial.best_cut < min_cut:
            why = f"cuts its best pattern's cost by only {trial.best_cut:.1%} (threshold {min_cut:.0%})"
        if why is None and trial.size > 0 and trial.gain / (trial.size / 1e9) < min_per_gb:
            why = (
                f"saves {trial.gain:,.0f} cost units/s for {trial.size / 1e9:,.1f} GB, under "
                f"{min_per_gb:,.0f} per GB"
            )
        if why is not None:
            rejected.append(Rejection(cand.design, "IDX001", why, cand.patterns))
            if threshold:
                turned_down[cand.design] = (cand, state.tick)
            continue
        moved = {p for p, after in trial.costs.items() if after.read != state.costs[p].read}
        rose = {p for p in moved if trial.costs[p].read > state.costs[p].read}
        state.apply(table, trial)
        used_bytes += trial.size
        used_writes += trial.write
        replaces: list[IndexDesign] = []
        for im in trial.replaced:
            earlier = chosen.pop(im.design, None)
            # a pick that replaces an earlier pick also takes over what that one replaced
            replaces += list(earlier.replaces) if earlier is not None else [im.design]
        chosen[cand.design] = Choice(cand, tuple(replaces), trial.gain, trial.size)
        queue.picked(i, moved, rose)
        picked_on.add(table)
    return picked_on


def _drop_unneeded(state: State, chosen: dict[IndexDesign, Choice], rejected: list[Rejection]) -> set[str]:
    """Remove, latest first, each pick the others made unnecessary; returns the tables changed."""
    changed: set[str] = set()
    on_table: dict[str, list[IndexDesign]] = {}
    for design in chosen:
        on_table.setdefault(design.table, []).append(design)
    for design in list(chosen)[::-1]:
        others = [c for c in on_table[design.table] if c != design and c in chosen]
        # an existing index it replaced comes back, unless another pick still makes it redundant
        restore = [
            d
            for d in chosen[design].replaces
            if d.existing and not any(d.serves_as_prefix_of(o) or same_keys(d, o) for o in others)
        ]
        removal = state.without(design, restore)
        if removal.gain >= 0:
            state.apply(design.table, removal)
            changed.add(design.table)
            cand = chosen.pop(design).candidate
            rejected.append(
                Rejection(
                    design,
                    "IDX001",
                    "the other recommended indexes serve its patterns as well",
                    cand.patterns,
                )
            )
    return changed


def _swap(state: State, candidates: Sequence[Candidate], chosen: dict[IndexDesign, Choice]) -> set[str]:
    """Greedy picks early what served a pattern best at the time; once later picks have changed
    the picture, replace a pick by a smaller candidate for the same patterns when the workload
    comes out no worse (e.g. a partial index instead of a full one). Returns the tables changed."""
    changed: set[str] = set()
    on_table: dict[str, list[Candidate]] = {}
    for cand in candidates:
        on_table.setdefault(cand.design.table, []).append(cand)
    since = state.swap_tick
    reach = {t: state.reach(t) for t in {d.table for d in chosen}}
    for design in list(chosen):
        if design not in chosen or all(state.changed_at.get(t, 0) <= since for t in reach[design.table]):
            continue
        current = chosen[design]
        size = state.model(design).size_bytes
        best: tuple[float, Candidate, Trial] | None = None
        for cand in on_table.get(design.table, ()):
            other = cand.design
            if other in chosen or not set(cand.patterns) & set(current.candidate.patterns):
                continue
            if state.model(other).size_bytes >= size:
                continue
            kept = [im for im in state.config[design.table] if im.design != design]
            if redundant_beside(other, kept):
                continue
            trial = state.compare(
                design.table,
                [*kept, state.model(other)],
                [],
                state.model(other).size_bytes - size,
                [design, other],
                state.model(other),
                swapped=design,
            )
            if trial.gain >= 0 and (best is None or trial.gain > best[0]):
                best = (trial.gain, cand, trial)
        if best is not None:
            _, cand, trial = best
            state.apply(design.table, trial)
            del chosen[design]
            chosen[cand.design] = Choice(
                cand, current.replaces, current.gain + trial.gain, state.model(cand.design).size_bytes
            )
            changed.add(design.table)
    state.swap_tick = state.tick
    return changed


def _over_budget(
    ctx: Context, state: State, trial: Trial, used_bytes: float, used_writes: float
) -> str | None:
    budget = ctx.spec.budget
    if budget.storage_bytes is not None and used_bytes + trial.size > budget.storage_bytes:
        return f"storage budget: needs {trial.size / 1e9:,.2f} GB, {max(0.0, budget.storage_bytes - used_bytes) / 1e9:,.2f} GB left"
    if budget.max_write_overhead is not None and used_writes + trial.write > budget.max_write_overhead:
        return f"write budget: adds {trial.write:,.0f} page writes/s, {budget.max_write_overhead - used_writes:,.0f} left"
    if budget.max_indexes_per_table is not None and len(trial.indexes) > budget.max_indexes_per_table:
        return f"table already has {len(trial.indexes) - 1} indexes (max_indexes_per_table {budget.max_indexes_per_table})"
    return None
