"""MySQL and MariaDB rules: online DDL that copies the table, and syntax InnoDB accepts but ignores."""

from __future__ import annotations

from collections.abc import Iterator

from advisor.catalog.model import Severity
from advisor.lint.checks.base import MYSQL, Context, Hit, rule
from advisor.lint.ops import AddColumn, AlterColumnType, ColumnDef, CreateTable, TableOptions, TypeRef


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


def members_change_in_place(old: TypeRef, new: TypeRef) -> bool:
    """Whether MySQL changes an ENUM or SET's members without copying the table: only new members
    at the end, while the stored size stays (up to 255 ENUM members; SET in groups of 8).

    >>> members_change_in_place(TypeRef("enum", values=("a", "b")), TypeRef("enum", values=("a", "b", "c")))
    True
    >>> members_change_in_place(TypeRef("enum", values=("a", "b")), TypeRef("enum", values=("b", "a")))
    False
    """
    if new.values[: len(old.values)] != old.values:
        return False
    if old.name == "enum":
        return (len(old.values) <= 255) == (len(new.values) <= 255)
    return (len(old.values) + 7) // 8 == (len(new.values) + 7) // 8


@rule("MIG052", AlterColumnType, dialects=MYSQL)
def enum_change_copies_table(op: AlterColumnType, ctx: Context) -> Iterator[Hit]:
    table = ctx.schema.table(op.table)
    column = table.column(op.column) if table else None
    old, new = (column.type if column else None), op.type
    if old is None or new is None or ctx.is_new(op.table):
        return
    if old.name not in ("enum", "set") or new.name != old.name or old.values == new.values:
        return
    if members_change_in_place(old, new):
        return
    yield Hit(
        op.loc,
        f"changing the members of {old.name.upper()} {op.table}.{op.column} other than by appending "
        "copies the table (ALGORITHM=COPY), blocking writes until the copy is done",
        "Only append new members at the end of the list; to rename or remove members, add a new "
        "column, backfill it in batches and switch to it.",
        op.table,
    )
