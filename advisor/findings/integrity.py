"""Integrity rules: keys and constraints the schema lacks (INT001-INT006), lost updates
(INT007) and audit trails for sensitive data (INT008)."""

from __future__ import annotations

import re

from sqlglot import exp

from advisor.cost.design import IndexDesign
from advisor.emit.constraints import add_check, add_foreign_key, add_primary_key, set_column
from advisor.emit.ddl import create_index, to_sql
from advisor.emit.names import column_node, table_node
from advisor.findings.traffic import is_time_type
from advisor.rules.base import Finding
from advisor.rules.context import Context
from advisor.selection.select import Plan
from advisor.spec.model import Column, IndexKey, Table

MONEY_WORDS = frozenset(
    {
        "amount",
        "price",
        "cost",
        "total",
        "subtotal",
        "fee",
        "fees",
        "tax",
        "discount",
        "salary",
        "payment",
        "charge",
        "revenue",
        "refund",
        "paid",
        "wage",
        "tip",
    }
)
QUANTITY_WORDS = frozenset({"quantity", "qty", "stock", "units", "inventory"})
SIGNED_WORDS = frozenset(
    {"balance", "delta", "diff", "change", "adjustment", "net", "profit", "margin", "offset"}
)
"""Money columns that may rightly go negative."""
NOT_AMOUNT_WORDS = frozenset(
    {"rate", "ratio", "pct", "percent", "percentage", "score", "count", "weight", "avg", "mean", "factor"}
)
"""``tax_rate``, ``total_count``: numbers about money or totals that are not amounts."""
AMBIGUOUS_MONEY = frozenset({"total", "discount", "tip", "paid"})
"""Money words that also name other things; alone they do not make a float column money."""
_FLOAT = re.compile(r"^(float|real|double|float4|float8|double precision)\b")
_NUMBER = re.compile(
    r"^(numeric|decimal|number|money|smallmoney|float|real|double|tinyint|smallint|mediumint|int|integer|bigint|int2|int4|int8)\b"
)


def _words(name: str) -> set[str]:
    """``price_at_purchase`` -> {"price", "at", "purchase"}; camelCase split too.

    >>> sorted(_words("totalAmount"))
    ['amount', 'total']
    """
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    return {w for w in spaced.lower().split("_") if w}


def is_money(col: Column) -> bool:
    """An amount of money that cannot be negative, by its name.

    >>> [is_money(Column(n)) for n in ("total_amount", "tax_rate", "balance", "price_at_purchase")]
    [True, False, False, True]
    """
    words = _words(col.name)
    return bool(words & MONEY_WORDS) and not words & (SIGNED_WORDS | NOT_AMOUNT_WORDS)


def is_quantity(col: Column) -> bool:
    """A count of goods that cannot be negative, by its name.

    >>> [is_quantity(Column(n)) for n in ("quantity", "stock", "stock_delta")]
    [True, True, False]
    """
    words = _words(col.name)
    return bool(words & QUANTITY_WORDS) and not words & (SIGNED_WORDS | NOT_AMOUNT_WORDS)


def is_float_money(col: Column) -> bool:
    """Money in a binary floating-point type: a money word that is not ambiguous, or a balance.

    >>> [is_float_money(Column(n, t)) for n, t in (("amount", "double"), ("total_score", "float"),
    ...                                            ("balance", "real"), ("amount", "numeric(12,2)"))]
    [True, False, True, False]
    """
    words = _words(col.name)
    money = (words & (MONEY_WORDS - AMBIGUOUS_MONEY)) or "balance" in words
    return bool(money) and not words & NOT_AMOUNT_WORDS and bool(_FLOAT.match(col.type))


def _rebuild(ctx: Context) -> str:
    """What SQLite users do instead of the ALTER the other dialects get."""
    if ctx.spec.dialect != "sqlite":
        return ""
    return "; SQLite cannot change constraints or types in place: create the new table, copy, drop, rename"


def _altering(ctx: Context, ddl: str) -> str | None:
    """``ddl`` unless the dialect cannot alter constraints or types in place (SQLite rebuilds the
    table instead, which the catalog's fix describes)."""
    return None if ctx.spec.dialect == "sqlite" else ddl


def _tables(ctx: Context) -> list[Table]:
    return [tm.table for tm in ctx.models.values()]


def missing_primary_key(ctx: Context, plan: Plan) -> list[Finding]:
    out = []
    for table in _tables(ctx):
        if table.primary_key:
            continue
        candidate = _key_candidate(table)
        fix = (
            f"declare {candidate.name} as the primary key (it is NOT NULL and unique)"
            if candidate is not None
            else "add a surrogate key (a bigint identity column) or declare the natural key as primary key"
        ) + _rebuild(ctx)
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
                ddl=_altering(ctx, add_primary_key(table.name, (candidate.name,), ctx.spec.dialect))
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
    for table in _tables(ctx):
        if not table.from_ddl:
            continue
        for col in table.columns:
            if col.references is None or col.foreign_key:
                continue
            parent, pcol = col.references
            name = f"{table.name}_{col.name}_fkey".lower()
            pg = ctx.spec.dialect in ("postgres", "postgresql")
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
                        if pg
                        else ""
                    )
                    + f"; if {parent} rows are soft-deleted or archived on purpose, keep it out and check "
                    "orphans in a scheduled job instead" + _rebuild(ctx),
                    (("references", f"{parent}.{pcol}"),),
                    line=col.line,
                    ddl=_altering(
                        ctx, add_foreign_key(table.name, name, col.name, parent, pcol, ctx.spec.dialect)
                    ),
                )
            )
    return out


def _subject(table: Table, cols: list[Column]) -> str:
    """``t.a holds`` or ``t.{a, b} hold``: columns of one table as the subject of a sentence."""
    if len(cols) == 1:
        return f"{table.name}.{cols[0].name} holds"
    return f"{table.name}.{{{', '.join(c.name for c in cols)}}} hold"


def _kinds(cols: list[Column]) -> str:
    """``amounts``, ``quantities`` or ``amounts and quantities``."""
    kinds = [
        k for k, test in (("amounts", is_money), ("quantities", is_quantity)) if any(test(c) for c in cols)
    ]
    return " and ".join(kinds)


def _checked(col: Column) -> bool:
    """Whether a CHECK already bounds the column (any CHECK naming it counts)."""
    return bool(col.checks)


def non_negative_checks(ctx: Context, plan: Plan) -> list[Finding]:
    out = []
    for table in _tables(ctx):
        cols = [
            c
            for c in table.columns
            if (is_money(c) or is_quantity(c))
            and _NUMBER.match(c.type)
            and not _checked(c)
            and not c.references
        ]
        if not cols:
            continue
        ddl = "\n".join(
            add_check(
                table.name,
                f"{table.name}_{c.name}_nonnegative".lower(),
                column_node(c.name) >= 0,
                ctx.spec.dialect,
            )
            for c in cols
        )
        out.append(
            Finding(
                "INT003",
                ctx.severity("INT003"),
                table.name,
                f"{_subject(table, cols)} {_kinds(cols)} that nothing keeps from going negative: a "
                "bug, a bad import or a race writes a negative value without an error",
                f"add CHECK ({cols[0].name} >= 0) and the like for each"
                + (
                    " (NOT VALID, then VALIDATE CONSTRAINT)"
                    if ctx.spec.dialect in ("postgres", "postgresql")
                    else ""
                )
                + _rebuild(ctx),
                tuple((c.name, c.type) for c in cols),
                line=table.line,
                ddl=_altering(ctx, ddl),
            )
        )
    return out


def not_null_from_stats(ctx: Context, plan: Plan) -> list[Finding]:
    out = []
    for table in _tables(ctx):
        cols = [c for c in table.columns if c.nullable and c.null_frac == 0 and not c.primary_key]
        if not cols:
            continue
        out.append(
            Finding(
                "INT004",
                ctx.severity("INT004"),
                table.name,
                f"{_subject(table, cols)} no NULLs (null_frac 0) yet {'is' if len(cols) == 1 else 'are'} "
                "declared nullable: the schema does not say what the data does, and every reader must "
                "handle NULL anyway",
                f"declare {'it' if len(cols) == 1 else 'them'} NOT NULL"
                + (
                    " (PostgreSQL 12+ skips the table scan when a validated CHECK (col IS NOT NULL) exists)"
                    if ctx.spec.dialect in ("postgres", "postgresql")
                    else ""
                )
                + _rebuild(ctx),
                tuple((c.name, "null_frac 0") for c in cols),
                line=table.line,
                ddl=_altering(
                    ctx,
                    "\n".join(
                        set_column(table.name, c.name, c.type, False, ctx.spec.dialect, False) for c in cols
                    ),
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
    words = _words(col.name)
    if words & FREE_TEXT_WORDS:
        return False
    if words & KEY_WORDS or col.type.startswith(("uuid", "uniqueidentifier")):
        return True
    return (table.name.lower(), col.name.lower()) in ctx.looked_up


def unique_natural_key(ctx: Context, plan: Plan) -> list[Finding]:
    out = []
    min_rows = ctx.threshold("INT005", "min_rows")
    for table in _tables(ctx):
        rows = table.rows or 0
        if rows < min_rows:
            continue
        for col in table.columns:
            if col.ndv is None or col.ndv < rows or _unique_somewhere(ctx, table, col):
                continue
            if is_time_type(col.type) or _FLOAT.match(col.type) or col.type.startswith("bool"):
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


def money_in_float(ctx: Context, plan: Plan) -> list[Finding]:
    out = []
    for table in _tables(ctx):
        for col in table.columns:
            if not is_float_money(col):
                continue
            out.append(
                Finding(
                    "INT006",
                    ctx.severity("INT006"),
                    f"{table.name}.{col.name}",
                    f"{table.name}.{col.name} holds money as {col.type}: binary floating point cannot "
                    "represent 0.10 exactly, so sums and comparisons drift by fractions of a cent",
                    "store it as numeric(19,4) (or the currency's minor unit in a bigint); convert the "
                    "column in a migration and round existing values once" + _rebuild(ctx),
                    (("type", col.type),),
                    line=col.line,
                    ddl=_altering(
                        ctx,
                        set_column(
                            table.name, col.name, "numeric(19,4)", col.nullable, ctx.spec.dialect, True
                        ),
                    ),
                )
            )
    return out


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
    for other in _tables(ctx):
        if other is table or not _words(other.name) & AUDIT_WORDS:
            continue
        points = any(c.references and c.references[0] == table.name.lower() for c in other.columns)
        if points or other.name.lower().startswith(stem):
            return other.name
    return None


def audit_trail(ctx: Context, plan: Plan) -> list[Finding]:
    out = []
    for table in _tables(ctx):
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
    json_type = "jsonb" if dialect in ("postgres", "postgresql") else "json"

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
