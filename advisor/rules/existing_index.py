"""IDX004, an existing index serves already: before selection it turns down each candidate an
existing index provides by its leftmost prefix, and after it reports each read pattern that the
existing indexes alone serve."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from advisor.catalog.fixes import fix_clause
from advisor.cost.workload import PatternCost
from advisor.rules.base import Candidate, Finding, Output, Rejection
from advisor.rules.context import Context


def turn_down(ctx: Context, candidates: Sequence[Candidate]) -> Output:
    """Before selection: turn down candidates an existing index already provides by its leftmost prefix."""
    out = Output()
    for cand in candidates:
        for have in ctx.existing.get(cand.design.table, ()):
            if cand.design.same_shape(have) or cand.design.serves_as_prefix_of(have):
                what = {"primary_key": "the primary key", "unique": "the unique constraint"}.get(
                    have.origin, "index"
                )
                out.rejections.append(
                    Rejection(
                        cand.design,
                        "IDX004",
                        f"already served by {what} {have.name} {have.label()}",
                        cand.patterns,
                    )
                )
                break
    return out


def served_after(ctx: Context, after: Mapping[str, PatternCost]) -> list[Finding]:
    """After selection: the read patterns an existing index already serves well."""
    out = []
    for name, cost in after.items():
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
                fix_clause("IDX004"),
                (("estimated cost", f"{cost.read:,.1f}"),),
                patterns=(name,),
                line=ctx.pattern(name).line,
            )
        )
    return out
