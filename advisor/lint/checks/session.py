"""Session rules: transactions that do not nest or close, values used before the transaction that
adds them commits, and strong locks taken or held without a timeout."""

from __future__ import annotations

from collections.abc import Iterator

from advisor.catalog.fixes import fix_line
from advisor.catalog.model import Severity
from advisor.lint.checks.base import POSTGRES, Hit, LintContext, rule
from advisor.lint.checks.locking import type_change_is_safe
from advisor.lint.volatility import volatile_call
from advisor.schema.ops import (
    AddColumn,
    AddConstraint,
    AlterColumnType,
    Cluster,
    CreateIndex,
    CreateTable,
    DetachPartition,
    Drop,
    DropColumn,
    DropConstraint,
    DropIndex,
    DropNotNull,
    EndOfFile,
    Op,
    Other,
    Reindex,
    Rename,
    RewriteTable,
    SetDefault,
    SetNotNull,
    Transaction,
    Truncate,
    TxKind,
    Vacuum,
    Write,
)

_LOCKING = (
    AddColumn,
    AddConstraint,
    AlterColumnType,
    Cluster,
    CreateIndex,
    DetachPartition,
    Drop,
    DropColumn,
    DropConstraint,
    DropIndex,
    DropNotNull,
    Reindex,
    Rename,
    RewriteTable,
    SetDefault,
    SetNotNull,
    Truncate,
    Vacuum,
)


def _table(op: Op) -> str | None:
    table = getattr(op, "table", None)
    if isinstance(table, str):
        return table
    names = getattr(op, "names", None) or getattr(op, "tables", None)
    return names[0] if names else None


def _takes_strong_lock(op: Op) -> bool:
    if isinstance(op, CreateIndex | DropIndex | Reindex | DetachPartition) and op.concurrently:
        return False
    if isinstance(op, Vacuum):
        return op.full
    return not (isinstance(op, Drop) and op.kind not in ("table", "view", "materialized view"))


def _runs_long(op: Op, ctx: LintContext) -> bool:
    """The statement holds its lock while it reads or writes every row: a rewrite, a full-table
    check, an index build."""
    if isinstance(op, CreateIndex | Reindex):
        return not op.concurrently
    if isinstance(op, Vacuum):
        return op.full
    if isinstance(op, Cluster | RewriteTable):
        return True
    if isinstance(op, AlterColumnType):
        table = ctx.schema.table(op.table)
        column = table.column(op.column) if table else None
        return op.using or not type_change_is_safe(column.type if column else None, op.type)
    if isinstance(op, SetNotNull):
        table = ctx.schema.table(op.table)
        checked = table is not None and table.has_not_null_check(op.column)
        return not (checked and ctx.version_at_least(12))
    if isinstance(op, AddConstraint):
        con = op.constraint
        # NOT VALID skips the check of existing rows; USING INDEX reuses an index built beforehand
        return not (con.not_valid or con.using_index)
    if isinstance(op, AddColumn):
        added = op.column
        volatile = volatile_call(added.default, ctx.schema.functions) is not None
        serial = added.type is not None and added.type.name in ("serial", "bigserial", "smallserial")
        keyed = added.primary_key or added.unique or added.references is not None
        old_server = added.default is not None and not ctx.version_at_least(11)
        return volatile or serial or added.identity or added.generated_stored or keyed or old_server
    return False


_LOCK_HARM = "if a long query holds the table, it waits, and every query after it queues behind it"
_LONG_HARM = "nothing bounds how long it holds the lock, so reads and writes queue until it is done"


@rule("MIG020", *_LOCKING, dialects=POSTGRES, enabled=False)
def missing_lock_timeout(op: Op, ctx: LintContext) -> Iterator[Hit]:
    if not _takes_strong_lock(op):
        return
    table = _table(op)
    if ctx.is_new(table):
        return
    lock_key, long_key = (ctx.file, "MIG020"), (ctx.file, "MIG020:statement_timeout")
    no_lock = "lock_timeout" not in ctx.settings and lock_key not in ctx.reported
    no_bound = "statement_timeout" not in ctx.settings and long_key not in ctx.reported
    no_bound = no_bound and _runs_long(op, ctx)
    if not (no_lock or no_bound):
        return
    name = table or "a table"
    if no_lock:
        ctx.reported.add(lock_key)
    if no_bound:
        ctx.reported.add(long_key)
    if no_lock and no_bound:
        message = (
            f"this statement locks {name} and works through every row under the lock, without a "
            f"lock_timeout or a statement_timeout: {_LOCK_HARM}, and once it holds the lock "
            f"{_LONG_HARM}"
        )
        case = "neither timeout"
    elif no_lock:
        message = f"this statement locks {name} without a lock_timeout: {_LOCK_HARM}"
        case = "no lock_timeout"
    else:
        message = (
            f"this statement works through every row of {name} under its lock, without a "
            f"statement_timeout: {_LONG_HARM}"
        )
        case = "no statement_timeout"
    yield Hit(op.loc, message, fix_line("MIG020", case), table)


_QUERIES = frozenset({"InsertStmt", "SelectStmt", "UpdateStmt", "DeleteStmt", "MergeStmt"})
"""Statements (otherwise not modelled) whose literals PostgreSQL casts when it runs them; a function
body, by contrast, is only stored."""


def quoted(value: str) -> str:
    """``value`` as an SQL string literal.

    >>> quoted("it's")
    "'it''s'"
    """
    return "'" + value.replace("'", "''") + "'"


@rule(
    "MIG027",
    Other,
    Write,
    CreateTable,
    AddColumn,
    SetDefault,
    AddConstraint,
    CreateIndex,
    AlterColumnType,
    dialects=POSTGRES,
    severity=Severity.ERROR,
)
def new_enum_value_used_in_transaction(op: Op, ctx: LintContext) -> Iterator[Hit]:
    if ctx.transaction is None or not ctx.new_enum_values or not ctx.version_at_least(12):
        return  # before 12, MIG023 reports the ADD VALUE itself: it fails in a transaction block
    if isinstance(op, Other) and op.kind not in _QUERIES:
        return
    once = (ctx.file, f"MIG027:{op.loc.statement}")
    if once in ctx.reported:
        return
    # The operation model does not keep expressions, so a use is the quoted label anywhere in the
    # statement: conservative (a comment or an unrelated column holding the same text also match),
    # and an ALTER TYPE naming the label in BEFORE/AFTER is not subscribed to, as it is allowed.
    for (type_name, value), (tx, added) in ctx.new_enum_values.items():
        if tx == ctx.transaction and quoted(value) in ctx.statement_text:
            ctx.reported.add(once)
            yield Hit(
                op.loc,
                f"{quoted(value)} is used in the transaction that added it to enum {type_name} "
                f"(line {added.line}): PostgreSQL refuses it until that transaction commits "
                '("unsafe use of new value"), so the migration fails',
                fix_line("MIG027"),
            )
            return


@rule("MIG038", Transaction, EndOfFile)
def transaction_nesting(op: Transaction | EndOfFile, ctx: LintContext) -> Iterator[Hit]:
    if isinstance(op, EndOfFile):
        if ctx.depth > 0:
            yield Hit(
                op.loc,
                "the file ends inside a transaction it opened: nothing after BEGIN is committed, or "
                "the next migration runs in the same transaction",
                fix_line("MIG038", "BEGIN without COMMIT"),
            )
        return
    if op.kind is TxKind.BEGIN and ctx.in_transaction:
        outer = "the migration's own transaction" if ctx.depth == 0 else "an open BEGIN"
        yield Hit(
            op.loc,
            f"BEGIN inside {outer}: PostgreSQL only warns and ignores it, so the COMMIT that follows "
            "commits the outer transaction early",
            fix_line("MIG038", "nested BEGIN"),
        )
    elif op.kind in (TxKind.COMMIT, TxKind.ROLLBACK) and ctx.depth == 0:
        yield Hit(
            op.loc,
            f"{op.kind.value.upper()} without a BEGIN in this file"
            + (": it ends the migration tool's transaction" if ctx.assume_in_transaction else ""),
            fix_line("MIG038", "COMMIT without BEGIN"),
        )
