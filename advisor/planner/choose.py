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

from advisor.cost.access import IndexModel, model_index
from advisor.cost.design import IndexDesign
from advisor.cost.select import Plan, model_gains, plan_of, redundant_beside
from advisor.cost.workload import cost_shape
from advisor.rules.base import Candidate, Drop
from advisor.rules.context import Context

MODEL_SHORTLIST = 30
"""Candidates beyond the model's own plan that the planner costs: the best by model gain per
byte. Dexter asks the planner about every column; the model's ranking is what saves the calls."""


class WhatIf:
    """The planner's cost of statements under sets of what-if indexes, each question asked once."""

    def __init__(self, db: object, statements: Mapping[str, str], ctx: Context) -> None:
        from advisor.verify.postgres import PostgresEngine

        assert isinstance(db, PostgresEngine)
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
) -> Choice:
    """The planner's greedy over ``candidates`` (see the module docstring)."""
    freq = {p.name: p.per_sec for p in ctx.spec.patterns if p.name in whatif.statements}
    on_table = {t: [p.name for p in ps if p.name in freq] for t, ps in ctx.patterns_on.items()}
    budget = ctx.spec.budget.storage_bytes
    min_cut = ctx.threshold("IDX001", "min_cost_reduction")
    page = ctx.engine.page_size
    picks: dict[IndexDesign, Candidate] = {}
    now = whatif.costs(list(freq), frozenset())
    start = sum(freq[p] * c for p, c in now.items())
    used = 0
    steps: list[Pick] = []
    while True:
        best: tuple[float, Candidate, frozenset[IndexDesign], dict[str, float], int, float] | None = None
        config = frozenset(picks)
        models = _models(ctx, config)
        for cand in candidates:
            design = cand.design
            if design in picks or redundant_beside(design, models.get(design.table, [])):
                continue
            replaced = frozenset(
                d for d in config if d.table == design.table and d.serves_as_prefix_of(design)
            )
            size = whatif.size(design) - sum(whatif.size(d) for d in replaced)
            if budget is not None and used + size > budget:
                continue
            trial = (config - replaced) | {design}
            affected = on_table.get(design.table, [])
            after = whatif.costs(affected, trial)
            cut = max((1 - after[p] / now[p] for p in affected if now[p] > 0), default=0.0)
            gain = sum(freq[p] * (now[p] - after[p]) for p in affected)
            gain -= _write_cost(ctx, trial, design.table) - _write_cost(ctx, config, design.table)
            if gain <= 1e-9 * start or cut < min_cut:
                continue
            ratio = gain / max(size, page)
            if best is None or ratio > best[0]:
                best = (ratio, cand, trial, after, size, gain)
        if best is None:
            break
        _, cand, trial, after, size, _ = best
        design = cand.design
        affected = on_table.get(design.table, [])
        gone = tuple(d for d in picks if d not in trial)
        steps.append(
            Pick(
                design,
                gone,
                size,
                sum(freq[p] * now[p] for p in affected),
                sum(freq[p] * after[p] for p in affected),
                _model_cost(ctx, config, affected),
                _model_cost(ctx, trial, affected),
            )
        )
        for d in gone:
            del picks[d]
        picks[design] = cand
        now.update(after)
        used += size
    plan = plan_of(ctx, list(picks.values()), drops)
    end = sum(freq[p] * c for p, c in now.items())
    return Choice(plan, tuple(steps), start, end, whatif.calls, tuple(left_out))


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
