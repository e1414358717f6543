"""Turn the chosen plan into the result: numbered recommendations with their evidence, the
rejected candidates with their reasons, and the assumptions behind the numbers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from advisor.analysis.shape import Predicate, PredicateKind, QueryShape
from advisor.cost.design import IndexDesign
from advisor.cost.histogram import ranges_share
from advisor.cost.models import IndexModel, model_index
from advisor.cost.selectivity import TWO_SIDED_RANGE, estimate, range_share
from advisor.cost.workload import PatternCost, cost_shape
from advisor.emit.ddl import create_index, drop_index, index_name, to_sql
from advisor.emit.indexes import NameBook
from advisor.emit.target import resolve_target
from advisor.explain.capacity import capacity
from advisor.explain.checklist import checklist
from advisor.explain.result import Recommendation, Rejected, Result, Served, Totals
from advisor.explain.schema import schema_tables
from advisor.rules.base import Finding, Rejection
from advisor.rules.context import Context
from advisor.selection.select import Plan
from advisor.spec.model import FrequencySource, Table


def _without(
    ctx: Context, plan: Plan, design: IndexDesign, keep: Iterable[IndexModel] = ()
) -> tuple[float, float]:
    """Change in workload cost (reads+writes, and writes alone) per second if ``design`` were
    removed from the final configuration (and ``keep`` put back)."""
    table = design.table
    trial = {
        **plan.config,
        table: [im for im in plan.config.get(table, []) if im.design != design] + list(keep),
    }
    keep = list(keep)
    total, writes = 0.0, 0.0
    costed: dict[QueryShape, PatternCost] = {}  # patterns of one shape cost alike
    for p in ctx.patterns_on.get(table, ()):
        shape = ctx.shapes[p.name]
        after = plan.after[p.name]
        if not keep and _alone(shape, table) and after.plans and after.plans[0].index != design:
            continue  # a read of this table alone that does not use the index: no change
        other = costed.get(shape)
        if other is None:
            other = costed[shape] = cost_shape(ctx.models, shape, trial)
        total += p.per_sec * (other.total - after.total)
        writes += p.per_sec * (after.write - other.write)
    return total, writes


def _alone(shape: QueryShape, table: str) -> bool:
    """A read of ``table`` alone: one block, one table, no write (whose maintenance would change)."""
    return (
        not shape.kind.writes
        and not shape.subqueries
        and len(shape.accesses) == 1
        and shape.accesses[0].table == table
    )


def _served(ctx: Context, plan: Plan, design: IndexDesign) -> tuple[Served, ...]:
    out = []
    for p in ctx.patterns_on.get(design.table, ()):
        after = plan.after.get(p.name)
        if after is None:
            continue
        for access in after.plans:
            if access.index == design:
                out.append(
                    Served(p.name, p.per_sec, plan.before[p.name].total, after.total, access.describe())
                )
                break
    return tuple(out)


def _write_note(ctx: Context, design: IndexDesign) -> str:
    stored = design.stored_columns() | ({design.where.column} if design.where else set())
    notes = []
    for p in ctx.patterns_on.get(design.table, ()):
        shape = ctx.shapes[p.name]
        if shape.target != design.table or not shape.kind.writes:
            continue
        verb = shape.kind.value
        if verb == "update":
            changed = sorted(stored & set(shape.set_columns))
            if changed:
                hot = "; no longer a HOT update" if ctx.engine.hot_updates else ""
                notes.append(f"+1 page per row of {p.name} (changes {', '.join(changed)}{hot})")
        else:
            notes.append(f"+{shape.rows_written if verb == 'insert' else 1} page per {verb} ({p.name})")
    return "; ".join(notes) or "no write pattern touches it"


def _benefit_share(served: Sequence[Served]) -> float:
    before = sum(s.per_sec * s.cost_before for s in served)
    after = sum(s.per_sec * s.cost_after for s in served)
    return max(0.0, 1 - after / before) if before > 0 else 0.0


def _creates(ctx: Context, plan: Plan) -> list[Recommendation]:
    dialect = ctx.spec.dialect
    # names never collide with an index that exists (kept or dropped) nor with each other
    book = NameBook(resolve_target(dialect))
    for table in ctx.spec.tables:
        for index in table.indexes:
            book.claim(index.name, table.name)
    rows = []
    for choice in plan.chosen:
        design = choice.candidate.design
        name = book.claim(index_name(design, dialect), design.table)
        size = model_index(ctx.models[design.table], design).size_bytes
        gain, writes = _without(ctx, plan, design)
        served = _served(ctx, plan, design)
        rows.append(
            Recommendation(
                0,
                "create",
                design.table,
                design.label(),
                name,
                to_sql(create_index(design, dialect, name, declared=ctx.spec.table(design.table)), dialect),
                tuple(sorted(choice.candidate.rules)),
                choice.candidate.reason,
                served,
                gain,
                _benefit_share(served),
                size,
                writes,
                _write_note(ctx, design),
            )
        )
    return sorted(rows, key=lambda r: -r.benefit)


def _drops(ctx: Context, plan: Plan) -> list[Recommendation]:
    dialect = ctx.spec.dialect
    rows = []
    for drop in plan.dropped:
        design = drop.design
        im = model_index(ctx.models[design.table], design)
        gain, writes = _without(ctx, plan, design, [im])
        rows.append(
            Recommendation(
                0,
                "drop",
                design.table,
                design.label(),
                design.name or "",
                to_sql(drop_index(design, dialect, declared=ctx.spec.table(design.table)), dialect),
                (drop.rule,),
                f"{design.name}: {drop.reason}",
                (),
                gain,
                0.0,
                -im.size_bytes,
                writes,
                "one index less to maintain on every write",
            )
        )
    return rows


def assumptions(ctx: Context) -> tuple[str, ...]:
    """Every default that stood in for a statistic the spec does not give."""
    notes: dict[str, None] = {}
    for table in ctx.spec.tables:
        if table.rows is None:
            notes[
                f"{table.name} rows (no stats given; assumed {ctx.models[table.name.lower()].rows:,.0f})"
            ] = None
    for shape in ctx.shapes.values():
        for block in shape.walk():
            for acc in block.accesses:
                tm = ctx.models.get(acc.table)
                if tm is None:
                    continue
                for pred in acc.predicates:
                    est = estimate(tm.table, pred)
                    if est.assumed:
                        notes[est.assumed] = None
                    col = tm.table.column(pred.column)
                    from_histogram = col is not None and ranges_share(col, [pred]) is not None
                    if pred.kind is PredicateKind.RANGE and not from_histogram:
                        share = range_share(tm.table, pred)
                        if share in (TWO_SIDED_RANGE, 1 / 3):
                            notes[
                                f"{acc.table}.{pred.column} range keeps {share:.1%} of rows (default; give "
                                "growth_per_day for time windows)"
                            ] = None
                if len([p for p in acc.predicates if p.kind is not PredicateKind.NOT_SARGABLE]) > 1:
                    notes[
                        "predicates on different columns are independent (selectivities multiply) unless "
                        "functional_dependencies or a foreign key says one determines another; an ORDER BY "
                        "... LIMIT keeps its order columns in the index however few rows that estimates"
                    ] = None
                implied, by = _implied(tm.table, acc.predicates)
                for column in implied:
                    notes[
                        f"{acc.table}.{column} is fixed by {', '.join(by)} (functional dependency or "
                        "foreign-key hierarchy): its equality adds no selectivity"
                    ] = None
    notes.update(dict.fromkeys(_weight_notes(ctx)))
    return tuple(notes)


def _implied(table: Table, predicates: tuple[Predicate, ...]) -> tuple[list[str], list[str]]:
    """The equality-bound columns of ``predicates`` that ``TableModel.share`` leaves out, and the
    columns that determine them."""
    from advisor.cost.correlated import implied_columns

    points = {
        p.column: estimate(table, p).share
        for p in predicates
        if p.kind is PredicateKind.EQ and p.values != (None,)
    }
    return implied_columns(table, points)


def _weight_notes(ctx: Context) -> list[str]:
    """How weighted patterns got their rates, or that they stay relative, per kind."""
    from advisor.cost.rates import kind_of, shares

    given = shares(ctx.spec, ctx.shapes)
    out = []
    for kind, field in (("read", "reads_per_sec"), ("write", "writes_per_sec")):
        weighted = [
            p
            for p in ctx.spec.patterns
            if p.source is FrequencySource.WEIGHT and kind_of(ctx.shapes[p.name]) == kind
        ]
        if not weighted:
            continue
        share = given.get(kind)
        if share is None:
            out.append(
                f"{kind} pattern weights are relative (no workload.{field}): their benefits are in "
                "weight units, not per second"
            )
        else:
            out.append(
                f"weighted {kind} patterns share by weight the {share.rest:,.6g}/s of workload.{field} "
                f"({share.total:,.6g}/s) left after the {kind} patterns given as rates"
            )
    return out


def _rejected(rejections: Sequence[Rejection], plan: Plan) -> tuple[Rejected, ...]:
    chosen = dict.fromkeys(c.candidate.design for c in plan.chosen)  # pick order, for stable output
    on_table: dict[str, list[IndexDesign]] = {}
    for design in chosen:
        on_table.setdefault(design.table, []).append(design)
    seen: dict[str, Rejected] = {}
    for r in [*rejections, *plan.rejected]:
        label = r.design.label()
        if r.design in chosen or label in seen:
            continue
        wider = next((d for d in on_table.get(r.design.table, ()) if r.design.serves_as_prefix_of(d)), None)
        reason = f"served by the recommended {wider.label()}" if wider is not None else r.reason
        seen[label] = Rejected(label, r.rule, reason, r.patterns)
    return tuple(seen.values())


def build_result(
    ctx: Context, plan: Plan, rejections: Sequence[Rejection], findings: Sequence[Finding]
) -> Result:
    recs = [*_creates(ctx, plan), *_drops(ctx, plan)]
    numbered = tuple(
        Recommendation(i, *[getattr(r, f) for f in Recommendation.__dataclass_fields__ if f != "number"])
        for i, r in enumerate(recs, 1)
    )
    freq = {p.name: p.per_sec for p in ctx.spec.patterns}
    totals = Totals(
        sum(freq[p] * c.total for p, c in plan.before.items()),
        sum(freq[p] * c.total for p, c in plan.after.items()),
        sum(r.size_bytes for r in numbered),
        sum(freq[p] * (plan.after[p].write - plan.before[p].write) for p in plan.before),
    )
    sizes = capacity(ctx, plan)
    return Result(
        str(ctx.spec.path),
        ctx.spec.dialect,
        len(ctx.spec.tables),
        len(ctx.spec.patterns),
        numbered,
        tuple(findings),
        _rejected(rejections, plan),
        assumptions(ctx),
        totals,
        capacity=sizes,
        checklist=checklist(ctx.spec, numbered, findings, sizes),
        schema=schema_tables(ctx, plan, numbered),
    )
