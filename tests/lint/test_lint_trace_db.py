"""``advisor lint --trace URL`` on the real PostgreSQL: evidence on the findings, and the throwaway
database dropped at the end and on SIGTERM. Skipped without a reachable server, unless
ADVISOR_REQUIRE_DB=1."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

URL = os.environ.get("ADVISOR_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
SCHEMA = "CREATE TABLE orders (id bigint PRIMARY KEY, qty int, code varchar(20), seen timestamp);\n"


def _trace_databases() -> set[str]:
    if shutil.which("psql") is None:
        _unavailable("psql is not installed")
    done = subprocess.run(
        [
            "psql",
            URL,
            "-X",
            "-At",
            "-c",
            "SELECT datname FROM pg_database WHERE datname LIKE 'advisor_trace_%'",
        ],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    if done.returncode != 0:
        _unavailable(f"PostgreSQL is not reachable: {done.stderr.strip()}")
    return set(done.stdout.split())


def _unavailable(reason: str) -> None:
    if os.environ.get("ADVISOR_REQUIRE_DB") == "1":
        pytest.fail(f"PostgreSQL is required (ADVISOR_REQUIRE_DB=1): {reason}")
    pytest.skip(reason)


def _command(tmp_path: Path, *files: str) -> list[str]:
    (tmp_path / "schema.sql").write_text(SCHEMA)
    return [sys.executable, "-m", "advisor", "lint", *files, "--schema", "schema.sql", "--trace", URL]


def test_trace_confirms_contradicts_and_drops_its_database(tmp_path: Path) -> None:
    before = _trace_databases()
    (tmp_path / "m.sql").write_text(
        "CREATE INDEX orders_qty ON orders (qty);\n"
        "ALTER TABLE orders ALTER COLUMN code TYPE varchar(40);\n"
        "LOCK TABLE orders IN SHARE ROW EXCLUSIVE MODE;\n"
    )
    done = subprocess.run(
        [*_command(tmp_path, "m.sql"), "--format", "gcc", "--ignore", "MIG032"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].endswith("[trace, confirmed: ShareLock on orders] [MIG001]"), lines
    assert len(lines) == 2 and "[MIG091]" in lines[1] and "ShareRowExclusiveLock on orders" in lines[1]
    assert _trace_databases() == before
    # a time zone set in a way the rules do not read: MIG011 claims a rewrite the server does not make
    (tmp_path / "z.sql").write_text(
        "SELECT set_config('TimeZone', 'UTC', false);\nALTER TABLE orders ALTER COLUMN seen TYPE timestamptz;\n"
    )
    zone = subprocess.run(
        [*_command(tmp_path, "z.sql"), "--format", "gcc"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert zone.stdout.splitlines()[0].endswith(
        "[trace, not confirmed: AccessExclusiveLock on orders] [MIG011]"
    ), zone.stdout
    missing = subprocess.run(
        [sys.executable, "-m", "advisor", "lint", "z.sql", "--trace", URL, "--format", "gcc"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert '[trace: failed: relation "orders" does not exist] [MIG011]' in missing.stdout, missing.stdout


def test_sigterm_still_drops_the_database(tmp_path: Path) -> None:
    before = _trace_databases()
    (tmp_path / "slow.sql").write_text("SELECT pg_sleep(120);\n")
    process = subprocess.Popen(
        _command(tmp_path, "slow.sql"), cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        created: set[str] = set()
        for _ in range(300):  # wait until the throwaway database exists (the run is in pg_sleep)
            created = _trace_databases() - before
            if created or process.poll() is not None:
                break
            time.sleep(0.1)
        assert created, process.communicate(timeout=30)
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode != 0
    assert not (_trace_databases() & created)
    assert b"Traceback" not in (process.stderr.read() if process.stderr else b"")


def test_a_stale_trace_database_is_swept_and_no_createdb_is_one_line(tmp_path: Path) -> None:
    _trace_databases()  # skips when the server is not there
    stale = "advisor_trace_20000101000000_5ea1ed"
    role = f"advisor_nocreate_{os.getpid()}"

    def psql(sql: str) -> None:
        subprocess.run(["psql", URL, "-X", "-q", "-c", sql], capture_output=True, timeout=30, check=True)

    psql(f"CREATE DATABASE {stale}")
    psql(f"CREATE ROLE {role} LOGIN PASSWORD 's3cret-pw'")
    try:
        (tmp_path / "m.sql").write_text("ALTER TABLE orders ADD COLUMN note text;\n")
        done = subprocess.run(
            _command(tmp_path, "m.sql"),
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert stale not in _trace_databases()
        parts = urlsplit(URL)
        user_url = parts._replace(netloc=f"{role}:s3cret-pw@{parts.hostname}:{parts.port or 5432}").geturl()
        refused = subprocess.run(
            [sys.executable, "-m", "advisor", "lint", "m.sql", "--trace", user_url],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert refused.returncode == 2, refused.stderr
        assert len(refused.stderr.strip().splitlines()) == 1 and "Traceback" not in refused.stderr
        assert "cannot create a throwaway database on PostgreSQL" in refused.stderr, refused.stderr
        assert "s3cret-pw" not in refused.stderr
    finally:
        psql(f"DROP DATABASE IF EXISTS {stale}")
        psql(f"DROP ROLE IF EXISTS {role}")
