"""On PostgreSQL as a superuser the planner sees the spec's full-scale tables without loading
them: the declared row counts and distinct values are written into the throwaway database's
catalog after ANALYZE. Without the right to do so, the figures stay at the loaded scale."""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from advisor.engines.database import open_database
from advisor.engines.postgres import PostgresDatabase
from advisor.spec.load import load_spec
from advisor.verify.run import verify_on
from tests.cli.conftest import run_advisor
from tests.db.conftest import require

ECOMMERCE = Path("samples/ecommerce/patterns.yaml")
ROWS = 2000


def _estimate(db: PostgresDatabase, sql: str) -> dict[str, Any]:
    row = db.db.execute(f"EXPLAIN (FORMAT JSON) {sql}").fetchone()
    assert row is not None
    data = row[0] if not isinstance(row[0], str) else json.loads(row[0])
    plan: dict[str, Any] = data[0]["Plan"]
    return plan


def test_the_planner_sees_the_declared_rows_and_the_database_is_dropped() -> None:
    url = require("postgres")
    spec = load_spec(ECOMMERCE)
    declared = {t.name: t.rows for t in spec.tables}
    with open_database(url) as db:
        assert isinstance(db, PostgresDatabase)
        name = db.name
        result = verify_on(db, spec, ROWS)
        plan = _estimate(db, "SELECT * FROM orders")
        assert plan["Node Type"] == "Seq Scan"
        assert abs(plan["Plan Rows"] - 3_650_000_000) <= 0.03 * 3_650_000_000, plan["Plan Rows"]
        # a declared ndv, not the loaded rows' repeats: about 36 orders per user
        by_user = _estimate(db, "SELECT * FROM orders WHERE user_id = 42")
        assert 10 <= by_user["Plan Rows"] <= 100, by_user["Plan Rows"]
        # the loaded rows are still what they were: only the planner's view changed
        count = db.db.execute("SELECT count(*) FROM orders").fetchone()
        assert count is not None and count[0] == result.rows_loaded["orders"]
    assert result.scale == "full scale: 9,000,000,000 rows"
    assert result.full_scale_rows["orders"] == declared["orders"]
    for rec in result.recommendations:
        for check in rec.checks:
            if check.claimed:
                assert check.used, (rec.index, check.pattern, check.plan_after)
    assert result.ok
    import psycopg

    with psycopg.connect(url) as admin:
        left = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchall()
    assert left == []


def test_the_report_says_which_scale_its_figures_are_at() -> None:
    url = require("postgres")
    full = run_advisor("verify", str(ECOMMERCE), "--db", url, "--rows", str(ROWS), "-f", "json")
    assert full.returncode == 0, full.stdout + full.stderr
    assert json.loads(full.stdout)["scale"] == "full scale: 9,000,000,000 rows"
    loaded = run_advisor("verify", str(ECOMMERCE), "--db", url, "--rows", str(ROWS), "--loaded-scale")
    assert "scale: at the loaded scale" in loaded.stdout, loaded.stdout
    sqlite = run_advisor("verify", str(ECOMMERCE), "--rows", "500", "-f", "json")
    assert json.loads(sqlite.stdout)["scale"] == "loaded scale"


def test_a_role_that_is_not_a_superuser_stays_at_the_loaded_scale() -> None:
    url = require("postgres")
    import psycopg

    role = f"advisor_test_{secrets.token_hex(4)}"
    parts = urlsplit(url)
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {role} LOGIN CREATEDB")
        try:
            as_role = parts._replace(netloc=f"{role}@{parts.hostname}:{parts.port or 5432}").geturl()
            done = run_advisor("verify", str(ECOMMERCE), "--db", as_role, "--rows", "500")
            assert "(throwaway database)" in done.stdout, done.stdout + done.stderr
            assert "scale: at the loaded scale" in done.stdout
        finally:
            admin.execute(f"DROP ROLE {role}")


def test_the_models_costs_are_compared_only_where_the_planner_sees_the_declared_sizes() -> None:
    """At full scale each claimed check carries the model's costs (so a gain far below the model's
    is reported); on SQLite, which sees the loaded rows, none does."""
    url = require("postgres")
    spec = load_spec(ECOMMERCE)
    with open_database(url) as db:
        full = verify_on(db, spec, ROWS)
    claimed = [c for r in full.recommendations if r.action == "create" for c in r.checks if c.claimed]
    assert claimed and all(c.model_cost_before and c.model_cost_after for c in claimed)
    items = next(c for c in claimed if c.pattern == "items_of_order")
    assert items.model_cost_before is not None and items.model_cost_before > 1e6  # a scan of 9e9 rows
    with open_database("sqlite://") as lite:
        loaded = verify_on(lite, spec, ROWS)
    assert all(c.model_cost_before is None for r in loaded.recommendations for c in r.checks)
