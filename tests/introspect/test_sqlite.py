"""``advisor introspect`` on SQLite: schema and sqlite_stat1 to a spec that recommend reads and
whose DDL builds the same tables again; the file is only read."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from tests.cli.conftest import run_advisor

SCHEMA = """
CREATE TABLE users (user_id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, country CHAR(2),
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP, score whatever);
CREATE TABLE orders (order_id INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id INTEGER NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
  status VARCHAR(20) NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'paid')),
  total NUMERIC(12,2) NOT NULL, created_at TEXT NOT NULL, CHECK (total >= 0));
CREATE TABLE items (order_id INTEGER NOT NULL REFERENCES orders, line INTEGER NOT NULL,
  qty INTEGER CHECK (qty > 0), PRIMARY KEY (order_id, line));
CREATE TABLE ship (order_id INTEGER, line INTEGER, FOREIGN KEY (order_id, line) REFERENCES items(order_id, line));
CREATE TABLE "Odd.Name" (x INTEGER);
CREATE INDEX orders_user ON orders (user_id, created_at DESC);
CREATE INDEX orders_new ON orders (created_at) WHERE status = 'new';
CREATE INDEX users_lower ON users (lower(email));
CREATE INDEX orders_status ON orders (status);
WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 2000)
  INSERT INTO users (email, country) SELECT 'u' || n, CASE n % 3 WHEN 0 THEN 'DE' ELSE 'US' END FROM g;
WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 10000)
  INSERT INTO orders (user_id, status, total, created_at)
  SELECT 1 + n % 2000, CASE n % 4 WHEN 0 THEN 'new' ELSE 'paid' END, n % 100, datetime('now', '-' || n || ' minutes') FROM g;
ANALYZE;
"""


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    path = tmp_path / "shop.db"
    with sqlite3.connect(path) as conn:
        conn.executescript(SCHEMA)
    conn.close()
    return path


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_round_trip(shop: Path, tmp_path: Path) -> None:
    out = tmp_path / "spec.yaml"
    before = _digest(shop.parent)
    done = run_advisor("introspect", f"sqlite:///{shop}", "-o", str(out))  # sqlite:////tmp/...: absolute
    assert done.returncode == 0, done.stderr
    # read-only: the database file is unchanged and no journal was left beside it
    assert {k: v for k, v in _digest(shop.parent).items() if k != out.name} == before
    assert "SQLite records no workload" in done.stderr
    assert "table 'Odd.Name' left out: the name 'Odd.Name' holds a dot" in done.stderr
    text = out.read_text()
    assert "rows: 10000                         # sqlite_stat1" in text
    assert "ndv: 2000                       # sqlite_stat1 of orders_user: 10000 rows / 5 per value" in text
    assert (
        "ndv: 2                          # sqlite_stat1 of orders_status: 10000 rows / 5000 per value" in text
    )
    assert "type: numeric                   # declared 'whatever': its affinity" in text
    assert "# foreign key left out: the spec format has no composite references" in text
    assert "# index users_lower left out (an expression index" in text
    assert "where: \"status = 'new'\"" in text
    # a partial index's rows are not the table's, nor its leading column's distinct values
    assert "2500" not in text
    assert run_advisor("recommend", str(out)).returncode == 0
    ddl = run_advisor("ddl", str(out))
    assert ddl.returncode == 0, ddl.stderr
    fresh = tmp_path / "fresh.db"
    with sqlite3.connect(fresh) as conn:
        conn.executescript(ddl.stdout)
        built = {name for (name,) in conn.execute("SELECT name FROM sqlite_schema")}
    conn.close()
    assert {"users", "orders", "items", "ship", "orders_user", "orders_new", "orders_status"} <= built


def test_output_is_replaced_only_when_the_tool_wrote_it(shop: Path, tmp_path: Path) -> None:
    out = tmp_path / "spec.yaml"
    assert run_advisor("introspect", str(shop), "-o", str(out)).returncode == 0
    assert run_advisor("introspect", str(shop), "-o", str(out)).returncode == 0
    out.write_text(out.read_text() + "# my own notes\n")
    done = run_advisor("introspect", str(shop), "-o", str(out))
    assert done.returncode == 2 and "is not an earlier advisor report" in done.stderr
    assert out.read_text().endswith("# my own notes\n")
    done = run_advisor("introspect", str(shop), "-o", str(shop))
    assert done.returncode == 2 and "Traceback" not in done.stderr


def test_include_and_exclude(shop: Path) -> None:
    done = run_advisor("introspect", str(shop), "--include", "o*", "--include", "users", "--exclude", "*s_x")
    assert done.returncode == 0, done.stderr
    assert "  orders:" in done.stdout and "  users:" in done.stdout and "  items:" not in done.stdout
    done = run_advisor("introspect", str(shop), "--include", "nothing*")
    assert done.returncode == 2
    assert done.stderr.startswith("advisor: error: no tables in SQLite database")


def test_unanalyzed_database_says_so(tmp_path: Path) -> None:
    path = tmp_path / "bare.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
    conn.close()
    done = run_advisor("introspect", str(path))
    assert done.returncode == 0, done.stderr
    assert "# No sqlite_stat1 rows: run ANALYZE" in done.stdout
    assert "    rows:" not in done.stdout


@pytest.mark.parametrize("url", ["sqlite:///no/such.db", "/no/such/file.db", "sqlite://host/x.db"])
def test_missing_file_is_one_line(url: str) -> None:
    done = run_advisor("introspect", url)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


def test_not_a_database_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello\n" * 100)
    done = run_advisor("introspect", str(path))
    assert done.returncode == 2
    assert done.stderr.startswith("advisor: error: cannot ") and done.stderr.count("\n") == 1
