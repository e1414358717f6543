"""The TPC-H benchmark's server side on a real PostgreSQL with HypoPG, in a throwaway database:
catalog statistics as the spec reads them, hypothetical indexes costed by the planner, and the
what-if greedy on a table where one index clearly pays."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from tests.bench.tpch_modules import bench
from tests.db.conftest import _unavailable, require

tpch_data = bench("tpch_data")
tpch_greedy = bench("tpch_greedy")
tpch_spec = bench("tpch_spec")
whatif = bench("tpch_whatif")


@pytest.fixture
def conn() -> Iterator[Any]:
    import psycopg

    url = require("postgres")
    name = f"advisor_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        with psycopg.connect(url.rsplit("/", 1)[0] + f"/{name}", autocommit=True) as db:
            try:
                db.execute("CREATE EXTENSION hypopg")
            except psycopg.Error as exc:
                _unavailable(f"HypoPG is not installed: {exc}")
            db.execute(
                "CREATE TABLE t (a integer PRIMARY KEY, b integer NOT NULL, c text NOT NULL);"
                "INSERT INTO t SELECT i, i % 5000, repeat('x', 80) FROM generate_series(1, 50000) i;"
                "ANALYZE t"
            )
            yield db
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_a_hypothetical_index_lowers_the_cost_and_is_asked_once(conn: Any) -> None:
    planner = whatif.Planner.start(conn, {"q1": "SELECT c FROM t WHERE b = 7"}, {"q1": frozenset({"t"})})
    by_b = whatif.Ix.on("t", "b")
    scan = planner.cost("q1", frozenset())
    seek = planner.cost("q1", frozenset({by_b}))
    assert seek < scan / 10
    assert planner.size(by_b) > 50000 * 8  # 50,000 entries of at least 8 bytes
    assert planner.explains == 2
    assert planner.cost("q1", frozenset({by_b, whatif.Ix.on("u", "x")})) == seek  # other tables' indexes
    assert planner.explains == 2
    planner.sync([])
    assert conn.execute("SELECT count(*) FROM hypopg_list_indexes").fetchone()[0] == 0


def test_the_greedy_picks_the_index_the_planner_uses(conn: Any) -> None:
    queries = {"q1": "SELECT c FROM t WHERE b = 7", "q2": "SELECT count(*) FROM t WHERE c = 'y'"}
    planner = whatif.Planner.start(conn, queries, {q: frozenset({"t"}) for q in queries})
    singles = [whatif.Ix.on("t", "b"), whatif.Ix.on("t", "c")]
    result = tpch_greedy.extend(planner, singles, {}, budget=1 << 30)
    assert whatif.Ix.on("t", "b") in result.config
    assert result.cost < sum(planner.costs(frozenset()).values())
    assert result.planner_calls >= 4  # both queries with no index, then under each single


def test_catalog_statistics_as_the_spec_reads_them(conn: Any) -> None:
    nation = tpch_data.TABLES[1]
    conn.execute(
        tpch_data.create_table_sql(tpch_data.TpchTable(nation.name, nation.columns, nation.primary_key))
    )
    conn.execute(
        "INSERT INTO nation SELECT i, CASE WHEN i < 20 THEN 'ALGERIA' ELSE 'BRAZIL' END, i % 5, 'c' || i "
        "FROM generate_series(0, 24) i; ANALYZE nation"
    )
    (stats,) = tpch_spec.read_catalog(conn, [nation])
    assert stats.rows == 25
    columns = {c.name: c for c in stats.columns}
    assert columns["n_nationkey"].n_distinct == -1
    assert tpch_spec.ndv_of(columns["n_nationkey"].n_distinct, stats.rows) == 25
    assert dict(columns["n_name"].mcv)["ALGERIA"] == pytest.approx(0.8)  # char(25), unpadded
