"""MariaDB and MySQL through PyMySQL: a throwaway database, EXPLAIN FORMAT=JSON for the plan and
``Last_query_cost`` for the optimizer's estimate of a SELECT."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Sequence
from typing import Any

from advisor.emit.target import resolve_target
from advisor.engines.database import (
    DEFAULT_TIMEOUT,
    THROWAWAY_LIKE,
    Database,
    Explained,
    is_stale,
    missing_driver,
    no_room,
    signals_held,
    throwaway_name,
    unreachable,
)
from advisor.engines.url import DbUrl


def _tables(node: object) -> Iterator[dict[str, Any]]:
    """Every ``table`` object of an EXPLAIN FORMAT=JSON document."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "table" and isinstance(value, dict):
                yield value
            yield from _tables(value)
    elif isinstance(node, list):
        for item in node:
            yield from _tables(item)


def connect(url: DbUrl, database: str | None = None) -> Any:
    """A PyMySQL connection (autocommit, utf8mb4) to the server of ``url``, in ``database``."""
    import pymysql

    password = url.password or next((v for k, v in url.query if k == "password"), "")
    return pymysql.connect(
        host=url.host or "127.0.0.1",
        port=url.port or 3306,
        user=url.user or "root",
        password=password,
        database=database,
        autocommit=True,
        charset="utf8mb4",
        connect_timeout=5,
    )


def sweep_stale(cur: Any) -> None:
    """Drop the throwaway databases of ``verify`` and ``lint --trace`` runs more than a day old that
    could not clean up."""
    import pymysql

    for like in THROWAWAY_LIKE:
        cur.execute("SHOW DATABASES LIKE %s", (like,))
        for (name,) in cur.fetchall():
            if is_stale(str(name)):
                try:
                    cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
                except pymysql.Error:
                    continue


class MariaDBDatabase(Database):
    cost_unit = "optimizer cost units (Last_query_cost)"

    def __init__(self, url: DbUrl, timeout: float = DEFAULT_TIMEOUT) -> None:
        try:
            import pymysql
        except ImportError:
            raise missing_driver("MariaDB/MySQL", "PyMySQL") from None
        # the URL's scheme names the target: MariaDB has CREATE INDEX IF NOT EXISTS, and a plain
        # mysql:// URL may be MySQL 8, which has not
        self.target = resolve_target(url.engine)
        self.url = url
        self.errors = (pymysql.Error,)
        self.timeout = timeout
        self.name = throwaway_name()
        self.created = False
        try:
            self.db = self._connect()
        except pymysql.Error as exc:
            raise unreachable("MariaDB/MySQL", url, exc) from None
        try:
            self._open()
        except BaseException as exc:
            with signals_held():
                self.close()
            if isinstance(exc, pymysql.Error):
                raise unreachable("MariaDB/MySQL", url, exc) from None
            raise

    def _connect(self) -> Any:
        return connect(self.url)

    def _open(self) -> None:
        import pymysql

        with self.db.cursor() as cur:
            sweep_stale(cur)
            try:
                cur.execute(f"CREATE DATABASE {self.name} CHARACTER SET utf8mb4")
                self.created = True
            except pymysql.Error as exc:
                raise no_room("MariaDB/MySQL", self.url, exc) from None
            cur.execute(f"USE {self.name}")
            cur.execute("SET time_zone = '+00:00'")
            cur.execute("SELECT VERSION()")
            row = cur.fetchone()
            self.version = str(row[0]) if row else ""
            self.mariadb = "mariadb" in self.version.lower()
            if self.mariadb:  # every statement, in seconds
                cur.execute(f"SET SESSION max_statement_time = {max(0.001, self.timeout)}")
            else:  # MySQL bounds SELECTs only, in milliseconds
                cur.execute(f"SET SESSION max_execution_time = {max(1, round(self.timeout * 1000))}")

    def scrub(self, text: str) -> str:
        return self.url.scrub(text)

    def timed_out(self, exc: BaseException) -> bool:
        """MariaDB's max_statement_time (1969; 1317 "interrupted" for an index build) or MySQL's
        max_execution_time (3024)."""
        import pymysql

        return isinstance(exc, pymysql.err.OperationalError) and exc.args[:1] in ((1969,), (1317,), (3024,))

    def execute(self, sql: str) -> None:
        with self.db.cursor() as cur:
            cur.execute(sql)

    def insert(self, table: str, columns: Sequence[str], rows: Sequence[tuple[object, ...]]) -> None:
        names = ", ".join(self.quote(c) for c in columns)
        marks = ", ".join("%s" for _ in columns)
        with self.db.cursor() as cur:
            cur.execute("SET FOREIGN_KEY_CHECKS = 0")
            for start in range(0, len(rows), 1000):
                cur.executemany(
                    f"INSERT INTO {self.quote(table)} ({names}) VALUES ({marks})", rows[start : start + 1000]
                )
            cur.execute("SET FOREIGN_KEY_CHECKS = 1")

    def analyze(self, tables: Sequence[str]) -> None:
        # MariaDB's engine-independent statistics (value distributions); MySQL has no such clause
        extra = " PERSISTENT FOR ALL" if self.mariadb else ""
        with self.db.cursor() as cur:
            for table in tables:
                cur.execute(f"ANALYZE TABLE {self.quote(table)}{extra}")
                cur.fetchall()

    def explain(self, sql: str) -> Explained:
        with self.db.cursor() as cur:
            cur.execute(f"EXPLAIN FORMAT=JSON {sql}")
            row = cur.fetchone()
            doc = json.loads(row[0]) if row else {}
            cost: float | None = None
            if sql.lstrip()[:6].upper() in ("SELECT", "WITH ("):
                cur.execute("SHOW SESSION STATUS LIKE 'Last_query_cost'")
                status = cur.fetchone()
                cost = float(status[1]) if status else None
        tables = list(_tables(doc))
        indexes = frozenset(str(t["key"]).lower() for t in tables if t.get("key"))
        plan = "; ".join(
            f"{t.get('table_name')}: {t.get('access_type')}" + (f" using {t['key']}" if t.get("key") else "")
            for t in tables
        )
        return Explained(cost, indexes, plan)

    def describe(self) -> str:
        engine = "MariaDB" if self.mariadb else "MySQL"
        return f"{engine} {self.version.split('-')[0]} (throwaway database)"

    def close(self) -> None:
        """Drop the throwaway database; on a fresh connection when the working one is broken (an
        interrupted load leaves PyMySQL mid-packet: ``InterfaceError (0, '')``)."""
        import pymysql

        try:
            if self.created:
                try:
                    with self.db.cursor() as cur:
                        cur.execute(f"DROP DATABASE IF EXISTS {self.name}")
                except pymysql.Error:
                    fresh = self._connect()
                    try:
                        with fresh.cursor() as cur:
                            cur.execute(f"DROP DATABASE IF EXISTS {self.name}")
                    finally:
                        fresh.close()
        finally:
            with contextlib.suppress(pymysql.Error):
                self.db.close()
