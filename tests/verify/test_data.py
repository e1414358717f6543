"""Synthetic rows keep what the planner weighs: shares of tables, distinct values, frequencies,
unique keys and references that exist."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from advisor.emit.schema import dependency_order
from advisor.spec.load import load_spec
from advisor.verify.data import TableData, generate, now_utc

ECOMMERCE = Path("samples/ecommerce/patterns.yaml")


@pytest.fixture(scope="module")
def rows() -> dict[str, TableData]:
    spec = load_spec(ECOMMERCE)
    return {d.table.name: d for d in generate(spec, 4000, now_utc(), dependency_order(spec.tables))}


def test_the_largest_table_gets_the_cap_and_no_table_is_tiny(rows: dict[str, TableData]) -> None:
    sizes = {name: len(d.rows) for name, d in rows.items()}
    assert sizes["order_items"] == 4000
    assert sizes["orders"] == round(4000 * 3_650_000_000 / 9_000_000_000)
    assert sizes["products"] == 1000  # its share would be 0.4 rows: the 1,000-row floor instead


def test_declared_frequencies_are_kept(rows: dict[str, TableData]) -> None:
    status = Counter(rows["orders"].values("status"))
    total = sum(status.values())
    assert status["delivered"] / total == pytest.approx(0.90, abs=0.01)
    assert status["pending"] / total == pytest.approx(0.015, abs=0.005)
    assert set(status) == {"delivered", "shipped", "cancelled", "processing", "pending"}


def test_keys_are_unique_and_references_point_at_rows(rows: dict[str, TableData]) -> None:
    order_ids = rows["orders"].values("order_id")
    assert len(set(order_ids)) == len(order_ids)
    emails = rows["users"].values("email")
    assert len(set(emails)) == len(emails)
    assert set(rows["order_items"].values("order_id")) <= set(order_ids)
    assert set(rows["orders"].values("user_id")) <= set(rows["users"].values("user_id"))


def test_children_made_with_their_parent_are_stored_next_to_each_other(rows: dict[str, TableData]) -> None:
    # order lines are inserted with their order: the key grows with the row number
    items = rows["order_items"].values("order_id")
    assert items == sorted(items)  # type: ignore[type-var]
    # orders of one user are spread over time, not adjacent
    users = rows["orders"].values("user_id")
    assert users != sorted(users)  # type: ignore[type-var]


def test_a_value_selects_a_small_share(rows: dict[str, TableData]) -> None:
    per_product = Counter(rows["order_items"].values("product_id"))
    assert max(per_product.values()) <= 0.02 * len(rows["order_items"].rows)
