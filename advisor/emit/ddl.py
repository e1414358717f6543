"""Build CREATE INDEX / DROP INDEX as sqlglot expressions and generate them for a dialect.

Features follow the engine: CONCURRENTLY only on PostgreSQL, INCLUDE only where it exists (the
covering rule already turned it into trailing keys elsewhere), partial WHERE on PostgreSQL and
SQLite. Null ordering is set to each engine's default so that no NULLS FIRST/LAST noise (or,
on MySQL, a CASE emulation) appears in the output.
"""

from __future__ import annotations

import hashlib

import sqlglot
from sqlglot import exp
from sqlglot.dialects.dialect import Dialect

from advisor.cost.design import IndexDesign

NAME_LIMITS = {"postgres": 63, "mysql": 64, "sqlite": 128, "tsql": 128}


def _nulls_first(dialect: str, descending: bool) -> bool:
    ordering = Dialect.get_or_raise(dialect).NULL_ORDERING
    if ordering == "nulls_are_large":
        return descending
    if ordering == "nulls_are_small":
        return not descending
    return False


def index_name(design: IndexDesign, dialect: str) -> str:
    """A deterministic name within the engine's identifier limit.

    >>> from advisor.spec.model import IndexKey
    >>> index_name(IndexDesign("orders", (IndexKey("user_id"), IndexKey("created_at", True))), "postgres")
    'ix_orders_user_id_created_at'
    """
    parts = ["ix", design.table, *design.columns]
    if design.where is not None:
        parts.append("partial")
    name = "_".join(parts)
    limit = NAME_LIMITS.get(dialect, 63)
    if len(name.encode()) <= limit and design.where is None:
        return name
    digest = hashlib.sha1(design.label().encode()).hexdigest()[:8]
    return name[: limit - 9] + "_" + digest


def create_index(
    design: IndexDesign, dialect: str, name: str | None = None, concurrently: bool = True
) -> exp.Create:
    """The CREATE INDEX expression for ``design`` in ``dialect``.

    >>> from advisor.spec.model import IndexKey
    >>> to_sql(create_index(IndexDesign("users", (IndexKey("email"),), unique=True), "mysql"), "mysql")
    'CREATE UNIQUE INDEX ix_users_email ON users(email);'
    """
    keys = [
        exp.Ordered(this=exp.column(k.column), nulls_first=_nulls_first(dialect, k.descending))
        if not k.descending
        else exp.Ordered(this=exp.column(k.column), desc=True, nulls_first=_nulls_first(dialect, True))
        for k in design.keys
    ]
    params = exp.IndexParameters(columns=keys)
    if design.include:
        params.set("include", [exp.to_identifier(c) for c in design.include])
    if design.where is not None:
        params.set("where", exp.Where(this=sqlglot.parse_one(design.where.sql, read=dialect)))
    index = exp.Index(
        this=exp.to_identifier(name or index_name(design, dialect)),
        table=exp.to_table(design.table),
        params=params,
    )
    pg = dialect == "postgres"
    return exp.Create(
        this=index,
        kind="INDEX",
        unique=design.unique,
        exists=dialect != "mysql",
        concurrently=pg and concurrently,
    )


def drop_index(design: IndexDesign, dialect: str, concurrently: bool = True) -> exp.Drop:
    """The DROP INDEX expression for an existing index (MySQL names its table)."""
    assert design.name is not None
    drop = exp.Drop(tables=[exp.to_table(design.name)], kind="INDEX", exists=dialect != "mysql")
    if dialect == "postgres":
        drop.set("concurrently", concurrently)
    if dialect == "mysql":
        drop.set("cluster", exp.OnProperty(this=exp.to_table(design.table)))
    return drop


def to_sql(expression: exp.Expression, dialect: str) -> str:
    """One statement for ``dialect``, reserved words among its names quoted.

    >>> from advisor.spec.model import IndexKey
    >>> to_sql(create_index(IndexDesign("order", (IndexKey("user"),)), "postgres"), "postgres")
    'CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_order_user ON "order"("user");'
    """
    from advisor.emit.reserved import quote_reserved

    return quote_reserved(expression, dialect).sql(dialect=dialect) + ";"
