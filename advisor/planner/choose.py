"""Choose indexes by the real planner's costs: the model proposes and prunes, the planner decides.

The candidates are the model's: its plan, and the others it finds most worth their bytes alone.
The planner costs them with HypoPG what-if indexes, greedily as the Extend algorithm does
(Schlosser et al. 2019): each step takes the candidate (or the widening of a pick) that lowers the
planner's weighted cost the most per byte of HypoPG's size, within the storage budget, until none
lowers it. A question asked once (a statement under the indexes on its tables) is not asked
again, so a candidate is costed again only after a pick on a table its statements read. The
planner does not cost index maintenance: each trial pays the model's write cost for it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from advisor.cost.design import IndexDesign
from advisor.cost.models import IndexModel, model_index
from advisor.cost.workload import cost_shape
from advisor.rules.base import Candidate, Drop
from advisor.rules.context import Context
from advisor.selection.select import Plan, model_gains, plan_of
from advisor.selection.state import redundant_beside
from advisor.spec.model import IndexKey

MODEL_SHORTLIST = 30
"""Candidates beyond the model's own plan that the planner costs: the best by model gain per
byte. Dexter asks the planner about every column; the model's ranking is what saves the calls."""


class WhatIf:
    """The planner's cost of statements under sets of what-if indexes, each question asked once."""

    def __init__(self, db: object, statements: Mapping[str, str], ctx: Context) -> None:
        from advisor.engines.postgres import PostgresDatabase

        assert isinstance(db, PostgresDatabase)
        self.db = db
        self.statements = statements
        self.dialect = ctx.spec.dialect
        self.tables = {name: shape.tables() for name, shape in ctx.shapes.items()}
        self.asked: dict[tuple[str, frozenset[IndexDesign]], float] = {}
        self.sizes: dict[IndexDesign, int] = {}
        self.current: frozenset[IndexDesign] | None = None

    @property
    def calls(self) -> int:
        """Distinct questions asked of the planner."""
        return len(self.asked)

    def costs(self, patterns: Sequence[str], config: frozenset[IndexDesign]) -> dict[str, float]:
        """Each pattern's planner cost (one execution) with ``config`` as what-if indexes."""
        out = {}
        for p in patterns:
            key = (p, frozenset(d for d in config if d.table in self.tables[p]))
            if key not in self.asked:
                self._imagine(config)
                cost = self.db.explain(self.statements[p]).cost
                self.asked[key] = cost if cost is not None else math.inf
            out[p] = self.asked[key]
        return out

    def size(self, design: IndexDesign) -> int:
        """HypoPG's estimate of the index's size in bytes."""
        if design not in self.sizes:
            self.current = None
            self.db.reset_hypothetical()
            self.sizes[design] = self.db.hypothetical_size(self._sql(design))
        return self.sizes[design]

    def _imagine(self, config: frozenset[IndexDesign]) -> None:
        if config == self.current:
            return
        self.db.reset_hypothetical()
        for design in sorted(config, key=lambda d: d.label()):
            self.db.create_hypothetical(self._sql(design), design.label())
        self.current = config

    def _sql(self, design: IndexDesign) -> str:
        from advisor.emit.ddl import create_index

        statement = create_index(design, "postgres", concurrently=False)
        statement.set("exists", False)
        return statement.sql(dialect="postgres")


@dataclass(frozen=True)
class Pick:
    """One planner step, with the planner's and the model's cost per second of the statements it
    could change, before and after it."""

    design: IndexDesign
    replaces: tuple[IndexDesign, ...]
    size_bytes: int
    planner_before: float
    planner_after: float
    model_before: float
    model_after: float


@dataclass(frozen=True)
class Choice:
    plan: Plan
    """The model's plan of the planner's picks (for the DDL and the report)."""
    picks: tuple[Pick, ...]
    before: float
    """The planner's cost per second of every statement it could explain, today's indexes."""
    after: float
    calls: int
    left_out: tuple[str, ...]
    """Patterns the planner was not asked about, with why."""


def shortlist(
    ctx: Context, candidates: Sequence[Candidate], drops: Sequence[Drop], model: Plan
) -> list[Candidate]:
    """The model's picks, then the candidates the model finds most worth their bytes alone."""
    gains = model_gains(ctx, candidates, drops)
    picked = {c.candidate.design for c in model.chosen}
    ranked = sorted(
        (c for c in candidates if gains.get(c.design, 0.0) > 0 and c.design not in picked),
        key=lambda c: (
            -gains[c.design] / max(model_index(ctx.models[c.design.table], c.design).size_bytes, 1.0)
        ),
    )
    return [c.candidate for c in model.chosen] + ranked[:MODEL_SHORTLIST]


def choose(
    ctx: Context,
    whatif: WhatIf,
    candidates: Sequence[Candidate],
    drops: Sequence[Drop],
    left_out: Sequence[str] = (),
    seed: Sequence[Candidate] = (),
) -> Choice:
    """The planner's greedy over ``candidates`` (see the module docstring), once from today's
    indexes and, given a ``seed`` (the model's plan), once from the seed after the planner has
    removed what it finds not worth its bytes; the cheaper search wins."""
    searches = [_Search(ctx, whatif, candidates)]
    if seed:
        searches.append(_Search(ctx, whatif, candidates, seed))
    for search in searches:
        search.grow()
        search.prune()
    best = min(searches, key=lambda s: s.total())
    plan = plan_of(ctx, list(best.picks.values()), drops)
    # a step whose index a later one replaced (or the pruning removed) is not in the plan
    steps = tuple(s for s in best.steps if s.design in best.picks)
    return Choice(plan, steps, best.start, best.cost(), whatif.calls, tuple(left_out))


class _Search:
    """One greedy search: its picks, the planner's cost of each statement under them, the bytes
    they take and the steps taken."""

    def __init__(
        self, ctx: Context, whatif: WhatIf, candidates: Sequence[Candidate], seed: Sequence[Candidate] = ()
    ) -> None:
        self.ctx, self.whatif, self.candidates = ctx, whatif, candidates
        self.freq = {p.name: p.per_sec for p in ctx.spec.patterns if p.name in whatif.statements}
        self.on_table = {t: [p.name for p in ps if p.name in self.freq] for t, ps in ctx.patterns_on.items()}
        self.budget = ctx.spec.budget.storage_bytes
        self.min_per_gb = ctx.threshold("IDX001", "min_benefit_per_gb")
        self.columns = sorted(
            {
                (acc.table, column)
                for p in self.freq
                for block in ctx.shapes[p].walk()
                for acc in block.accesses
                for column in acc.referenced
            }
        )
        """The (table, column) pairs the explained statements read."""
        self.now = whatif.costs(list(self.freq), frozenset())
        self.start = self.cost()
        self.picks: dict[IndexDesign, Candidate] = {}
        self.steps: list[Pick] = []
        if seed:
            self._seed(seed)

    def cost(self) -> float:
        """The planner's cost per second of the explained statements under the picks."""
        return sum(self.freq[p] * c for p, c in self.now.items())

    def total(self) -> float:
        """``cost`` and the model's index maintenance for the picks."""
        tables = {d.table for d in self.picks}
        config = frozenset(self.picks)
        return self.cost() + sum(_write_cost(self.ctx, config, t) for t in tables)

    def used(self) -> int:
        return sum(self.whatif.size(d) for d in self.picks)

    def _seed(self, seed: Sequence[Candidate]) -> None:
        """Start from ``seed``, less what the plan could not hold, then remove, least useful per
        byte first, each pick that is not worth its maintenance or does not fit the budget."""
        for cand in seed:
            models = _models(self.ctx, frozenset(self.picks))
            if not redundant_beside(cand.design, models.get(cand.design.table, [])):
                self.picks[cand.design] = cand
        self.now = self.whatif.costs(list(self.freq), frozenset(self.picks))
        while self.picks:
            losses = {d: self._loss(d) for d in self.picks}
            worst = min(self.picks, key=lambda d: losses[d] / max(self.whatif.size(d), 1))
            over = self.budget is not None and self.used() > self.budget
            if losses[worst] > 0 and not over:
                break
            del self.picks[worst]
            self.now.update(self.whatif.costs(self.on_table.get(worst.table, []), frozenset(self.picks)))
        config = frozenset(self.picks)
        for design in self.picks:
            affected = self.on_table.get(design.table, [])
            without = self.whatif.costs(affected, config - {design})
            self.steps.append(
                Pick(
                    design,
                    (),
                    self.whatif.size(design),
                    sum(self.freq[p] * without[p] for p in affected),
                    sum(self.freq[p] * self.now[p] for p in affected),
                    _model_cost(self.ctx, config - {design}, affected),
                    _model_cost(self.ctx, config, affected),
                )
            )

    def prune(self) -> None:
        """Remove, latest first, each pick the later ones made not worth its maintenance."""
        for design in list(self.picks)[::-1]:
            if self._loss(design) <= 0:
                del self.picks[design]
                self.now.update(self.whatif.costs(self.on_table.get(design.table, []), frozenset(self.picks)))

    def _loss(self, design: IndexDesign) -> float:
        """What removing ``design`` costs per second: the planner's reads, less its maintenance."""
        config = frozenset(self.picks)
        affected = self.on_table.get(design.table, [])
        without = self.whatif.costs(affected, config - {design})
        loss = sum(self.freq[p] * (without[p] - self.now[p]) for p in affected)
        return loss - (
            _write_cost(self.ctx, config, design.table)
            - _write_cost(self.ctx, config - {design}, design.table)
        )

    def _widenings(self) -> list[Candidate]:
        """Each pick with one more key: a column its table's statements filter or join on (the
        widening step of Extend), which the model may not have proposed."""
        out = []
        for design, cand in self.picks.items():
            for table, column in self.columns:
                if table != design.table or column in design.columns:
                    continue
                include = tuple(c for c in design.include if c != column)
                wider = IndexDesign(table, (*design.keys, IndexKey(column)), include, design.where)
                users = self.ctx.column_users.get((table, column), ())
                out.append(
                    Candidate(
                        wider,
                        cand.rules,
                        tuple(dict.fromkeys((*cand.patterns, *users))),
                        f"{cand.reason}; {column} added as a key, which the planner found cheaper",
                        cand.predicates,
                        cand.referenced | {column},
                    )
                )
        return out

    def grow(self) -> None:
        """Add (or widen a pick into) the candidate saving the most per byte until none saves."""
        ctx, whatif = self.ctx, self.whatif
        page = ctx.engine.page_size
        used = self.used()
        while True:
            best: tuple[float, Candidate, frozenset[IndexDesign], dict[str, float], int] | None = None
            config = frozenset(self.picks)
            models = _models(ctx, config)
            for cand in [*self.candidates, *self._widenings()]:
                design = cand.design
                if design in self.picks or redundant_beside(design, models.get(design.table, [])):
                    continue
                replaced = frozenset(
                    d for d in config if d.table == design.table and d.serves_as_prefix_of(design)
                )
                size = whatif.size(design) - sum(whatif.size(d) for d in replaced)
                if self.budget is not None and used + size > self.budget:
                    continue
                trial = (config - replaced) | {design}
                affected = self.on_table.get(design.table, [])
                after = whatif.costs(affected, trial)
                gain = sum(self.freq[p] * (self.now[p] - after[p]) for p in affected)
                gain -= _write_cost(ctx, trial, design.table) - _write_cost(ctx, config, design.table)
                if gain <= 1e-9 * self.start or (size > 0 and gain / (size / 1e9) < self.min_per_gb):
                    continue
                ratio = gain / max(size, page)
                if best is None or ratio > best[0]:
                    best = (ratio, cand, trial, after, size)
            if best is None:
                return
            _, cand, trial, after, size = best
            design = cand.design
            affected = self.on_table.get(design.table, [])
            gone = tuple(d for d in self.picks if d not in trial)
            self.steps.append(
                Pick(
                    design,
                    gone,
                    size,
                    sum(self.freq[p] * self.now[p] for p in affected),
                    sum(self.freq[p] * after[p] for p in affected),
                    _model_cost(ctx, config, affected),
                    _model_cost(ctx, trial, affected),
                )
            )
            for d in gone:
                del self.picks[d]
            self.picks[design] = cand
            self.now.update(after)
            used += size


def _models(ctx: Context, config: frozenset[IndexDesign]) -> dict[str, list[IndexModel]]:
    out = {
        t: [model_index(ctx.models[t], d) for d in ds] for t, ds in ctx.existing.items() if t in ctx.models
    }
    for d in config:
        out.setdefault(d.table, []).append(model_index(ctx.models[d.table], d))
    return out


def _write_cost(ctx: Context, config: frozenset[IndexDesign], table: str) -> float:
    """The model's index maintenance per second on ``table``'s writes under ``config``."""
    models = _models(ctx, config)
    total = 0.0
    for p in ctx.patterns_on.get(table, ()):
        shape = ctx.shapes[p.name]
        if shape.kind.writes and shape.target == table:
            total += p.per_sec * cost_shape(ctx.models, shape, models).write
    return total


def _model_cost(ctx: Context, config: frozenset[IndexDesign], patterns: Sequence[str]) -> float:
    models = _models(ctx, config)
    return sum(ctx.pattern(p).per_sec * cost_shape(ctx.models, ctx.shapes[p], models).total for p in patterns)
