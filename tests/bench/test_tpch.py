"""The TPC-H benchmark's pieces that need no server: the spec it writes from catalog statistics
(loaded and analyzed by advisor itself), the predicate columns, the redundancy flags, the
what-if greedy against a planner made of a cost table, and the calibration statistics."""

from __future__ import annotations

import doctest
import math
from pathlib import Path

import pytest

from advisor.recommend import prepare
from advisor.spec.load import load_spec
from tests.bench.tpch_modules import MODULES, bench

tpch = bench("tpch")
tpch_data = bench("tpch_data")
tpch_greedy = bench("tpch_greedy")
tpch_model = bench("tpch_model")
tpch_queries = bench("tpch_queries")
tpch_spec = bench("tpch_spec")
Ix = bench("tpch_whatif").Ix
indexes_in_script = bench("tpch_whatif").indexes_in_script
redundancy = bench("tpch_whatif").redundancy


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_hold(name: str) -> None:
    result = doctest.testmod(bench(name))
    assert result.failed == 0


def _stats() -> list[object]:
    """Made-up statistics for every TPC-H table: negative n_distinct on keys, a few
    most-common-value lists (padded as char(n) values come from pg_stats)."""
    out = []
    for table in tpch_data.TABLES:
        rows = {"region": 5.0, "nation": 25.0, "lineitem": 60_000.0}.get(table.name, 1_000.0)
        columns = []
        for name, kind in table.columns:
            if name in table.primary_key[:1]:
                columns.append(tpch_spec.ColumnStats(name, -1.0))
            elif name == "c_mktsegment":
                columns.append(
                    tpch_spec.ColumnStats(name, 5.0, 0.0, (("BUILDING", 0.21), ("MACHINERY", 0.2)))
                )
            elif name == "l_shipdate":
                columns.append(tpch_spec.ColumnStats(name, -0.04, 0.0, (("1994-11-08", 0.0009),)))
            elif kind.startswith("char(1)"):
                columns.append(tpch_spec.ColumnStats(name, 3.0))
            else:
                columns.append(tpch_spec.ColumnStats(name, -0.5))
        out.append(tpch_spec.TableStats(table.name, rows, tuple(columns)))
    return out


@pytest.fixture(scope="module")
def spec_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tpch")
    return tpch_spec.write_spec(folder, _stats(), tpch_queries.queries())


def test_the_written_spec_loads_with_the_catalog_figures(spec_path: Path) -> None:
    spec = load_spec(spec_path)
    lineitem = spec.table("lineitem")
    assert lineitem is not None and lineitem.rows == 60_000
    shipdate = lineitem.column("l_shipdate")
    assert shipdate is not None
    assert shipdate.ndv == 2_400  # n_distinct -0.04 of 60,000 rows
    assert shipdate.frequencies == (("1994-11-08", 0.0009),)
    customer = spec.table("customer")
    assert customer is not None
    segment = customer.column("c_mktsegment")
    assert segment is not None and segment.frequency_of("BUILDING") == 0.21
    assert lineitem.primary_key == ("l_orderkey", "l_linenumber")
    assert [len(i.columns) for i in lineitem.indexes if i.origin == "primary_key"] == [2]
    # the composite foreign key is one constraint of the DDL, read by the spec as the format allows
    composite = [fk for fk in lineitem.foreign_keys if fk.ref_table == "partsupp"]
    assert [(fk.columns, fk.ref_columns) for fk in composite] == [
        (("l_partkey", "l_suppkey"), ("ps_partkey", "ps_suppkey"))
    ]
    assert [p.name for p in spec.patterns] == list(tpch_queries.queries())
    assert {p.weight for p in spec.patterns} == {1}


def test_every_query_is_analyzed_by_the_advisor(spec_path: Path) -> None:
    ctx = prepare(load_spec(spec_path))
    assert set(ctx.shapes) == set(tpch_queries.queries())


def test_ndv_takes_negative_n_distinct_as_a_share_of_the_rows() -> None:
    assert tpch_spec.ndv_of(-0.25, 1_000) == 250
    assert tpch_spec.ndv_of(7, 1_000) == 7
    assert tpch_spec.ndv_of(5_000, 1_000) == 1_000  # never above the rows: the spec refuses that


def test_q11_fraction_follows_the_scale() -> None:
    assert "* 0.0001\n" in tpch_queries.queries(1.0)["q11"]
    assert "* 0.001\n" in tpch_queries.queries(0.1)["q11"]


def test_predicate_columns_leave_out_primary_key_leaders() -> None:
    singles, widen = tpch.predicate_columns(tpch_queries.queries())
    labels = {ix.label() for ix in singles}
    assert {
        "lineitem (l_shipdate)",
        "orders (o_orderdate)",
        "customer (c_mktsegment)",
        "lineitem (l_suppkey)",
    } <= labels
    assert "lineitem (l_orderkey)" not in labels and "orders (o_orderkey)" not in labels
    assert all(len(ix.keys) == 1 for ix in singles)
    # what the queries read of lineitem may widen its indexes; l_comment no query reads
    assert {"l_discount", "l_extendedprice", "l_quantity", "l_orderkey"} <= set(widen["lineitem"])
    assert "l_comment" not in widen["lineitem"] and "o_orderdate" not in widen["lineitem"]


def test_the_issue_three_indexes_on_one_key_are_flagged() -> None:
    script = """
    -- #6
    CREATE INDEX IF NOT EXISTS ix_lineitem_l_shipdate ON lineitem(l_shipdate)
      INCLUDE (l_discount, l_extendedprice, l_partkey);
    -- #7
    CREATE INDEX IF NOT EXISTS ix_lineitem_l_shipdate_1b87a0b4 ON lineitem(l_shipdate)
      INCLUDE (l_discount, l_extendedprice, l_suppkey);
    CREATE INDEX IF NOT EXISTS ix_lineitem_l_shipdate_1b87a0b4 ON lineitem(l_shipdate);
    CREATE INDEX IF NOT EXISTS ix_orders_o_orderdate ON orders(o_orderdate);
    """
    created = indexes_in_script(script)
    plan, names = [ix for ix, _ in created], [name for _, name in created]
    assert plan[0].sql() == (
        "CREATE INDEX ON lineitem (l_shipdate) INCLUDE (l_discount, l_extendedprice, l_partkey)"
    )
    assert names[1] == names[2] == "ix_lineitem_l_shipdate_1b87a0b4"
    flags = redundancy(plan, names)
    assert flags[0] == ["same keys as #2", "same keys as #3"]
    assert flags[2] == ["same keys as #1", "same keys as #2", "name of #2"]
    assert flags[3] == []


def test_redundancy_needs_the_keys_to_lead_not_merely_share_a_column() -> None:
    plan = [Ix.on("t", "a", "b"), Ix.on("t", "b", "a"), Ix.on("u", "a")]
    assert redundancy(plan) == [[], [], []]


class CostTable:
    """A planner whose cost per query is looked up from the indexes present: each index with a
    fixed size lowers given queries' costs; a query takes its cheapest index (as a planner does)."""

    def __init__(
        self, base: dict[str, float], cuts: dict[Ix, dict[str, float]], sizes: dict[Ix, int]
    ) -> None:
        self.base, self.cuts, self.sizes = base, cuts, sizes

    def size(self, ix: Ix) -> int:
        return self.sizes.get(ix, 10_000)  # an index the table does not list is large and useless

    def costs(
        self, config: frozenset[Ix], asked: set[tuple[str, frozenset[Ix]]] | None = None
    ) -> dict[str, float]:
        out = {}
        for q, cost in self.base.items():
            options = [self.cuts.get(ix, {}).get(q, cost) for ix in config]
            out[q] = min([cost, *options])
            if asked is not None:
                asked.add((q, config))
        return out


def _table() -> CostTable:
    a, b, ab = Ix.on("t", "a"), Ix.on("t", "b"), Ix.on("t", "a", "b")
    return CostTable(
        {"q1": 100.0, "q2": 100.0},
        {a: {"q1": 60.0}, b: {"q2": 10.0}, ab: {"q1": 5.0}},
        {a: 10, b: 100, ab: 15},
    )


def test_greedy_takes_the_best_gain_per_byte_then_widens() -> None:
    table = _table()
    singles = [Ix.on("t", "a"), Ix.on("t", "b")]
    result = tpch_greedy.extend(table, singles, {"t": ["a", "b"]}, budget=1_000)
    # (a): 40 per 10 bytes first; widening to (a, b): 55 more for 5 more bytes; then (b): 90 per 100
    assert [s.added.label() for s in result.steps] == ["t (a)", "t (a, b)", "t (b)"]
    assert result.steps[1].replaced == Ix.on("t", "a")
    assert result.config == frozenset({Ix.on("t", "a", "b"), Ix.on("t", "b")})
    assert (result.size, result.cost) == (115, 15.0)
    assert result.planner_calls > 0


def test_greedy_stays_within_its_budget() -> None:
    result = tpch_greedy.extend(_table(), [Ix.on("t", "a"), Ix.on("t", "b")], {"t": ["a", "b"]}, budget=50)
    assert result.config == frozenset({Ix.on("t", "a", "b")})
    assert result.size == 15


def test_the_model_costs_a_covering_index_below_primary_keys_only(spec_path: Path) -> None:
    ctx = tpch_model.load_context(spec_path)
    pk, _ = tpch_model.model_costs(ctx, [])
    covering = Ix("lineitem", (("l_shipdate", False),), ("l_discount", "l_extendedprice", "l_quantity"))
    with_index, sizes = tpch_model.model_costs(ctx, [covering])
    assert set(pk) == set(tpch_queries.queries())
    assert with_index["q06"] < pk["q06"]
    assert with_index["q13"] == pk["q13"]  # customer and orders only: no lineitem index helps
    assert sizes[covering] > 0


def test_calibration_is_perfect_only_when_the_ranks_agree() -> None:
    planner = {"pk": {"q1": 10.0, "q2": 20.0, "q3": 30.0}, "plan": {"q1": 5.0, "q2": 20.0, "q3": 1.0}}
    same = tpch_model.calibrate(planner, planner)
    assert same.spearman == pytest.approx(1.0) and same.median_abs_log == 0.0
    reversed_model = {"pk": {"q1": 30.0, "q2": 20.0, "q3": 10.0}}
    off = tpch_model.calibrate(reversed_model, planner)
    assert len(off.pairs) == 3 and off.spearman == pytest.approx(-1.0)
    assert off.worst(1)[0].pattern in ("q1", "q3")
    assert math.isclose(off.median_abs_log, math.log(3))  # |ln| of (3, 1, 1/3)
