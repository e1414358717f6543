"""The capacity section of the report: every table's size now, in one and in three years."""

from __future__ import annotations

from advisor.explain.result import TableCapacity
from advisor.findings.capacity import footprints
from advisor.findings.layout import storage_choice
from advisor.findings.traffic import rates_known
from advisor.rules.context import Context
from advisor.selection.select import Plan


def capacity(ctx: Context, plan: Plan) -> tuple[TableCapacity, ...]:
    """One row per table, largest first at three years."""
    rows = []
    rates = rates_known(ctx)
    for table, tm in ctx.models.items():
        now, year, three = footprints(ctx, plan, table)
        storage, reason = storage_choice(ctx, table, rates)
        rows.append(
            TableCapacity(
                tm.table.name,
                now.rows,
                tm.row_width,
                tm.table.growth_per_day or 0,
                now.table_bytes,
                now.index_bytes,
                now.index_share,
                year.table_bytes,
                year.index_bytes,
                three.table_bytes,
                three.index_bytes,
                storage,
                reason,
            )
        )
    return tuple(sorted(rows, key=lambda r: -(r.table_bytes_3y + r.index_bytes_3y)))
