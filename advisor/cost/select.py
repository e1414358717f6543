"""Choose indexes: greedy on net benefit per byte, re-costing after every pick, under the budget.

A pick that makes another index useless (its keys lead the pick's, same predicate, fewer
stored columns) replaces it, whether it was an earlier pick or a plain index that exists: that
is the merging step, and it is how ``orders (user_id)`` gives way to ``orders (user_id,
created_at DESC)``. Benefits only change for patterns on the table a pick lands on, so stale
scores are recomputed lazily when they reach the top of the queue. A last pass removes any pick
the others made unnecessary. Every decision keeps its figures as evidence for the report.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from advisor.cost.access import IndexModel, covering_share, model_index
from advisor.cost.design import IndexDesign
from advisor.cost.workload import Config, PatternCost, Shortcut, cost_added, cost_shape, shortcut
from advisor.rules.base import Candidate, Drop, Rejection
from advisor.rules.context import Context
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


@dataclass
class _Trial:
    gain: float
    size: float
    write: float
    best_cut: float
    replaced: list[IndexModel]
    indexes: list[IndexModel]
    costs: dict[str, PatternCost]


@dataclass
class _State:
    ctx: Context
    config: dict[str, list[IndexModel]]
    costs: dict[str, PatternCost]
    touches: dict[str, list[str]]
    freq: dict[str, float]
    leads: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    """(table, column) to the patterns an index led by that column can serve."""
    writers: dict[str, set[str]] = field(default_factory=dict)
    baseline: dict[str, PatternCost] = field(default_factory=dict)
    """Costs with the indexes that exist today: the reference of the cost-reduction threshold."""
    version: dict[str, int] = field(default_factory=dict)
    models: dict[IndexDesign, IndexModel] = field(default_factory=dict)
    shortcuts: dict[str, Shortcut] = field(default_factory=dict)
    """Patterns whose cost with one more index follows from their cost without it."""

    def model(self, design: IndexDesign) -> IndexModel:
        if design not in self.models:
            self.models[design] = model_index(self.ctx.models[design.table], design)
        return self.models[design]

    def affected(self, table: str, changed: list[IndexDesign]) -> list[str]:
        """Patterns whose cost an index change can alter: the table's writes, and the reads
        that can seek or order on the leading column of an index added or removed."""
        names = set(self.writers.get(table, ()))
        for design in changed:
            names |= self.leads.get((table, design.keys[0].column), set()) if design.keys else set()
        return [p for p in self.touches.get(table, []) if p in names]

    def recost(
        self,
        table: str,
        indexes: list[IndexModel],
        changed: list[IndexDesign],
        added: IndexModel | None = None,
    ) -> dict[str, PatternCost]:
        """The affected patterns' costs with ``indexes`` on ``table``. When the change only adds
        ``added``, a statement with a shortcut (``workload.shortcut``) is costed from its current
        cost instead of again in full."""
        trial: Config = {**self.config, table: indexes}
        out = {}
        for p in self.affected(table, changed):
            sc = self.shortcuts.get(p) if added is not None else None
            if sc is not None and added is not None:
                out[p] = cost_added(sc, self.costs[p], indexes, added)
            else:
                out[p] = cost_shape(self.ctx.models, self.ctx.shapes[p], trial)
        return out

    def trial(self, design: IndexDesign) -> _Trial | None:
        current = self.config.get(design.table, [])
        if any(im.design.same_shape(design) for im in current):
            return None
        replaced = [
            im
            for im in current
            if (not im.design.existing or im.design.droppable) and im.design.serves_as_prefix_of(design)
        ]
        added = self.model(design)
        new = [im for im in current if im not in replaced] + [added]
        return self.compare(design.table, new, replaced, added.size_bytes, [design], added)

    def without(self, design: IndexDesign) -> _Trial:
        """The trial of removing ``design`` from the configuration."""
        kept = [im for im in self.config[design.table] if im.design != design]
        return self.compare(design.table, kept, [], 0.0, [design])

    def compare(
        self,
        table: str,
        new: list[IndexModel],
        replaced: list[IndexModel],
        added_bytes: float,
        changed: list[IndexDesign],
        added: IndexModel | None = None,
    ) -> _Trial:
        # only a pure addition may take the single-access shortcut: a replacement can raise costs
        costs = self.recost(table, new, changed, None if replaced else added)
        gain, write, cut = 0.0, 0.0, 0.0
        for p, after in costs.items():
            before = self.costs[p]
            gain += self.freq[p] * (before.total - after.total)
            write += self.freq[p] * (after.write - before.write)
            # an upgrade refines an earlier pick, so it is measured against today's indexes;
            # an index added beside the others must earn its place against the current plan
            reference = self.baseline.get(p, before).total if replaced else before.total
            if reference > 0:
                cut = max(cut, 1 - after.total / reference)
        size = added_bytes - sum(im.size_bytes for im in replaced)
        return _Trial(gain, size, write, cut, replaced, new, costs)

    def apply(self, table: str, trial: _Trial) -> None:
        self.config[table] = trial.indexes
        self.costs.update(trial.costs)
        self.version[table] = self.version.get(table, 0) + 1


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
        for a in group:
            for b in group:
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


def _not_worth_it(
    state: _State,
    candidates: Sequence[Candidate],
    chosen: Mapping[IndexDesign, Choice],
    rejected: list[Rejection],
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
        if cand.design in decided or not any((p, cand.design.table) in scanning for p in cand.patterns):
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


def _relevance(ctx: Context) -> tuple[dict[tuple[str, str], set[str]], dict[str, set[str]]]:
    """(table, column) to the patterns that filter, join or order on it; table to its writers."""
    leads = {key: set(names) for key, names in ctx.column_users.items()}
    for name, shape in ctx.shapes.items():
        for block in shape.walk():
            for k in block.order_by:
                leads.setdefault((k.table, k.column), set()).add(name)
    writers = {
        table: {
            p.name for p in patterns if ctx.shapes[p.name].kind.writes and ctx.shapes[p.name].target == table
        }
        for table, patterns in ctx.patterns_on.items()
    }
    return leads, writers


def _score(trial: _Trial, page: int) -> float:
    if trial.size <= 0:
        return trial.gain * 1e12
    return trial.gain / max(trial.size, page)


def select(ctx: Context, candidates: Sequence[Candidate], drops: Sequence[Drop]) -> Plan:
    """Pick from ``candidates`` after applying ``drops``; see the module docstring."""
    freq = {p.name: p.per_sec for p in ctx.spec.patterns if p.name in ctx.shapes}
    touches = {table: [p.name for p in patterns] for table, patterns in ctx.patterns_on.items()}
    state = _State(ctx, {}, {}, touches, freq, *_relevance(ctx))
    for name, shape in ctx.shapes.items():
        sc = shortcut(ctx.models, shape)
        if sc is not None:
            state.shortcuts[name] = sc
    for table, designs in ctx.existing.items():
        state.config[table] = [state.model(d) for d in designs]
    before = {p: cost_shape(ctx.models, shape, state.config) for p, shape in ctx.shapes.items()}
    state.costs = dict(before)
    state.baseline = dict(before)
    for drop in drops:
        state.apply(drop.design.table, state.without(drop.design))

    rejected: list[Rejection] = []
    chosen: dict[IndexDesign, Choice] = {}
    used_bytes, used_writes = 0.0, 0.0
    min_cut = ctx.threshold("IDX001", "min_cost_reduction")
    min_per_gb = ctx.threshold("IDX001", "min_benefit_per_gb")
    by_table: dict[str, list[int]] = {}
    for i, cand in enumerate(candidates):
        by_table.setdefault(cand.design.table, []).append(i)
    queue: list[tuple[float, int, int]] = []

    def rescore(table: str) -> None:
        # an upgrade's score rises when the index it replaces is picked, so every candidate on
        # the table is re-scored after a pick there (scores elsewhere cannot change)
        version = state.version.get(table, 0)
        for i in by_table.get(table, []):
            if candidates[i].design in chosen:
                continue
            trial = state.trial(candidates[i].design)
            if trial is not None and trial.gain > 0:
                heapq.heappush(queue, (-_score(trial, ctx.engine.page_size), i, version))

    for table in by_table:
        rescore(table)
    while queue:
        _, i, seen = heapq.heappop(queue)
        cand = candidates[i]
        table = cand.design.table
        if seen != state.version.get(table, 0) or cand.design in chosen:
            continue
        trial = state.trial(cand.design)
        if trial is None or trial.gain <= 0:
            continue
        why = _over_budget(ctx, state, trial, used_bytes, used_writes)
        if why is None and trial.best_cut < min_cut:
            why = f"cuts its best pattern's cost by only {trial.best_cut:.1%} (threshold {min_cut:.0%})"
        if why is None and trial.size > 0 and trial.gain / (trial.size / 1e9) < min_per_gb:
            why = (
                f"saves {trial.gain:,.0f} cost units/s for {trial.size / 1e9:,.1f} GB, under "
                f"{min_per_gb:,.0f} per GB"
            )
        if why is not None:
            rejected.append(Rejection(cand.design, "IDX001", why, cand.patterns))
            continue
        state.apply(table, trial)
        used_bytes += trial.size
        used_writes += trial.write
        replaces: list[IndexDesign] = []
        for im in trial.replaced:
            earlier = chosen.pop(im.design, None)
            # a pick that replaces an earlier pick also takes over what that one replaced
            replaces += list(earlier.replaces) if earlier is not None else [im.design]
        chosen[cand.design] = Choice(cand, tuple(replaces), trial.gain, trial.size)
        rescore(table)

    _swap(state, candidates, chosen)
    for design in list(chosen)[::-1]:
        removal = state.without(design)
        if removal.gain >= 0:
            state.apply(design.table, removal)
            cand = chosen.pop(design).candidate
            rejected.append(
                Rejection(
                    design,
                    "IDX001",
                    "the other recommended indexes serve its patterns as well",
                    cand.patterns,
                )
            )

    rejected += _not_worth_it(state, candidates, chosen, rejected)
    # in pick order, never a set's: the report must not change from one run to the next
    replaced_existing = dict.fromkeys(d for c in chosen.values() for d in c.replaces if d.existing)
    dropped = list(drops) + [
        Drop(
            d,
            "IDX006",
            "its keys lead a recommended index",
            next(c.candidate.design for c in chosen.values() if d in c.replaces),
        )
        for d in replaced_existing
    ]
    return Plan(
        tuple(chosen.values()), tuple(dropped), tuple(rejected), before, dict(state.costs), dict(state.config)
    )


def _swap(state: _State, candidates: Sequence[Candidate], chosen: dict[IndexDesign, Choice]) -> None:
    """Greedy picks early what served a pattern best at the time; once later picks have changed
    the picture, replace a pick by a smaller candidate for the same patterns when the workload
    comes out no worse (e.g. a partial index instead of a full one)."""
    on_table: dict[str, list[Candidate]] = {}
    for cand in candidates:
        on_table.setdefault(cand.design.table, []).append(cand)
    for design in list(chosen):
        if design not in chosen:
            continue
        current = chosen[design]
        size = state.model(design).size_bytes
        best: tuple[float, Candidate, _Trial] | None = None
        for cand in on_table.get(design.table, ()):
            other = cand.design
            if other in chosen or not set(cand.patterns) & set(current.candidate.patterns):
                continue
            if state.model(other).size_bytes >= size:
                continue
            kept = [im for im in state.config[design.table] if im.design != design]
            if any(im.design.same_shape(other) for im in kept):
                continue
            trial = state.compare(
                design.table,
                [*kept, state.model(other)],
                [],
                state.model(other).size_bytes - size,
                [design, other],
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


def _over_budget(
    ctx: Context, state: _State, trial: _Trial, used_bytes: float, used_writes: float
) -> str | None:
    budget = ctx.spec.budget
    if budget.storage_bytes is not None and used_bytes + trial.size > budget.storage_bytes:
        return f"storage budget: needs {trial.size / 1e9:,.2f} GB, {max(0.0, budget.storage_bytes - used_bytes) / 1e9:,.2f} GB left"
    if budget.max_write_overhead is not None and used_writes + trial.write > budget.max_write_overhead:
        return f"write budget: adds {trial.write:,.0f} page writes/s, {budget.max_write_overhead - used_writes:,.0f} left"
    if budget.max_indexes_per_table is not None and len(trial.indexes) > budget.max_indexes_per_table:
        return f"table already has {len(trial.indexes) - 1} indexes (max_indexes_per_table {budget.max_indexes_per_table})"
    return None
