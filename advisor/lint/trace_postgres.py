"""``lint --trace`` on PostgreSQL through psycopg 3.

A statement outside an explicit transaction runs inside one opened for it, so its locks can be read
from ``pg_locks`` by a second connection while it still holds them, and its rewrites seen as new
``relfilenode``s of the tables, before it commits.
"""

from __future__ import annotations

import contextlib
from dataclasses import replace
from pathlib import Path
from typing import Any

from advisor.engines.database import first_line
from advisor.engines.url import DbUrl
from advisor.errors import AdvisorError, Location
from advisor.lint.trace import Observation, Trace, cannot
from advisor.schema.ops import Transaction, TxKind
from advisor.schema.source import Source

BLOCKS_WRITES = {
    "ShareLock": "writes",
    "ShareRowExclusiveLock": "writes",
    "ExclusiveLock": "writes",
    "AccessExclusiveLock": "reads and writes",
}
"""Table lock modes that block INSERT, UPDATE and DELETE, and what each blocks."""
_TABLES = (
    "SELECT c.oid::regclass::text, c.relfilenode FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE c.relkind IN ('r', 'm', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
    "AND n.nspname NOT LIKE 'pg_toast%'"
)
_LOCKS = (
    "SELECT c.oid::regclass::text, l.mode FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
    "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE l.pid = %s AND l.granted "
    "AND c.relkind IN ('r', 'm', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
)


class PostgresServer:
    """The server of a ``postgresql://`` URL, through an autocommit admin connection."""

    def __init__(self, url: DbUrl) -> None:
        try:
            import psycopg
        except ImportError:
            raise AdvisorError("--trace needs psycopg: pip install 'advisor[db]'") from None
        self.psycopg: Any = psycopg
        self.errors: tuple[type[Exception], ...] = (psycopg.Error,)
        self.url = url
        self.creating = False
        self.created = False
        try:
            self.admin = psycopg.connect(url.url, autocommit=True)
        except psycopg.Error as exc:
            raise cannot("connect to", "PostgreSQL", url, exc) from None

    def sweep(self) -> None:
        from advisor.engines.postgres import sweep_stale

        sweep_stale(self.admin)

    def create(self, name: str) -> None:
        self.creating = True
        try:
            self.admin.execute(f'CREATE DATABASE "{name}"')
        except self.psycopg.Error as exc:
            why = " (--trace needs to create and drop a database of its own: CREATEDB)"
            raise cannot("create a throwaway database on", "PostgreSQL", self.url, exc, why) from None
        self.created = True

    def drop(self, name: str) -> None:
        if not self.creating:
            return
        try:
            # FORCE ends the sessions still in it (a statement a signal interrupted)
            self.admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        except self.psycopg.Error:
            if self.created:
                raise

    def close(self) -> None:
        self.admin.close()

    def run(self, name: str, sources: list[Source], schema_files: list[Path]) -> Trace:
        psycopg = self.psycopg
        conninfo = psycopg.conninfo.make_conninfo(self.url.url, dbname=name)
        with (
            psycopg.connect(conninfo, autocommit=True) as runner,
            psycopg.connect(conninfo, autocommit=True) as watcher,
        ):
            _build(psycopg, runner, schema_files)
            found: list[Observation] = []
            for source in sources:
                found += _run_file(psycopg, runner, watcher, source)
            return Trace(tuple(found))


def _build(psycopg: Any, runner: Any, schema_files: list[Path]) -> None:
    from advisor.schema.postgres import parse_postgres

    for path in schema_files:
        for statement in parse_postgres(Source(str(path), path.read_text(encoding="utf-8"))):
            try:
                runner.execute(statement.text)
            except psycopg.Error as exc:
                where = Location(path, statement.loc.line, field="--schema")
                raise AdvisorError(f"the schema does not apply: {first_line(exc)}", where) from None


def _run_file(psycopg: Any, runner: Any, watcher: Any, source: Source) -> list[Observation]:
    from advisor.schema.postgres import parse_postgres

    before_file = set(_relfilenodes(runner))
    depth = 0
    found: list[Observation] = []
    for statement in parse_postgres(source):
        spot = Observation(source.name, statement.loc.line, statement.end_line)
        kinds = [op.kind for op in statement.ops if isinstance(op, Transaction)]
        if kinds:
            with contextlib.suppress(psycopg.Error):
                runner.execute(statement.text)
            if TxKind.BEGIN in kinds:
                depth += 1
            elif TxKind.COMMIT in kinds or TxKind.ROLLBACK in kinds:
                depth = 0
            continue
        observed = _observe(psycopg, runner, watcher, statement.text, depth > 0, spot, before_file)
        if not observed.observed and depth > 0 and runner.info.transaction_status != 0:
            with contextlib.suppress(psycopg.Error):
                runner.execute("ROLLBACK")
            depth = 0
        found.append(observed)
    if depth:
        with contextlib.suppress(psycopg.Error):
            runner.execute("COMMIT")
    return found


def _observe(
    psycopg: Any, runner: Any, watcher: Any, sql: str, inside: bool, spot: Observation, existing: set[str]
) -> Observation:
    """Run one statement, in a transaction of its own unless the file opened one, and read its
    locks (from the second connection) and rewrites before it commits."""
    pid = runner.info.backend_pid
    try:
        if not inside:
            runner.execute("BEGIN")
        held = set(_locks(watcher, pid))
        before = _relfilenodes(runner)
        runner.execute(sql)
        taken = [(table, mode) for table, mode in _locks(watcher, pid) if (table, mode) not in held]
        after = _relfilenodes(runner)
        if not inside:
            runner.execute("COMMIT")
    except psycopg.errors.ActiveSqlTransaction:
        runner.execute("ROLLBACK")
        try:
            runner.execute(sql)
        except psycopg.Error as exc:
            return replace(spot, observed=False, note=f"failed: {first_line(exc)}")
        return replace(spot, observed=False, note="runs outside a transaction block: locks not observed")
    except psycopg.Error as exc:
        if not inside:
            runner.execute("ROLLBACK")
        return replace(spot, observed=False, note=f"failed: {first_line(exc)}")
    blocking = tuple(sorted({(t, m) for t, m in taken if m in BLOCKS_WRITES and t in existing}))
    rewritten = tuple(sorted(t for t in before if t in existing and t in after and after[t] != before[t]))
    return replace(spot, locks=blocking, rewritten=rewritten)


def _relfilenodes(connection: Any) -> dict[str, int]:
    return {str(name): int(node) for name, node in connection.execute(_TABLES).fetchall()}


def _locks(connection: Any, pid: int) -> list[tuple[str, str]]:
    return [(str(name), str(mode)) for name, mode in connection.execute(_LOCKS, (pid,)).fetchall()]
