"""The recommend pipeline: spec → analysis → rules → selection → result.

Data flows one way; each stage only reads what the previous ones produced.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from advisor.analysis.analyze import AnalysisError, analyze
from advisor.analysis.parse import collecting_trees
from advisor.analysis.shape import PredicateKind, QueryShape, StatementKind
from advisor.catalog import RECOMMEND_FAMILIES, load_catalog
from advisor.catalog.fixes import fix_clause
from advisor.cost.design import IndexDesign, PartialWhere
from advisor.cost.models import TableModel
from advisor.cost.pages import all_visible_share
from advisor.cost.physical import engine_for, rows_per_page
from advisor.cost.rates import rate_weights
from advisor.emit.changes import Change, ModelCost
from advisor.errors import AdvisorError, Location
from advisor.explain.build import build_result
from advisor.explain.result import Result
from advisor.findings.find import find
from advisor.rules.base import Candidate, Finding, Output
from advisor.rules.context import Context
from advisor.selection.select import Plan, select, widened_candidates
from advisor.spec.model import Index, Pattern, Spec, Table


def schema_columns(spec: Spec) -> dict[str, list[str]]:
    return {t.name.lower(): [c.name.lower() for c in t.columns] for t in spec.tables}


def analyze_patterns(spec: Spec) -> dict[str, QueryShape]:
    """Each pattern's shape; a pattern that does not parse or names what does not exist is an
    input error reported by its name and line."""
    shapes, _ = analyze_or_skip(replace(spec, settings=replace(spec.settings, keep_going=False)))
    return shapes


def analyze_or_skip(spec: Spec) -> tuple[dict[str, QueryShape], tuple[Finding, ...]]:
    """Each pattern's shape, and a QRY011 finding for each pattern left out.

    A hand-written pattern the analysis cannot read is an input error, so a typo stops the run;
    a recorded one (``origin``), or any under ``--keep-going``, is left out and reported, since a
    real workload holds statements its owner cannot fix (one bad query must not hide the rest)."""
    schema = schema_columns(spec)
    shapes: dict[str, QueryShape] = {}
    skipped: list[Finding] = []
    with collecting_trees():
        for pattern in spec.patterns:
            try:
                shapes[pattern.name] = analyze(pattern.sql, spec.dialect, schema)
            except AnalysisError as exc:
                if not (spec.settings.keep_going or pattern.origin is not None):
                    raise AdvisorError(
                        f"pattern {pattern.name!r}: {exc}",
                        Location(spec.path, pattern.sql_line or pattern.line, f"patterns.{pattern.name}.sql"),
                    ) from None
                skipped.append(_not_analyzed(spec, pattern, str(exc)))
    return shapes, tuple(skipped)


def _not_analyzed(spec: Spec, pattern: Pattern, reason: str) -> Finding:
    """The QRY011 finding for ``pattern``, which the analysis could not read for ``reason``."""
    severity = spec.settings.severity.get(
        "QRY011", load_catalog(families=RECOMMEND_FAMILIES).require("QRY011").severity
    )
    line = pattern.sql_line or pattern.line
    # the line in the message too: the text report shows no finding's line, and the user must
    # find the statement in a file of hundreds of recorded ones
    where = [f"line {line}"] if line else []
    where += [f"recorded by {pattern.origin}"] if pattern.origin else []
    said = f" ({', '.join(where)})" if where else ""
    return Finding(
        rule="QRY011",
        severity=severity,
        subject=pattern.name,
        message=f"pattern {pattern.name!r}{said} was not analyzed: {reason}",
        fix=fix_clause("QRY011"),
        patterns=(pattern.name,),
        line=line,
    )


def _partial(
    table: Table, index: Index, dialect: str, schema: Mapping[str, Sequence[str]]
) -> PartialWhere | None:
    """The predicate of an existing partial index in the form the cost model knows; one it
    cannot read is kept as never implied, so the index is never assumed usable by mistake."""
    if index.where is None:
        return None
    unknown = PartialWhere("", (), index.where)
    try:
        shape = analyze(f"SELECT 1 FROM {table.name} WHERE {index.where}", dialect, schema)
    except AnalysisError:
        return unknown
    preds = [p for acc in shape.accesses for p in acc.predicates]
    if len(preds) != 1 or preds[0].kind not in (PredicateKind.EQ, PredicateKind.IN) or not preds[0].constant:
        return unknown
    column = table.column(preds[0].column)
    boolean = column is not None and column.boolean
    return PartialWhere(preds[0].column, tuple(str(v) for v in preds[0].values), index.where, boolean)


def existing_indexes(spec: Spec) -> dict[str, tuple[IndexDesign, ...]]:
    schema = schema_columns(spec)
    out = {}
    for table in spec.tables:
        out[table.name.lower()] = tuple(
            IndexDesign(
                table.name.lower(),
                # keyed in lower case like the analysis's columns, or a declared "Customer Id"
                # index would not count as serving customer id
                tuple(replace(key, column=key.column.lower()) for key in ix.keys),
                tuple(c.lower() for c in ix.include),
                _partial(table, ix, spec.dialect, schema),
                ix.unique,
                ix.name,
                ix.origin,
            )
            for ix in table.indexes
        )
    return out


def table_models(spec: Spec, shapes: Mapping[str, QueryShape]) -> dict[str, TableModel]:
    """Each table's model; where the statistics do not give the share of all-visible pages, it
    follows from the rows the write patterns change and insert each second."""
    engine = engine_for(spec.dialect)
    plain = {t.name.lower(): TableModel(t, engine) for t in spec.tables}
    changed: dict[str, float] = {}
    inserted: dict[str, float] = {}
    for pattern in spec.patterns:
        shape = shapes.get(pattern.name)
        if shape is None or not shape.kind.writes or shape.target not in plain:
            continue
        tm = plain[shape.target]
        if shape.kind is StatementKind.INSERT:
            inserted[shape.target] = inserted.get(shape.target, 0.0) + pattern.per_sec * shape.rows_written
            continue
        acc = shape.access(shape.target)
        rows = tm.rows * tm.share(acc.predicates) if acc is not None else tm.rows
        changed[shape.target] = changed.get(shape.target, 0.0) + pattern.per_sec * rows
    out = {}
    for key, tm in plain.items():
        visible = tm.table.all_visible
        if visible is None:
            per_page = rows_per_page(engine, tm.row_width)
            visible = all_visible_share(tm.rows, per_page, changed.get(key, 0.0), inserted.get(key, 0.0))
        out[key] = TableModel(tm.table, engine, visible)
    return out


def build_context(spec: Spec, shapes: Mapping[str, QueryShape]) -> Context:
    catalog = load_catalog(families=RECOMMEND_FAMILIES)
    engine = engine_for(spec.dialect)
    return Context(
        spec=spec,
        engine=engine,
        shapes=shapes,
        models=table_models(spec, shapes),
        existing=existing_indexes(spec),
        thresholds={
            rule.id: {
                **{k: float(v) for k, v in rule.defaults.items()},
                **spec.settings.thresholds.get(rule.id, {}),
            }
            for rule in catalog
        },
        severities={rule.id: spec.settings.severity.get(rule.id, rule.severity) for rule in catalog},
    )


def merge_candidates(candidates: Iterable[Candidate]) -> list[Candidate]:
    """One candidate per distinct design: rules, patterns and reasons united, first seen first."""
    merged: dict[IndexDesign, Candidate] = {}
    for cand in candidates:
        have = merged.get(cand.design)
        if have is None:
            merged[cand.design] = cand
            continue
        merged[cand.design] = Candidate(
            cand.design,
            tuple(dict.fromkeys(have.rules + cand.rules)),
            tuple(dict.fromkeys(have.patterns + cand.patterns)),
            have.reason,
            have.predicates,
            have.referenced | cand.referenced,
        )
    return list(merged.values())


def run_rules(ctx: Context) -> Output:
    out = Output()
    from advisor.rules.registry import CANDIDATE_RULES

    for rule_id, rule in CANDIDATE_RULES:
        if rule_id not in ctx.spec.settings.ignore:
            out.merge(rule(ctx, list(out.candidates)))
    return out


def candidates_of(ctx: Context, out: Output) -> list[Candidate]:
    """The rules' candidates less those a rule turned down, merged, with their widenings."""
    turned_down = {r.design for r in out.rejections}
    candidates = merge_candidates(c for c in out.candidates if c.design not in turned_down)
    return candidates + widened_candidates(ctx, candidates)


def plan_indexes(ctx: Context) -> tuple[Output, Plan]:
    out = run_rules(ctx)
    return out, select(ctx, candidates_of(ctx, out), out.drops)


def prepare(spec: Spec) -> Context:
    """Everything the rules read: the patterns analyzed, weights turned into rates, the models."""
    shapes, skipped = analyze_or_skip(spec)
    if skipped:  # the stages after this one read only patterns that have a shape
        spec = replace(spec, patterns=tuple(p for p in spec.patterns if p.name in shapes))
    return replace(build_context(rate_weights(spec, shapes), shapes), skipped=skipped)


def planned_changes(spec: Spec, ctx: Context | None = None) -> tuple[Result, tuple[Change, ...]]:
    """The recommend pipeline's result, and each recommendation with its index design; ``ctx``
    is ``prepare(spec)`` when the caller has it already.

    Runs the stages of ``recommend`` up to the chosen plan (the design rules'
    findings do not change it); a test keeps the two in step on every sample."""
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


def recommend(spec: Spec) -> Result:
    """The explained index plan for ``spec``."""
    ctx = prepare(spec)
    out, plan = plan_indexes(ctx)
    return report(ctx, out, plan)


def report(ctx: Context, out: Output, plan: Plan) -> Result:
    """The result of ``plan`` with every finding the rules make of it."""
    rejections = [r for r in out.rejections if r.rule not in ctx.spec.settings.ignore]
    return build_result(ctx, plan, rejections, find(ctx, out, plan))
