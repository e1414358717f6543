from __future__ import annotations

import dataclasses
import math

import pytest

from advisor.analysis.shape import OrderKey, Predicate, PredicateKind
from advisor.cost.access import Access
from advisor.cost.design import IndexDesign, PartialWhere
from advisor.cost.models import TableModel, model_index
from advisor.cost.physical import btree_height, column_width, engine_for
from advisor.cost.plans import best_plan
from advisor.cost.scans import index_scan, seq_scan
from advisor.spec.model import IndexKey
from tests.cost.conftest import eq, in_

RECENT = Access(
    "orders",
    (eq("user_id", param=True),),
    frozenset({"order_id", "total_amount", "created_at", "user_id"}),
    (OrderKey("orders", "created_at", True),),
    20,
)
COMPOSITE = IndexDesign("orders", (IndexKey("user_id"), IndexKey("created_at", True)))
COVERING = IndexDesign("orders", COMPOSITE.keys, ("order_id", "total_amount"))


def test_table_pages_match_hand_calculation(orders_pg: TableModel) -> None:
    # 8 + 8 + 21 (varchar(20): 5+1... capped at 8 + 1) + 8 + 9 + 28 overhead
    width = sum(column_width(c.type) for c in orders_pg.table.columns) + 28
    assert orders_pg.row_width == width
    per_page = (8192 - 24) / width
    assert orders_pg.pages == pytest.approx(math.ceil(3_650_000_000 / per_page))


def test_seq_scan_reads_every_page(orders_pg: TableModel) -> None:
    plan = seq_scan(orders_pg, RECENT)
    assert plan.index is None
    assert plan.cost > orders_pg.pages
    assert plan.rows == 20


def test_covering_composite_is_index_only_and_ordered(orders_pg: TableModel) -> None:
    plan = index_scan(orders_pg, RECENT, model_index(orders_pg, COVERING))
    assert plan is not None
    assert plan.index_only and plan.ordered
    assert plan.entries == pytest.approx(20)
    assert plan.heap_fetches == 0
    assert plan.cost < 10


def test_composite_without_include_fetches_rows(orders_pg: TableModel) -> None:
    plan = index_scan(orders_pg, RECENT, model_index(orders_pg, COMPOSITE))
    assert plan is not None and plan.ordered and not plan.index_only
    assert plan.heap_fetches == pytest.approx(20)


def test_single_column_index_must_sort(orders_pg: TableModel) -> None:
    plan = index_scan(
        orders_pg, RECENT, model_index(orders_pg, IndexDesign("orders", (IndexKey("user_id"),)))
    )
    assert plan is not None and not plan.ordered
    assert plan.entries == pytest.approx(36.5)  # 3.65e9 rows / 1e8 users


def test_range_first_index_reads_the_whole_window(orders_pg: TableModel) -> None:
    wrong = IndexDesign("orders", (IndexKey("created_at"), IndexKey("user_id")))
    assert index_scan(orders_pg, RECENT, model_index(orders_pg, wrong)) is not None
    best = best_plan(orders_pg, RECENT, [model_index(orders_pg, wrong), model_index(orders_pg, COVERING)])
    assert best.index == COVERING


def test_partial_index_is_used_only_when_the_query_implies_its_predicate(orders_pg: TableModel) -> None:
    where = PartialWhere("status", ("pending", "processing"), "status IN ('pending', 'processing')")
    partial = model_index(orders_pg, IndexDesign("orders", (IndexKey("created_at"),), where=where))
    assert partial.entries == pytest.approx(3_650_000_000 * 0.03)
    wanted = frozenset({"order_id", "status", "created_at"})
    order = (OrderKey("orders", "created_at"),)
    implied = Access("orders", (eq("status", "pending"),), wanted, order, 100)
    narrower = index_scan(orders_pg, implied, partial)
    assert narrower is not None and narrower.ordered
    assert (
        index_scan(orders_pg, Access("orders", (eq("status", param=True),), wanted, order, 100), partial)
        is None
    )
    assert (
        index_scan(
            orders_pg, Access("orders", (in_("status", "pending", "shipped"),), wanted, order, 100), partial
        )
        is None
    )


def test_innodb_secondary_index_carries_the_primary_key(orders_mysql: TableModel) -> None:
    access = Access("orders", (eq("user_id", param=True),), frozenset({"order_id", "user_id"}))
    plan = index_scan(
        orders_mysql, access, model_index(orders_mysql, IndexDesign("orders", (IndexKey("user_id"),)))
    )
    assert plan is not None and plan.index_only


def test_btree_height_grows_with_fanout() -> None:
    assert btree_height(1, 400) == 1
    assert btree_height(400 * 400, 400) == 3
    assert engine_for("sqlite").page_size == 4096


@pytest.mark.parametrize(
    ("base", "variants"),
    [
        (
            IndexDesign("t", (IndexKey("a"),)),
            {
                "table": "u",
                "keys": (IndexKey("a", True),),
                "include": ("x",),
                "where": PartialWhere("s", ("on",), "s = 'on'"),
                "unique": True,
                "name": "ix_t_a",
                "origin": "declared",
            },
        ),
        (
            Predicate("t", "a", PredicateKind.EQ),
            {
                "table": "u",
                "column": "b",
                "kind": PredicateKind.RANGE,
                "values": (1,),
                "parameterized": True,
                "members": 2,
                "sql": "a = 1",
                "reason": "why",
            },
        ),
    ],
)
def test_cached_hash_covers_every_field(base: object, variants: dict[str, object]) -> None:
    """A class that caches its hash hashes all its fields: two values that differ in any one
    field hash apart, and equal values hash alike."""
    assert dataclasses.is_dataclass(base) and not isinstance(base, type)
    assert set(variants) == {f.name for f in dataclasses.fields(base)}
    for name, value in variants.items():
        other = dataclasses.replace(base, **{name: value})
        assert other != base
        assert hash(other) != hash(base), name
    assert hash(dataclasses.replace(base)) == hash(base)
