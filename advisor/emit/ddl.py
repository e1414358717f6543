"""CREATE INDEX / DROP INDEX of one index design in the spec's own dialect, for the report.

The statements are built by ``advisor.emit.indexes`` (as for ``advisor ddl``): CONCURRENTLY only on
PostgreSQL, INCLUDE only where it exists (the covering rule already turned it into trailing keys
elsewhere), partial WHERE on PostgreSQL and SQLite, each engine's own null ordering.
"""

from __future__ import annotations

from sqlglot import exp

from advisor.cost.design import IndexDesign
from advisor.emit.indexes import IndexSpec
from advisor.emit.indexes import create_index as build_create
from advisor.emit.indexes import drop_index as build_drop
from advisor.emit.names import fit_name
from advisor.emit.target import resolve_target


def index_name(design: IndexDesign, dialect: str) -> str:
    """A deterministic name within the engine's identifier limit; a partial index always gets a
    hash of its definition, as two of them may share their keys. A unique index starts ``uq_``:
    it may share its keys with a plain one.

    >>> from advisor.spec.model import IndexKey
    >>> index_name(IndexDesign("orders", (IndexKey("user_id"), IndexKey("created_at", True))), "postgres")
    'ix_orders_user_id_created_at'
    >>> index_name(IndexDesign("users", (IndexKey("email"),), unique=True), "postgres")
    'uq_users_email'
    """
    parts = ["uq" if design.unique else "ix", design.table, *design.columns]
    if design.where is not None:
        parts.append("partial")
    limit = resolve_target(dialect).name_limit
    return fit_name("_".join(parts), limit, salt=design.label(), force_hash=design.where is not None)


def create_index(
    design: IndexDesign, dialect: str, name: str | None = None, concurrently: bool = True
) -> exp.Expr:
    """The CREATE INDEX expression for ``design`` in ``dialect``."""
    index = IndexSpec(
        name or index_name(design, dialect),
        design.table,
        design.keys,
        design.include,
        design.where.sql if design.where is not None else None,
        design.unique,
    )
    return build_create(index, resolve_target(dialect), dialect, {}, concurrently).sql


def drop_index(design: IndexDesign, dialect: str, concurrently: bool = True) -> exp.Expr:
    """The DROP INDEX expression for an existing index (MySQL names its table)."""
    assert design.name is not None
    return build_drop(design.name, design.table, resolve_target(dialect), concurrently).sql


def to_sql(expression: exp.Expr, dialect: str) -> str:
    """One statement for ``dialect``, reserved words among its names quoted. The tree is the
    caller's fresh one and is used up: quoting and generating change it in place, as copying a tree
    for every statement of a large plan costs more than building it.

    >>> from advisor.spec.model import IndexKey
    >>> to_sql(create_index(IndexDesign("order", (IndexKey("user"),)), "postgres"), "postgres")
    'CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_order_user ON "order"("user");'
    """
    from advisor.emit.reserved import quote_reserved

    return quote_reserved(expression, dialect, copy=False).sql(dialect=dialect, copy=False) + ";"
