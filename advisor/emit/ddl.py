"""CREATE INDEX / DROP INDEX of one index design in the spec's own dialect, for the report.

The statements are built by ``advisor.emit.indexes`` (as for ``advisor ddl``): CONCURRENTLY only on
PostgreSQL, INCLUDE only where it exists (the covering rule already turned it into trailing keys
elsewhere), partial WHERE on PostgreSQL and SQLite, each engine's own null ordering.
"""

from __future__ import annotations

from dataclasses import replace

from sqlglot import exp

from advisor.cost.design import IndexDesign
from advisor.emit.indexes import create_index as build_create
from advisor.emit.indexes import drop_index as build_drop
from advisor.emit.names import fit_name, plain_word
from advisor.emit.target import resolve_target
from advisor.spec.model import Index, Table


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
    # a generated name is a plain word: a space or quote in a table or column name becomes _
    plain = "_".join(plain_word(part) for part in parts)
    return fit_name(plain, limit, salt=design.label(), force_hash=design.where is not None)


def as_declared(design: IndexDesign, table: Table | None) -> IndexDesign:
    """``design`` with its table's and columns' names as ``table`` declares them, so that DDL
    quotes those whose spelling the engine keeps (``spec.model.ExactName``); the selection works
    on lower-cased names.

    >>> from advisor.spec.model import Column, ExactName, IndexKey
    >>> table = Table(ExactName("Orders"), (Column(ExactName("createdAt")), Column("total")))
    >>> design = IndexDesign("orders", (IndexKey("createdat"),), ("total",))
    >>> to_sql(create_index(design, "postgres", declared=table), "postgres")
    'CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_orders_createdat ON "Orders"("createdAt") INCLUDE (total);'
    """
    if table is None:
        return design
    return replace(
        design,
        table=table.name,
        keys=tuple(replace(key, column=table.declared(key.column)) for key in design.keys),
        include=tuple(table.declared(name) for name in design.include),
    )


def create_index(
    design: IndexDesign,
    dialect: str,
    name: str | None = None,
    concurrently: bool = True,
    declared: Table | None = None,
) -> exp.Expr:
    """The CREATE INDEX expression for ``design`` in ``dialect``, its names spelled as the table
    ``declared`` spells them (``as_declared``)."""
    name = name or index_name(design, dialect)
    design = as_declared(design, declared)
    index = Index(
        name,
        design.table,
        design.keys,
        design.include,
        design.where.sql if design.where is not None else None,
        design.unique,
    )
    return build_create(index, resolve_target(dialect), dialect, {}, concurrently).sql


def drop_index(
    design: IndexDesign, dialect: str, concurrently: bool = True, declared: Table | None = None
) -> exp.Expr:
    """The DROP INDEX expression for an existing index (MySQL names its table, as ``declared``)."""
    assert design.name is not None
    table = declared.name if declared is not None else design.table
    return build_drop(design.name, table, resolve_target(dialect), concurrently).sql


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
