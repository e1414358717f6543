"""CHECK conditions written in ``tables:`` must be SQL the dialect can read: a typo is an input
error at its line, not a constraint the integrity rules silently count as present."""

from __future__ import annotations

from pathlib import Path

from advisor.errors import AdvisorError
from advisor.spec.draft import TableDraft


def check_conditions(tables: dict[str, TableDraft], dialect: str, yaml_file: Path) -> None:
    """Parse every ``check:`` given in the input file (the DDL's were parsed with the DDL)."""
    import sqlglot
    from sqlglot.errors import SqlglotError

    for table in tables.values():
        for check in table.checks:
            if check.origin.file != yaml_file:
                continue
            try:
                sqlglot.parse_one(f"SELECT 1 WHERE {check.sql}", read=dialect)
            except SqlglotError:
                raise AdvisorError(
                    f"{check.sql!r} is not a SQL condition in {dialect}", check.origin
                ) from None
