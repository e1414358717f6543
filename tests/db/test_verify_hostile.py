"""``verify`` under hostile conditions, on the real engines: malformed URLs and secrets, errors
after the throwaway database exists, SIGINT and SIGTERM mid-load, stale databases of killed runs,
and statements that would never end."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from advisor.engines.url import parse_db_url
from advisor.errors import AdvisorError
from tests.db.conftest import require

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = "samples/ecommerce/patterns.yaml"
MYSQL = ["mysql", "-h", "127.0.0.1", "-P", "3306", "-uroot", "-N", "-B", "-e"]
PSQL = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-Atc"]


def _advisor(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "advisor", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _throwaways(engine: str) -> set[str]:
    """This version's throwaway databases (their names carry the time they were made; other runs
    on the same servers may hold databases of the older form)."""
    if engine == "postgres":
        sql = "SELECT datname FROM pg_database WHERE datname LIKE 'advisor\\_verify\\_%'"
        out = subprocess.run([*PSQL, sql], capture_output=True, text=True, check=True).stdout
    else:
        out = subprocess.run(
            [*MYSQL, "SHOW DATABASES LIKE 'advisor\\_verify\\_%'"], capture_output=True, text=True, check=True
        ).stdout
    return {name for name in out.split() if re.fullmatch(r"advisor_verify_\d{14}_[0-9a-f]+", name)}


def _sql(engine: str, statement: str) -> None:
    argv = [*PSQL, statement] if engine == "postgres" else [*MYSQL, statement]
    subprocess.run(argv, capture_output=True, text=True, check=True)


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("postgresql://app:pw0rd@db:99999/x", "port must be a number from 1 to 65535"),
        ("postgresql://app:pw0rd@db:abc/x", "port must be a number from 1 to 65535"),
        ("postgresql://app:pw0rd@[::1/x", "does not parse"),
        ("postgresql://app:pw0rd@127.0.0.1/x?connect_timeout=x", "connect_timeout must be a whole number"),
        ("oracle://app:pw0rd@db/x", "unknown database URL scheme 'oracle'"),
        ("postgresql://app:pw0rd%zz@127.0.0.1/x", "two-digit hex escape"),
        ("postgresql://app@127.0.0.1:1/x?password=pw0rd", "cannot connect to PostgreSQL"),
        ("mysql://app:pw0rd@127.0.0.1:1/x", "cannot connect to MariaDB/MySQL"),
    ],
)
def test_a_bad_or_unreachable_url_is_one_line_without_the_password(url: str, says: str) -> None:
    done = _advisor("verify", SAMPLE, "--db", url)
    out, err = done.communicate(timeout=120)
    assert done.returncode == 2, err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert says in err
    assert "pw0rd" not in err + out


def test_a_driver_message_holding_the_password_is_scrubbed() -> None:
    url = parse_db_url("postgresql://app:pa%40ss@127.0.0.1/x?password=other")
    assert url.scrub("FATAL: password pa@ss or pa%40ss or other refused") == (
        "FATAL: password *** or *** or *** refused"
    )


def test_a_failure_after_the_database_is_created_drops_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """The second connection (to the throwaway database) fails: nothing may be left behind."""
    import psycopg

    from advisor.engines.postgres import PostgresDatabase

    url = require("postgres")
    before = _throwaways("postgres")
    real = psycopg.connect
    calls: list[str] = []

    def second_fails(conninfo: str, **kwargs: Any) -> Any:
        calls.append(conninfo)
        if len(calls) == 2:
            raise psycopg.OperationalError('connection to "x" failed: password "s3cret" refused')
        return real(conninfo, **kwargs)

    monkeypatch.setattr(psycopg, "connect", second_fails)
    with pytest.raises(AdvisorError) as raised:
        PostgresDatabase(parse_db_url(url + "?password=s3cret"))
    assert len(calls) == 2 and "s3cret" not in str(raised.value)
    monkeypatch.undo()
    assert _throwaways("postgres") <= before


@pytest.mark.parametrize(
    ("engine", "sig", "code"),
    [
        ("postgres", signal.SIGTERM, 143),
        ("mariadb", signal.SIGTERM, 143),
        ("postgres", signal.SIGINT, 130),
        ("mariadb", signal.SIGINT, 130),
    ],
)
def test_a_signal_during_the_load_drops_the_database(engine: str, sig: int, code: int) -> None:
    url = require(engine)
    before = _throwaways(engine)
    run = _advisor("verify", SAMPLE, "--db", url, "--rows", "400000")
    new: set[str] = set()
    deadline = time.monotonic() + 60
    while not new and time.monotonic() < deadline and run.poll() is None:
        time.sleep(0.1)
        new = _throwaways(engine) - before
    assert new, "the throwaway database never appeared"
    time.sleep(1.5)  # into the load of 400,000 rows
    run.send_signal(sig)
    _, err = run.communicate(timeout=120)
    assert run.returncode == code, err
    assert err.strip() == f"advisor: interrupted by signal {int(sig)}; the throwaway database was dropped"
    assert not (_throwaways(engine) & new)


@pytest.mark.parametrize("engine", ["postgres", "mariadb"])
def test_stale_throwaway_databases_are_swept_and_fresh_ones_kept(engine: str) -> None:
    from advisor.engines.database import throwaway_name

    url = require(engine)
    stale = "advisor_verify_20000101000000_5ea1ed"
    fresh = throwaway_name()  # another run's, still working
    for name in (stale, fresh):
        _sql(engine, f"CREATE DATABASE {name}")
    try:
        run = _advisor("verify", SAMPLE, "--db", url, "--rows", "200")
        _, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
        left = _throwaways(engine)
        assert stale not in left and fresh in left
    finally:
        for name in (stale, fresh):
            _sql(engine, f"DROP DATABASE IF EXISTS {name}")


# MariaDB builds an index over 400,000 rows in about 0.2 s on a fast machine: a timeout there must
# sit well below it, or the run finishes in time and the test proves nothing
@pytest.mark.parametrize(("engine", "timeout"), [("postgres", "0.2"), ("mariadb", "0.05")])
def test_a_statement_past_the_timeout_is_one_line_and_leaves_nothing(engine: str, timeout: str) -> None:
    url = require(engine)
    before = _throwaways(engine)
    run = _advisor("verify", SAMPLE, "--db", url, "--rows", "400000", "--timeout", timeout)
    _, err = run.communicate(timeout=300)
    assert run.returncode == 2, err
    assert err.count("\n") == 1 and f"took longer than --timeout {timeout} s" in err
    assert _throwaways(engine) <= before


def test_an_endless_recursive_cte_on_sqlite_is_timed_out(tmp_path: Path) -> None:
    spec = tmp_path / "p.yaml"
    spec.write_text(
        "dialect: sqlite\ntables:\n  t:\n    rows: 100000\n    columns:\n"
        "      id: { type: bigint, primary_key: true }\n      a: { type: int, ndv: 50000 }\n"
        "patterns:\n"
        "  - name: endless\n    sql: WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c) "
        "SELECT id FROM t WHERE a = (SELECT max(n) FROM c)\n    per_sec: 1\n"
        "  - name: by_a\n    sql: SELECT id FROM t WHERE a = 5\n    per_sec: 1000\n",
        encoding="utf-8",
    )
    run = _advisor("verify", str(spec), "--rows", "2000", "--timeout", "1")
    out, err = run.communicate(timeout=120)  # never ended before
    assert run.returncode == 0, err
    assert "endless: timed out on SQLite (longer than --timeout 1 s)" in out
    assert "used     by_a" in out
