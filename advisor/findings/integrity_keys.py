"""Integrity rules on keys: no primary key (INT001), a reference the schema does not enforce
(INT002), a natural key nothing keeps unique (INT005)."""

from __future__ import annotations

from advisor.cost.design import IndexDesign
from advisor.emit.constraints import add_foreign_key, add_primary_key
from advisor.emit.ddl import create_index, to_sql
from advisor.findings.integrity_support import FLOAT_TYPE, altering, name_words, rebuild_note, tables_of
from advisor.findings.traffic import is_time_type
from advisor.rules.base import Finding
from advisor.rules.context import Context
from advisor.selection.select import Plan
from advisor.spec.model import Column, IndexKey, Table


def missing_primary_key(ctx: Context, plan: Plan) -> list[Finding]:
    out = []
    for table in tables_of(ctx):
        if table.primary_key:
            continue
        candidate = _key_candidate(table)
        fix = (
            f"declare {candidate.name} as the primary key (it is NOT NULL and unique)"
            if candidate is not None
            else "add a surrogate key (a bigint identity column) or declare the natural key as primary key"
        ) + rebuild_note(ctx)
        out.append(
            Finding(
                "INT001",
                ctx.severity("INT001"),
                table.name,
                f"{table.name} has no primary key: duplicate rows cannot be prevented, a single row cannot "
                "be updated or deleted reliably, and row-based replication and CDC tools need one",
                fix,
                (("rows", f"{table.rows or 0:,}"),),
                line=table.line,
                ddl=altering(ctx, add_primary_key(table.name, (candidate.name,), ctx.spec.dialect))
                if candidate
                else None,
            )
        )
    return out


def _key_candidate(table: Table) -> Column | None:
    """A NOT NULL unique column, the natural choice of primary key."""
    return next((c for c in table.columns if c.unique and not c.nullable), None)


def unenforced_references(ctx: Context, plan: Plan) -> list[Finding]:
    out = []
    for table in tables_of(ctx):
        if not table.from_ddl:
            continue
        for col in table.columns:
            if col.references is None or col.foreign_key:
                continue
            parent, pcol = col.references
            name = f"{table.name}_{col.name}_fkey".lower()
            not_valid = ctx.facts.not_valid
            out.append(
                Finding(
                    "INT002",
                    ctx.severity("INT002"),
                    f"{table.name}.{col.name}",
                    f"{table.name}.{col.name} references {parent}.{pcol} in the spec, but the schema has no "
                    f"FOREIGN KEY for it: nothing stops rows that point at a missing {parent} row",
                    "add the foreign key after removing orphans"
                    + (
                        f" (NOT VALID, then ALTER TABLE {table.name} VALIDATE CONSTRAINT {name})"
                        if not_valid
                        else ""
                    )
                    + f"; if {parent} rows are soft-deleted or archived on purpose, keep it out and check "
                    "orphans in a scheduled job instead" + rebuild_note(ctx),
                    (("references", f"{parent}.{pcol}"),),
                    line=col.line,
                    ddl=altering(
                        ctx, add_foreign_key(table.name, name, col.name, parent, pcol, ctx.spec.dialect)
                    ),
                )
            )
    return out


def _unique_somewhere(ctx: Context, table: Table, col: Column) -> bool:
    name = col.name.lower()
    if col.unique or col.primary_key or tuple(c.lower() for c in table.primary_key) == (name,):
        return True
    return any(d.unique and d.columns == (name,) for d in ctx.existing.get(table.name.lower(), ()))


KEY_WORDS = frozenset(
    {
        "id", "ref", "reference", "code", "sku", "email", "slug", "number", "no", "num", "key",
        "uuid", "guid", "handle", "username", "login", "isbn", "ean", "upc", "gtin", "serial",
        "token", "hash", "iban", "vin", "barcode",
    }
)  # fmt: skip
"""Words in a column's name that say it identifies something (``external_ref``, ``order_no``)."""
FREE_TEXT_WORDS = frozenset(
    {
        "comment", "comments", "description", "desc", "note", "notes", "remark", "remarks",
        "address", "addr", "street", "phone", "mobile", "fax", "name", "title", "body", "text",
        "message", "summary", "bio", "content",
    }
)  # fmt: skip
"""Words that name free text, addresses, phone numbers and names: distinct on every row of a
sample, yet two rows may share them."""


def _natural_key_evidence(ctx: Context, table: Table, col: Column) -> bool:
    """Whether more than the statistics says ``col`` is a key: equal ndv and rows alone fit any free
    text. Its name must not say free text, and either its name or type says identifier or a
    pattern looks rows up by it."""
    words = name_words(col.name)
    if words & FREE_TEXT_WORDS:
        return False
    if words & KEY_WORDS or col.type.startswith(("uuid", "uniqueidentifier")):
        return True
    return (table.name.lower(), col.name.lower()) in ctx.looked_up


def unique_natural_key(ctx: Context, plan: Plan) -> list[Finding]:
    out = []
    min_rows = ctx.threshold("INT005", "min_rows")
    for table in tables_of(ctx):
        rows = table.rows or 0
        if rows < min_rows:
            continue
        for col in table.columns:
            if col.ndv is None or col.ndv < rows or _unique_somewhere(ctx, table, col):
                continue
            if is_time_type(col.type) or FLOAT_TYPE.match(col.type) or col.type.startswith("bool"):
                continue
            if not _natural_key_evidence(ctx, table, col):
                continue
            design = IndexDesign(table.name.lower(), (IndexKey(col.name.lower()),), unique=True)
            out.append(
                Finding(
                    "INT005",
                    ctx.severity("INT005"),
                    f"{table.name}.{col.name}",
                    f"{table.name}.{col.name} has as many distinct values as the table has rows "
                    f"({rows:,}): it looks like a natural key, yet nothing stops a duplicate",
                    f"if {col.name} identifies a row of {table.name}, declare it UNIQUE (and NOT NULL); if two "
                    "rows may share it, give its real ndv instead",
                    (("ndv", f"{col.ndv:,}"), ("rows", f"{rows:,}")),
                    line=col.line,
                    ddl=to_sql(
                        create_index(design, ctx.spec.dialect, declared=ctx.spec.table(design.table)),
                        ctx.spec.dialect,
                    ),
                )
            )
    return out
