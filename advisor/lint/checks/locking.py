"""PostgreSQL locking rules: statements that block reads or writes on a table that already has rows.

Nothing here fires for a table the linted migrations created themselves: it is still empty, so its
locks are brief and harm nobody.
"""

from __future__ import annotations

from collections.abc import Iterator

from advisor.catalog.fixes import fix_line
from advisor.catalog.model import Severity
from advisor.lint.checks.base import MYSQL, POSTGRES, Hit, LintContext, rule
from advisor.lint.online_ddl import behaviour, effect, server
from advisor.lint.volatility import volatile_call
from advisor.schema.names import key_of
from advisor.schema.ops import (
    AddColumn,
    AddConstraint,
    AlterColumnType,
    AlterDomain,
    ConstraintKind,
    CreateIndex,
    DetachPartition,
    DropIndex,
    Op,
    Reindex,
    SetNotNull,
    TypeRef,
    ValidateConstraint,
)


@rule("MIG001", CreateIndex, dialects=POSTGRES)
def create_index_non_concurrently(op: CreateIndex, ctx: LintContext) -> Iterator[Hit]:
    if op.concurrently or ctx.is_new(op.table):
        return
    yield Hit(
        op.loc,
        f"CREATE INDEX on existing table {op.table} takes a SHARE lock: "
        "every INSERT, UPDATE and DELETE waits until the whole index is built",
        fix_line("MIG001"),
        op.table,
    )


@rule("MIG002", DropIndex, dialects=POSTGRES)
def drop_index_non_concurrently(op: DropIndex, ctx: LintContext) -> Iterator[Hit]:
    if op.concurrently:
        return
    index = ctx.schema.indexes.get(key_of(op.names[0])) if op.names else None
    if index is not None and ctx.is_new(index.table):
        return
    names = ", ".join(op.names)
    yield Hit(
        op.loc,
        f"DROP INDEX {names} takes an ACCESS EXCLUSIVE lock on its table: it waits behind running "
        "queries and blocks every read and write queued after it",
        fix_line("MIG002"),
        index.table if index else None,
    )


@rule("MIG003", Reindex, dialects=POSTGRES)
def reindex_non_concurrently(op: Reindex, ctx: LintContext) -> Iterator[Hit]:
    if op.concurrently:
        return
    table = op.name if op.target == "table" else None
    if op.target == "index" and op.name:
        index = ctx.schema.indexes.get(key_of(op.name))
        table = index.table if index else None
    if ctx.is_new(table):
        return
    yield Hit(
        op.loc,
        f"REINDEX {op.target.upper()} {op.name or ''} blocks writes to the table (SHARE lock) and "
        "reads through the index (ACCESS EXCLUSIVE on it) while it rebuilds".replace("  ", " "),
        fix_line("MIG003"),
        table,
    )


def _concurrent(op: Op) -> str | None:
    if isinstance(op, CreateIndex) and op.concurrently:
        return "CREATE INDEX CONCURRENTLY"
    if isinstance(op, DropIndex) and op.concurrently:
        return "DROP INDEX CONCURRENTLY"
    if isinstance(op, Reindex) and op.concurrently:
        return "REINDEX CONCURRENTLY"
    if isinstance(op, DetachPartition) and op.concurrently:
        return "DETACH PARTITION CONCURRENTLY"
    return None


@rule("MIG004", CreateIndex, DropIndex, Reindex, DetachPartition, dialects=POSTGRES, severity=Severity.ERROR)
def concurrently_in_transaction(op: Op, ctx: LintContext) -> Iterator[Hit]:
    what = _concurrent(op)
    if what is None or not ctx.in_transaction:
        return
    why = "inside BEGIN ... COMMIT" if ctx.depth else "and the migration runs in a transaction"
    yield Hit(
        op.loc,
        f"{what} cannot run inside a transaction block ({why}): PostgreSQL rejects it",
        fix_line("MIG004"),
    )


@rule("MIG026", CreateIndex, dialects=POSTGRES, severity=Severity.ERROR)
def concurrent_index_on_partitioned_table(op: CreateIndex, ctx: LintContext) -> Iterator[Hit]:
    table = ctx.schema.table(op.table)
    if not op.concurrently or table is None or not table.partitioned:
        return
    yield Hit(
        op.loc,
        f"CREATE INDEX CONCURRENTLY on partitioned table {op.table}: PostgreSQL refuses it "
        "(cannot create index on partitioned table concurrently)",
        f"CREATE INDEX ... ON ONLY {op.table} (an invalid parent index), CREATE INDEX CONCURRENTLY "
        "on each partition, then ALTER INDEX parent_index ATTACH PARTITION each partition's index.",
    )


@rule("MIG005", AddConstraint, AddColumn, dialects=POSTGRES)
def constraint_without_not_valid(op: AddConstraint | AddColumn, ctx: LintContext) -> Iterator[Hit]:
    if isinstance(op, AddColumn):
        ref = op.column.references
        if ref is not None and not ctx.is_new(op.table):
            yield Hit(
                op.loc,
                f"adding column {op.column.name} with REFERENCES {ref.ref_table} to existing table "
                f"{op.table} checks every row while {op.table} is locked ACCESS EXCLUSIVE and "
                f"{ref.ref_table} SHARE ROW EXCLUSIVE",
                fix_line("MIG005", "column with REFERENCES"),
                op.table,
            )
        return
    con = op.constraint
    if con.kind not in (ConstraintKind.FOREIGN_KEY, ConstraintKind.CHECK) or con.not_valid:
        return
    if ctx.is_new(op.table):
        return
    if con.kind is ConstraintKind.FOREIGN_KEY:
        lock = (
            f"takes a SHARE ROW EXCLUSIVE lock on {op.table} and on {con.ref_table}, blocking writes to both"
        )
    else:
        lock = f"takes an ACCESS EXCLUSIVE lock on {op.table}, blocking reads and writes"
    yield Hit(
        op.loc,
        f"adding a {con.kind.value} constraint to existing table {op.table} {lock} while every row is checked",
        fix_line("MIG005", "constraint"),
        op.table,
    )


@rule("MIG006", ValidateConstraint, dialects=POSTGRES)
def validate_in_same_transaction(op: ValidateConstraint, ctx: LintContext) -> Iterator[Hit]:
    added = ctx.not_valid_tx.get((key_of(op.table), key_of(op.name)), -1)
    if added is None or added == -1 or added != ctx.transaction:
        return
    yield Hit(
        op.loc,
        f"VALIDATE CONSTRAINT {op.name} runs in the same transaction that added it NOT VALID: the "
        "strong lock taken by the ADD is held during the whole validation",
        fix_line("MIG006"),
        op.table,
    )


_A_CONSTRAINT = {ConstraintKind.EXCLUDE: "an exclusion"}


@rule("MIG007", AddConstraint, AddColumn, dialects=POSTGRES)
def unique_constraint_builds_index(op: AddConstraint | AddColumn, ctx: LintContext) -> Iterator[Hit]:
    if isinstance(op, AddColumn):
        column = op.column
        if (column.primary_key or column.unique) and not ctx.is_new(op.table):
            kind = "primary key" if column.primary_key else "unique"
            yield Hit(
                op.loc,
                f"adding column {column.name} as a {kind} to existing table {op.table} builds its "
                "index under an ACCESS EXCLUSIVE lock: no reads or writes until it is done",
                "Add the column without the constraint, fill it, CREATE UNIQUE INDEX CONCURRENTLY, "
                f"then ADD CONSTRAINT name {kind.upper()} USING INDEX index_name.",
                op.table,
            )
        return
    con = op.constraint
    kinds = (ConstraintKind.UNIQUE, ConstraintKind.PRIMARY_KEY, ConstraintKind.EXCLUDE)
    if con.kind not in kinds or con.using_index or ctx.is_new(op.table):
        return
    if con.kind is ConstraintKind.EXCLUDE:
        # USING INDEX attaches only unique indexes: an exclusion constraint has no lock-free path
        fix = (
            "PostgreSQL cannot build an exclusion constraint concurrently nor attach one from an "
            "existing index: add it in a maintenance window, with a lock_timeout so that it fails "
            "instead of queueing behind long transactions."
        )
    else:
        fix = (
            "CREATE UNIQUE INDEX CONCURRENTLY first, then ALTER TABLE ... ADD CONSTRAINT name "
            f"{con.kind.value.upper()} USING INDEX index_name."
        )
    yield Hit(
        op.loc,
        f"adding {_A_CONSTRAINT.get(con.kind, 'a ' + con.kind.value)} constraint to existing table "
        f"{op.table} builds its index under an "
        "ACCESS EXCLUSIVE lock: no reads or writes until it is done",
        fix,
        op.table,
    )


@rule("MIG008", AddColumn, severity=Severity.ERROR)
def not_null_column_without_default(op: AddColumn, ctx: LintContext) -> Iterator[Hit]:
    column = op.column
    if not column.not_null or column.default is not None or column.identity:
        return
    if column.generated_stored or ctx.is_new(op.table):
        return
    if column.type is not None and column.type.name in ("serial", "bigserial", "smallserial"):
        return
    effect = {
        "postgres": "fails as soon as the table has a row",
        "sqlite": "is rejected by SQLite (Cannot add a NOT NULL column with default value NULL)",
    }.get(
        ctx.dialect,
        "fills existing rows with an implicit zero or empty value, and inserts from "
        "code that does not know the column yet fail",
    )
    yield Hit(
        column.loc,
        f"adding NOT NULL column {column.name} without a default to existing table {op.table} {effect}",
        fix_line("MIG008"),
    )


@rule("MIG009", SetNotNull, dialects=POSTGRES)
def set_not_null(op: SetNotNull, ctx: LintContext) -> Iterator[Hit]:
    table = ctx.schema.table(op.table)
    if ctx.is_new(op.table):
        return
    if table is not None and ctx.version_at_least(12) and table.has_not_null_check(op.column):
        return
    yield Hit(
        op.loc,
        f"SET NOT NULL on {op.table}.{op.column} scans the whole table under an ACCESS EXCLUSIVE lock",
        f"Add CHECK ({op.column} IS NOT NULL) NOT VALID, VALIDATE it in a later transaction, then "
        "SET NOT NULL (PostgreSQL 12+ uses the check instead of scanning) and drop the check.",
        op.table,
    )


_SERIALS = ("serial", "bigserial", "smallserial")


@rule("MIG010", AddColumn, dialects=POSTGRES)
def add_column_rewrites_table(op: AddColumn, ctx: LintContext) -> Iterator[Hit]:
    column = op.column
    if ctx.is_new(op.table):
        return
    reason = None
    call = volatile_call(column.default, ctx.schema.functions)
    if call is not None:
        reason = f"its default calls {call.name}(), which is volatile, so it is computed for every row"
        if not call.known:
            reason += (
                f" ({call.name} is not created by the linted migrations: a function is VOLATILE "
                "unless declared IMMUTABLE or STABLE)"
            )
    elif column.type is not None and column.type.name in _SERIALS:
        reason = f"{column.type.name} draws a sequence value for every row"
    elif column.identity:
        reason = "an identity column draws a sequence value for every row"
    elif column.generated_stored:
        reason = "a stored generated column is computed for every row"
    elif column.default is not None and not ctx.version_at_least(11):
        reason = "before PostgreSQL 11 any default is written into every row"
    if reason is None:
        return
    yield Hit(
        column.loc,
        f"adding column {column.name} to existing table {op.table} rewrites the table under an "
        f"ACCESS EXCLUSIVE lock: {reason}",
        fix_line("MIG010"),
        op.table,
    )


_TEXTUAL = ("varchar", "text")


def type_change_is_safe(old: TypeRef | None, new: TypeRef | None) -> bool:
    """Changes PostgreSQL makes without rewriting the table (binary-coercible, looser limits).

    >>> type_change_is_safe(TypeRef("varchar", (20,)), TypeRef("varchar", (50,)))
    True
    >>> type_change_is_safe(TypeRef("integer"), TypeRef("bigint"))
    False
    """
    if old is None or new is None or old.array != new.array:
        return False
    if old.name in _TEXTUAL and new.name in _TEXTUAL:
        if new.name == "text" or not new.args:
            return True
        return old.name == "varchar" and bool(old.args) and new.args[0] >= old.args[0]
    if old.name == new.name == "numeric":
        if not new.args:
            return True
        if len(old.args) == 2 and len(new.args) == 2:
            return new.args[1] == old.args[1] and new.args[0] >= old.args[0]
    if old.name == "cidr" and new.name == "inet":
        return True
    return old == new


@rule("MIG011", AlterColumnType, dialects=POSTGRES | MYSQL)
def column_type_change(op: AlterColumnType, ctx: LintContext) -> Iterator[Hit]:
    if ctx.is_new(op.table):
        return
    table = ctx.schema.table(op.table)
    column = table.column(op.column) if table else None
    old = column.type if column else None
    if ctx.facts.online_ddl is not None:
        yield from _mysql_type_change(op, old, ctx)
        return
    if not op.using and type_change_is_safe(old, op.type):
        return
    if not op.using and _zone_change_in_utc(old, op.type, ctx):
        return
    change = f"changing {op.table}.{op.column}" + (f" from {old}" if old else "") + f" to {op.type}"
    caveat = (
        ""
        if old is not None or op.using
        else ", unless its current type (not shown by the linted files) converts without one, as a "
        "shorter varchar does"
    )
    yield Hit(
        op.loc,
        f"{change} rewrites the table and its indexes under an ACCESS EXCLUSIVE lock{caveat}",
        fix_line("MIG011", "PostgreSQL"),
        op.table,
    )


_ZONE_TYPES = frozenset({"timestamp", "timestamptz"})
UTC_ZONES = frozenset(
    {"utc", "etc/utc", "uct", "etc/uct", "gmt", "etc/gmt", "gmt0", "etc/gmt0", "greenwich", "universal",
     "etc/universal", "zulu", "etc/zulu", "0", "+0", "-0"}
)  # fmt: skip
"""``timezone`` values with a fixed zero offset: PostgreSQL's ``pg_get_timezone_offset`` gives 0."""


def _zone_change_in_utc(old: TypeRef | None, new: TypeRef | None, ctx: LintContext) -> bool:
    """timestamp <-> timestamptz is binary-compatible when the session's time zone is UTC, and
    PostgreSQL 12+ then skips the rewrite (``TimestampTimestampTzRequiresRewrite``)."""
    if old is None or new is None or old.array != new.array or old.name == new.name:
        return False
    if {old.name, new.name} != _ZONE_TYPES or not ctx.version_at_least(12):
        return False
    return ctx.setting_values.get("timezone", "").strip().lower() in UTC_ZONES


def _mysql_type_change(op: AlterColumnType, old: TypeRef | None, ctx: LintContext) -> Iterator[Hit]:
    """MySQL: MODIFY / CHANGE also restate unchanged columns, so only a known, different type counts;
    what the server does with it comes from the online DDL table for the target version."""
    if old is None or op.type is None or old == op.type:
        return
    if old.name in ("enum", "set") and op.type.name == old.name:
        return  # member changes: MIG052
    found = behaviour(mysql_type_operation(old, op.type), ctx.dialect, ctx.target_version)
    if found is None or found.online:
        return
    yield Hit(
        op.loc,
        f"changing {op.table}.{op.column} from {old} to {op.type} {effect(found)} on "
        f"{server(ctx.dialect, ctx.target_version)}",
        fix_line("MIG011", "MySQL and MariaDB"),
        op.table,
    )


def mysql_type_operation(old: TypeRef, new: TypeRef) -> str:
    """The online DDL operation of a MySQL type change: lengthening a VARCHAR (within the same
    number of length bytes, counting utf8mb4's 4 bytes a character, or past 255 bytes) or any
    other change.

    >>> mysql_type_operation(TypeRef("varchar", (20,)), TypeRef("varchar", (60,)))
    'extend_varchar'
    >>> mysql_type_operation(TypeRef("varchar", (20,)), TypeRef("varchar", (100,)))
    'extend_varchar_length_bytes'
    """
    if old.name == new.name == "varchar" and old.args and new.args and new.args[0] >= old.args[0]:
        return (
            "extend_varchar"
            if (old.args[0] * 4 < 256) == (new.args[0] * 4 < 256)
            else "extend_varchar_length_bytes"
        )
    return "modify_type"


@rule("MIG029", AlterDomain, dialects=POSTGRES)
def domain_constraint_checks_every_column(op: AlterDomain, ctx: LintContext) -> Iterator[Hit]:
    if op.action not in ("add constraint", "set not null") or op.not_valid:
        return
    if ctx.is_new_object("domain", op.domain):
        return
    what = "ADD CONSTRAINT" if op.action == "add constraint" else "SET NOT NULL"
    yield Hit(
        op.loc,
        f"ALTER DOMAIN {op.domain} {what} checks every stored value of every column of type "
        f"{op.domain}, holding a SHARE lock on each of those tables: no writes to them until done",
        fix_line("MIG029"),
    )


@rule("MIG021", DetachPartition, dialects=POSTGRES)
def detach_partition_non_concurrently(op: DetachPartition, ctx: LintContext) -> Iterator[Hit]:
    if op.concurrently or ctx.is_new(op.table) or not ctx.version_at_least(14):
        return
    yield Hit(
        op.loc,
        f"DETACH PARTITION {op.partition} takes an ACCESS EXCLUSIVE lock on partitioned table {op.table}",
        fix_line("MIG021"),
        op.table,
    )
