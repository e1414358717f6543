"""Join orders and nested loops as PostgreSQL's planner prices them: a filtered table may drive
even when an unfiltered one is smaller, join columns are equivalence classes, and a lookup into
the inner table is priced as one of as many as the table giving the join value has rows."""

from __future__ import annotations

from pathlib import Path

from advisor.cost.design import IndexDesign
from advisor.cost.models import model_index
from advisor.cost.workload import cost_shape
from advisor.recommend import prepare
from advisor.rules.context import Context
from advisor.spec.load import load_spec
from advisor.spec.model import IndexKey

# TPC-H's q09 in small: `nation` is the smallest table, but nothing filters it
SPEC = """
dialect: postgres
tables:
  nation:
    rows: 25
    columns:
      n_nationkey: { type: integer, primary_key: true }
      n_name: { type: char(25) }
  supplier:
    rows: 10000
    columns:
      s_suppkey: { type: integer, primary_key: true }
      s_nationkey: { type: integer, ndv: 25, references: nation.n_nationkey }
  part:
    rows: 200000
    columns:
      p_partkey: { type: integer, primary_key: true }
      p_name: { type: varchar(55) }
  partsupp:
    rows: 800000
    columns:
      ps_partkey: { type: integer, ndv: 200000, references: part.p_partkey }
      ps_suppkey: { type: integer, ndv: 10000, references: supplier.s_suppkey }
      ps_supplycost: { type: numeric(15,2) }
    primary_key: [ps_partkey, ps_suppkey]
  lineitem:
    rows: 6000000
    columns:
      l_orderkey: { type: bigint }
      l_linenumber: { type: integer }
      l_partkey: { type: integer, ndv: 200000 }
      l_suppkey: { type: integer, ndv: 10000 }
      l_extendedprice: { type: numeric(15,2) }
    primary_key: [l_orderkey, l_linenumber]
patterns:
  - name: profit
    sql: >-
      SELECT n_name, sum(l_extendedprice - ps_supplycost) FROM part, supplier, lineitem, partsupp, nation
      WHERE s_suppkey = l_suppkey AND ps_suppkey = l_suppkey AND ps_partkey = l_partkey
        AND p_partkey = l_partkey AND s_nationkey = n_nationkey AND p_name = :name
      GROUP BY n_name
    per_sec: 1
"""
LOOKUP = IndexDesign("lineitem", (IndexKey("l_suppkey"), IndexKey("l_partkey")))


def _context(tmp_path: Path) -> Context:
    path = tmp_path / "patterns.yaml"
    path.write_text(SPEC)
    return prepare(load_spec(path))


def test_the_filtered_table_drives_and_reaches_partsupp_through_the_equivalence(tmp_path: Path) -> None:
    ctx = _context(tmp_path)
    cost = cost_shape(ctx.models, ctx.shapes["profit"], {})
    tables = [plan.table or (plan.index.table if plan.index else "") for plan in cost.plans]
    # part is filtered; partsupp joins it only through ps_partkey = l_partkey = p_partkey
    assert tables[:2] == ["part", "partsupp"], tables


def test_a_lookup_repeated_per_row_of_the_table_giving_the_join_value_beats_scanning(tmp_path: Path) -> None:
    ctx = _context(tmp_path)
    tm = ctx.models["lineitem"]
    without = cost_shape(ctx.models, ctx.shapes["profit"], {})
    with_index = cost_shape(ctx.models, ctx.shapes["profit"], {"lineitem": [model_index(tm, LOOKUP)]})
    used = [plan for plan in with_index.plans if plan.index == LOOKUP]
    assert used, [plan.describe() for plan in with_index.plans]
    # lineitem is no longer scanned whole: the query costs a fraction of what it did
    assert with_index.read < 0.5 * without.read, (with_index.read, without.read)
