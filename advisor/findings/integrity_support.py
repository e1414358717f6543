"""What the integrity rules share: the words of a column's name, the tables of the spec, and the
fix SQLite users get instead of an ALTER."""

from __future__ import annotations

import re

from advisor.rules.context import Context
from advisor.spec.model import Table

FLOAT_TYPE = re.compile(r"^(float|real|double|float4|float8|double precision)\b")
"""A binary floating-point column type."""


def name_words(name: str) -> set[str]:
    """``price_at_purchase`` -> {"price", "at", "purchase"}; camelCase split too.

    >>> sorted(name_words("totalAmount"))
    ['amount', 'total']
    """
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    return {w for w in spaced.lower().split("_") if w}


def rebuild_note(ctx: Context) -> str:
    """What SQLite users do instead of the ALTER the other dialects get."""
    if not ctx.facts.rebuilds_tables:
        return ""
    return "; SQLite cannot change constraints or types in place: create the new table, copy, drop, rename"


def altering(ctx: Context, ddl: str) -> str | None:
    """``ddl`` unless the dialect cannot alter constraints or types in place (SQLite rebuilds the
    table instead, which the catalog's fix describes)."""
    return None if ctx.facts.rebuilds_tables else ddl


def tables_of(ctx: Context) -> list[Table]:
    """The tables of the spec, as the cost model holds them."""
    return [tm.table for tm in ctx.models.values()]
