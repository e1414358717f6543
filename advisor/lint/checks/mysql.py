"""MySQL and MariaDB rules: online DDL that copies the table, and syntax InnoDB accepts but ignores."""

from __future__ import annotations

from collections.abc import Iterator

from advisor.catalog.model import Severity
from advisor.lint.checks.base import MYSQL, Context, Hit, rule
from advisor.lint.ops import AddColumn, ColumnDef, CreateTable, TableOptions


@rule("MIG050", TableOptions, dialects=MYSQL)
def copy_algorithm_or_lock(op: TableOptions, ctx: Context) -> Iterator[Hit]:
    if ctx.is_new(op.table):
        return
    if op.algorithm == "COPY":
        yield Hit(
            op.loc,
            f"ALGORITHM=COPY rebuilds {op.table or 'the table'} row by row into a copy, and blocks "
            "writes to it until the copy is done",
            "Drop the ALGORITHM clause or use ALGORITHM=INPLACE / INSTANT, and let MySQL refuse the "
            "change if it cannot be done online; use an online schema change tool for the rest.",
            op.table or None,
        )
    if op.lock in ("SHARED", "EXCLUSIVE"):
        blocked = "writes" if op.lock == "SHARED" else "reads and writes"
        yield Hit(
            op.loc,
            f"LOCK={op.lock} blocks {blocked} on {op.table or 'the table'} for the whole ALTER",
            "Use LOCK=NONE, so MySQL refuses the change instead of blocking when it cannot be done online.",
            op.table or None,
        )


def _inline(op: CreateTable | AddColumn) -> Iterator[ColumnDef]:
    columns = op.columns if isinstance(op, CreateTable) else (op.column,)
    yield from (column for column in columns if column.references is not None)


@rule("MIG051", CreateTable, AddColumn, dialects=MYSQL, severity=Severity.ERROR)
def inline_references_ignored(op: CreateTable | AddColumn, ctx: Context) -> Iterator[Hit]:
    if ctx.dialect == "mariadb" and ctx.version_at_least(10, 5):
        return  # MariaDB honours column-level REFERENCES since 10.5
    for column in _inline(op):
        ref = column.references
        target = ref.ref_table if ref else ""
        yield Hit(
            column.loc,
            f"column {column.name} REFERENCES {target} inline: MySQL parses and silently ignores a "
            "column-level REFERENCES, so no foreign key is created",
            f"Declare it as a table constraint: FOREIGN KEY ({column.name}) REFERENCES {target} (...).",
        )
