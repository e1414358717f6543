"""A hand-built orders table and shapes, so the cost model is tested without the other stages."""

from __future__ import annotations

import pytest

from advisor.analysis.shape import OrderKey, Predicate, PredicateKind, QueryShape, StatementKind, TableAccess
from advisor.cost.models import TableModel
from advisor.cost.physical import engine_for
from advisor.spec.model import Column, Table

ORDERS = Table(
    "orders",
    (
        Column("order_id", "bigint", primary_key=True, nullable=False),
        Column("user_id", "bigint", ndv=100_000_000, references=("users", "user_id")),
        Column(
            "status",
            "varchar(20)",
            ndv=5,
            frequencies=(
                ("delivered", 0.9),
                ("shipped", 0.05),
                ("cancelled", 0.02),
                ("processing", 0.015),
                ("pending", 0.015),
            ),
        ),
        Column("created_at", "timestamp", ndv=3_000_000_000),
        Column("total_amount", "numeric(12,2)"),
    ),
    rows=3_650_000_000,
    growth_per_day=10_000_000,
    primary_key=("order_id",),
)


def eq(column: str, *values: object, param: bool = False) -> Predicate:
    if param:
        return Predicate("orders", column, PredicateKind.EQ, parameterized=True)
    return Predicate("orders", column, PredicateKind.EQ, tuple(values), sql=f"{column} = '{values[0]}'")  # type: ignore[arg-type]


def in_(column: str, *values: str) -> Predicate:
    quoted = ", ".join(f"'{v}'" for v in values)
    return Predicate(
        "orders", column, PredicateKind.IN, values, members=len(values), sql=f"{column} IN ({quoted})"
    )


def recent_orders() -> QueryShape:
    """SELECT order_id, total_amount, created_at FROM orders WHERE user_id = :uid ORDER BY created_at DESC LIMIT 20"""
    acc = TableAccess(
        "orders",
        None,
        (eq("user_id", param=True),),
        frozenset({"order_id", "total_amount", "created_at", "user_id"}),
        frozenset({"order_id", "total_amount", "created_at"}),
    )
    return QueryShape(
        StatementKind.SELECT,
        (acc,),
        order_by=(OrderKey("orders", "created_at", True),),
        limit=20,
        has_limit=True,
    )


def update_status() -> QueryShape:
    """UPDATE orders SET status = :s WHERE order_id = :id"""
    acc = TableAccess("orders", None, (eq("order_id", param=True),), frozenset({"order_id"}))
    return QueryShape(StatementKind.UPDATE, (acc,), target="orders", set_columns=("status",))


@pytest.fixture
def orders_pg() -> TableModel:
    return TableModel(ORDERS, engine_for("postgres"))


@pytest.fixture
def orders_mysql() -> TableModel:
    return TableModel(ORDERS, engine_for("mysql"))
