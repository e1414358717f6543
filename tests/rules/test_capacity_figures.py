"""The numbers behind the capacity findings, checked against figures worked out by hand."""

from __future__ import annotations

import textwrap
from pathlib import Path

from advisor.explain.result import Result
from advisor.recommend import recommend
from advisor.rules.base import Finding
from advisor.spec.load import load_spec


def _run(tmp_path: Path, text: str) -> Result:
    spec = tmp_path / "patterns.yaml"
    spec.write_text(textwrap.dedent(text))
    return recommend(load_spec(spec))


def _finding(result: Result, rule: str, subject: str | None = None) -> Finding:
    return next(f for f in result.findings if f.rule == rule and (subject is None or f.subject == subject))


def test_retention_window_stops_growth(tmp_path: Path) -> None:
    result = _run(
        tmp_path,
        """
        tables:
          events:
            rows: 9000000
            growth_per_day: 100000
            columns:
              id: { type: bigint, primary_key: true }
              at: { type: timestamp }
        patterns:
          - { name: add, sql: "INSERT INTO events (id, at) VALUES (:i, now())", per_sec: 1 }
          - { name: purge, sql: "DELETE FROM events WHERE at < now() - interval '120 days'", per_sec: 0.01 }
        """,
    )
    events = next(c for c in result.capacity if c.table == "events")
    # 90 days kept today, 120 by the purge: 12,000,000 rows at most; 8 + 8 + 28 bytes a row on PostgreSQL
    per_page = (8192 - 24) / 44
    assert events.row_width == 44
    assert events.table_bytes_1y == -(-12_000_000 // per_page) * 8192
    assert events.table_bytes_3y == events.table_bytes_1y


def test_read_replicas_from_declared_workload_and_from_patterns(tmp_path: Path) -> None:
    spec = """
        tables:
          products:
            rows: 100000
            columns:
              id: { type: bigint, primary_key: true }
              price: { type: "numeric(10,2)" }
        {workload}
        patterns:
          - { name: price, sql: "SELECT price FROM products WHERE id = :i", per_sec: 2400 }
          - { name: reprice, sql: "UPDATE products SET price = :p WHERE id = :i", per_sec: 40 }
        """
    by_patterns = _finding(_run(tmp_path, spec.replace("{workload}", "")), "CAP004")
    assert dict(by_patterns.evidence) == {
        "reads/s": "2,400",
        "writes/s": "40",
        "ratio": "60.00",
        "source": "the patterns' rates",
    }
    declared = _run(
        tmp_path, spec.replace("{workload}", "workload: { reads_per_sec: 30000, writes_per_sec: 1000 }")
    )
    assert dict(_finding(declared, "CAP004").evidence)["ratio"] == "30.00"
    assert _finding(declared, "CAP004").patterns == ("price",)


def test_cache_candidate_reuse_per_row(tmp_path: Path) -> None:
    result = _run(
        tmp_path,
        """
        tables:
          tenants:
            rows: 5000
            columns:
              id: { type: bigint, primary_key: true }
              plan: { type: varchar(20) }
        patterns:
          - { name: settings, sql: "SELECT plan FROM tenants WHERE id = :t", per_sec: 500 }
          - { name: change, sql: "UPDATE tenants SET plan = :p WHERE id = :t", per_sec: 0.5 }
        """,
    )
    evidence = dict(_finding(result, "CAP005").evidence)
    assert evidence["reads per row per hour"] == "360.00"  # 500/s x 3600 s / 5,000 rows
    assert evidence["row writes/s"] == "0.5"


def test_shard_keys_keep_a_child_with_its_parent(tmp_path: Path) -> None:
    result = _run(
        tmp_path,
        """
        tables:
          orders:
            rows: 4000000000
            growth_per_day: 10000000
            columns:
              order_id: { type: bigint, primary_key: true }
              user_id: { type: bigint, ndv: 100000000 }
              note: { type: varchar(400) }
          order_items:
            rows: 9000000000
            growth_per_day: 25000000
            columns:
              item_id: { type: bigint, primary_key: true }
              order_id: { type: bigint, ndv: 4000000000, references: orders.order_id }
              product_id: { type: bigint, ndv: 1000000 }
        patterns:
          - { name: orders_of_user, sql: "SELECT order_id FROM orders WHERE user_id = :u", per_sec: 1000 }
          - { name: items, sql: "SELECT product_id FROM order_items WHERE order_id = :o", per_sec: 800 }
          - name: items_of_user
            sql: "SELECT i.product_id FROM orders o JOIN order_items i ON i.order_id = o.order_id WHERE o.user_id = :u"
            per_sec: 50
        """,
    )
    orders = _finding(result, "CAP003", "orders.user_id")
    assert "carry user_id in order_items and shard order_items by it too" in orders.fix
    items = _finding(result, "CAP003", "order_items.order_id")
    assert "follow orders: carry user_id in order_items" in items.fix
    assert items.patterns == ("items_of_user",)  # driven by user_id: it asks every order_items shard
