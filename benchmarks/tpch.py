"""How good the advisor's index plan is on TPC-H, measured by PostgreSQL's planner.

Needs a PostgreSQL with HypoPG (``postgresql-15-hypopg``) and the TPC-H generator::

    pip install tpchgen-cli
    python benchmarks/tpch.py                      # SF1: ~80 s to load once, then cached
    python benchmarks/tpch.py --scale 0.1 --json /tmp/tpch.json

Steps, each timed:

1. load: TPC-H at ``--scale`` into the database ``advisor_tpch`` (``advisor_tpch_sf0_1`` for 0.1,
   ...), primary keys only, ANALYZE; skipped when the tables hold the row counts of an earlier
   complete load at that scale. The database stays as a cache (drop it to reclaim the space).
2. spec: ``schema.sql`` and ``tpch.yaml`` in the cache folder, from the catalog (``tpch_spec``).
3. advisor: ``advisor recommend tpch.yaml --format json`` is the plan; its indexes are the
   statements of ``advisor ddl tpch.yaml --changes-only`` (names and all).
4. configurations, each costed as the sum of the planner's EXPLAIN total costs over the 19
   queries with its indexes as HypoPG hypothetical indexes, as a percentage of the
   primary-keys-only cost: primary keys only; the advisor's plan (indexes redundant against
   another of the plan flagged); a single-column index on every predicate column (WHERE and
   JOIN columns not already leading the primary key); the what-if greedy of ``tpch_greedy`` at
   the advisor plan's size, 500 MiB and 1 GiB.
5. calibration: the model's cost of every (pattern, configuration) pair beside the planner's
   (``tpch_model``: the model's own functions, read-only), Spearman's rank correlation, the
   median |ln(model / planner)| and the ten worst pairs.

It prints the figures, nothing else: no pass or fail. ``--json OUT`` writes them all.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tpch_data import TABLES, database_name, ensure_database, ensure_loaded
from tpch_greedy import extend
from tpch_model import calibrate, load_context, model_costs
from tpch_queries import queries
from tpch_report import (
    MIB,
    Configuration,
    Phases,
    mib,
    print_calibration,
    print_indexes,
    print_pairs,
    print_phases,
    print_table,
    report_json,
)
from tpch_spec import read_catalog, write_spec
from tpch_whatif import Ix, Planner, indexes_in_script, query_columns, query_tables, redundancy


@dataclass(frozen=True)
class AdvisorPlan:
    indexes: list[Ix]
    names: list[str]
    """Each index's name in the DDL."""
    others: list[str]
    """The plan's actions other than creates (drops), as text: not costed."""
    reported: list[tuple[str, float]]
    """(pattern, cost after the plan) as the report's ``serves`` entries give it."""


def _advisor(spec: Path, *args: str) -> str:
    """``advisor ARGS`` on ``spec``, run in the spec's folder (so no project's ``[tool.advisor]``
    settings apply), with this interpreter; its standard output."""
    run = subprocess.run(
        [sys.executable, "-m", "advisor", args[0], spec.name, *args[1:]],
        cwd=spec.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode != 0:
        raise SystemExit(f"advisor {args[0]} failed (exit {run.returncode}): {run.stderr.strip()}")
    return run.stdout


def advisor_plan(spec: Path) -> AdvisorPlan:
    """The plan of ``advisor recommend --format json``, its indexes and names as ``advisor ddl
    --changes-only`` writes them (the statements one would run)."""
    recs = json.loads(_advisor(spec, "recommend", "--format", "json"))["recommendations"]
    created = indexes_in_script(_advisor(spec, "ddl", "--changes-only", "--no-concurrently"))
    labels = [str(r["index"]) for r in recs if r["action"] == "create"]
    if [ix.label() for ix, _ in created] != labels:
        raise SystemExit(
            f"advisor ddl --changes-only creates {len(created)} indexes, not the plan's {labels}"
        )
    return AdvisorPlan(
        [ix for ix, _ in created],
        [name for _, name in created],
        [f"{r['action']} {r['index']}" for r in recs if r["action"] != "create"],
        [(str(s["pattern"]), float(s["cost_after"])) for r in recs for s in r["serves"]],
    )


def db_plan(spec: Path, url: str, budget: int) -> tuple[list[Ix], int]:
    """The indexes ``advisor recommend --db URL --in-place`` chooses with ``budget`` bytes of
    storage, and the planner calls it made: the spec is copied beside itself with the budget."""
    import yaml

    data = yaml.safe_load(spec.read_text(encoding="utf-8"))
    data["budget"] = {"storage": budget}
    budgeted = spec.with_name(f"{spec.stem}_{budget}.yaml")
    budgeted.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    try:
        result = json.loads(_advisor(budgeted, "recommend", "--db", url, "--in-place", "--format", "json"))
    finally:
        budgeted.unlink()
    script = "\n".join(str(r["ddl"]) for r in result["recommendations"] if r["action"] == "create")
    return [ix for ix, _ in indexes_in_script(script)], int(result["planner"]["calls"])


def agreeing(reported: Sequence[tuple[str, float]], model: Mapping[str, float]) -> int:
    """How many of the report's per-pattern costs after the plan the model's costing of the
    plan's indexes repeats (to a millionth): the check that both cost the same configuration.

    >>> agreeing([("q1", 10.0), ("q2", 5.0)], {"q1": 10.0000001, "q2": 7.0})
    1
    """
    return sum(1 for q, cost in reported if q in model and math.isclose(cost, model[q], rel_tol=1e-6))


def predicate_columns(sqls: Mapping[str, str]) -> tuple[list[Ix], dict[str, list[str]]]:
    """Single-column indexes on every predicate column not leading its primary key, and per table
    the columns the queries reference (what the greedy may widen an index with)."""
    owner = {name: t.name for t in TABLES for name, _ in t.columns}
    leading = {(t.name, t.primary_key[0]) for t in TABLES}
    predicates: set[tuple[str, str]] = set()
    referenced: dict[str, set[str]] = {}
    for sql in sqls.values():
        preds, used = query_columns(sql, owner)
        predicates |= preds
        for table, column in used:
            referenced.setdefault(table, set()).add(column)
    singles = [Ix.on(t, c) for t, c in sorted(predicates - leading)]
    return singles, {table: sorted(columns) for table, columns in referenced.items()}


def cost_fixed(planner: Planner, conf: Configuration) -> None:
    """The planner's cost of each query and HypoPG's size of each index under ``conf``."""
    conf.sizes = {ix: planner.size(ix) for ix in conf.indexes}
    conf.planner = planner.costs(frozenset(conf.indexes))


def run_greedy(
    planner: Planner, singles: Sequence[Ix], widen: Mapping[str, Sequence[str]], budget: int
) -> Configuration:
    result = extend(planner, singles, widen, budget)
    conf = Configuration("what-if greedy", sorted(result.config), budget, planner_calls=result.planner_calls)
    conf.steps = [
        {
            "added": step.added.label(),
            "replaced": step.replaced.label() if step.replaced is not None else None,
            "size_bytes": step.size,
            "planner_total": step.cost,
        }
        for step in result.steps
    ]
    cost_fixed(planner, conf)
    return conf


def _cache_root() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "advisor-tpch"


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--scale", type=float, default=1.0, help="TPC-H scale factor (default 1; 0.1 is quick)"
    )
    parser.add_argument(
        "--server", default="postgresql://postgres@127.0.0.1:5432", help="PostgreSQL URL without a database"
    )
    parser.add_argument("--cache", type=Path, default=_cache_root(), help="folder for the generated spec")
    parser.add_argument(
        "--budgets",
        type=float,
        nargs="+",
        default=[500, 1024],
        help="greedy budgets in MiB, beside the plan's",
    )
    parser.add_argument("--json", type=Path, help="write every figure to this file")
    return parser.parse_args(argv)


def _server_facts(planner: Planner) -> dict[str, Any]:
    row = planner.conn.execute("SHOW server_version").fetchone()
    settings = planner.conn.execute(
        "SELECT name, setting FROM pg_settings WHERE name IN ('random_page_cost', 'seq_page_cost', "
        "'effective_cache_size', 'max_parallel_workers_per_gather', 'default_statistics_target')"
    ).fetchall()
    hypopg = planner.conn.execute("SELECT extversion FROM pg_extension WHERE extname = 'hypopg'").fetchone()
    return {
        "postgres": str(row[0]) if row else "?",
        "hypopg": str(hypopg[0]) if hypopg else "?",
        "settings": {str(name): str(value) for name, value in settings},
    }


def main(argv: Sequence[str] | None = None) -> None:
    args = _arguments(argv)
    phases = Phases()
    db = database_name(args.scale)
    url = f"{args.server}/{db}"
    sqls = queries(args.scale)
    with phases.timed("load (generate, COPY, primary keys, ANALYZE)"):
        ensure_database(f"{args.server}/postgres", db)
        counts, _ = ensure_loaded(url, args.scale, say=lambda m: print(m, file=sys.stderr))

    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        with phases.timed("spec from the catalog"):
            spec = write_spec(args.cache / f"sf{args.scale:g}", read_catalog(conn), sqls)
        with phases.timed("advisor recommend"):
            plan = advisor_plan(spec)
        tables = [t.name for t in TABLES]
        planner = Planner.start(conn, sqls, {q: query_tables(sql, tables) for q, sql in sqls.items()})
        singles, widen = predicate_columns(sqls)
        confs = [
            Configuration("PK only", []),
            Configuration(
                "advisor plan", plan.indexes, planner_calls=0, flags=redundancy(plan.indexes, plan.names)
            ),
            Configuration("every predicate column", singles),
        ]
        with phases.timed("planner: PK only, advisor plan, every predicate column"):
            for conf in confs:
                cost_fixed(planner, conf)
        for budget in [confs[1].size, *(int(b * MIB) for b in args.budgets)]:
            with phases.timed(f"planner: what-if greedy at {mib(budget)} MiB"):
                confs.append(run_greedy(planner, singles, widen, budget))
            with phases.timed(f"advisor recommend --db at {mib(budget)} MiB"):
                indexes, calls = db_plan(spec, url, budget)
                conf = Configuration("advisor --db", indexes, budget, planner_calls=calls)
                cost_fixed(planner, conf)
                confs.append(conf)
        facts = _server_facts(planner)
        conn.execute("SELECT hypopg_reset()")

    with phases.timed("model: every configuration"):
        ctx = load_context(spec)
        for conf in confs:
            conf.model, conf.model_sizes = model_costs(ctx, conf.indexes)
        # a configuration that repeats an earlier one's indexes would only repeat its pairs
        distinct = [
            c for i, c in enumerate(confs) if all(set(c.indexes) != set(o.indexes) for o in confs[:i])
        ]
        cal = calibrate({c.label: c.model for c in distinct}, {c.label: c.planner for c in distinct})

    settings = ", ".join(f"{k} {v}" for k, v in sorted(facts["settings"].items()))
    print(f"TPC-H SF{args.scale:g} in {db} on PostgreSQL {facts['postgres']}, HypoPG {facts['hypopg']}")
    print(f"{len(sqls)} queries, each of weight 1; spec {spec}\nplanner settings: {settings}\n")
    print_table(confs)
    print_indexes(confs[1])
    if plan.others:
        print(f"  not applied (only creates are costed): {'; '.join(plan.others)}")
    same = agreeing(plan.reported, confs[1].model)
    print(
        f"  the model's costs of this plan repeat the report's cost after for {same} of its {len(plan.reported)} served patterns"
    )
    for i, conf in enumerate(confs[3:], start=3):
        earlier = next((c for c in confs[3:i] if set(c.indexes) == set(conf.indexes)), None)
        print_indexes(conf, earlier.label if earlier is not None else None)
    print_pairs(confs)
    print_calibration(cal)
    print_phases(phases, planner.explains)
    if args.json:
        extra = {"scale": args.scale, "database": db, "rows": counts, "spec": str(spec), **facts}
        extra["explains"] = planner.explains
        document = report_json(confs, cal, phases, extra)
        args.json.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
