"""The schema as the report draws it: tables, columns with their keys, indexes after the plan."""

from __future__ import annotations

from collections.abc import Sequence

from advisor.explain.result import Recommendation, SchemaColumn, SchemaTable
from advisor.rules.context import Context
from advisor.selection.select import Plan


def schema_tables(ctx: Context, plan: Plan, recs: Sequence[Recommendation]) -> tuple[SchemaTable, ...]:
    created: dict[str, list[Recommendation]] = {}
    for r in recs:
        if r.action == "create":
            created.setdefault(r.table, []).append(r)
    out = []
    for table in ctx.spec.tables:
        key = table.name.lower()
        pk = {c.lower() for c in table.primary_key}
        columns = tuple(
            SchemaColumn(
                col.name,
                col.type,
                col.name.lower() in pk,
                col.unique or pk == {col.name.lower()},
                col.nullable,
                f"{col.references[0]}.{col.references[1]}" if col.references else None,
            )
            for col in table.columns
        )
        out.append(
            SchemaTable(
                table.name,
                columns,
                tuple(
                    ("UNIQUE " if im.design.unique else "") + im.design.label()
                    for im in plan.config.get(key, ())
                ),
                tuple(r.index for r in created.get(key, ())),
                tuple(r.name for r in created.get(key, ())),
            )
        )
    return tuple(out)
