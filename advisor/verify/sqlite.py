"""SQLite (standard library): an in-memory database, EXPLAIN QUERY PLAN, and as the cost the
virtual-machine steps the statement takes, since SQLite's planner exposes no estimate."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from datetime import date, datetime

from advisor.emit.target import resolve_target
from advisor.verify.engine import Engine, Explained

_USING = re.compile(r"USING (?:COVERING )?INDEX (\S+)")
_STEP = 1
"""The progress handler runs every this many VM instructions."""


def _stored(value: object) -> object:
    """Timestamps as SQLite's own CURRENT_TIMESTAMP text, so that they compare with it."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return value


class SqliteEngine(Engine):
    cost_unit = "VM steps"

    def __init__(self) -> None:
        self.target = resolve_target("sqlite")
        self.db = sqlite3.connect(":memory:", isolation_level=None)
        self.db.execute("PRAGMA foreign_keys = OFF")

    def execute(self, sql: str) -> None:
        self.db.execute(sql)

    def insert(self, table: str, columns: Sequence[str], rows: Sequence[tuple[object, ...]]) -> None:
        names = ", ".join(self.quote(c) for c in columns)
        marks = ", ".join("?" for _ in columns)
        self.db.execute("BEGIN")
        self.db.executemany(
            f"INSERT INTO {self.quote(table)} ({names}) VALUES ({marks})",
            [tuple(map(_stored, r)) for r in rows],
        )
        self.db.execute("COMMIT")

    def analyze(self, tables: Sequence[str]) -> None:
        self.db.execute("ANALYZE")

    def explain(self, sql: str) -> Explained:
        rows = self.db.execute(f"EXPLAIN QUERY PLAN {sql}").fetchall()
        details = [str(r[3]) for r in rows]
        indexes = frozenset(m.group(1).lower() for d in details for m in _USING.finditer(d))
        return Explained(self._steps(sql), indexes, "; ".join(details))

    def _steps(self, sql: str) -> float:
        """VM instructions to run ``sql`` to the end, inside a savepoint that is rolled back."""
        steps = 0

        def count() -> int:
            nonlocal steps
            steps += _STEP
            return 0

        self.db.execute("SAVEPOINT advisor_explain")
        self.db.set_progress_handler(count, _STEP)
        try:
            self.db.execute(sql).fetchall()
        finally:
            self.db.set_progress_handler(None, 0)
            self.db.execute("ROLLBACK TO advisor_explain")
            self.db.execute("RELEASE advisor_explain")
        return float(steps)

    def describe(self) -> str:
        return f"SQLite {sqlite3.sqlite_version} (in-memory)"

    def close(self) -> None:
        self.db.close()
