"""IDX003, an index for each foreign key: proposed before selection where no index leads with
the key's columns, and reported after it where the chosen plan still leaves one unindexed.

The foreign keys themselves, and when an index serves one, are read in
:mod:`advisor.rules.foreign_keys`.
"""

from __future__ import annotations

from collections.abc import Sequence

from advisor.analysis.shape import Predicate, PredicateKind
from advisor.cost.design import IndexDesign
from advisor.cost.workload import Config
from advisor.emit.ddl import create_index, to_sql
from advisor.rules.base import Candidate, Finding, Output
from advisor.rules.context import Context
from advisor.rules.foreign_keys import columns_of, describe, describe_target, fix_keys, unserved


def propose(ctx: Context, _: Sequence[Candidate]) -> Output:
    """Before selection: propose one index on each foreign key's columns (all of a composite one) that no index
    leads with."""
    out = Output()
    for table, tm in ctx.models.items():
        if tm.rows < ctx.threshold("IDX003", "min_table_rows"):
            continue
        existing = (d.columns for d in ctx.existing.get(table, ()))
        for fk in unserved(tm.table, existing):
            columns = columns_of(fk)
            users = tuple(dict.fromkeys(p for c in columns for p in ctx.column_users.get((table, c), ())))
            reason = f"{describe(table, fk)} references {describe_target(fk)} and no index starts with it"
            bound = tuple(Predicate(table, c, PredicateKind.EQ, parameterized=True) for c in columns)
            out.candidates.append(
                Candidate(
                    IndexDesign(table, fix_keys(fk)),
                    ("IDX003",),
                    users,
                    reason,
                    bound,
                    frozenset(columns),
                )
            )
    return out


def unindexed_after(ctx: Context, config: Config) -> list[Finding]:
    """After selection: a foreign key on a large table that no index leads with, even after the plan; a
    composite one is served by an index whose leading keys are all its columns, in any order."""
    out = []
    for table, tm in ctx.models.items():
        if tm.rows < ctx.threshold("IDX003", "min_table_rows"):
            continue
        indexes = (im.design.columns for im in config.get(table, ()))
        for fk in unserved(tm.table, indexes):
            what = describe(table, fk)
            parent = fk.ref_table.lower()
            design = IndexDesign(table, fix_keys(fk))
            column = tm.table.column(fk.columns[0])
            keys = ", ".join(columns_of(fk))
            out.append(
                Finding(
                    "IDX003",
                    ctx.severity("IDX003"),
                    what,
                    f"{what} references {describe_target(fk)} but no index starts with it: deleting "
                    f"or re-keying a {parent} row scans {tm.rows:,.0f} {table} rows to check the constraint",
                    f"create an index on {table} ({keys}) if {parent} rows are ever deleted or joined to {table}",
                    (("rows", f"{tm.rows:,.0f}"),),
                    line=column.line if column is not None else None,
                    ddl=to_sql(
                        create_index(design, ctx.spec.dialect, declared=ctx.spec.table(design.table)),
                        ctx.spec.dialect,
                    ),
                )
            )
    return out
