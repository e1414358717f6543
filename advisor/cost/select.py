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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from advisor.analysis.shape import QueryShape
from advisor.cost.access import IndexModel, covering_share, model_index, plan_with
from advisor.cost.design import IndexDesign
from advisor.cost.workload import (
    Config,
    PatternCost,
    Shortcut,
    cost_added,
    cost_shape,
    cost_with,
    equivalent_joins,
    maintained,
    shortcut,
    unchanged_by,
    write_key,
)
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
    deferred: tuple[str, ...] = ()
    """Writes whose cost only the added index's maintenance changes: counted in ``gain`` and
    ``write`` by their group (``_State.write_groups``), costed one by one only if applied."""
    added: IndexModel | None = None


@dataclass(frozen=True)
class _WriteGroup:
    """A table's shortcut writes that maintain the same indexes (``workload.write_key``), with
    the sum of their frequency times the rows each execution writes."""

    changed: frozenset[str] | None
    weight: float
    patterns: tuple[str, ...]


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
    shortcuts: dict[str, Shortcut] = field(default_factory=dict)
    """Patterns whose cost with one more index follows from their cost without it."""
    tick: int = 0
    """How many changes were applied so far."""
    read_changed: dict[str, int] = field(default_factory=dict)
    """Pattern to the tick of the last change that moved its read cost."""
    lookups: dict[str, dict[str, frozenset[str]]] = field(default_factory=dict)
    """A pattern that joins tables, to each table's join columns: an index that leads by one makes
    a lookup into that table cheap, which can make an index on another table worth it (to drive
    the join) without moving the pattern's cost."""
    joins_on: dict[str, set[str]] = field(default_factory=dict)
    """Table to the patterns that join it to another."""
    opened_at: dict[str, int] = field(default_factory=dict)
    """Pattern to the tick of the last change that gave it a new join lookup."""
    opened: set[str] = field(default_factory=set)
    """The patterns the last change gave a new join lookup."""
    hot_broken: bool = False
    """Whether the last change ended a HOT update (``_breaks_hot``)."""
    groups: dict[str, tuple[int, list[_WriteGroup]]] = field(default_factory=dict)
    """Per table, its write groups at a version of its configuration."""
    affected_memo: dict[tuple[str, frozenset[str]], list[str]] = field(default_factory=dict)
    """``affected`` by table and the leading columns of the indexes changed."""
    changed_at: dict[str, int] = field(default_factory=dict)
    """Table to the tick of the last change to its indexes."""
    depends_memo: dict[IndexDesign, tuple[str, ...]] = field(default_factory=dict)
    swap_tick: int = -1
    """The tick at the end of the last ``_swap`` pass: a pick on a table none of whose
    statements' tables changed since is not reconsidered."""

    def moved_since(self, pattern: str, tick: int) -> bool:
        """Whether a change after ``tick`` can have changed what an index serving ``pattern`` gains."""
        return self.read_changed.get(pattern, 0) > tick or self.opened_at.get(pattern, 0) > tick

    def model(self, design: IndexDesign) -> IndexModel:
        # computed once per design: the table model remembers it (``model_index``)
        return model_index(self.ctx.models[design.table], design)

    def reads_of(self, design: IndexDesign) -> set[str]:
        """The patterns that can seek or order on ``design``'s leading column."""
        return self.leads.get((design.table, design.keys[0].column), set()) if design.keys else set()

    def affected(self, table: str, changed: list[IndexDesign]) -> list[str]:
        """Patterns whose cost an index change can alter: the table's writes, and the reads
        that can seek or order on the leading column of an index added or removed."""
        key = (table, frozenset(d.keys[0].column for d in changed if d.keys))
        hit = self.affected_memo.get(key)
        if hit is None:
            names = set(self.writers.get(table, ()))
            for design in changed:
                names |= self.reads_of(design)
            hit = self.affected_memo[key] = [p for p in self.touches.get(table, []) if p in names]
        return hit

    def depends(self, design: IndexDesign) -> tuple[str, ...]:
        """The tables whose indexes the trial of adding ``design`` reads: its own, and every
        table a statement it can change joins (a statement of one table follows from its own)."""
        hit = self.depends_memo.get(design)
        if hit is None:
            affected = self.affected(design.table, [design])
            hit = self.depends_memo[design] = tuple(sorted(self._joined(design.table, affected)))
        return hit

    def reach(self, table: str) -> set[str]:
        """``table`` and every table a statement on it joins."""
        return self._joined(table, self.touches.get(table, ()))

    def _joined(self, table: str, patterns: Iterable[str]) -> set[str]:
        """``table`` and the tables the statements of ``patterns`` read, less those of one table
        (whose cost follows from their own table's indexes)."""
        out = {table}
        for p in patterns:
            if p not in self.shortcuts:
                out |= self.ctx.shapes[p].tables()
        return out

    def current(self, design: IndexDesign, tick: int) -> bool:
        """Whether a trial of ``design`` made at ``tick`` still holds: no table it reads changed."""
        return all(self.changed_at.get(t, 0) <= tick for t in self.depends(design))

    def recost(
        self,
        table: str,
        indexes: list[IndexModel],
        changed: list[IndexDesign],
        added: IndexModel | None = None,
        skip: frozenset[str] = frozenset(),
        removed: frozenset[IndexDesign] = frozenset(),
    ) -> dict[str, PatternCost]:
        """The costs with ``indexes`` on ``table`` of the affected patterns (less ``skip``) that
        the change can move. A statement of one table is costed by its shortcut
        (``workload.shortcut``): when the change adds ``added`` (in place of ``removed``, if any)
        and its plan used none of ``removed``, from its current cost; a read that ``added`` does
        not make cheaper is left out, as is any statement whose plans ``added`` beats nowhere
        (``workload.unchanged_by``): their costs stay as they are."""
        trial: Config = {**self.config, table: indexes}
        out = {}
        tm = self.ctx.models[table]
        writers = self.writers.get(table, set())
        for p in self.affected(table, changed):
            if p in skip:
                continue
            before = self.costs[p]
            sc = self.shortcuts.get(p)
            if sc is not None:
                if added is None or sc.access is None or before.plans[0].index in removed:
                    out[p] = cost_with(sc, before, indexes)
                    continue
                plan = plan_with(tm, sc.access, added)
                if removed or p in writers or (plan is not None and plan.cost < before.plans[0].cost):
                    out[p] = cost_added(sc, before, indexes, added)
                # else: a read the added index does not help keeps its cost (left out)
            elif added is not None and p not in writers and unchanged_by(tm, before, added, removed):
                if removed:
                    out[p] = before
            else:
                out[p] = cost_shape(self.ctx.models, self.ctx.shapes[p], trial)
        return out

    def write_groups(self, table: str) -> list[_WriteGroup]:
        """The table's shortcut writes by the indexes they maintain, for its configuration now."""
        version = self.version.get(table, 0)
        cached = self.groups.get(table)
        if cached is not None and cached[0] == version:
            return cached[1]
        by_key: dict[frozenset[str] | None, tuple[float, list[str]]] = {}
        for p in sorted(self.writers.get(table, ())):
            sc = self.shortcuts.get(p)
            if sc is None:
                continue
            rows = float(sc.shape.rows_written) if sc.access is None else self.costs[p].plans[0].rows
            key = write_key(sc.shape)
            weight, names = by_key.get(key, (0.0, []))
            by_key[key] = (weight + self.freq[p] * rows, [*names, p])
        groups = [_WriteGroup(key, weight, tuple(names)) for key, (weight, names) in by_key.items()]
        self.groups[table] = (version, groups)
        return groups

    def _untouched_writes(self, design: IndexDesign) -> list[_WriteGroup]:
        """The write groups of ``design``'s table none of whose statements ``design`` could
        serve: neither its leading column nor its partial predicate's column is one they filter
        or order on, so adding it only adds its maintenance to them."""
        near = self.reads_of(design)
        if design.where is not None:
            near = near | self.leads.get((design.table, design.where.column), set())
        return [g for g in self.write_groups(design.table) if not near.intersection(g.patterns)]

    def trial(self, design: IndexDesign) -> _Trial | None:
        """Adding ``design`` to the configuration, replacing what it makes redundant; ``None`` when
        the plan could not hold it beside the indexes it has (see ``redundant_beside``)."""
        current = self.config.get(design.table, [])
        if redundant_beside(design, current):
            return None
        replaced = [im for im in current if _replaceable(im.design) and im.design.serves_as_prefix_of(design)]
        added = self.model(design)
        new = [im for im in current if im not in replaced] + [added]
        return self.compare(design.table, new, replaced, added.size_bytes, [design], added)

    def without(self, design: IndexDesign, restore: Sequence[IndexDesign] = ()) -> _Trial:
        """The trial of removing ``design`` from the configuration (and putting back ``restore``,
        the existing indexes it replaced)."""
        kept = [im for im in self.config[design.table] if im.design != design]
        back = [self.model(d) for d in restore]
        added = sum(im.size_bytes for im in back) - self.model(design).size_bytes
        return self.compare(design.table, kept + back, [], added, [design, *restore])

    def compare(
        self,
        table: str,
        new: list[IndexModel],
        replaced: list[IndexModel],
        added_bytes: float,
        changed: list[IndexDesign],
        added: IndexModel | None = None,
        swapped: IndexDesign | None = None,
    ) -> _Trial:
        """The trial of ``new`` in place of the table's indexes: ``added`` is the one index it
        adds, if one, in place of ``replaced`` (a pick it makes redundant) or ``swapped`` (a pick
        it takes the place of)."""
        # a replacement can raise the costs of the statements that used what it replaces (recost
        # knows), and its figures are measured against another reference: only a pure addition
        # counts its untouched writes by group
        pure = added is not None and not replaced and swapped is None
        groups = self._untouched_writes(added.design) if pure and added is not None else []
        deferred = tuple(p for g in groups for p in g.patterns)
        removed = frozenset(im.design for im in replaced) | ({swapped} if swapped is not None else set())
        costs = self.recost(table, new, changed, added, frozenset(deferred), removed)
        gain, write, cut = 0.0, 0.0, 0.0
        if groups:
            tm = self.ctx.models[table]
            current = self.config.get(table, [])
            for g in groups:
                # the reads stay as they are: only the pages of the added index's maintenance
                pages = g.weight * (maintained(tm, new, g.changed) - maintained(tm, current, g.changed))
                gain -= pages
                write += pages
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
        return _Trial(gain, size, write, cut, replaced, new, costs, deferred, added if deferred else None)

    def apply(self, table: str, trial: _Trial) -> None:
        if trial.added is not None:
            for p in trial.deferred:
                trial.costs[p] = cost_added(self.shortcuts[p], self.costs[p], trial.indexes, trial.added)
        old = self.config.get(table, [])
        before = {im.design for im in old}
        self.hot_broken = self._breaks_hot(table, old, trial.indexes)
        leads = {
            im.design.keys[0].column for im in trial.indexes if im.design not in before and im.design.keys
        }
        self.config[table] = trial.indexes
        self.tick += 1
        self.changed_at[table] = self.tick
        self.opened = {p for p in self.joins_on.get(table, ()) if self.lookups[p][table] & leads}
        for p in self.opened:
            self.opened_at[p] = self.tick
        for p, cost in trial.costs.items():
            if cost.read != self.costs[p].read:
                self.read_changed[p] = self.tick
        self.costs.update(trial.costs)
        self.version[table] = self.version.get(table, 0) + 1

    def _breaks_hot(self, table: str, old: list[IndexModel], new: list[IndexModel]) -> bool:
        """Whether an UPDATE of ``table`` that maintained no index with ``old`` (a HOT update on
        PostgreSQL) maintains some with ``new``: it then maintains every index, so one more
        costs it only one more, and an index that cost more to maintain than it saved may now
        be worth it."""
        tm = self.ctx.models[table]
        keys = {write_key(self.ctx.shapes[p]) for p in self.writers.get(table, ())}
        return any(
            key is not None and maintained(tm, old, key) == 0 and maintained(tm, new, key) > 0 for key in keys
        )


def _replaceable(design: IndexDesign) -> bool:
    """A recommended index, or an existing one that enforces nothing, may give way to a wider one."""
    return not design.existing or design.droppable


def same_keys(a: IndexDesign, b: IndexDesign) -> bool:
    """Two indexes on one key sequence (directions all equal or all reversed) and predicate: the
    plan holds at most one of them, with the union of what they store.

    >>> a = IndexDesign("t", (IndexKey("a"),), ("x",))
    >>> same_keys(a, IndexDesign("t", (IndexKey("a", True),), ("y",))), same_keys(a, IndexDesign("t", ()))
    (True, False)
    """
    return len(a.keys) == len(b.keys) and a.keys_lead(b)


def redundant_beside(design: IndexDesign, current: Sequence[IndexModel]) -> bool:
    """Whether ``design`` would break the plan's own redundancy rules beside ``current``: it is
    there already, a prefix of one there (IDX006), or on the keys of one there that it cannot
    replace (only a unique index may share its keys, since it enforces something)."""
    for im in current:
        have = im.design
        if have.same_shape(design) or design.serves_as_prefix_of(have):
            return True
        shared = same_keys(have, design) and not have.unique and not design.unique
        if shared and not (_replaceable(have) and have.serves_as_prefix_of(design)):
            return True
    return False


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
    state: _State,
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


def _score(trial: _Trial, page: int) -> float:
    if trial.size <= 0:
        return trial.gain * 1e12
    return trial.gain / max(trial.size, page)


def _initial_state(
    ctx: Context, drops: Sequence[Drop]
) -> tuple[_State, dict[str, str], dict[str, PatternCost]]:
    """The selection state with today's indexes less ``drops``, each pattern's representative
    (``representatives``) and the representatives' costs before any change."""
    rep = representatives(ctx.shapes)
    shapes = {p: shape for p, shape in ctx.shapes.items() if rep[p] == p}
    freq = dict.fromkeys(shapes, 0.0)
    for pattern in ctx.spec.patterns:
        if pattern.name in rep:
            freq[rep[pattern.name]] += pattern.per_sec
    touches = {table: [p.name for p in ps if p.name in shapes] for table, ps in ctx.patterns_on.items()}
    state = _State(ctx, {}, {}, touches, freq, *_relevance(ctx, shapes))
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
    state: _State, chosen: Mapping[IndexDesign, Choice], drops: Sequence[Drop]
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


def _stale(state: _State, turned_down: dict[IndexDesign, tuple[Candidate, int]]) -> list[Candidate]:
    """The candidates turned down for a threshold since whose rejection a pattern they could serve
    has moved (``_State.moved_since``), to be measured again (``_settled`` keeps the last word)."""
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
    state: _State,
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
    queue = _Queue(state, [c for c in candidates if c.design not in chosen])
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


def _drop_unneeded(state: _State, chosen: dict[IndexDesign, Choice], rejected: list[Rejection]) -> set[str]:
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


class _Queue:
    """Candidates by score (net gain per byte), best first, re-scored lazily.

    A pick only lowers the gain of the other candidates (the pattern it serves is cheaper
    already), so a score computed before the last pick is an upper bound: a candidate is costed
    again only when it reaches the top, if a pick since changed the indexes of a table its trial
    reads (most picks are on other tables), and taken when its fresh score still leads. The one
    exception is an upgrade of the pick (wider keys or more stored columns on its keys): it now
    replaces the pick, costs only its extra bytes, and its score may rise, so those are re-scored
    at once. So are the candidates that gained nothing at their last costing, when a pick changed
    the cost of a pattern they could serve: the pick can take away the pattern they made worse
    (a narrower index that now serves it), or make a join's lookup cheap that they would drive."""

    def __init__(self, state: _State, candidates: Sequence[Candidate]) -> None:
        self.state, self.candidates = state, candidates
        self.page = state.ctx.engine.page_size
        self.pushes = 0
        self.latest: dict[int, int] = {}
        """Candidate to the number of its newest entry (older entries are skipped)."""
        self.heap: list[tuple[float, int, int]] = []
        self.trials: dict[int, tuple[_Trial, int]] = {}
        """The trial behind each candidate's newest entry, with the tick it was made at."""
        self.taken: set[int] = set()
        self.dormant: dict[tuple[str, str], set[int]] = {}
        """By (table, leading column), the candidates whose last costing gained nothing."""
        self.may_rise: set[int] = set()
        """The dormant candidates whose gain a pick on another table, or one that keeps HOT
        updates, can raise: they replace a pick, or a statement they change joins tables."""
        self.leads_of: dict[str, list[tuple[str, str]]] = {}
        """Pattern to the (table, column) keys an index must lead by to serve it."""
        for key, names in state.leads.items():
            for name in names:
                self.leads_of.setdefault(name, []).append(key)
        self.on_table: dict[str, list[int]] = {}
        for i, cand in enumerate(candidates):
            self.on_table.setdefault(cand.design.table, []).append(i)
            self.push(i)

    def push(self, i: int) -> None:
        design = self.candidates[i].design
        trial = self.state.trial(design)
        self.pushes += 1
        self.latest[i] = self.pushes
        lead = (design.table, design.keys[0].column if design.keys else "")
        if trial is not None and trial.gain > 0:
            self.trials[i] = (trial, self.state.tick)
            heapq.heappush(self.heap, (-_score(trial, self.page), i, self.pushes))
            self.dormant.get(lead, set()).discard(i)
        elif trial is not None:
            self.dormant.setdefault(lead, set()).add(i)
            if trial.replaced or len(self.state.depends(design)) > 1:
                self.may_rise.add(i)
            else:
                self.may_rise.discard(i)

    def pop(self) -> tuple[int, _Trial] | None:
        """The best candidate with its trial, or ``None`` when none gains anything. A trial made
        before a change to a table it reads is made again (``_State.current``)."""
        while self.heap:
            _, i, number = heapq.heappop(self.heap)
            if i in self.taken or number != self.latest.get(i):
                continue
            trial, tick = self.trials.pop(i)
            if self.state.current(self.candidates[i].design, tick):
                self.taken.add(i)
                return i, trial
            self.push(i)
        return None

    def picked(self, i: int, moved: set[str], rose: set[str]) -> None:
        """After the pick of candidate ``i``, which changed the read cost of the patterns ``moved``
        and raised it for those of ``rose`` (it replaced an index that served them better)."""
        design = self.candidates[i].design
        # a pattern a pick made cheaper can make an index that gained nothing worth it: one that
        # replaces a pick (the pattern it made worse is served now), or on a table the pattern
        # joins (a lookup the pick made cheap needs it to drive). A plain addition to one
        # table's statements only gains less after a pick, unless the pick made one of them
        # dearer or ended a HOT update.
        touched = moved | self.state.opened
        hot = self.state.hot_broken
        again = {
            j
            for p in touched
            for key in self.leads_of.get(p, ())
            for j in self.dormant.get(key, ())
            if p in rose or j in self.may_rise or (hot and self.candidates[j].design.table == design.table)
        }
        for j in self.on_table.get(design.table, ()):
            other = self.candidates[j].design
            if design.serves_as_prefix_of(other) or same_keys(design, other):
                again.add(j)
        for j in sorted(again - self.taken):
            self.push(j)


def _swap(state: _State, candidates: Sequence[Candidate], chosen: dict[IndexDesign, Choice]) -> set[str]:
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
        best: tuple[float, Candidate, _Trial] | None = None
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
