"""``advisor lint --trace URL`` on the real MariaDB: what the server does with each ALTER confirms or
contradicts the static findings, an unpredicted copy is MIG091, the throwaway database is dropped
at the end and on SIGTERM, a stale one is swept, and a server that refuses the run is one line.
Skipped without a reachable server, unless ADVISOR_REQUIRE_DB=1."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.db.conftest import require

SCHEMA = (
    "CREATE TABLE orders (id BIGINT PRIMARY KEY, qty INT, code VARCHAR(20), "
    "status ENUM('pending', 'paid') NOT NULL);\n"
)


@pytest.fixture(scope="module")
def url() -> str:
    """The server's URL, with the test database (``mariadb://root@127.0.0.1:3306/test``)."""
    return require("mariadb").rstrip("/") + "/test"


@pytest.fixture
def admin(url: str) -> Iterator[Any]:
    from advisor.engines.mariadb import connect
    from advisor.engines.url import parse_db_url

    connection = connect(parse_db_url(url))
    try:
        yield connection
    finally:
        connection.close()


def _query(admin: Any, sql: str, *args: object) -> list[tuple[Any, ...]]:
    with admin.cursor() as cur:
        cur.execute(sql, args or None)
        return list(cur.fetchall())


def _trace_databases(admin: Any) -> set[str]:
    return {str(name) for (name,) in _query(admin, "SHOW DATABASES LIKE 'advisor\\_trace\\_%'")}


def _lint(tmp_path: Path, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "schema.sql").write_text(SCHEMA)
    return subprocess.run(
        [sys.executable, "-m", "advisor", "lint", *args, "--schema", "schema.sql", "--trace", url],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )


def test_trace_confirms_a_copy_contradicts_a_refusal_and_reports_the_unpredicted(
    tmp_path: Path, url: str, admin: Any
) -> None:
    before = _trace_databases(admin)
    (tmp_path / "V1__orders.sql").write_text(
        "ALTER TABLE orders MODIFY qty BIGINT;\n"
        "ALTER TABLE orders ADD COLUMN note TEXT, ALGORITHM=INSTANT;\n"
        "ALTER TABLE orders ORDER BY id;\n"
        "CREATE TABLE staging (id BIGINT PRIMARY KEY, qty INT);\n"
        "ALTER TABLE staging MODIFY qty BIGINT;\n"
    )
    # 10.2 did ADD COLUMN in place: MIG053 says the server refuses ALGORITHM=INSTANT, and 10.11 does not
    done = _lint(
        tmp_path, url, "V1__orders.sql", "--dialect", "mariadb", "--target-version", "10.2", "-f", "gcc"
    )
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 3, lines
    assert lines[0].startswith("V1__orders.sql:1:") and lines[0].endswith("[MIG011]")
    assert "[trace, confirmed: ALGORITHM=COPY, LOCK=SHARED; orders rebuilt (new table id)" in lines[0]
    assert lines[1].startswith("V1__orders.sql:2:") and "refuses this statement" in lines[1]
    assert "[trace, not confirmed: ALGORITHM=INSTANT, LOCK=NONE" in lines[1] and lines[1].endswith("[MIG053]")
    assert "rebuilt" not in lines[1]
    assert lines[2].startswith("V1__orders.sql:3:1: warning: on the server this statement copied a table")
    assert "ALGORITHM=COPY, LOCK=SHARED; orders rebuilt (new table id)" in lines[2] and "[MIG091]" in lines[2]
    (performance_schema,) = _query(admin, "SELECT @@performance_schema")[0]
    instrument = (
        _query(
            admin,
            "SELECT ENABLED FROM performance_schema.setup_instruments WHERE NAME = 'wait/lock/metadata/sql/mdl'",
        )
        if int(performance_schema)
        else []
    )
    if instrument and str(instrument[0][0]).upper() == "YES":
        assert "metadata lock EXCLUSIVE on orders" in lines[0]
    elif int(performance_schema):  # said once, not on every statement
        assert done.stderr.count("instrument wait/lock/metadata/sql/mdl is disabled") == 1, done.stderr
    else:
        assert done.stderr.count("performance_schema is off on the server") == 1, done.stderr
    assert "the rules assumed MariaDB 10.2: lint with --dialect mariadb --target-version" in done.stderr
    assert _trace_databases(admin) == before


def test_the_mysql_model_is_contradicted_by_mariadb(tmp_path: Path, url: str, admin: Any) -> None:
    """MySQL copies a VARCHAR lengthened past 255 bytes; MariaDB 10.4+ changes it instantly."""
    (tmp_path / "m.sql").write_text("ALTER TABLE orders MODIFY code VARCHAR(100);\n")
    mysql_url = "mysql://" + url.split("://", 1)[1]
    done = _lint(tmp_path, mysql_url, "m.sql", "--dialect", "mysql", "-f", "gcc")
    (version,) = _query(admin, "SELECT VERSION()")[0]
    if "mariadb" not in str(version).lower():
        pytest.skip(f"the server is MySQL {version}, which copies this change as the model says")
    assert done.returncode == 1, done.stderr
    (line,) = done.stdout.splitlines()
    assert line.startswith(
        "m.sql:1:27: warning: changing orders.code from varchar(20) to varchar(100) copies the table row by "
        "row (ALGORITHM=COPY), blocking writes until it is done on MySQL current releases "
        "[trace, not confirmed: ALGORITHM=INSTANT, LOCK=NONE"
    ), line
    assert line.endswith("[MIG011]") and "rebuilt" not in line
    assert "the server is MariaDB" in done.stderr and "--dialect mariadb" in done.stderr


def test_metadata_locks_when_performance_schema_shows_them(tmp_path: Path, url: str, admin: Any) -> None:
    """With performance_schema: LOCK TABLES keeps a lock blocking reads and writes (MIG091), and a
    foreign key holds SHARED_NO_WRITE on its parent; without it, neither is seen, and the note says so."""
    (tmp_path / "schema.sql").write_text(SCHEMA)
    (tmp_path / "m.sql").write_text(
        "LOCK TABLES orders WRITE;\nUPDATE orders SET qty = 1 WHERE id = 0;\nUNLOCK TABLES;\n"
        "CREATE TABLE items (id BIGINT PRIMARY KEY, order_id BIGINT);\n"
    )
    (tmp_path / "n.sql").write_text("ALTER TABLE items ADD FOREIGN KEY (order_id) REFERENCES orders (id);\n")
    done = _lint(tmp_path, url, "m.sql", "n.sql", "--dialect", "mariadb", "-f", "gcc")
    (performance_schema,) = _query(admin, "SELECT @@performance_schema")[0]
    instrument = _query(
        admin,
        "SELECT ENABLED FROM performance_schema.setup_instruments WHERE NAME = 'wait/lock/metadata/sql/mdl'",
    )
    lines = done.stdout.splitlines()
    if int(performance_schema) and instrument == [("YES",)]:
        assert lines[0].startswith("m.sql:1:1: warning: on the server this statement locked a table"), lines
        assert lines[0].endswith(
            "[trace: metadata lock SHARED_NO_READ_WRITE on orders kept after it] [MIG091]"
        )
        assert "metadata lock SHARED_NO_WRITE on orders" in lines[1] and lines[1].endswith("[MIG053]")
        assert "not observed" not in done.stderr
    else:
        assert [line for line in lines if "MIG091" in line] == []
        assert (
            "[trace, confirmed: ALGORITHM=COPY, LOCK=SHARED; items rebuilt (new table id)] [MIG053]"
            in lines[0]
        )
        assert done.stderr.count("metadata locks are not observed") == 1, done.stderr


def test_sigterm_mid_statement_still_drops_the_database(tmp_path: Path, url: str, admin: Any) -> None:
    before = _trace_databases(admin)
    (tmp_path / "slow.sql").write_text("SELECT SLEEP(120);\n")
    (tmp_path / "schema.sql").write_text(SCHEMA)
    command = ["lint", "slow.sql", "--dialect", "mariadb", "--schema", "schema.sql", "--trace", url]
    process = subprocess.Popen(
        [sys.executable, "-m", "advisor", *command],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        sleeping: list[tuple[Any, ...]] = []
        for _ in range(300):  # until the run is inside SLEEP in its throwaway database
            sleeping = _query(
                admin,
                "SELECT DB FROM information_schema.PROCESSLIST WHERE INFO = 'SELECT SLEEP(120)' AND DB LIKE %s",
                "advisor\\_trace\\_%",
            )
            if sleeping or process.poll() is not None:
                break
            time.sleep(0.1)
        assert sleeping, process.communicate(timeout=30)
        created = {str(db) for (db,) in sleeping} - before
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 128 + signal.SIGTERM
    assert created and not (_trace_databases(admin) & created)
    err = process.stderr.read() if process.stderr else b""
    assert b"Traceback" not in err and b"interrupted by signal" in err
    left = _query(admin, "SELECT ID FROM information_schema.PROCESSLIST WHERE DB IN %s", tuple(created))
    assert left == []  # the statement's session was ended too


def test_a_stale_throwaway_database_is_swept_and_a_fresh_one_kept(
    tmp_path: Path, url: str, admin: Any
) -> None:
    from advisor.engines.database import TRACE_PREFIX, throwaway_name

    stale = "advisor_trace_20000101000000_5ea1ed"
    fresh = throwaway_name(prefix=TRACE_PREFIX)  # another run's, still working
    for name in (stale, fresh):
        _query(admin, f"CREATE DATABASE IF NOT EXISTS `{name}`")
    try:
        (tmp_path / "m.sql").write_text("ALTER TABLE orders ADD COLUMN note TEXT;\n")
        done = _lint(tmp_path, url, "m.sql", "--dialect", "mariadb")
        assert done.returncode == 0, done.stderr
        left = _trace_databases(admin)
        assert stale not in left and fresh in left
    finally:
        for name in (stale, fresh):
            _query(admin, f"DROP DATABASE IF EXISTS `{name}`")


def test_a_server_that_refuses_the_run_is_one_line_without_the_password(
    tmp_path: Path, url: str, admin: Any
) -> None:
    (tmp_path / "m.sql").write_text("ALTER TABLE orders ADD COLUMN note TEXT;\n")
    host = url.split("@", 1)[1].split("/", 1)[0]
    user = f"advisor_nopriv_{uuid.uuid4().hex[:8]}"
    _query(admin, f"CREATE USER '{user}'@'%' IDENTIFIED BY 's3cret-pw'")
    try:
        cases = [
            (f"mysql://{user}:wrong-s3cret@{host}/test", "cannot connect to MariaDB/MySQL", "Access denied"),
            (f"mysql://{user}:s3cret-pw@{host}/", "cannot create a throwaway database", "Access denied"),
        ]
        for bad, says, server_says in cases:
            done = _lint(tmp_path, bad, "m.sql", "--dialect", "mariadb")
            assert done.returncode == 2, done.stderr
            assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
            assert says in done.stderr and server_says in done.stderr, done.stderr
            assert "s3cret" not in done.stderr + done.stdout
    finally:
        _query(admin, f"DROP USER IF EXISTS '{user}'@'%'")
