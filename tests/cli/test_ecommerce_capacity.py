"""The e-commerce sample's capacity figures against a hand calculation, and its partitioning advice.

PostgreSQL: 8 KiB pages with a 24-byte header, 28 bytes per row beyond its columns, 12 bytes per
index entry beyond its keys, index leaves filled to 90 %. Column widths: bigint and timestamp 8,
integer 4, numeric(p,s) 3 + 2 x ceil(p/4), char(n) n + 1, varchar(n) min(64, max(8, n/4)) + 1.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest

from tests.cli.conftest import run_advisor

PAGE = 8192
USABLE = PAGE - 24


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    done = run_advisor("recommend", "samples/ecommerce/patterns.yaml", "--format", "json")
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _row(report: dict[str, Any], table: str) -> dict[str, Any]:
    return next(r for r in report["capacity"] if r["table"] == table)


def _table_bytes(rows: float, width: int) -> float:
    return math.ceil(rows / (USABLE / width)) * PAGE


def _btree_bytes(rows: float, entry: int) -> float:
    """Leaf pages at 90 % fill plus the inner levels (fan-out from full pages)."""
    leaf = math.ceil(rows / (USABLE * 0.9 / entry))
    pages, level = leaf, leaf
    while level > 1:
        level = math.ceil(level / (USABLE / entry))
        pages += level
    return pages * PAGE


def test_orders_row_width_and_sizes_match_the_hand_calculation(report: dict[str, Any]) -> None:
    columns = {
        "order_id bigint": 8,
        "user_id bigint": 8,
        "user_email varchar(255)": 63 + 1,  # 255/4 = 63.75, rounded down
        "status varchar(20)": 8 + 1,  # 20/4 = 5, raised to the 8-byte minimum
        "created_at timestamp": 8,
        "total_amount numeric(12,2)": 3 + 2 * 3,
        "currency char(3)": 4,
        "tax_amount numeric(12,2)": 9,
        "shipping_amount numeric(12,2)": 9,
        "shipping_name varchar(200)": 50 + 1,
        "shipping_address varchar(500)": 64 + 1,  # 125, capped at 64
        "billing_address varchar(500)": 64 + 1,
        "shipping_method varchar(40)": 10 + 1,
        "payment_reference varchar(64)": 16 + 1,
        "coupon_code varchar(32)": 8 + 1,
        "updated_at timestamp": 8,
    }
    width = sum(columns.values()) + 28
    assert width == 382
    orders = _row(report, "orders")
    assert orders["row_width"] == width
    rows_per_page = USABLE / width  # 21.38
    now = math.ceil(3_650_000_000 / rows_per_page) * PAGE
    assert orders["table_bytes"] == pytest.approx(now)
    assert now == pytest.approx(1.398e12, rel=1e-3)  # 1.4 TB
    year = _table_bytes(3_650_000_000 + 365 * 10_000_000, width)
    three = _table_bytes(3_650_000_000 + 3 * 365 * 10_000_000, width)
    assert orders["table_bytes_1y"] == pytest.approx(year)
    assert orders["table_bytes_3y"] == pytest.approx(three)
    # the JSON rounds shares to six decimal places
    assert orders["index_share"] == pytest.approx(orders["index_bytes"] / orders["table_bytes"], abs=1e-6)


def test_order_items_sizes_with_its_three_bigint_indexes(report: dict[str, Any]) -> None:
    width = 8 + 8 + 8 + 4 + (3 + 2 * 3) + 28  # three bigints, an integer, numeric(10,2), row header
    assert width == 65
    items = _row(report, "order_items")
    assert items["row_width"] == width
    assert items["table_bytes"] == pytest.approx(_table_bytes(9e9, width))
    # after the plan: the primary key plus the new (order_id) and (product_id), 8 + 12 bytes an entry
    assert items["index_bytes"] == pytest.approx(3 * _btree_bytes(9e9, 8 + 12))
    later = 9e9 + 3 * 365 * 25_000_000
    assert items["index_bytes_3y"] == pytest.approx(3 * _btree_bytes(later, 20))
    assert items["index_share"] > 0.3  # the finding says it is above the usual 30 %
    cap001 = next(f for f in report["findings"] if f["rule"] == "CAP001" and f["subject"] == "order_items")
    assert "above the usual 30%" in cap001["message"]


def test_orders_partitioning_advice(report: dict[str, Any]) -> None:
    finding = next(f for f in report["findings"] if f["rule"] == "CAP002")
    assert finding["subject"] == "orders"
    evidence = dict(finding["evidence"])
    # 1.40 TB / 3.65e9 rows = 383 bytes a row; 10M rows a day: 3.83 GB a day, 115 GB a month
    per_day = _table_bytes(3_650_000_000, 382) / 3_650_000_000 * 10_000_000
    assert per_day * 7 < 100e9 < per_day * 30  # a week fits under the 100 GB limit, a month does not
    assert evidence["partition"].startswith("week")
    assert evidence["partitions"] == "53 for 365 days of data"  # ceil(365 / 7)
    assert evidence["pending_orders_today"] == "1 of 53 partitions"  # since midnight: one week
    assert evidence["recent_buyers_of_product"] == "at most 2 of 53 partitions"  # 7 days may span two
    assert evidence["recent_orders_of_user"] == "all 53 of 53 partitions"
    assert "(order_id, created_at)" in finding["fix"]
    ddl = finding["ddl"]
    assert "PARTITION BY RANGE(created_at)" in ddl
    assert "PRIMARY KEY (order_id, created_at)" in ddl
    # SOURCE_DATE_EPOCH 1764000000 is Monday 2025-11-24: this week's and next week's partitions
    assert (
        "orders_2025_11_24 PARTITION OF orders_partitioned FOR VALUES FROM ('2025-11-24') TO ('2025-12-01')"
        in ddl
    )
    assert (
        "orders_2025_12_01 PARTITION OF orders_partitioned FOR VALUES FROM ('2025-12-01') TO ('2025-12-08')"
        in ddl
    )
