"""SQLite rule claims checked on the real engine (the sqlite3 module): what MIG060 and MIG008 flag
fails, what they leave alone runs."""

from __future__ import annotations

import sqlite3

import pytest

from advisor.lint.engine import Options, lint
from advisor.schema.source import Source

BASELINE = "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT); INSERT INTO users (email) VALUES ('a');"
FLAGGED = [
    ("MIG060", "ALTER TABLE users ALTER COLUMN email SET NOT NULL"),
    ("MIG060", "ALTER TABLE users ADD COLUMN created_at TEXT DEFAULT CURRENT_TIMESTAMP"),
    ("MIG060", "ALTER TABLE users ADD COLUMN code TEXT UNIQUE"),
    ("MIG060", "ALTER TABLE users ADD CONSTRAINT c CHECK (id > 0)"),
    ("MIG008", "ALTER TABLE users ADD COLUMN region TEXT NOT NULL"),
]
ACCEPTED = [
    "ALTER TABLE users ADD COLUMN note TEXT DEFAULT 'none'",
    "ALTER TABLE users ADD COLUMN region TEXT NOT NULL DEFAULT 'eu'",
    "ALTER TABLE users RENAME COLUMN email TO mail",
    "ALTER TABLE users DROP COLUMN email",
    "ALTER TABLE users RENAME TO people",
]


def _run(sql: str) -> None:
    connection = sqlite3.connect(":memory:")
    try:
        connection.executescript(BASELINE)
        connection.execute(sql)
    finally:
        connection.close()


@pytest.mark.parametrize(("rule", "sql"), FLAGGED)
def test_flagged_alters_fail_on_sqlite(rule: str, sql: str) -> None:
    found = lint([Source("m.sql", sql + ";")], Options(dialect="sqlite"))
    assert [f.rule for f in found] == [rule]
    with pytest.raises(sqlite3.OperationalError):
        _run(sql)


@pytest.mark.parametrize("sql", ACCEPTED)
def test_accepted_alters_run_on_sqlite(sql: str) -> None:
    found = lint([Source("m.sql", sql + ";")], Options(dialect="sqlite"))
    assert [f.rule for f in found if f.rule in ("MIG060", "MIG008")] == []
    _run(sql)
