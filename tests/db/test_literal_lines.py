"""A line break inside a literal of the input (a pattern's constant that becomes a partial index
predicate, a column default) is written in each engine's own spelling of the same string, on one
line: no line of the DDL starts with text the input chose, and on the real engines the default
and the partial index still mean exactly what the input said."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.db.conftest import Run

STATE = "queued\n::error file=x::pwned"
SPEC = """\
dialect: postgres
tables:
  jobs:
    rows: 5000000
    columns:
      id: { type: bigint, primary_key: true }
      state: { type: text, ndv: 4, frequencies: { "done": 0.97, "queued\\n::error file=x::pwned": 0.01 } }
      note: { type: text, default: "'line1\\nline2'" }
      run_at: { type: timestamp }
patterns:
  - name: next
    sql: "SELECT id FROM jobs WHERE state = 'queued\\n::error file=x::pwned' ORDER BY run_at LIMIT 10"
    per_sec: 50
"""


def _ddl(tmp_path: Path, dialect: str) -> str:
    spec = tmp_path / "patterns.yaml"
    spec.write_text(SPEC)
    done = subprocess.run(
        [sys.executable, "-m", "advisor", "ddl", str(spec), "--dialect", dialect, "--no-concurrently"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("dialect", ["postgres", "sqlite", "mysql", "mariadb"])
def test_no_line_of_the_ddl_starts_with_the_input(tmp_path: Path, dialect: str) -> None:
    lines = _ddl(tmp_path, dialect).splitlines()
    assert not [line for line in lines if line.startswith(("::error", "line2"))], lines
    assert all(line == "" or line.startswith(("--", "CREATE", "ALTER", ")", "  ")) for line in lines), lines


def test_sqlite_keeps_the_default_and_builds_the_full_index(tmp_path: Path) -> None:
    """SQLite has no one-line spelling of such a string for a partial index to match the query's
    text: the index is built in full, and serves the pattern."""
    script = _ddl(tmp_path, "sqlite")
    assert "SQLite cannot write this predicate's string on one line" in script
    db = sqlite3.connect(":memory:")
    db.executescript(script)
    db.execute("INSERT INTO jobs (id, state, run_at) VALUES (1, ?, '2026-01-01')", (STATE,))
    assert db.execute("SELECT note, state FROM jobs").fetchone() == ("line1\nline2", STATE)
    literal = STATE.replace("'", "''")
    plan = db.execute(
        f"EXPLAIN QUERY PLAN SELECT id FROM jobs WHERE state = '{literal}' ORDER BY run_at LIMIT 10"
    ).fetchall()
    assert any("INDEX ix_jobs_run_at" in str(row) for row in plan), plan


def test_postgres_keeps_the_default_and_uses_the_partial_index(tmp_path: Path, postgres: Run) -> None:
    postgres(_ddl(tmp_path, "postgres"))
    out = postgres(
        "INSERT INTO jobs (id, state, run_at) VALUES (1, E'queued\\n::error file=x::pwned', now());\n"
        "SELECT note = E'line1\\nline2' FROM jobs;\n"
        "SET enable_seqscan = off;\n"
        "EXPLAIN SELECT id FROM jobs WHERE state = 'queued\n::error file=x::pwned' ORDER BY run_at LIMIT 10;\n"
    )
    assert out.splitlines()[0] == "t", out
    assert "ix_jobs_run_at_partial" in out, out


def test_mariadb_keeps_the_default(tmp_path: Path, mariadb: Run) -> None:
    mariadb(_ddl(tmp_path, "mariadb"))
    out = mariadb(
        "INSERT INTO jobs (id, state, run_at) VALUES (1, 'x', NOW());\nSELECT note = 'line1\\nline2' FROM jobs;\n"
    )
    assert out.strip() == "1", out
