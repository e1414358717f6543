"""The selection's state: the configuration being built, each pattern's cost under it, and the
trial of one change (an index added, removed or swapped), costed only where the change can move a
cost; and the redundancy test every trial passes first (``redundant_beside``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from advisor.cost.design import IndexDesign
from advisor.cost.models import IndexModel, model_index
from advisor.cost.plans import plan_with
from advisor.cost.workload import (
    Config,
    PatternCost,
    Shortcut,
    cost_added,
    cost_shape,
    cost_with,
    maintained,
    unchanged_by,
    write_key,
)
from advisor.rules.context import Context


@dataclass
class Trial:
    gain: float
    size: float
    write: float
    best_cut: float
    replaced: list[IndexModel]
    indexes: list[IndexModel]
    costs: dict[str, PatternCost]
    deferred: tuple[str, ...] = ()
    """Writes whose cost only the added index's maintenance changes: counted in ``gain`` and
    ``write`` by their group (``State.write_groups``), costed one by one only if applied."""
    added: IndexModel | None = None


@dataclass(frozen=True)
class WriteGroup:
    """A table's shortcut writes that maintain the same indexes (``workload.write_key``), with
    the sum of their frequency times the rows each execution writes."""

    changed: frozenset[str] | None
    weight: float
    patterns: tuple[str, ...]


@dataclass
class State:
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
    groups: dict[str, tuple[int, list[WriteGroup]]] = field(default_factory=dict)
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

    def write_groups(self, table: str) -> list[WriteGroup]:
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
        groups = [WriteGroup(key, weight, tuple(names)) for key, (weight, names) in by_key.items()]
        self.groups[table] = (version, groups)
        return groups

    def _untouched_writes(self, design: IndexDesign) -> list[WriteGroup]:
        """The write groups of ``design``'s table none of whose statements ``design`` could
        serve: neither its leading column nor its partial predicate's column is one they filter
        or order on, so adding it only adds its maintenance to them."""
        near = self.reads_of(design)
        if design.where is not None:
            near = near | self.leads.get((design.table, design.where.column), set())
        return [g for g in self.write_groups(design.table) if not near.intersection(g.patterns)]

    def trial(self, design: IndexDesign) -> Trial | None:
        """Adding ``design`` to the configuration, replacing what it makes redundant; ``None`` when
        the plan could not hold it beside the indexes it has (see ``redundant_beside``)."""
        current = self.config.get(design.table, [])
        if redundant_beside(design, current):
            return None
        replaced = [im for im in current if replaceable(im.design) and im.design.serves_as_prefix_of(design)]
        added = self.model(design)
        new = [im for im in current if im not in replaced] + [added]
        return self.compare(design.table, new, replaced, added.size_bytes, [design], added)

    def without(self, design: IndexDesign, restore: Sequence[IndexDesign] = ()) -> Trial:
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
    ) -> Trial:
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
        return Trial(gain, size, write, cut, replaced, new, costs, deferred, added if deferred else None)

    def apply(self, table: str, trial: Trial) -> None:
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


def replaceable(design: IndexDesign) -> bool:
    """A recommended index, or an existing one that enforces nothing, may give way to a wider one."""
    return not design.existing or design.droppable


def same_keys(a: IndexDesign, b: IndexDesign) -> bool:
    """Two indexes on one key sequence (directions all equal or all reversed) and predicate: the
    plan holds at most one of them, with the union of what they store.

    >>> from advisor.spec.model import IndexKey
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
        if shared and not (replaceable(have) and have.serves_as_prefix_of(design)):
            return True
    return False
