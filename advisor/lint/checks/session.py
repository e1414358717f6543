"""Session rules: transactions that do not nest or close, and strong locks taken without a timeout."""

from __future__ import annotations

from collections.abc import Iterator

from advisor.lint.checks.base import POSTGRES, Context, Hit, rule
from advisor.lint.ops import (
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
    EndOfFile,
    Op,
    Reindex,
    Rename,
    SetDefault,
    SetNotNull,
    Transaction,
    Truncate,
    TxKind,
    Vacuum,
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


@rule("MIG020", *_LOCKING, dialects=POSTGRES, enabled=False)
def missing_lock_timeout(op: Op, ctx: Context) -> Iterator[Hit]:
    if not _takes_strong_lock(op) or "lock_timeout" in ctx.settings:
        return
    table = _table(op)
    if ctx.is_new(table) or (ctx.file, "MIG020") in ctx.reported:
        return
    ctx.reported.add((ctx.file, "MIG020"))
    yield Hit(
        op.loc,
        f"this statement locks {table or 'a table'} without a lock_timeout: if a long query holds "
        "the table, it waits, and every query after it queues behind it",
        "Start the migration with SET lock_timeout = '2s' (and retry on timeout); a statement_timeout "
        "bounds the statement itself.",
        table,
    )


@rule("MIG038", Transaction, EndOfFile)
def transaction_nesting(op: Transaction | EndOfFile, ctx: Context) -> Iterator[Hit]:
    if isinstance(op, EndOfFile):
        if ctx.depth > 0:
            yield Hit(
                op.loc,
                "the file ends inside a transaction it opened: nothing after BEGIN is committed, or "
                "the next migration runs in the same transaction",
                "End the transaction with COMMIT.",
            )
        return
    if op.kind is TxKind.BEGIN and ctx.in_transaction:
        outer = "the migration's own transaction" if ctx.depth == 0 else "an open BEGIN"
        yield Hit(
            op.loc,
            f"BEGIN inside {outer}: PostgreSQL only warns and ignores it, so the COMMIT that follows "
            "commits the outer transaction early",
            "Remove the nested BEGIN and its COMMIT, or use SAVEPOINT.",
        )
    elif op.kind in (TxKind.COMMIT, TxKind.ROLLBACK) and ctx.depth == 0:
        yield Hit(
            op.loc,
            f"{op.kind.value.upper()} without a BEGIN in this file"
            + (": it ends the migration tool's transaction" if ctx.assume_in_transaction else ""),
            "Remove it, or add the matching BEGIN.",
        )
