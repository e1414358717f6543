"""``advisor introspect`` on the real MariaDB: information_schema and index cardinalities to a spec
that recommend reads and whose DDL builds the schema again in a fresh database."""

from __future__ import annotations

import itertools
import re
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.cli.conftest import run_advisor
from tests.db.conftest import _unavailable, require

SCHEMA = [
    "CREATE TABLE users (user_id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY, "
    "email varchar(190) NOT NULL UNIQUE, country char(2) DEFAULT 'US', "
    "created_at datetime NOT NULL DEFAULT current_timestamp(), prefs json, flag tinyint(1) NOT NULL DEFAULT 0)",
    "CREATE TABLE orders (order_id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY, "
    "user_id bigint unsigned NOT NULL, status enum('new','paid','it''s') NOT NULL DEFAULT 'new', "
    "total decimal(12,2) NOT NULL CHECK (total >= 0), note text, created_at datetime NOT NULL, "
    "CONSTRAINT fk_user FOREIGN KEY (user_id) REFERENCES users (user_id) ON DELETE CASCADE, "
    "KEY orders_user_created (user_id, created_at DESC), FULLTEXT KEY ft_note (note), "
    "KEY note_prefix (note(20)), CONSTRAINT chk_note CHECK (note <> ''))",
    "CREATE TABLE items (order_id bigint unsigned NOT NULL, line int NOT NULL, qty int, "
    "PRIMARY KEY (order_id, line), FOREIGN KEY (order_id) REFERENCES orders (order_id))",
    "CREATE TABLE ship (order_id bigint unsigned, line int, "
    "FOREIGN KEY (order_id, line) REFERENCES items (order_id, line))",
    "INSERT INTO users (email, country) SELECT concat('u', seq, '@x'), IF(seq % 3 = 0, 'DE', 'US') FROM seq_1_to_2000",
    "INSERT INTO orders (user_id, status, total, created_at) "
    "SELECT 1 + seq % 2000, IF(seq % 4 = 0, 'new', 'paid'), seq % 100, now() - interval seq minute FROM seq_1_to_10000",
    "ANALYZE TABLE users, orders, items, ship",
]


def _in(url: str, database: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{database}"))


@pytest.fixture
def server() -> Iterator[tuple[str, Any, list[str]]]:
    import pymysql

    url = require("mariadb")
    parts = urlsplit(url)
    conn = pymysql.connect(
        host=parts.hostname,
        port=parts.port or 3306,
        user=parts.username,
        password=parts.password or "",
        autocommit=True,
    )
    made: list[str] = []
    try:
        yield url, conn, made
    finally:
        with conn.cursor() as cur:
            for name in made:
                cur.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.close()


def _create(conn: Any, made: list[str], statements: list[str]) -> str:
    name = f"advisor_introspect_{uuid.uuid4().hex[:10]}"
    with conn.cursor() as cur:
        cur.execute(f"CREATE DATABASE {name}")
        made.append(name)
        cur.execute(f"USE {name}")
        for sql in statements:
            cur.execute(sql)
            cur.fetchall()
    return name


def test_round_trip(server: tuple[str, Any, list[str]], tmp_path: Path) -> None:
    url, conn, made = server
    name = _create(conn, made, SCHEMA)
    out = tmp_path / "spec.yaml"
    done = run_advisor("introspect", _in(url, name), "-o", str(out))
    assert done.returncode == 0, done.stderr
    text = out.read_text()
    assert "dialect: mysql" in text
    assert "# STATISTICS.CARDINALITY of orders_user_created" in text
    assert "unique: true                    # unique index email" in text
    assert "type: json                      # longtext with CHECK json_valid" in text
    assert "type: \"enum('new','paid','it''s')\"" in text
    assert 'check: "`total` >= 0"' in text and "on_delete: cascade" in text
    assert "columns: [user_id, created_at DESC]" in text
    assert "# index ft_note left out (a FULLTEXT index" in text
    assert "# foreign key ship_ibfk_1 left out: the spec format has no composite references" in text
    assert run_advisor("recommend", str(out)).returncode == 0
    ddl = run_advisor("ddl", str(out), "--dialect", "mariadb")
    assert ddl.returncode == 0, ddl.stderr
    fresh = _create(conn, made, [])
    with conn.cursor() as cur:
        cur.execute(f"USE {fresh}")
        from advisor.engines.database import split_sql

        for statement in split_sql(ddl.stdout, "mysql"):
            cur.execute(statement)
        cur.execute("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = %s", (fresh,))
        assert {r[0] for r in cur.fetchall()} == {"users", "orders", "items", "ship"}
        cur.execute(
            "SELECT DISTINCT INDEX_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = %s", (fresh,)
        )
        assert {"orders_user_created", "note_prefix"} <= {r[0] for r in cur.fetchall()}


def _performance_schema(conn: Any) -> None:
    with conn.cursor() as cur:
        cur.execute("SELECT @@performance_schema")
        if not int(cur.fetchone()[0]):
            _unavailable("MariaDB runs with performance_schema = OFF (.ci/run restarts it with ON)")
        # a server that has run many statements has a full digest table, where new ones are lost
        cur.execute("TRUNCATE TABLE performance_schema.events_statements_summary_by_digest")


def test_workload_from_statement_digests(server: tuple[str, Any, list[str]], tmp_path: Path) -> None:
    url, conn, made = server
    _performance_schema(conn)
    name = _create(conn, made, SCHEMA)
    with conn.cursor() as cur:
        for user in range(1, 41):
            cur.execute(
                "SELECT order_id, total FROM orders WHERE user_id = %s ORDER BY created_at DESC LIMIT 5",
                (user,),
            )
            cur.fetchall()
        cur.execute(
            "INSERT INTO orders (user_id, status, total, created_at) VALUES (1, 'new', 3, now()), (2, 'new', 4, now())"
        )
    out = tmp_path / "spec.yaml"
    done = run_advisor("introspect", _in(url, name), "-o", str(out))
    assert done.returncode == 0, done.stderr
    text = out.read_text()
    assert "# Patterns: performance_schema's statement digests" in text
    # the 40 lookups are one digest, most called first; the tool's own queries are left out
    first = text[text.index("patterns:") :].splitlines()[1:5]
    assert first[0].startswith("  - name: select_orders") and "performance_schema 40 calls in" in first[0], (
        first
    )
    assert "LIMIT ?" in first[1] and "information_schema" not in text[text.index("patterns:") :]
    assert "origin: performance_schema" in text
    assert "name: insert_orders" in text  # a multi-row VALUES digest, read as one row
    result = run_advisor("recommend", str(out), "--format", "json")
    assert result.returncode == 0, result.stderr


def test_workload_without_performance_schema_rights_is_a_warning(
    server: tuple[str, Any, list[str]], tmp_path: Path
) -> None:
    url, conn, made = server
    _performance_schema(conn)
    name = _create(conn, made, SCHEMA[:1])
    user = f"adv_{uuid.uuid4().hex[:8]}"
    with conn.cursor() as cur:
        cur.execute(f"CREATE USER '{user}'@'%' IDENTIFIED BY 'pw-{user}'")
        cur.execute(f"GRANT SELECT ON {name}.* TO '{user}'@'%'")
    try:
        parts = urlsplit(url)
        limited = f"mariadb://{user}:pw-{user}@{parts.hostname}:{parts.port or 3306}/{name}"
        done = run_advisor("introspect", limited, "-o", str(tmp_path / "spec.yaml"))
        assert done.returncode == 0, done.stderr
        assert "performance_schema is not readable by this user" in done.stderr
        assert f"pw-{user}" not in done.stderr
    finally:
        with conn.cursor() as cur:
            cur.execute(f"DROP USER '{user}'@'%'")


def test_engine_independent_statistics(server: tuple[str, Any, list[str]], tmp_path: Path) -> None:
    url, conn, made = server
    readings = [
        "CREATE TABLE readings (id int PRIMARY KEY, v int NOT NULL, day date NOT NULL)",
        "INSERT INTO readings SELECT seq, seq * 2, '2024-01-01' + INTERVAL (seq % 366) DAY FROM seq_1_to_3000",
        "ANALYZE TABLE readings PERSISTENT FOR ALL",
    ]
    name = _create(conn, made, [*SCHEMA, "ANALYZE TABLE users PERSISTENT FOR ALL", *readings])
    out = tmp_path / "spec.yaml"
    done = run_advisor("introspect", _in(url, name), "-o", str(out))
    assert done.returncode == 0, done.stderr
    text = out.read_text()
    users = text[text.index("  users:") :]
    country = users[users.index("country:") :].splitlines()
    # no index leads country: its 2 values and no NULLs come from the full scan ANALYZE made
    assert any("ndv: 2" in line and "mysql.column_stats" in line for line in country[:6]), country[:6]
    orders = text[text.index("  orders:") : text.index("  readings:")]
    assert "mysql.column_stats" not in orders  # not analyzed PERSISTENT: InnoDB's estimates only
    # the DOUBLE_PREC_HB histograms of a number and a date become bounds from the lowest to the highest
    block = text[text.index("  readings:") : text.index("  ship:")]
    v = block[block.index("      v:") : block.index("      day:")]
    day = block[block.index("      day:") :]
    assert "# mysql.column_stats DOUBLE_PREC_HB (" in v and "histogram: [2, " in v and "6000]" in v, v
    assert 'histogram: ["2024-01-01", ' in day and '"2024-12-31"]' in day, day
    days = re.findall(r'"(\d{4}-\d\d-\d\d)"', day)
    gaps = [(date.fromisoformat(b) - date.fromisoformat(a)).days for a, b in itertools.pairwise(days)]
    assert max(gaps) <= 6, gaps  # 3,000 rows over 366 days in 128 buckets: about 3 days each


def test_errors_are_one_line_without_the_password(server: tuple[str, Any, list[str]]) -> None:
    url, _, _ = server
    parts = urlsplit(url)
    for bad in (
        f"mariadb://root:s3cret-pw@{parts.hostname}:1/x",
        f"mariadb://nobody_at_all:s3cret-pw@{parts.hostname}:{parts.port or 3306}/x",
        f"mariadb://{parts.username}@{parts.hostname}:{parts.port or 3306}/",
    ):
        done = run_advisor("introspect", bad)
        assert done.returncode == 2, done.stdout
        assert (
            done.stderr.count("\n") == 1 and "s3cret-pw" not in done.stderr and "Traceback" not in done.stderr
        )


def test_progress_names_each_stage(server: tuple[str, Any, list[str]]) -> None:
    from advisor.introspect.model import Options
    from advisor.introspect.run import introspect

    url, conn, made = server
    name = _create(conn, made, SCHEMA[:2])
    stages: list[str] = []
    introspect(_in(url, name), Options(progress=stages.append))
    assert stages == [
        "reading the columns of 2 tables",
        "reading constraints and indexes",
        "reading statistics (mysql.column_stats)",
        "reading the workload (performance_schema)",
    ]
