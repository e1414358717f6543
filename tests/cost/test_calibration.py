"""The cost model ranks access paths as PostgreSQL's planner does (``costsize.c``): random heap
reads make a wide uncorrelated index range lose to a sequential scan, correlation wins it back,
an index-only scan is only as good as the visibility map, and a nested loop's repeated lookups
find their pages in cache."""

from __future__ import annotations

from dataclasses import replace

from advisor.analysis.shape import Predicate, PredicateKind
from advisor.cost.access import Access
from advisor.cost.design import IndexDesign
from advisor.cost.models import TableModel, model_index
from advisor.cost.physical import engine_for
from advisor.cost.plans import best_plan, repeated_plan
from advisor.cost.scans import index_scan
from advisor.spec.model import Column, IndexKey, Table

LINEITEM = Table(
    "lineitem",
    (
        Column("l_orderkey", "bigint", nullable=False),
        Column("l_linenumber", "integer", nullable=False),
        Column("l_shipdate", "date", ndv=2526, histogram=("1992-01-02", "1995-06-17", "1998-12-01")),
        Column("l_extendedprice", "numeric(15,2)"),
        Column("l_discount", "numeric(15,2)", ndv=11),
        Column("l_comment", "varchar(44)"),
    ),
    rows=6_000_000,
    primary_key=("l_orderkey", "l_linenumber"),
)
SHIPDATE = IndexDesign("lineitem", (IndexKey("l_shipdate"),))
COVERING = IndexDesign("lineitem", (IndexKey("l_shipdate"),), ("l_discount", "l_extendedprice"))


def _range(low: str, high: str) -> tuple[Predicate, ...]:
    return (
        Predicate("lineitem", "l_shipdate", PredicateKind.RANGE, (low,), sql=f"l_shipdate >= '{low}'"),
        Predicate("lineitem", "l_shipdate", PredicateKind.RANGE, (high,), sql=f"l_shipdate < '{high}'"),
    )


def _access(preds: tuple[Predicate, ...], referenced: set[str]) -> Access:
    return Access("lineitem", preds, frozenset(referenced))


def test_a_wide_uncorrelated_range_is_read_by_a_sequential_scan() -> None:
    tm = TableModel(LINEITEM, engine_for("postgres"))
    wide = _access(_range("1992-01-01", "1995-01-01"), {"l_shipdate", "l_comment"})
    plan = best_plan(tm, wide, [model_index(tm, SHIPDATE)])
    assert plan.index is None, plan.describe()


def test_a_narrow_range_uses_the_index_and_correlation_makes_a_wide_one_cheap() -> None:
    tm = TableModel(LINEITEM, engine_for("postgres"))
    narrow = _access(_range("1995-01-01", "1995-01-08"), {"l_shipdate", "l_comment"})
    assert best_plan(tm, narrow, [model_index(tm, SHIPDATE)]).index == SHIPDATE
    wide = _access(_range("1992-01-01", "1993-01-01"), {"l_shipdate", "l_comment"})
    scattered = index_scan(tm, wide, model_index(tm, SHIPDATE))
    ordered_table = replace(LINEITEM, columns=tuple(replace(c, correlation=1.0) for c in LINEITEM.columns))
    tm_ordered = TableModel(ordered_table, engine_for("postgres"))
    in_order = index_scan(tm_ordered, wide, model_index(tm_ordered, SHIPDATE))
    assert scattered is not None and in_order is not None
    assert in_order.cost < scattered.cost / 2


def test_the_histogram_sizes_a_date_range_as_a_share_of_the_span() -> None:
    tm = TableModel(LINEITEM, engine_for("postgres"))
    # one year of the ~7 the histogram spans
    assert 0.1 < tm.share(_range("1994-01-01", "1995-01-01")) < 0.2


def test_an_index_only_scan_is_only_as_cheap_as_the_visibility_map_allows() -> None:
    covered = _access(_range("1994-01-01", "1994-02-01"), {"l_shipdate", "l_discount", "l_extendedprice"})
    at_rest = TableModel(LINEITEM, engine_for("postgres"), all_visible=1.0)
    hot = TableModel(LINEITEM, engine_for("postgres"), all_visible=0.1)
    rest_plan = index_scan(at_rest, covered, model_index(at_rest, COVERING))
    hot_plan = index_scan(hot, covered, model_index(hot, COVERING))
    assert rest_plan is not None and hot_plan is not None
    assert rest_plan.index_only and hot_plan.index_only
    assert hot_plan.cost > 5 * rest_plan.cost


def test_repeated_lookups_find_their_pages_in_cache() -> None:
    tm = TableModel(LINEITEM, engine_for("postgres"))
    by_order = IndexDesign("lineitem", (IndexKey("l_orderkey"), IndexKey("l_linenumber")))
    lookup = _access(
        (Predicate("lineitem", "l_orderkey", PredicateKind.EQ, parameterized=True),), {"l_comment"}
    )
    once = repeated_plan(tm, lookup, [model_index(tm, by_order)], 1)
    many = repeated_plan(tm, lookup, [model_index(tm, by_order)], 100_000)
    assert many.index == by_order
    assert many.cost < once.cost


def test_a_range_sized_from_a_histogram_is_not_reported_as_a_default() -> None:
    from pathlib import Path

    from advisor.recommend import recommend
    from advisor.spec.model import Pattern, Spec

    sql = "SELECT l_comment FROM lineitem WHERE l_shipdate >= DATE '1994-01-01' AND l_shipdate < DATE '1994-02-01'"
    with_histogram = Spec(Path("t.yaml"), "postgres", (LINEITEM,), (Pattern("q", sql, 1.0),))
    plain = replace(LINEITEM, columns=tuple(replace(c, histogram=()) for c in LINEITEM.columns))
    without = replace(with_histogram, tables=(plain,))
    assert not any("l_shipdate range" in a for a in recommend(with_histogram).assumptions)
    assert any("l_shipdate range" in a for a in recommend(without).assumptions)
