"""MariaDB and MySQL through PyMySQL: a throwaway database, EXPLAIN FORMAT=JSON for the plan and
``Last_query_cost`` for the optimizer's estimate of a SELECT."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import unquote, urlsplit

from advisor.emit.target import resolve_target
from advisor.verify.engine import (
    Engine,
    Explained,
    missing_driver,
    no_room,
    throwaway_name,
    unreachable,
)


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


class MariaDBEngine(Engine):
    cost_unit = "optimizer cost units (Last_query_cost)"

    def __init__(self, url: str) -> None:
        try:
            import pymysql
        except ImportError:
            raise missing_driver("MariaDB/MySQL", "PyMySQL") from None
        parts = urlsplit(url)
        self.target = resolve_target("mariadb" if parts.scheme == "mariadb" else "mysql")
        # MariaDB has CREATE INDEX IF NOT EXISTS; a plain mysql:// URL may be MySQL 8, which has not.
        self.name = throwaway_name()
        try:
            self.db = pymysql.connect(
                host=parts.hostname or "127.0.0.1",
                port=parts.port or 3306,
                user=unquote(parts.username or "root"),
                password=unquote(parts.password or ""),
                autocommit=True,
                charset="utf8mb4",
                connect_timeout=5,
            )
        except pymysql.Error as exc:
            raise unreachable("MariaDB/MySQL", url, exc) from None
        with self.db.cursor() as cur:
            try:
                cur.execute(f"CREATE DATABASE {self.name} CHARACTER SET utf8mb4")
            except pymysql.Error as exc:
                self.db.close()
                raise no_room("MariaDB/MySQL", url, exc) from None
            cur.execute(f"USE {self.name}")
            cur.execute("SET time_zone = '+00:00'")
            cur.execute("SELECT VERSION()")
            row = cur.fetchone()
        self.version = str(row[0]) if row else ""
        self.mariadb = "mariadb" in self.version.lower()

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
        try:
            with self.db.cursor() as cur:
                cur.execute(f"DROP DATABASE IF EXISTS {self.name}")
        finally:
            self.db.close()
