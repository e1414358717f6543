"""MySQL and MariaDB rules: online DDL that copies the table, and syntax InnoDB accepts but ignores."""

from __future__ import annotations

import re
from collections.abc import Iterator

from advisor.catalog.fixes import fix_line
from advisor.catalog.model import Severity
from advisor.dialects import dialect
from advisor.lint.checks.base import MYSQL, Hit, LintContext, rule
from advisor.lint.online_ddl import Behaviour, behaviour, effect, refused, server
from advisor.schema.ops import (
    AddColumn,
    AddConstraint,
    AlterColumnType,
    ColumnDef,
    ConstraintKind,
    CreateIndex,
    CreateTable,
    DropColumn,
    DropConstraint,
    Op,
    Rename,
    RenameKind,
    RewriteTable,
    SetDefault,
    TableOptions,
    TypeRef,
)


@rule("MIG050", TableOptions, dialects=MYSQL)
def copy_algorithm_or_lock(op: TableOptions, ctx: LintContext) -> Iterator[Hit]:
    if ctx.is_new(op.table):
        return
    if op.algorithm == "COPY":
        yield Hit(
            op.loc,
            f"ALGORITHM=COPY rebuilds {op.table or 'the table'} row by row into a copy, and blocks "
            "writes to it until the copy is done",
            fix_line("MIG050", "ALGORITHM=COPY"),
            op.table or None,
        )
    if op.lock in ("SHARED", "EXCLUSIVE"):
        blocked = "writes" if op.lock == "SHARED" else "reads and writes"
        yield Hit(
            op.loc,
            f"LOCK={op.lock} blocks {blocked} on {op.table or 'the table'} for the whole ALTER",
            fix_line("MIG050", "LOCK=SHARED or EXCLUSIVE"),
            op.table or None,
        )


def _inline(op: CreateTable | AddColumn) -> Iterator[ColumnDef]:
    columns = op.columns if isinstance(op, CreateTable) else (op.column,)
    yield from (column for column in columns if column.references is not None)


@rule("MIG051", CreateTable, AddColumn, dialects=MYSQL, severity=Severity.ERROR)
def inline_references_ignored(op: CreateTable | AddColumn, ctx: LintContext) -> Iterator[Hit]:
    since = ctx.facts.inline_references_since
    if since is not None and ctx.version_at_least(*since):
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
def enum_change_copies_table(op: AlterColumnType, ctx: LintContext) -> Iterator[Hit]:
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
        fix_line("MIG052"),
        op.table,
    )


_CLAUSE = re.compile(r"\b(ALGORITHM|LOCK)\s*=?\s*(\w+)", re.IGNORECASE)
_ADD_PRIMARY = re.compile(r"\bADD\s+(?:CONSTRAINT\s+\S+\s+)?PRIMARY\s+KEY\b", re.IGNORECASE)


def operation_of(op: Op, ctx: LintContext) -> str | None:
    """The online-DDL operation (a key of ``online_ddl.yaml``) an ALTER TABLE part performs."""
    if isinstance(op, AddColumn):
        column = op.column
        if column.identity:
            return "add_column_auto_increment"
        if column.generated_stored:
            return "add_column_stored"
        if column.default is not None and column.default.expression:
            return "add_column_expression_default"
        return "add_column"
    if isinstance(op, AddConstraint):
        kind = op.constraint.kind
        if kind is ConstraintKind.FOREIGN_KEY:
            unchecked = ctx.setting_values.get("foreign_key_checks", "").upper() in ("0", "OFF", "FALSE")
            return "add_foreign_key_unchecked" if unchecked else "add_foreign_key"
        return {
            ConstraintKind.CHECK: "add_check",
            ConstraintKind.UNIQUE: "add_unique",
            ConstraintKind.PRIMARY_KEY: "add_primary_key",
        }.get(kind)
    if isinstance(op, CreateIndex):
        if op.method in ("fulltext", "spatial"):
            return f"add_{op.method}_index"
        return "add_unique" if op.unique else "add_index"
    if isinstance(op, RewriteTable) and op.what.startswith("CONVERT"):
        return "convert_charset"
    if isinstance(op, DropConstraint) and op.name.upper() == "PRIMARY":
        # DROP PRIMARY KEY, ADD PRIMARY KEY (...) in one statement replaces it in place
        return None if _ADD_PRIMARY.search(ctx.statement_text) else "drop_primary_key"
    if isinstance(op, DropColumn):
        return "drop_column"
    if isinstance(op, Rename) and op.kind is RenameKind.COLUMN:
        return "rename_column"
    if isinstance(op, SetDefault):
        return "set_default"
    return None


def statement_clauses(text: str) -> tuple[str | None, str | None]:
    """The ALGORITHM and LOCK a statement asks for (upper case), read from its text.

    >>> statement_clauses("ALTER TABLE t ADD c INT, ALGORITHM=INPLACE, LOCK = NONE")
    ('INPLACE', 'NONE')
    """
    found = {name.upper(): value.upper() for name, value in _CLAUSE.findall(text)}
    return found.get("ALGORITHM"), found.get("LOCK")


def _fail_fast(family: str, found: Behaviour) -> str:
    """The clauses that make the server refuse the ALTER rather than copy or lock: INSTANT where it
    is instant (with LOCK=NONE where the server takes one beside it), else in place without a lock
    (MariaDB's NOCOPY also refuses a rebuild)."""
    facts = dialect(family)
    if found.algorithm == "INSTANT":
        return "ALGORITHM=INSTANT, LOCK=NONE" if facts.instant_takes_lock else "ALGORITHM=INSTANT"
    return "ALGORITHM=NOCOPY, LOCK=NONE" if facts.nocopy else "ALGORITHM=INPLACE, LOCK=NONE"


@rule(
    "MIG053",
    AddColumn,
    AddConstraint,
    CreateIndex,
    DropConstraint,
    DropColumn,
    Rename,
    SetDefault,
    RewriteTable,
    dialects=MYSQL,
)
def online_ddl(op: Op, ctx: LintContext) -> Iterator[Hit]:
    """What the statement does on the target server, from the version table: reported when it
    copies the table or blocks writes, or is refused for the ALGORITHM / LOCK it asks for."""
    operation = operation_of(op, ctx)
    table = getattr(op, "table", None)
    if operation is None or ctx.is_new(table):
        return
    found = behaviour(operation, ctx.dialect, ctx.target_version)
    if found is None:
        return
    algorithm, lock = statement_clauses(ctx.statement_text)
    where = f"{found.what} on table {table}" if table else found.what
    note = f" ({found.note})" if found.note else ""
    why_refused = refused(found, ctx.dialect, algorithm, lock)
    if why_refused is not None:
        yield Hit(
            op.loc,
            f"{server(ctx.dialect, ctx.target_version)} refuses this statement: {where} {effect(found)}, so {why_refused} "
            "cannot be honoured and the migration fails",
            f"Drop {why_refused} only if copying or locking is acceptable; otherwise use gh-ost or "
            "pt-online-schema-change, or expand/contract (add a new column or table, backfill in "
            "batches, switch, drop the old).",
            table,
        )
        return
    if algorithm == "COPY" or lock in ("SHARED", "EXCLUSIVE"):
        return  # asked for explicitly: MIG050
    if found.online and not found.always:
        return
    yield Hit(
        op.loc,
        f"on {server(ctx.dialect, ctx.target_version)}, {where} {effect(found)}{note}",
        _fix(ctx.dialect, found),
        table,
    )


def _fix(family: str, found: Behaviour) -> str:
    if found.operation == "add_unique":
        return fix_line("MIG053", "unique index")
    if found.operation == "add_foreign_key":
        return fix_line("MIG053", "foreign key")
    fast = _fail_fast(family, found)
    return (
        f"On a big table use gh-ost or pt-online-schema-change, or expand/contract (add a plain "
        f"column, backfill it in batches, switch to it); add `{fast}` to the statements that must "
        "stay online, so the server refuses them instead of copying or locking."
    )
