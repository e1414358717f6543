"""Integrity rules on the values a column holds: amounts and quantities nothing keeps from going
negative (INT003), columns without NULLs declared nullable (INT004), money in a binary
floating-point type (INT006)."""

from __future__ import annotations

import re

from advisor.emit.constraints import add_check, set_column
from advisor.emit.names import column_node
from advisor.findings.integrity_support import FLOAT_TYPE, altering, name_words, rebuild_note, tables_of
from advisor.rules.base import Finding
from advisor.rules.context import Context
from advisor.selection.select import Plan
from advisor.spec.model import Column, Table

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
_NUMBER = re.compile(
    r"^(numeric|decimal|number|money|smallmoney|float|real|double|tinyint|smallint|mediumint|int|integer|bigint|int2|int4|int8)\b"
)


def is_money(col: Column) -> bool:
    """An amount of money that cannot be negative, by its name.

    >>> [is_money(Column(n)) for n in ("total_amount", "tax_rate", "balance", "price_at_purchase")]
    [True, False, False, True]
    """
    words = name_words(col.name)
    return bool(words & MONEY_WORDS) and not words & (SIGNED_WORDS | NOT_AMOUNT_WORDS)


def is_quantity(col: Column) -> bool:
    """A count of goods that cannot be negative, by its name.

    >>> [is_quantity(Column(n)) for n in ("quantity", "stock", "stock_delta")]
    [True, True, False]
    """
    words = name_words(col.name)
    return bool(words & QUANTITY_WORDS) and not words & (SIGNED_WORDS | NOT_AMOUNT_WORDS)


def is_float_money(col: Column) -> bool:
    """Money in a binary floating-point type: a money word that is not ambiguous, or a balance.

    >>> [is_float_money(Column(n, t)) for n, t in (("amount", "double"), ("total_score", "float"),
    ...                                            ("balance", "real"), ("amount", "numeric(12,2)"))]
    [True, False, True, False]
    """
    words = name_words(col.name)
    money = (words & (MONEY_WORDS - AMBIGUOUS_MONEY)) or "balance" in words
    return bool(money) and not words & NOT_AMOUNT_WORDS and bool(FLOAT_TYPE.match(col.type))


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
    for table in tables_of(ctx):
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
                + (" (NOT VALID, then VALIDATE CONSTRAINT)" if ctx.facts.not_valid else "")
                + rebuild_note(ctx),
                tuple((c.name, c.type) for c in cols),
                line=table.line,
                ddl=altering(ctx, ddl),
            )
        )
    return out


def not_null_from_stats(ctx: Context, plan: Plan) -> list[Finding]:
    out = []
    for table in tables_of(ctx):
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
                    if ctx.facts.not_valid
                    else ""
                )
                + rebuild_note(ctx),
                tuple((c.name, "null_frac 0") for c in cols),
                line=table.line,
                ddl=altering(
                    ctx,
                    "\n".join(
                        set_column(table.name, c.name, c.type, False, ctx.spec.dialect, False) for c in cols
                    ),
                ),
            )
        )
    return out


def money_in_float(ctx: Context, plan: Plan) -> list[Finding]:
    out = []
    for table in tables_of(ctx):
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
                    "column in a migration and round existing values once" + rebuild_note(ctx),
                    (("type", col.type),),
                    line=col.line,
                    ddl=altering(
                        ctx,
                        set_column(
                            table.name, col.name, "numeric(19,4)", col.nullable, ctx.spec.dialect, True
                        ),
                    ),
                )
            )
    return out
