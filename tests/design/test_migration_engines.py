"""The NRM001 migration runs on real engines: SQLite (always), PostgreSQL and MariaDB (through
their command-line clients; skipped when no server answers, failing under ADVISOR_REQUIRE_DB=1).
Afterwards the new table holds one row per department and the old table lost the column."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import uuid
from pathlib import Path
from typing import Any

import pytest
import yaml

from advisor.recommend import recommend
from advisor.spec.load import load_spec

ROWS = [(1, 10, "Sales", 100), (2, 10, "Sales", 200), (3, 20, "Support", 300)]
SEED = "INSERT INTO employees VALUES " + ", ".join(f"({e}, {d}, '{n}', {s})" for e, d, n, s in ROWS) + ";"


def migration(dialect: str, tmp_path: Path) -> str:
    spec: dict[str, Any] = {
        "dialect": dialect,
        "tables": {
            "employees": {
                "rows": 3,
                "primary_key": ["emp_id"],
                "columns": {
                    "emp_id": {"type": "bigint"},
                    "dept_id": {"type": "integer", "nullable": False},
                    "dept_name": {"type": "varchar(100)", "nullable": False},
                    "salary": {"type": "integer"},
                },
                "functional_dependencies": ["dept_id -> dept_name"],
            }
        },
        "patterns": [{"name": "p", "sql": "SELECT salary FROM employees WHERE emp_id = 1", "per_sec": 1}],
    }
    path = tmp_path / "patterns.yaml"
    path.write_text(yaml.safe_dump(spec))
    (finding,) = [f for f in recommend(load_spec(path)).findings if f.rule == "NRM001"]
    assert finding.ddl is not None
    return finding.ddl


CREATE = (
    "CREATE TABLE employees (emp_id bigint PRIMARY KEY, dept_id integer NOT NULL, "
    "dept_name varchar(100) NOT NULL, salary integer);"
)


def unreachable(what: str) -> None:
    if os.environ.get("ADVISOR_REQUIRE_DB") == "1":
        pytest.fail(f"{what} is not reachable and ADVISOR_REQUIRE_DB=1")
    pytest.skip(f"{what} is not reachable")


def test_sqlite(tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / "t.db")
    db.executescript(CREATE + SEED + migration("sqlite", tmp_path))
    assert db.execute("SELECT dept_id, dept_name FROM dept ORDER BY dept_id").fetchall() == [
        (10, "Sales"),
        (20, "Support"),
    ]
    assert [row[1] for row in db.execute("PRAGMA table_info(employees)")] == ["emp_id", "dept_id", "salary"]


def _psql(args: list[str], sql: str) -> str:
    out = subprocess.run(args, input=sql, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_postgres(tmp_path: Path) -> None:
    base = ["psql", "-X", "-q", "-h", "127.0.0.1", "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-At"]
    if (
        not shutil.which("psql")
        or subprocess.run([*base, "-d", "test", "-c", "SELECT 1"], capture_output=True).returncode
    ):
        unreachable("PostgreSQL at 127.0.0.1:5432")
    name = f"advisor_nrm_{uuid.uuid4().hex[:8]}"
    _psql([*base, "-d", "test"], f"CREATE DATABASE {name};")
    try:
        out = _psql(
            [*base, "-d", name],
            CREATE
            + SEED
            + migration("postgres", tmp_path)
            + "\nSELECT dept_id, dept_name FROM dept ORDER BY 1;"
            "\nSELECT conname FROM pg_constraint WHERE contype = 'f' AND conrelid = 'employees'::regclass;",
        )
        assert out.splitlines() == ["10|Sales", "20|Support", "employees_dept_id_fkey"]
    finally:
        _psql([*base, "-d", "test"], f"DROP DATABASE IF EXISTS {name};")


def test_mariadb(tmp_path: Path) -> None:
    base = ["mariadb", "-h", "127.0.0.1", "-P", "3306", "-u", "root", "-N", "-B"]
    if (
        not shutil.which("mariadb")
        or subprocess.run([*base, "-e", "SELECT 1"], capture_output=True).returncode
    ):
        unreachable("MariaDB at 127.0.0.1:3306")
    name = f"advisor_nrm_{uuid.uuid4().hex[:8]}"
    _psql(base, f"CREATE DATABASE {name};")
    try:
        out = _psql(
            [*base, name],
            CREATE + SEED + migration("mysql", tmp_path) + "\nSELECT dept_id, dept_name FROM dept ORDER BY 1;"
            "\nSELECT COUNT(*) FROM information_schema.referential_constraints "
            f"WHERE constraint_schema = '{name}' AND table_name = 'employees';",
        )
        assert out.splitlines() == ["10\tSales", "20\tSupport", "1"]
    finally:
        _psql(base, f"DROP DATABASE IF EXISTS {name};")


def textbook_migration(dialect: str, tmp_path: Path) -> str:
    """R(a, b, c, d) with a -> b, b -> c and no declared key: synthesis gives (a, b), (b, c), (a, d)."""
    spec: dict[str, Any] = {
        "dialect": dialect,
        "tables": {
            "r": {
                "rows": 4,
                "columns": {n: {"type": "integer"} for n in "abcd"},
                "functional_dependencies": ["a -> b", "b -> c"],
            }
        },
        "patterns": [{"name": "p", "sql": "SELECT d FROM r WHERE a = 1", "per_sec": 1}],
    }
    path = tmp_path / "textbook.yaml"
    path.write_text(yaml.safe_dump(spec))
    (finding,) = [f for f in recommend(load_spec(path)).findings if f.rule == "NRM001"]
    assert finding.ddl is not None
    return finding.ddl


TEXTBOOK = (
    "CREATE TABLE r (a integer, b integer, c integer, d integer);"
    "INSERT INTO r VALUES (1, 10, 100, 7), (1, 10, 100, 8), (2, 10, 100, 7), (3, 20, 200, 9);"
)


def test_textbook_synthesis_on_sqlite(tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / "r.db")
    db.executescript(TEXTBOOK + textbook_migration("sqlite", tmp_path))
    assert db.execute("SELECT a, b FROM r_a ORDER BY a").fetchall() == [(1, 10), (2, 10), (3, 20)]
    assert db.execute("SELECT b, c FROM r_b ORDER BY b").fetchall() == [(10, 100), (20, 200)]
    assert db.execute("SELECT a, d FROM r ORDER BY a, d").fetchall() == [(1, 7), (1, 8), (2, 7), (3, 9)]


def test_textbook_synthesis_on_postgres(tmp_path: Path) -> None:
    base = ["psql", "-X", "-q", "-h", "127.0.0.1", "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-At"]
    if (
        not shutil.which("psql")
        or subprocess.run([*base, "-d", "test", "-c", "SELECT 1"], capture_output=True).returncode
    ):
        unreachable("PostgreSQL at 127.0.0.1:5432")
    name = f"advisor_nrm_{uuid.uuid4().hex[:8]}"
    _psql([*base, "-d", "test"], f"CREATE DATABASE {name};")
    try:
        out = _psql(
            [*base, "-d", name],
            TEXTBOOK
            + textbook_migration("postgres", tmp_path)
            + "\nSELECT string_agg(a || ':' || b, ',' ORDER BY a) FROM r_a;"
            "\nSELECT string_agg(b || ':' || c, ',' ORDER BY b) FROM r_b;"
            "\nSELECT count(*) FROM pg_constraint WHERE contype = 'f';",
        )
        assert out.splitlines() == ["1:10,2:10,3:20", "10:100,20:200", "2"]
    finally:
        _psql([*base, "-d", "test"], f"DROP DATABASE IF EXISTS {name};")


def test_mixed_case_names_and_a_self_reference_on_mariadb(tmp_path: Path) -> None:
    """MariaDB on Linux compares table names case-sensitively: the DDL must spell them as declared."""
    base = ["mariadb", "-h", "127.0.0.1", "-P", "3306", "-u", "root", "-N", "-B"]
    if (
        not shutil.which("mariadb")
        or subprocess.run([*base, "-e", "SELECT 1"], capture_output=True).returncode
    ):
        unreachable("MariaDB at 127.0.0.1:3306")
    spec: dict[str, Any] = {
        "dialect": "mysql",
        "tables": {
            "Staff": {
                "rows": 3,
                "columns": {
                    "Staff_ID": {"type": "bigint", "primary_key": True},
                    "Manager_ID": {"type": "bigint", "references": "Staff.Staff_ID"},
                    "Manager_Level": {"type": "smallint"},
                },
                "functional_dependencies": ["Manager_ID -> Manager_Level"],
            }
        },
        "patterns": [
            {"name": "p", "sql": "SELECT Manager_Level FROM Staff WHERE Staff_ID = 1", "per_sec": 1}
        ],
    }
    path = tmp_path / "staff.yaml"
    path.write_text(yaml.safe_dump(spec))
    (finding,) = [f for f in recommend(load_spec(path)).findings if f.rule == "NRM001"]
    assert finding.ddl is not None and "ALTER TABLE Staff " in finding.ddl
    name = f"advisor_nrm_{uuid.uuid4().hex[:8]}"
    _psql(base, f"CREATE DATABASE {name};")
    try:
        out = _psql(
            [*base, name],
            "CREATE TABLE Staff (Staff_ID bigint PRIMARY KEY, Manager_ID bigint, Manager_Level smallint,"
            " FOREIGN KEY (Manager_ID) REFERENCES Staff (Staff_ID));"
            "INSERT INTO Staff VALUES (1, NULL, NULL), (2, 1, 3), (3, 1, 3);"
            + finding.ddl
            + "\nSELECT Manager_ID, Manager_Level FROM manager;",
        )
        assert out.splitlines() == ["1\t3"]
    finally:
        _psql(base, f"DROP DATABASE IF EXISTS {name};")
