"""``advisor recommend --db``: the real planner chooses among the model's candidates, on a real
PostgreSQL with HypoPG, in a throwaway database or on the database's own tables."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.db.conftest import _unavailable, require

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "ecommerce" / "patterns.yaml"


def _advisor(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "advisor", *args], capture_output=True, text=True, timeout=300, cwd=ROOT
    )


def _throwaways(url: str) -> set[str]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as db:
        return {
            r[0] for r in db.execute("SELECT datname FROM pg_database WHERE datname LIKE 'advisor_verify%'")
        }


def _hypopg(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as db:
        if db.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'hypopg'").fetchone() is None:
            _unavailable("HypoPG is not installed (postgresql-15-hypopg)")


def _labels(keys: list[str]) -> list[tuple[str, str]]:
    return [(k.split(" (")[0], k.split(" (")[1].split(")")[0]) for k in keys]


def test_the_planner_chooses_a_plan_that_lowers_its_own_costs(tmp_path: Path) -> None:
    url = require("postgres")
    _hypopg(url)
    before = _throwaways(url)
    out = tmp_path / "plan.json"
    done = _advisor("recommend", str(SAMPLE), "--db", url, "--format", "json", "--output", str(out))
    assert done.returncode == 0, done.stderr
    result = json.loads(out.read_text())
    planner = result["planner"]
    assert "HypoPG" in planner["engine"] and "throwaway" in planner["engine"]
    assert planner["calls"] > 0
    assert planner["cost_after"] < planner["cost_before"] / 10  # the sample's scans of orders and items
    assert planner["steps"], "the planner chose nothing"
    for step in planner["steps"]:
        assert step["planner_after"] < step["planner_before"], step
    creates = [r["index"] for r in result["recommendations"] if r["action"] == "create"]
    chosen = {s["index"] for s in planner["steps"]}
    assert set(creates) <= chosen  # what the report recommends is what the planner chose
    # never two indexes on one key sequence and predicate: the plan passes its own IDX005 check
    keyed = [(c.split(" INCLUDE")[0]) for c in creates]
    assert len(keyed) == len(set(keyed)), creates
    assert _throwaways(url) == before  # the throwaway database is gone


def test_without_db_the_report_has_no_planner_figures(tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    done = _advisor("recommend", str(SAMPLE), "--format", "json", "--output", str(out))
    assert done.returncode == 0, done.stderr
    assert json.loads(out.read_text())["planner"] is None


@pytest.fixture
def own_database() -> Iterator[tuple[str, Any]]:
    import psycopg

    url = require("postgres")
    _hypopg(url)
    name = f"advisor_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    own = url.rsplit("/", 1)[0] + f"/{name}"
    try:
        with psycopg.connect(own, autocommit=True) as db:
            db.execute(
                "CREATE TABLE events (id bigint PRIMARY KEY, account_id integer NOT NULL, "
                "kind text NOT NULL, body text NOT NULL);"
                "INSERT INTO events SELECT i, i % 20000, 'k' || (i % 7), repeat('x', 120) "
                "FROM generate_series(1, 200000) i;"
                "ANALYZE events"
            )
            yield own, db
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


SPEC = """\
dialect: postgres
tables:
  events:
    rows: 200000
    columns:
      id: {type: bigint, primary_key: true}
      account_id: {type: integer, ndv: 20000, nullable: false}
      kind: {type: text, ndv: 7, nullable: false}
      body: {type: text, nullable: false}
patterns:
  - name: events_of_account
    sql: SELECT id, kind FROM events WHERE account_id = :a
    per_sec: 50
"""


def test_in_place_uses_the_tables_there_and_creates_nothing(
    own_database: tuple[str, Any], tmp_path: Path
) -> None:
    url, db = own_database
    db.execute("CREATE EXTENSION hypopg")
    objects = db.execute("SELECT count(*) FROM pg_class").fetchone()[0]
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC)
    out = tmp_path / "plan.json"
    done = _advisor(
        "recommend", str(spec), "--db", url, "--in-place", "--format", "json", "--output", str(out)
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(out.read_text())
    assert "its own tables" in result["planner"]["engine"]
    assert [s["index"].split(" INCLUDE")[0] for s in result["planner"]["steps"]] == ["events (account_id)"]
    assert db.execute("SELECT count(*) FROM pg_class").fetchone()[0] == objects


def test_in_place_without_hypopg_is_one_clear_line(own_database: tuple[str, Any], tmp_path: Path) -> None:
    url, _ = own_database
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC)
    done = _advisor("recommend", str(spec), "--db", url, "--in-place")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "no HypoPG" in done.stderr, done.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--db", "mariadb://root@127.0.0.1:3306/test"], "only on PostgreSQL"),
        (["--in-place"], "--in-place works with --db URL only"),
        (["--db", "postgresql://nobody@127.0.0.1:1/none"], "PostgreSQL"),
    ],
)
def test_bad_db_options_are_one_clear_line(args: list[str], message: str) -> None:
    done = _advisor("recommend", str(SAMPLE), *args)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and message in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
