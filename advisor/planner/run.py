"""``advisor recommend --db URL``: the model's candidates, chosen by the planner of a real server.

By default the spec's tables are built in a throwaway database (or schema) with synthetic rows
at the declared sizes, as ``advisor verify`` does; ``in_place`` uses the database's own tables
and statistics and creates nothing there: HypoPG's what-if indexes live in the session alone.
"""

from __future__ import annotations

from dataclasses import replace

from advisor.errors import AdvisorError
from advisor.explain.result import Planner, PlannerStep, Result
from advisor.planner.choose import Choice, WhatIf, choose, shortlist
from advisor.spec.model import Spec

DISAGREE = 2.0
"""How far apart the planner's gain and the model's may be before the report says so."""


def recommend_on_db(
    spec: Spec, url: str, in_place: bool = False, timeout: float = 60.0, rows: int = 10_000
) -> Result:
    """The plan the planner at ``url`` chooses among the model's candidates, with its figures."""
    from advisor.engines.database import interruptible, open_database
    from advisor.recommend import candidates_of, prepare, report, run_rules
    from advisor.selection.select import select
    from advisor.verify.run import NoProgress, VerifyRun

    if not url.lower().startswith(("postgres://", "postgresql://")):
        raise AdvisorError(
            "--db: the planner can choose only on PostgreSQL (with HypoPG): give a postgresql:// URL"
        )
    ctx = prepare(spec)
    out = run_rules(ctx)
    candidates = candidates_of(ctx, out)
    model = select(ctx, candidates, out.drops)
    runnable = replace(ctx.spec, patterns=tuple(p for p in ctx.spec.patterns if p.name in ctx.shapes))
    with interruptible(), open_database(url, timeout, in_place) as db:
        if not db.hypothetical:
            where = "the database" if in_place else "the server"
            raise AdvisorError(
                f"--db: {db.target.label} has no HypoPG in {where}: install it (postgresql-<version>-hypopg) "
                "and CREATE EXTENSION hypopg"
            )
        try:
            loader = VerifyRun(
                runnable, (), db, rows, NoProgress(), True, {k: m.all_visible for k, m in ctx.models.items()}
            )
            statements = loader.bound() if in_place else loader.load()[0]
            left_out = list(loader.skipped)
            first = loader.explain_all(statements, "explaining", left_out)
            whatif = WhatIf(db, {p: sql for p, sql in statements.items() if p in first}, ctx)
            for p, explained in first.items():
                whatif.asked[(p, frozenset())] = explained.cost if explained.cost is not None else 0.0
            choice = choose(
                ctx,
                whatif,
                shortlist(ctx, candidates, out.drops, model),
                out.drops,
                left_out,
                [c.candidate for c in model.chosen],
            )
            engine = db.describe()
        except db.errors as exc:
            raise AdvisorError(
                f"--db: {db.target.label} failed: {db.scrub(str(exc).strip().splitlines()[0])}"
            ) from None
    result = report(ctx, out, choice.plan)
    return replace(result, planner=_summary(choice, engine))


def _summary(choice: Choice, engine: str) -> Planner:
    steps = []
    for pick in choice.picks:
        planner_gain = pick.planner_before - pick.planner_after
        model_gain = pick.model_before - pick.model_after
        note = None
        if (
            planner_gain > 0
            and model_gain > 0
            and max(planner_gain, model_gain) > DISAGREE * min(planner_gain, model_gain)
        ):
            note = (
                f"the planner finds it saves {planner_gain:,.0f} cost units/s, the model {model_gain:,.0f}: "
                f"the model's estimate is off by more than {DISAGREE:g}x here"
            )
        elif model_gain <= 0:
            note = "the model finds no gain in it: only the planner's costs chose it"
        steps.append(
            PlannerStep(
                pick.design.label(),
                pick.planner_before,
                pick.planner_after,
                pick.model_before,
                pick.model_after,
                pick.size_bytes,
                note,
            )
        )
    return Planner(
        f"{engine}, HypoPG what-if indexes",
        choice.calls,
        choice.before,
        choice.after,
        tuple(steps),
        choice.left_out,
    )
