"""Any ``--db`` URL is either accepted or refused with one line, and no message shows its password."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.engines.url import parse_db_url, redact
from advisor.errors import AdvisorError

SECRET = st.text(alphabet=st.sampled_from(list("Zq9#!:@/?&=%[] é")), min_size=1, max_size=10).map(
    lambda s: f"Pw{s}"
)
HOST = st.sampled_from(["127.0.0.1", "db", "[::1]", "[::1", "h_st", ""])
PORT = st.sampled_from(["", ":5432", ":99999", ":abc", ":0", ":-1", ":"])
QUERY = st.sampled_from(["", "?connect_timeout=3", "?connect_timeout=x", "?sslmode=require", "?a=%zz"])
SCHEME = st.sampled_from(["postgresql", "postgres", "mysql", "mariadb", "oracle", "POSTGRESQL"])


@settings(max_examples=400, deadline=None)
@given(SCHEME, SECRET, st.booleans(), st.booleans(), HOST, PORT, QUERY)
def test_any_url_is_accepted_or_refused_in_one_line_without_its_password(
    scheme: str, secret: str, escaped: bool, in_query: bool, host: str, port: str, query: str
) -> None:
    # in a query, an unescaped & or # would end the value: the password would be another one
    password = quote(secret, safe="") if escaped or in_query else secret
    if in_query:
        url = f"{scheme}://app@{host}{port}/shop{query}{'&' if query else '?'}password={password}"
    else:
        url = f"{scheme}://app:{password}@{host}{port}/shop{query}"
    try:
        parsed = parse_db_url(url)
    except AdvisorError as exc:
        message = str(exc)
        assert "\n" not in message
        assert secret not in message and password not in message
        return
    assert secret not in redact(url) and password not in redact(url)
    for spelling in (secret, password):
        assert parsed.scrub(f"driver: {spelling} refused") == "driver: *** refused"


def test_a_driver_error_that_escapes_the_run_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """The server failing mid-run (here SQLite's ANALYZE, made to fail) is one line, not a traceback."""
    from advisor.engines.sqlite import SqliteDatabase
    from advisor.spec.load import load_spec
    from advisor.verify.run import verify

    def broken(self: SqliteDatabase, tables: object) -> None:
        raise sqlite3.OperationalError("disk I/O error\nmore detail")

    monkeypatch.setattr(SqliteDatabase, "analyze", broken)
    with pytest.raises(AdvisorError, match=r"^--db: SQLite failed: disk I/O error$"):
        verify(load_spec(Path("samples/ecommerce/patterns.yaml")), None, rows=100)
