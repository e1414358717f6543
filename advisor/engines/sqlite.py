"""SQLite (standard library): an in-memory database, EXPLAIN QUERY PLAN, and as the cost the
virtual-machine steps the statement takes, since SQLite's planner exposes no estimate."""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime

from advisor.emit.target import resolve_target
from advisor.engines.database import DEFAULT_TIMEOUT, Database, Explained

_USING = re.compile(r"USING (?:COVERING )?INDEX (\S+)")
_STEP = 1
"""The progress handler runs every this many VM instructions when it counts them."""
_CHECK_EVERY = 10_000
"""The clock is read every this many VM instructions."""


def _stored(value: object) -> object:
    """Timestamps as SQLite's own CURRENT_TIMESTAMP text, so that they compare with it."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return value


class SqliteDatabase(Database):
    cost_unit = "VM steps"

    def __init__(self, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.target = resolve_target("sqlite")
        self.errors = (sqlite3.Error,)
        self.timeout = timeout
        self.db = sqlite3.connect(":memory:", isolation_level=None)
        self.db.execute("PRAGMA foreign_keys = OFF")
        self.expired = False

    @contextmanager
    def _bounded(self, count: bool = False) -> Iterator[list[int]]:
        """A statement stopped at ``timeout`` seconds by SQLite's progress handler (which can
        also count the VM instructions it runs: ``steps[0]``)."""
        steps = [0]
        deadline = time.monotonic() + self.timeout
        every = _STEP if count else _CHECK_EVERY

        def tick() -> int:
            steps[0] += every
            if steps[0] % _CHECK_EVERY == 0 and time.monotonic() > deadline:
                self.expired = True
                return 1  # SQLite stops the statement: "interrupted"
            return 0

        self.expired = False
        self.db.set_progress_handler(tick, every)
        try:
            yield steps
        finally:
            self.db.set_progress_handler(None, 0)

    def timed_out(self, exc: BaseException) -> bool:
        return self.expired and isinstance(exc, sqlite3.OperationalError)

    def execute(self, sql: str) -> None:
        with self._bounded():
            self.db.execute(sql)

    def insert(self, table: str, columns: Sequence[str], rows: Sequence[tuple[object, ...]]) -> None:
        names = ", ".join(self.quote(c) for c in columns)
        marks = ", ".join("?" for _ in columns)
        self.db.execute("BEGIN")
        try:
            with self._bounded():
                self.db.executemany(
                    f"INSERT INTO {self.quote(table)} ({names}) VALUES ({marks})",
                    [tuple(map(_stored, r)) for r in rows],
                )
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def analyze(self, tables: Sequence[str]) -> None:
        with self._bounded():
            self.db.execute("ANALYZE")

    def explain(self, sql: str) -> Explained:
        with self._bounded():
            rows = self.db.execute(f"EXPLAIN QUERY PLAN {sql}").fetchall()
        details = [str(r[3]) for r in rows]
        indexes = frozenset(m.group(1).lower() for d in details for m in _USING.finditer(d))
        return Explained(self._steps(sql), indexes, "; ".join(details))

    def _steps(self, sql: str) -> float:
        """VM instructions to run ``sql`` to the end, inside a savepoint that is rolled back; an
        endless statement (a recursive CTE without a bound) is stopped at ``timeout``."""
        self.db.execute("SAVEPOINT advisor_explain")
        try:
            with self._bounded(count=True) as steps:
                self.db.execute(sql).fetchall()
        finally:
            self.db.execute("ROLLBACK TO advisor_explain")
            self.db.execute("RELEASE advisor_explain")
        return float(steps[0])

    def describe(self) -> str:
        return f"SQLite {sqlite3.sqlite_version} (in-memory)"

    def close(self) -> None:
        self.db.close()
