"""The partitioning DDL of CAP002 runs on the real engines, and queries on a day prune to one partition."""

from __future__ import annotations

import pytest

from advisor.emit.partition import PERIODS, partition_ddl
from advisor.spec.model import Column, Table
from tests.db.conftest import Run

ORDERS = Table(
    "orders",
    (
        Column("order_id", "bigint", nullable=False),
        Column("user_id", "bigint", nullable=False),
        Column("total_amount", "numeric(12,2)", nullable=False),
        Column("created_at", "timestamp", nullable=False),
    ),
    primary_key=("order_id",),
)
MONTH = PERIODS[1]


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764000000")  # 2025-11-24


def test_postgres_partitions_apply_and_prune(postgres: Run) -> None:
    ddl = partition_ddl(ORDERS, "created_at", MONTH, "postgres")
    assert ddl is not None
    postgres(ddl)
    postgres(
        "INSERT INTO orders_partitioned VALUES (1, 7, 9.50, '2025-11-24 10:00'), (2, 7, 3, '2025-12-02');"
    )
    plan = postgres(
        "EXPLAIN SELECT order_id FROM orders_partitioned "
        "WHERE created_at >= '2025-11-24' AND created_at < '2025-11-25';"
    )
    assert "orders_2025_11" in plan
    assert "orders_2025_12" not in plan
    keys = postgres(
        "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'orders_partitioned'::regclass "
        "AND contype = 'p';"
    )
    assert keys.strip() == "PRIMARY KEY (order_id, created_at)"


def test_mariadb_partitions_apply_and_prune(mariadb: Run) -> None:
    mariadb(
        "CREATE TABLE orders (order_id BIGINT NOT NULL AUTO_INCREMENT, user_id BIGINT NOT NULL, "
        "total_amount DECIMAL(12,2) NOT NULL, created_at DATETIME NOT NULL, PRIMARY KEY (order_id)) ENGINE=InnoDB;"
    )
    mysql_orders = Table(
        ORDERS.name,
        (*ORDERS.columns[:3], Column("created_at", "datetime", nullable=False)),
        primary_key=ORDERS.primary_key,
    )
    ddl = partition_ddl(mysql_orders, "created_at", MONTH, "mysql")
    assert ddl is not None
    mariadb(ddl)
    mariadb("INSERT INTO orders VALUES (1, 7, 9.50, '2025-11-24 10:00'), (2, 7, 3, '2025-12-02');")
    plan = mariadb(
        "EXPLAIN PARTITIONS SELECT order_id FROM orders "
        "WHERE created_at >= '2025-11-24' AND created_at < '2025-11-25';"
    )
    assert "p2025_11" in plan
    assert "p2025_12" not in plan


def test_ecommerce_orders_partitioning_applies_with_its_indexes(
    postgres: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    import re
    from pathlib import Path

    from advisor.recommend import recommend
    from advisor.spec.load import load_spec

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764000000")  # Monday 2025-11-24
    root = Path(__file__).resolve().parents[2]
    result = recommend(load_spec(root / "samples" / "ecommerce" / "patterns.yaml"))
    ddl = next(f.ddl for f in result.findings if f.rule == "CAP002")
    assert ddl is not None
    first = re.search(r"CREATE TABLE (\w+) PARTITION OF", ddl)
    assert first is not None and first.group(1) == "orders_2025_11_24"  # the week of 2025-11-24
    postgres(ddl)
    indexes = postgres(f"SELECT indexname FROM pg_indexes WHERE tablename = '{first.group(1)}' ORDER BY 1;")
    assert indexes.count("\n") == 4  # the primary key and the plan's three indexes, on every partition
    plan = postgres(
        "SET enable_seqscan = off; EXPLAIN SELECT order_id, total_amount, created_at FROM orders_partitioned "
        "WHERE user_id = 7 AND created_at >= '2025-11-24' ORDER BY created_at DESC LIMIT 20;"
    )
    assert "orders_2025_11_24" in plan and "user_id_created_at" in plan
