"""Index rules that read the chosen plan: what stays unindexed, what existing indexes serve,
and what existing indexes nothing uses."""

from __future__ import annotations

from advisor.cost.select import Plan
from advisor.emit.ddl import create_index, drop_index, to_sql
from advisor.rules.base import REVIEW_IDS, Finding
from advisor.rules.context import Context
from advisor.spec.model import IndexKey

REVIEW_IDS.update({"IDX003", "IDX004", "IDX008"})


def review(ctx: Context, plan: Plan) -> list[Finding]:
    return [*unindexed_foreign_keys(ctx, plan), *served_by_existing(ctx, plan), *unused_indexes(ctx, plan)]


def unindexed_foreign_keys(ctx: Context, plan: Plan) -> list[Finding]:
    """IDX003: a referencing column on a large table that no index leads with, even after the plan."""
    from advisor.cost.design import IndexDesign

    out = []
    for table, tm in ctx.models.items():
        if tm.rows < ctx.threshold("IDX003", "min_table_rows"):
            continue
        for col in tm.table.columns:
            name = col.name.lower()
            if col.references is None or any(
                im.design.columns[:1] == (name,) for im in plan.config.get(table, ())
            ):
                continue
            parent, pcol = col.references
            design = IndexDesign(table, (IndexKey(name),))
            out.append(
                Finding(
                    "IDX003",
                    ctx.severity("IDX003"),
                    f"{table}.{name}",
                    f"{table}.{name} references {parent}.{pcol} but no index starts with it: deleting or re-keying "
                    f"a {parent} row scans {tm.rows:,.0f} {table} rows to check the constraint",
                    f"create an index on {table} ({name}) if {parent} rows are ever deleted or joined to {table}",
                    (("rows", f"{tm.rows:,.0f}"),),
                    line=col.line,
                    ddl=to_sql(create_index(design, ctx.spec.dialect), ctx.spec.dialect),
                )
            )
    return out


def served_by_existing(ctx: Context, plan: Plan) -> list[Finding]:
    """IDX004: read patterns an existing index already serves well."""
    out = []
    for name, cost in plan.after.items():
        if not cost.plans or any(a.index is None or not a.index.existing for a in cost.plans):
            continue
        access = cost.plans[0]
        design = access.index
        assert design is not None  # every plan of this pattern uses an existing index
        kind = {"primary_key": "primary key", "unique": "unique constraint"}.get(design.origin, "index")
        out.append(
            Finding(
                "IDX004",
                ctx.severity("IDX004"),
                name,
                f"{name} is served by the existing {kind} {design.name}: {access.describe()}",
                "no new index needed",
                (("estimated cost", f"{cost.read:,.1f}"),),
                patterns=(name,),
                line=ctx.pattern(name).line,
            )
        )
    return out


def unused_indexes(ctx: Context, plan: Plan) -> list[Finding]:
    """IDX008: existing plain indexes that no pattern's plan uses, on tables that are written to."""
    used = {a.index for c in plan.after.values() for a in c.plans if a.index is not None}
    dropped = {d.design for d in plan.dropped}
    floor = ctx.threshold("IDX008", "min_writes_per_sec")
    out = []
    for table, designs in ctx.existing.items():
        writes = sum(
            p.per_sec
            for p in ctx.patterns_on.get(table, ())
            if ctx.shapes[p.name].kind.writes and ctx.shapes[p.name].target == table
        )
        if writes < floor:
            continue
        for design in designs:
            if design.droppable and design not in used and design not in dropped:
                out.append(
                    Finding(
                        "IDX008",
                        ctx.severity("IDX008"),
                        f"{table} ({design.name})",
                        f"no pattern uses {design.name} {design.label()}, yet {writes:,.1f} writes/s on {table} maintain it",
                        f"drop {design.name} if no query outside this spec needs it",
                        (("writes/s", f"{writes:,.1f}"),),
                        ddl=to_sql(drop_index(design, ctx.spec.dialect), ctx.spec.dialect),
                    )
                )
    return out
