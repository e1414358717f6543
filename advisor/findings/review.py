"""Index rules that read the chosen plan: what stays unindexed, what existing indexes serve,
and what existing indexes nothing uses."""

from __future__ import annotations

from collections.abc import Iterable

from advisor.analysis.shape import PredicateKind
from advisor.catalog.fixes import fix_clause
from advisor.cost.access import AccessPlan
from advisor.emit.ddl import drop_index, to_sql
from advisor.findings.query_support import served_by_trigram
from advisor.rules import existing_index, foreign_key_index
from advisor.rules.base import Finding, Rejection
from advisor.rules.context import Context
from advisor.selection.select import Plan


def review(ctx: Context, plan: Plan) -> list[Finding]:
    return [
        *foreign_key_index.unindexed_after(ctx, plan.config),
        *existing_index.served_after(ctx, plan.after),
        *unused_indexes(ctx, plan),
        *scans_left(ctx, plan),
    ]


def unused_indexes(ctx: Context, plan: Plan) -> list[Finding]:
    """IDX008: existing plain indexes that no pattern's plan uses, on tables that are written to;
    where the spec records the server's scan counts, only those the server never scanned (on any
    table), never one the real workload uses."""
    used = {a.index for c in plan.after.values() for a in c.plans if a.index is not None}
    dropped = {d.design for d in plan.dropped}
    floor = ctx.threshold("IDX008", "min_writes_per_sec")
    scans = {
        (t.name.lower(), ix.name.lower()): ix.scans
        for t in ctx.spec.tables
        for ix in t.indexes
        if ix.scans is not None
    }
    out = []
    for table, designs in ctx.existing.items():
        writes = sum(
            p.per_sec
            for p in ctx.patterns_on.get(table, ())
            if ctx.shapes[p.name].kind.writes and ctx.shapes[p.name].target == table
        )
        for design in designs:
            if not design.droppable or design in used or design in dropped:
                continue
            counted = scans.get((table, (design.name or "").lower()))
            if counted is not None and counted > 0:
                continue  # the real workload reads it: the spec's patterns are not all of it
            if counted is None and writes < floor:
                continue
            problem = f"no pattern uses {design.name} {design.label()}"
            evidence = [("writes/s", f"{writes:,.1f}")]
            if counted == 0:
                problem += " and the server counted no scan of it since its statistics were reset"
                evidence.append(("scans", "0"))
            if writes:
                problem += f", yet {writes:,.1f} writes/s on {table} maintain it"
            out.append(
                Finding(
                    "IDX008",
                    ctx.severity("IDX008"),
                    f"{table} ({design.name})",
                    problem,
                    f"drop {design.name} if no query outside this spec needs it"
                    if counted is None
                    else f"drop {design.name} once the counters cover a full business cycle (month-end included)",
                    tuple(evidence),
                    ddl=to_sql(
                        drop_index(design, ctx.spec.dialect, declared=ctx.spec.table(design.table)),
                        ctx.spec.dialect,
                    ),
                )
            )
    return out


def scans_left(ctx: Context, plan: Plan) -> list[Finding]:
    """IDX009: a pattern that still reads a large table in full with the plan applied, and what
    stands in the way of an index."""
    min_load = ctx.threshold("IDX009", "min_cost_per_sec")
    total = sum(ctx.pattern(p).per_sec * c.total for p, c in plan.after.items()) or 1.0
    rejected: dict[tuple[str, str], list[Rejection]] = {}
    for r in plan.rejected:
        for name in r.patterns:
            rejected.setdefault((name, r.design.table), []).append(r)
    out = []
    for name, cost in plan.after.items():
        pattern = ctx.pattern(name)
        for table, (scans, run_cost) in _scans_by_table(cost.plans).items():
            tm = ctx.models.get(table)
            load = pattern.per_sec * run_cost
            if tm is None or load < min_load or _trigram_serves(ctx, name, table):
                continue
            why, fix = why_scanned(ctx, rejected.get((name, table), []), name, table)
            times = "" if scans == 1 else " twice" if scans == 2 else f" {scans} times"
            out.append(
                Finding(
                    "IDX009",
                    ctx.severity("IDX009"),
                    name,
                    f"{name} still reads all {tm.rows:,.0f} rows of {table}{times} on every run "
                    f"({pattern.per_sec:,.6g}/s): {why}",
                    fix,
                    (
                        ("rows", f"{tm.rows:,.0f}"),
                        ("cost per run", f"{run_cost:,.0f}"),
                        ("share of the workload's cost", f"{load / total:.1%}"),
                    ),
                    patterns=(name,),
                    line=pattern.sql_line or pattern.line,
                )
            )
    return out


def _trigram_serves(ctx: Context, name: str, table: str) -> bool:
    """Whether what keeps ``name`` from seeking ``table`` is only infix LIKE that a trigram index
    of the DDL serves: the planner uses it where the cost model sees a scan."""
    preds = [
        p
        for block in ctx.shapes[name].walk()
        for a in block.accesses
        if a.table == table
        for p in a.predicates
        if p.kind is PredicateKind.NOT_SARGABLE
    ]
    return bool(preds) and all(served_by_trigram(ctx, p) for p in preds)


def _scans_by_table(plans: Iterable[AccessPlan]) -> dict[str, tuple[int, float]]:
    """Each table a pattern reads in full: how many times per run and at what cost in all. A
    table scanned in several query blocks (TPC-H q11 reads supplier in its subquery again) is one
    finding with one cause, not one per block."""
    out: dict[str, tuple[int, float]] = {}
    for access in plans:
        if access.index is None:
            scans, cost = out.get(access.table, (0, 0.0))
            out[access.table] = (scans + 1, cost + access.cost)
    return out


_DATE_FUNCTIONS = (
    "DATE",
    "DATE_TRUNC",
    "EXTRACT",
    "YEAR",
    "MONTH",
    "DAY",
    "TO_CHAR",
    "DATE_FORMAT",
    "STRFTIME",
)


def why_scanned(ctx: Context, turned_down: list[Rejection], name: str, table: str) -> tuple[str, str]:
    """Why no index serves ``name``'s read of ``table`` (``turned_down``: the candidates for it
    the selection rejected), and the fix, in a sentence each."""
    shape = ctx.shapes[name]
    accesses = [a for block in shape.walk() for a in block.accesses if a.table == table]
    blocked = [p for a in accesses for p in a.predicates if p.kind is PredicateKind.NOT_SARGABLE]
    if blocked:
        first = blocked[0]
        what = "; ".join(f"{p.sql or p.column} ({p.reason})" for p in blocked)
        if "LIKE" in first.reason.upper():
            fix = fix_clause("IDX009", "infix LIKE")
        elif any(f"{fn}(" in first.reason for fn in _DATE_FUNCTIONS) or "CAST" in first.reason:
            fix = f"compare {first.column} itself with a half-open range: {first.column} >= :day AND {first.column} < :next_day"
        elif "arithmetic" in first.reason:
            fix = f"move the arithmetic to the other side, so that {first.column} stands alone"
        elif "function" in first.reason:
            fix = fix_clause("IDX009", "function on the column")
        else:
            fix = f"state the condition on {first.column} as an equality, IN list or range an index can seek"
        return f"no index can seek with {what}", fix
    if any(a.has_or for a in accesses):
        return (
            "its WHERE is an OR across different columns, which no single index range serves",
            fix_clause("IDX009", "OR across columns"),
        )
    if not any(p for a in accesses for p in a.predicates):
        return f"nothing filters {table}", fix_clause("IDX009", "no filter")
    if turned_down:
        reason = turned_down[0].reason
        case = "index turned down"
        if "budget" in reason:
            case = "index over budget"
        elif "writes cost more" in reason:
            case = "index writes cost more"
        return f"the index that would serve it was turned down: {reason}", fix_clause("IDX009", case)
    share = ctx.models[table].share(p for a in accesses for p in a.predicates)
    if share >= ctx.threshold("IDX007", "max_selectivity"):
        return (
            f"its filter keeps about {share:.0%} of the rows, too many for an index to beat reading the table",
            fix_clause("IDX009", "filter keeps most rows"),
        )
    return (
        "no candidate index paid for itself under the cost model",
        fix_clause("IDX009", "no index pays off"),
    )
