"""The recommended index changes with the designs behind them, for writing DDL in any dialect."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from advisor.cost.design import IndexDesign
from advisor.report.result import Result
from advisor.spec.model import Spec

if TYPE_CHECKING:
    from advisor.rules.context import Context


@dataclass(frozen=True)
class ModelCost:
    """The model's cost per run of a pattern a change serves, before and after the whole plan,
    and the tables it reads (at whose declared sizes the model costs it)."""

    pattern: str
    before: float
    after: float
    tables: frozenset[str]


@dataclass(frozen=True)
class Change:
    number: int
    action: str
    """``create`` or ``drop``."""
    rules: tuple[str, ...]
    label: str
    design: IndexDesign
    serves: tuple[str, ...]
    """Patterns the recommendation claims to serve."""
    name: str = ""
    """The index's name as the report gives it (unique beside the indexes that exist)."""
    model_costs: tuple[ModelCost, ...] = ()
    """For each pattern served, what the model expects of it."""


def planned_changes(spec: Spec, ctx: Context | None = None) -> tuple[Result, tuple[Change, ...]]:
    """The recommend pipeline's result, and each recommendation with its index design; ``ctx``
    is ``prepare(spec)`` when the caller has it already.

    Runs the stages of ``advisor.recommend.recommend`` up to the chosen plan (the design rules'
    findings do not change it); a test keeps the two in step on every sample."""
    from advisor.recommend import plan_indexes, prepare
    from advisor.report.build import build_result

    ctx = ctx or prepare(spec)
    out, plan = plan_indexes(ctx)
    result = build_result(ctx, plan, out.rejections, ())
    designs = {c.candidate.design.label(): c.candidate.design for c in plan.chosen}
    designs |= {d.design.label(): d.design for d in plan.dropped}
    changes = tuple(
        Change(
            rec.number,
            rec.action,
            rec.rules,
            rec.index,
            designs[rec.index],
            tuple(s.pattern for s in rec.serves),
            rec.name,
            tuple(
                ModelCost(s.pattern, s.cost_before, s.cost_after, frozenset(ctx.shapes[s.pattern].tables()))
                for s in rec.serves
            ),
        )
        for rec in result.recommendations
    )
    return result, changes
