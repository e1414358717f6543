"""Destructive and backward-incompatible changes: data that goes away, names running code still uses,
and maintenance commands that rewrite a whole table."""

from __future__ import annotations

from collections.abc import Iterator

from advisor.catalog.fixes import fix_line
from advisor.catalog.model import Severity
from advisor.lint.checks.base import POSTGRES, Hit, LintContext, rule
from advisor.schema.names import key_of
from advisor.schema.ops import (
    AlterEnum,
    Cluster,
    CreateView,
    Drop,
    DropColumn,
    DropConstraint,
    EndOfFile,
    RefreshView,
    Rename,
    RenameKind,
    RewriteTable,
    Truncate,
    Vacuum,
    Write,
)


@rule("MIG012", Drop)
def drop_table(op: Drop, ctx: LintContext) -> Iterator[Hit]:
    if op.kind != "table":
        return
    for name in op.names:
        if ctx.is_new(name):
            continue
        yield Hit(
            op.loc,
            f"DROP TABLE {name} deletes the table and its data; code still reading it fails",
            fix_line("MIG012"),
        )


@rule("MIG013", DropColumn)
def drop_column(op: DropColumn, ctx: LintContext) -> Iterator[Hit]:
    if ctx.is_new(op.table):
        return
    yield Hit(
        op.loc,
        f"dropping column {op.table}.{op.column} deletes its data, and running code that still "
        "selects or inserts it fails",
        fix_line("MIG013"),
    )


@rule("MIG014", Drop, severity=Severity.ERROR)
def drop_schema_or_database(op: Drop, ctx: LintContext) -> Iterator[Hit]:
    if op.kind not in ("schema", "database"):
        return
    yield Hit(
        op.loc,
        f"DROP {op.kind.upper()} {', '.join(op.names)} deletes every table in it with its data",
        f"Migrations should not drop a {op.kind}; do it by hand, after a backup.",
    )


@rule("MIG015", Rename, CreateView, EndOfFile)
def rename_table(op: Rename | CreateView | EndOfFile, ctx: LintContext) -> Iterator[Hit]:
    """Held until the end of the file: a view created under the old name in the same file keeps
    running queries working (the compatibility-view pattern), so the rename is then no finding."""
    if isinstance(op, EndOfFile):
        held = [k for k in ctx.deferred if k[0] == "MIG015"]
        yield from (ctx.deferred.pop(k) for k in held)
        return
    if isinstance(op, CreateView):
        if not op.materialized:
            ctx.deferred.pop(("MIG015", key_of(op.view)), None)
        return
    if op.kind is not RenameKind.TABLE or ctx.is_new(op.table):
        return
    ctx.deferred[("MIG015", key_of(op.old))] = Hit(
        op.loc,
        f"renaming table {op.old} to {op.new} breaks every running query that still names {op.old}",
        f"In the same migration, create a view under the old name (CREATE VIEW {op.old} AS SELECT * "
        f"FROM {op.new}; simple views accept writes too), or move code to the new name first; drop "
        "the view once nothing uses the old name.",
    )


@rule("MIG028", Rename, dialects=POSTGRES)
def rename_schema(op: Rename, ctx: LintContext) -> Iterator[Hit]:
    if op.kind is not RenameKind.SCHEMA or ctx.is_new_object("schema", op.old):
        return
    yield Hit(
        op.loc,
        f"renaming schema {op.old} to {op.new} breaks every running query and function body that "
        f"names {op.old} explicitly, and every search_path that lists it",
        f"Move code, function bodies and search_path settings to {op.new} first and rename when "
        f"nothing names {op.old}; or create {op.new} and move objects one by one, leaving views "
        "under the old names.",
    )


@rule("MIG016", Rename)
def rename_column(op: Rename, ctx: LintContext) -> Iterator[Hit]:
    if op.kind is not RenameKind.COLUMN or ctx.is_new(op.table):
        return
    yield Hit(
        op.loc,
        f"renaming column {op.table}.{op.old} to {op.new} breaks running code that still uses {op.old}",
        fix_line("MIG016"),
    )


@rule("MIG017", Truncate)
def truncate(op: Truncate, ctx: LintContext) -> Iterator[Hit]:
    tables = [name for name in op.tables if not ctx.is_new(name)]
    if not tables:
        return
    yield Hit(
        op.loc,
        f"TRUNCATE {', '.join(tables)} deletes every row, under an ACCESS EXCLUSIVE lock on PostgreSQL",
        fix_line("MIG017"),
        tables[0],
    )


@rule("MIG018", Vacuum, Cluster, RewriteTable, dialects=POSTGRES)
def vacuum_full_or_cluster(op: Vacuum | Cluster | RewriteTable, ctx: LintContext) -> Iterator[Hit]:
    case = "VACUUM FULL or CLUSTER"
    if isinstance(op, Vacuum):
        if not op.full:
            return
        what, table = "VACUUM FULL", op.tables[0] if op.tables else None
    elif isinstance(op, RewriteTable):
        what, table = f"ALTER TABLE {op.table} {op.what}", op.table
        case = "rewriting ALTER TABLE"
    else:
        what, table = "CLUSTER", op.table
    if table is not None and ctx.is_new(table):
        return
    target = "" if isinstance(op, RewriteTable) else f" {table}" if table else " (every table)"
    yield Hit(
        op.loc,
        f"{what}{target} rewrites the table under an ACCESS EXCLUSIVE lock: no reads or writes until done",
        fix_line("MIG018", case),
        table,
    )


@rule("MIG019", Write)
def unbatched_write(op: Write, ctx: LintContext) -> Iterator[Hit]:
    if op.where or ctx.is_new(op.table):
        return
    verb = op.kind.upper()
    yield Hit(
        op.loc,
        f"{verb} without WHERE on {op.table} changes every row in one transaction: each row stays "
        "locked until it commits, and the table bloats",
        f"Backfill in batches (one {verb} ... WHERE id BETWEEN x AND y per transaction), outside the "
        "schema migration.",
        op.table,
    )


@rule("MIG023", AlterEnum, dialects=POSTGRES)
def enum_value_change(op: AlterEnum, ctx: LintContext) -> Iterator[Hit]:
    if op.action == "rename":
        yield Hit(
            op.loc,
            f"renaming value {op.value!r} of enum {op.type_name} breaks running code that still writes "
            "or compares the old value",
            fix_line("MIG023", "RENAME VALUE"),
        )
    elif ctx.in_transaction and not ctx.version_at_least(12):
        yield Hit(
            op.loc,
            f"ALTER TYPE {op.type_name} ADD VALUE cannot run inside a transaction block before "
            "PostgreSQL 12: the migration fails",
            fix_line("MIG023", "ADD VALUE in a transaction"),
        )


@rule("MIG024", DropConstraint)
def drop_foreign_key(op: DropConstraint, ctx: LintContext) -> Iterator[Hit]:
    table = ctx.schema.table(op.table)
    known = table is not None and any(key_of(fk.name or "") == key_of(op.name) for fk in table.foreign_keys)
    if not (op.foreign_key or known) or ctx.is_new(op.table):
        return
    yield Hit(
        op.loc,
        f"dropping foreign key {op.name} on {op.table} removes a guarantee the data and the code rely "
        "on: rows that point at nothing can appear, and cascades stop",
        fix_line("MIG024"),
    )


@rule("MIG025", RefreshView, dialects=POSTGRES)
def refresh_without_concurrently(op: RefreshView, ctx: LintContext) -> Iterator[Hit]:
    if op.concurrently:
        return
    yield Hit(
        op.loc,
        f"REFRESH MATERIALIZED VIEW {op.view} takes an ACCESS EXCLUSIVE lock on it: every query "
        "reading the view waits until the refresh is done",
        fix_line("MIG025"),
    )
