"""The recommended changes as a migration script: creates first, then the drops they make
redundant, so no query loses its index in between."""

from __future__ import annotations

import sqlglot

from advisor.report.result import Result
from advisor.spec.model import Spec


def changes_migration(spec: Spec, result: Result, concurrently: bool = True) -> str:
    """SQL text for the plan's CREATE INDEX and DROP INDEX statements, in the spec's dialect."""
    lines = [f"-- advisor: recommended index changes for {spec.path.name} ({spec.dialect})"]
    if spec.dialect == "postgres" and concurrently:
        lines.append(
            "-- CONCURRENTLY cannot run inside a transaction block: run these statements one by one."
        )
    creates = [r for r in result.recommendations if r.action == "create"]
    drops = [r for r in result.recommendations if r.action == "drop"]
    if not creates and not drops:
        lines.append("-- no changes recommended")
    for rec in [*creates, *drops]:
        lines.append(f"\n-- #{rec.number} {', '.join(rec.rules)}: {rec.index}")
        lines.append(rec.ddl if concurrently else _plain(rec.ddl, spec.dialect))
    return "\n".join(lines) + "\n"


def _plain(ddl: str, dialect: str) -> str:
    """The statement without CONCURRENTLY, for scripts that run inside a transaction."""
    statement = sqlglot.parse_one(ddl.rstrip(";"), read=dialect)
    statement.set("concurrently", False)
    return statement.sql(dialect=dialect) + ";"
