"""Integrity rules on how rows are written: an update that can overwrite another writer's
(INT007, lost updates) and a sensitive table whose changes no table records (INT008)."""

from __future__ import annotations

import re

from sqlglot import exp

from advisor.emit.ddl import to_sql
from advisor.emit.names import table_node
from advisor.findings.integrity_support import name_words, tables_of
from advisor.rules.base import Finding
from advisor.rules.context import Context
from advisor.selection.select import Plan
from advisor.spec.model import Table


def _names(patterns: list[str]) -> str:
    """``a reads`` / ``a, b read``."""
    return f"{', '.join(patterns)} {'reads' if len(patterns) == 1 else 'read'}"


_ROW_LOCK = re.compile(r"\bfor\s+(?:no\s+key\s+)?(?:update|share)\b|\block\s+in\s+share\s+mode\b", re.I)
"""A read that locks its rows (pessimistic locking) cannot lose the update that follows; the
analysis summary does not record row locks, so the SQL text is checked."""

VERSION_COLUMNS = ("version", "lock_version", "row_version", "revision", "etag", "xmin")


def optimistic_locking(ctx: Context, plan: Plan) -> list[Finding]:
    """A point read of a row and an UPDATE that overwrites columns of the same row by its key,
    with nothing in the UPDATE's WHERE that would notice a change in between."""
    from advisor.findings.traffic import equality_columns

    out = []
    for table, tm in ctx.models.items():
        tbl = tm.table
        key = {c.lower() for c in tbl.primary_key}
        if not key:
            continue
        version = next((c.name for c in tbl.columns if c.name.lower() in VERSION_COLUMNS), None)
        readers = {
            p.name: {
                c
                for b in ctx.shapes[p.name].walk()
                for a in b.accesses
                if a.table == table
                for c in a.referenced
            }
            for p in ctx.patterns_on.get(table, ())
            if not ctx.shapes[p.name].kind.writes
            and key <= equality_columns(ctx, p.name, table)
            and not _ROW_LOCK.search(p.sql)
        }
        for p in ctx.patterns_on.get(table, ()):
            shape = ctx.shapes[p.name]
            if shape.kind.value != "update" or shape.target != table:
                continue
            acc = shape.access(table)
            if acc is None or not key <= equality_columns(ctx, p.name, table):
                continue
            sets = {c.lower() for c in shape.set_columns}
            guarded = {pred.column for pred in acc.predicates} & (sets | {(version or "").lower()})
            in_place = sets & acc.referenced  # SET stock = stock - 1 is atomic, not read-modify-write
            overwritten = sets - in_place
            read_back = [r for r, columns in readers.items() if overwritten & columns]
            if guarded or not overwritten or not read_back:
                continue
            out.append(
                Finding(
                    "INT007",
                    ctx.severity("INT007"),
                    p.name,
                    f"{_names(read_back)} a row of {tbl.name} that {p.name} then overwrites "
                    f"({', '.join(sorted(overwritten))}) by {', '.join(sorted(key))} alone: two writers "
                    "that read the same version both succeed and the first update is lost",
                    (
                        f"add {version} = :version to the UPDATE's WHERE and SET {version} = {version} + 1; "
                        "retry or report when no row matches"
                        if version
                        else f"add a version column (bigint NOT NULL DEFAULT 0) to {tbl.name}, put "
                        "version = :read_version in the UPDATE's WHERE and SET version = version + 1; "
                        "retry or report when no row matches"
                    ),
                    (("reads", ", ".join(read_back)), ("overwrites", ", ".join(sorted(overwritten)))),
                    patterns=(p.name, *read_back),
                    line=p.line,
                )
            )
    return out


AUDIT_WORDS = frozenset({"audit", "history", "log", "logs", "events", "versions", "changes", "journal"})


def _audited_by(ctx: Context, table: Table) -> str | None:
    """A table that looks like ``table``'s audit trail: an audit-like name that references it or
    is named after it."""
    stem = table.name.lower().rstrip("s")
    for other in tables_of(ctx):
        if other is table or not name_words(other.name) & AUDIT_WORDS:
            continue
        points = any(c.references and c.references[0] == table.name.lower() for c in other.columns)
        if points or other.name.lower().startswith(stem):
            return other.name
    return None


def audit_trail(ctx: Context, plan: Plan) -> list[Finding]:
    out = []
    for table in tables_of(ctx):
        if not table.sensitive or _audited_by(ctx, table):
            continue
        writers = [
            p.name
            for p in ctx.patterns_on.get(table.name.lower(), ())
            if ctx.shapes[p.name].kind.writes and ctx.shapes[p.name].target == table.name.lower()
        ]
        out.append(
            Finding(
                "INT008",
                ctx.severity("INT008"),
                table.name,
                f"{table.name} is declared sensitive but no table keeps its history: who changed a row, "
                "when and from what cannot be answered"
                + (f" (written by {', '.join(writers)})" if writers else ""),
                f"keep an append-only {table.name}_audit table (key, operation, changed_by, changed_at, "
                "old and new row) filled by a trigger or the data access layer, readable by auditors only",
                (("sensitive", "true"), ("writers", ", ".join(writers) or "none in the spec")),
                patterns=tuple(writers),
                line=table.line,
                ddl=_audit_table(ctx, table),
            )
        )
    return out


def _audit_table(ctx: Context, table: Table) -> str:
    from advisor.emit.constraints import data_type

    dialect = ctx.spec.dialect
    json_type = ctx.facts.json_type

    def column(name: str, sql_type: str, nullable: bool = False) -> exp.ColumnDef:
        constraints = [] if nullable else [exp.ColumnConstraint(kind=exp.NotNullColumnConstraint())]
        return exp.ColumnDef(
            this=exp.to_identifier(name), kind=data_type(sql_type, dialect), constraints=constraints
        )

    key = [c for c in table.columns if c.name in table.primary_key]
    columns: list[exp.Expression] = [
        column("audit_id", "bigint"),
        *(column(c.name, c.type) for c in key),
        column("operation", "varchar(10)"),
        column("changed_by", "varchar(100)"),
        column("changed_at", "timestamp"),
        column("old_row", json_type, True),
        column("new_row", json_type, True),
        exp.PrimaryKey(expressions=[exp.to_identifier("audit_id")]),
    ]
    create = exp.Create(
        this=exp.Schema(this=table_node(f"{table.name}_audit"), expressions=columns), kind="TABLE"
    )
    return to_sql(create, dialect)
