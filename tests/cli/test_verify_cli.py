"""``advisor verify`` as a user runs it, on the in-memory SQLite that needs no server."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import run_advisor

ECOMMERCE = "samples/ecommerce/patterns.yaml"


def test_verify_on_sqlite_prints_a_verdict_per_recommendation() -> None:
    done = run_advisor("verify", ECOMMERCE, "--rows", "3000")
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert "engine: SQLite" in out and "(in-memory)" in out
    assert "HypoPG" not in out  # named only where it is used
    for number in range(1, 8):
        assert f"\n#{number} " in out
    assert "used     recent_orders_of_user" in out
    assert "USING COVERING INDEX ix_orders_user_id_created_at" in out
    assert out.rstrip().endswith("the planner uses every recommended index for the patterns it claims.")
    assert done.stderr == ""  # no progress bar when standard error is not a terminal


def test_verify_json_is_versioned_and_lists_costs() -> None:
    done = run_advisor("verify", ECOMMERCE, "--rows", "2000", "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["version"] == 1 and data["ok"] is True
    assert data["rows_loaded"]["order_items"] == 2000
    first = data["recommendations"][0]
    check = first["checks"][0]
    assert {"pattern", "used", "cost_before", "cost_after", "plan_before", "plan_after"} <= set(check)
    items = next(r for r in data["recommendations"] if r["index"] == "order_items (order_id)")
    served = items["checks"][0]
    assert served["used"] and served["cost_after"] < served["cost_before"]


def test_verify_rejects_an_unknown_database_url_without_showing_the_password() -> None:
    done = run_advisor("verify", ECOMMERCE, "--db", "oracle://scott:tiger@db/x")
    assert done.returncode == 2
    assert "tiger" not in done.stderr
    assert done.stderr.startswith("advisor: error: --db: unknown database URL scheme 'oracle'")


def test_verify_names_an_unreachable_server_in_one_line() -> None:
    done = run_advisor("verify", ECOMMERCE, "--db", "postgresql://app:s3cret@127.0.0.1:1/x")
    assert done.returncode == 2
    assert "s3cret" not in done.stderr and "Traceback" not in done.stderr
    assert done.stderr.startswith(
        "advisor: error: --db: cannot connect to PostgreSQL at postgresql://app:***@"
    )
    assert done.stderr.count("\n") == 1


def test_verify_needs_at_least_one_row() -> None:
    done = run_advisor("verify", ECOMMERCE, "--rows", "0")
    assert done.returncode == 2
    assert done.stderr == "advisor: error: --rows must be at least 1\n"


def test_a_missing_driver_is_one_clear_line() -> None:
    import subprocess
    import sys

    from tests.cli.conftest import ROOT

    # the real command, in an interpreter where psycopg cannot be imported
    code = (
        "import sys; sys.modules['psycopg'] = None; "
        f"sys.argv = ['advisor', 'verify', {ECOMMERCE!r}, '--db', 'postgresql://postgres@127.0.0.1/test']; "
        "from advisor.cli import main; main()"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr == (
        "advisor: error: PostgreSQL needs the psycopg driver, which is not installed: "
        "pip install 'advisor[db]'\n"
    )


def test_verify_output_file_is_rewritten_on_the_next_run(tmp_path: Path) -> None:
    out = tmp_path / "verify.txt"
    for _ in range(2):
        done = run_advisor("verify", ECOMMERCE, "--rows", "1000", "--output", str(out))
        assert done.returncode == 0, done.stderr
    assert out.read_text().startswith("advisor verify ")
