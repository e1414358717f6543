"""Real database servers for the tests: reachable, or a skip with the reason, or, when
ADVISOR_REQUIRE_DB=1 (CI), a failure."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Callable, Iterator

import pytest

POSTGRES_URL = os.environ.get("ADVISOR_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
MARIADB_URL = os.environ.get("ADVISOR_TEST_MARIADB_URL", "mariadb://root@127.0.0.1:3306/")
ENGINE_URLS = {"sqlite": "sqlite://", "postgres": POSTGRES_URL, "mariadb": MARIADB_URL}


def _reachable(engine: str) -> str | None:
    """``None`` if the engine can be used, else why not."""
    url = ENGINE_URLS[engine]
    try:
        if engine == "postgres":
            import psycopg

            psycopg.connect(url, connect_timeout=3).close()
        elif engine == "mariadb":
            from urllib.parse import urlsplit

            import pymysql

            parts = urlsplit(url)
            pymysql.connect(
                host=parts.hostname, port=parts.port or 3306, user=parts.username, connect_timeout=3
            ).close()
    except ImportError as exc:
        return f"driver missing ({exc.name}): pip install 'advisor[db]'"
    except Exception as exc:
        return f"no {engine} server at {url}: {str(exc).strip().splitlines()[0] if str(exc).strip() else exc}"
    return None


_CHECKED: dict[str, str | None] = {}


def require(engine: str) -> str:
    """The URL of ``engine``; skips (fails under ADVISOR_REQUIRE_DB=1) when it is not reachable."""
    if engine not in _CHECKED:
        _CHECKED[engine] = None if engine == "sqlite" else _reachable(engine)
    reason = _CHECKED[engine]
    if reason is not None:
        _unavailable(reason)
    return ENGINE_URLS[engine]


def _unavailable(reason: str) -> None:
    """Skip with ``reason``, or fail when ADVISOR_REQUIRE_DB=1 (CI) asks for every engine."""
    if os.environ.get("ADVISOR_REQUIRE_DB") == "1":
        pytest.fail(f"ADVISOR_REQUIRE_DB=1 but {reason}")
    pytest.skip(reason)


# Engines through their command-line clients: a throwaway database per test, dropped after.
Run = Callable[[str], str]


def _client(argv: list[str]) -> Run:
    def run(sql: str) -> str:
        done = subprocess.run(argv, input=sql, capture_output=True, text=True, timeout=60)
        if done.returncode != 0:
            raise AssertionError(f"{argv[0]} failed: {done.stderr.strip()}\n--- SQL ---\n{sql}")
        return done.stdout

    return run


@pytest.fixture
def postgres() -> Iterator[Run]:
    if shutil.which("psql") is None:
        _unavailable("psql is not installed")
    admin = _client(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-v", "ON_ERROR_STOP=1", "-qAt"]
    )
    try:
        admin("SELECT 1;")
    except (AssertionError, subprocess.TimeoutExpired) as exc:
        _unavailable(f"PostgreSQL at 127.0.0.1:5432 is not reachable ({exc})")
    name = f"advisor_{uuid.uuid4().hex[:12]}"
    admin(f"CREATE DATABASE {name};")
    try:
        yield _client(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", name, "-v", "ON_ERROR_STOP=1", "-qAt"]
        )
    finally:
        admin(f"DROP DATABASE IF EXISTS {name};")


@pytest.fixture
def mariadb() -> Iterator[Run]:
    client = shutil.which("mariadb") or shutil.which("mysql")
    if client is None:
        _unavailable("no mariadb or mysql client is installed")
    assert client is not None
    base = [client, "-h", "127.0.0.1", "-P", "3306", "-u", "root", "--batch", "--skip-column-names"]
    admin = _client(base)
    try:
        admin("SELECT 1;")
    except (AssertionError, subprocess.TimeoutExpired) as exc:
        _unavailable(f"MariaDB at 127.0.0.1:3306 is not reachable ({exc})")
    name = f"advisor_{uuid.uuid4().hex[:12]}"
    admin(f"CREATE DATABASE {name};")
    try:
        yield _client([*base, name])
    finally:
        admin(f"DROP DATABASE IF EXISTS {name};")
