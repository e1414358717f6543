"""Placeholders bound to values from the loaded rows; time functions fixed; the target's dialect."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from advisor.emit.schema import dependency_order
from advisor.spec.load import load_spec
from advisor.verify.bind import Binder
from advisor.verify.data import generate

NOW = datetime(2026, 3, 1, 12, 0, 0)


@pytest.fixture(scope="module")
def binder() -> Binder:
    spec = load_spec(Path("samples/ecommerce/patterns.yaml"))
    data = {d.table.name: d for d in generate(spec, 2000, NOW, dependency_order(spec.tables))}
    return Binder(spec.dialect, data, NOW)


def test_equality_binds_a_value_that_exists(binder: Binder) -> None:
    sql = binder.bind("SELECT order_id FROM orders WHERE user_id = :uid", "sqlite")
    value = int(sql.rsplit("= ", 1)[1])
    assert value in binder.data["orders"].values("user_id")


def test_time_windows_become_fixed_timestamps(binder: Binder) -> None:
    sql = binder.bind(
        "SELECT 1 FROM orders AS o WHERE o.created_at >= now() - interval '7 days' AND status = 'x'",
        "sqlite",
    )
    assert "o.created_at >= '2026-02-22 12:00:00'" in sql


def test_every_placeholder_style_is_bound(binder: Binder) -> None:
    sql = binder.bind(
        "SELECT product_id FROM products WHERE category_id = $1 ORDER BY price LIMIT %(n)s", "postgres"
    )
    assert "$1" not in sql and "%(n)s" not in sql and sql.endswith("LIMIT 20")


def test_ordering_keeps_the_target_default_for_nulls(binder: Binder) -> None:
    sql = binder.bind("SELECT 1 FROM orders WHERE user_id = 1 ORDER BY created_at DESC LIMIT 5", "sqlite")
    assert "NULLS" not in sql


def test_extract_runs_on_sqlite(binder: Binder) -> None:
    """SQLite has no EXTRACT (TPC-H's q07, q08 and q09 were left unexplained): STRFTIME instead."""
    import sqlite3

    sql = binder.bind(
        "SELECT extract(year FROM created_at) AS y, count(*) FROM orders WHERE user_id = :u GROUP BY 1",
        "sqlite",
    )
    assert "STRFTIME('%Y', created_at)" in sql
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE orders (user_id INTEGER, created_at TEXT)")
    db.execute("INSERT INTO orders VALUES (1, '2026-02-03 10:00:00')")
    db.execute(sql).fetchall()  # runs: no "near FROM: syntax error"
    year = binder.bind("SELECT extract(year FROM created_at) FROM orders", "sqlite")
    assert db.execute(year).fetchall() == [(2026,)]
