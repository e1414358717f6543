"""``lint --trace`` on MariaDB and MySQL through PyMySQL.

DDL commits at once there, so it cannot be held open in a transaction the way PostgreSQL's is.
Instead each ALTER TABLE, CREATE INDEX and DROP INDEX on a table that existed before its file is
sent with the fastest ALGORITHM and the weakest LOCK first; the server refuses what it cannot do
(errors 1845 and 1846, before touching anything), and the first variant it accepts is the one it
runs: what it would pick by default, now known. A new InnoDB table id (``INNODB_SYS_TABLES``, or
``INNODB_TABLES`` on MySQL 8) shows a rebuild. With ``performance_schema`` and its metadata lock
instrument on, a third session holds a shared read lock on the statement's tables while it runs, so
that the statement stops at its first exclusive metadata lock, and a second reads its locks from
``performance_schema.metadata_locks`` meanwhile; otherwise a note says so once.
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from advisor.dialects import dialect
from advisor.engines.url import DbUrl
from advisor.errors import AdvisorError, Location
from advisor.lint.trace import BLOCKING_MDL, Observation, Trace, cannot, said
from advisor.schema.ops import Statement, Transaction, Truncate
from advisor.schema.source import Source

ALGORITHMS = {"mariadb": ("INSTANT", "NOCOPY", "INPLACE", "COPY"), "mysql": ("INSTANT", "INPLACE", "COPY")}
"""Fastest first: the server's default is the fastest it supports."""
LOCKS = ("NONE", "SHARED", "EXCLUSIVE")
"""Weakest first: the server's default is the weakest its algorithm allows."""
NOT_SUPPORTED = (1845, 1846)
"""ER_ALTER_OPERATION_NOT_SUPPORTED(_REASON): an ALGORITHM or LOCK the server cannot give."""
PARSE_ERROR = 1064
LOCK_WAIT_TIMEOUT = 1205
HOLD_SECONDS = 2
"""How long the holding session waits for its shared locks (a table the file locked itself)."""
MDL_INSTRUMENT = "wait/lock/metadata/sql/mdl"

_NAME = r"(?:`(?:[^`]|``)+`|[\w$]+)"
_QUALIFIED = rf"{_NAME}(?:\s*\.\s*{_NAME})?"
_ALTER = re.compile(
    rf"^\s*ALTER\s+(?:ONLINE\s+)?(?:IGNORE\s+)?TABLE\s+(?:IF\s+EXISTS\s+)?(?P<table>{_QUALIFIED})"
    r"(?:\s+(?:WAIT\s+\d+|NOWAIT))?",
    re.IGNORECASE,
)
_INDEX = re.compile(
    r"^\s*(?:CREATE\s+(?:OR\s+REPLACE\s+)?(?:UNIQUE\s+|FULLTEXT\s+|SPATIAL\s+)?INDEX|DROP\s+INDEX)\s+"
    rf"(?:IF\s+(?:NOT\s+)?EXISTS\s+)?{_NAME}(?:\s+USING\s+\w+)?\s+ON\s+(?P<table>{_QUALIFIED})",
    re.IGNORECASE,
)
_ENCODED = re.compile(r"@([0-9a-f]{4})")


class RefusedError(Exception):
    """The server refused every ALGORITHM / LOCK the statement allows (its own clauses)."""


class MariaDBServer:
    """The server of a ``mysql://`` or ``mariadb://`` URL, through an autocommit admin session."""

    def __init__(self, url: DbUrl) -> None:
        try:
            import pymysql
        except ImportError:
            raise AdvisorError("--trace needs PyMySQL: pip install 'advisor[db]'") from None
        from advisor.engines.mariadb import connect

        self.errors: tuple[type[Exception], ...] = (pymysql.Error,)
        self.url = url
        self.creating = False
        self.created = False
        self.sessions: list[Any] = []
        """The run's sessions in the throwaway database: killed before it is dropped."""
        try:
            self.admin = connect(url)
            with self.admin.cursor() as cur:
                cur.execute("SELECT VERSION()")
                row = cur.fetchone()
        except pymysql.Error as exc:
            raise cannot("connect to", "MariaDB/MySQL", url, exc) from None
        version = str(row[0] if row else "")
        self.family = "mariadb" if "mariadb" in version.lower() else "mysql"
        self.version = tuple(int(part) for part in re.findall(r"\d+", version.split("-")[0])[:3])

    def sweep(self) -> None:
        from advisor.engines.mariadb import sweep_stale

        with self.admin.cursor() as cur:
            sweep_stale(cur)

    def create(self, name: str) -> None:
        import pymysql

        self.creating = True
        try:
            with self.admin.cursor() as cur:
                cur.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
        except pymysql.Error as exc:
            why = " (--trace needs to create and drop a database of its own)"
            raise cannot("create a throwaway database on", "MariaDB/MySQL", self.url, exc, why) from None
        self.created = True

    def drop(self, name: str) -> None:
        """Kill the run's sessions first: one may be inside a statement a signal interrupted, or
        hold the shared locks a DROP DATABASE would wait for."""
        import pymysql

        if not self.creating:
            return
        for session in self.sessions:
            with contextlib.suppress(pymysql.Error), self.admin.cursor() as cur:
                cur.execute(f"KILL CONNECTION {int(session.thread_id())}")
        try:
            with self.admin.cursor() as cur:
                cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
        except pymysql.Error:
            if not self.created:
                return
            from advisor.engines.mariadb import connect

            fresh = connect(self.url)  # the admin session broke (a signal mid-packet)
            try:
                with fresh.cursor() as cur:
                    cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
            finally:
                fresh.close()

    def close(self) -> None:
        import pymysql

        for session in (*self.sessions, self.admin):
            with contextlib.suppress(pymysql.Error, OSError):
                session.close()

    def run(self, name: str, sources: list[Source], schema_files: list[Path]) -> Trace:
        from advisor.engines.mariadb import connect

        runner = connect(self.url, name)
        self.sessions.append(runner)
        run = _Run(self.family, name, runner)
        notes = [note for note in (run.watch(lambda: self._session(name)), run.ids_note()) if note]
        run.build(schema_files)
        found: list[Observation] = []
        for source in sources:
            found += run.file(source)
        return Trace(tuple(found), tuple(notes), self.family, self.version)

    def _session(self, name: str) -> Any:
        from advisor.engines.mariadb import connect

        session = connect(self.url, name)
        self.sessions.append(session)
        return session


class _Run:
    """One run's sessions in the throwaway database and what it learned about the server."""

    def __init__(self, family: str, name: str, runner: Any) -> None:
        self.family = family
        self.name = name
        self.runner = runner
        self.watcher: Any = None
        self.holder: Any = None
        self.thread = 0
        self.ids_table = ""
        self.seen: set[tuple[str, str]] = set()
        self.kept: set[tuple[str, str]] = set()

    def watch(self, session: Callable[[], Any]) -> str:
        """Watch metadata locks from two more sessions when ``performance_schema`` shows them; else
        why not."""
        import pymysql

        off = (
            "metadata locks are not observed, and the LOCK shown for an ALTER is the weakest one "
            "the server accepted"
        )
        try:
            watcher = session()
            with watcher.cursor() as cur:
                cur.execute("SELECT @@performance_schema")
                row = cur.fetchone()
                if not row or not int(row[0]):
                    return f"performance_schema is off on the server: {off}"
                cur.execute(
                    "SELECT ENABLED FROM performance_schema.setup_instruments WHERE NAME = %s",
                    (MDL_INSTRUMENT,),
                )
                row = cur.fetchone()
                if not row or str(row[0]).upper() != "YES":
                    return f"the performance_schema instrument {MDL_INSTRUMENT} is disabled: {off}"
                cur.execute(
                    "SELECT THREAD_ID FROM performance_schema.threads WHERE PROCESSLIST_ID = %s",
                    (int(self.runner.thread_id()),),
                )
                row = cur.fetchone()
                if not row:
                    return f"performance_schema does not show this session: {off}"
                self.thread = int(row[0])
                cur.execute("SELECT COUNT(*) FROM performance_schema.metadata_locks")
            holder = session()
            with holder.cursor() as cur:
                cur.execute(f"SET SESSION lock_wait_timeout = {HOLD_SECONDS}")
        except pymysql.Error as exc:
            return f"performance_schema is not readable ({said(exc)}): {off}"
        self.watcher, self.holder = watcher, holder
        return ""

    def ids_note(self) -> str:
        """Find where the server lists InnoDB table ids; else why rebuilds are not observed."""
        import pymysql

        for table in ("INNODB_SYS_TABLES", "INNODB_TABLES"):
            try:
                with self.runner.cursor() as cur:
                    cur.execute(f"SELECT NAME, TABLE_ID FROM information_schema.{table} LIMIT 0")
            except pymysql.Error:
                continue
            self.ids_table = table
            return ""
        return (
            "rebuilds are not observed: information_schema.INNODB_SYS_TABLES is not readable "
            "(it needs the PROCESS privilege)"
        )

    def build(self, schema_files: list[Path]) -> None:
        import pymysql

        from advisor.schema.generic import parse_generic

        for path in schema_files:
            for statement in parse_generic(Source(str(path), path.read_text(encoding="utf-8")), "mysql"):
                try:
                    self._execute(statement.text)
                except pymysql.Error as exc:
                    where = Location(path, statement.loc.line, field="--schema")
                    raise AdvisorError(f"the schema does not apply: {self._said(exc)}", where) from None

    def file(self, source: Source) -> list[Observation]:
        import pymysql

        from advisor.schema.generic import parse_generic

        existing = self._tables()
        found: list[Observation] = []
        for statement in parse_generic(source, "mysql"):
            if any(isinstance(op, Transaction) for op in statement.ops):
                with contextlib.suppress(pymysql.Error):
                    self._execute(statement.text)
                continue
            found.append(self._observe(statement, existing, source.name))
        with contextlib.suppress(pymysql.Error):
            self._execute("COMMIT")  # a transaction the file left open
        return found

    def _observe(self, statement: Statement, existing: dict[str, str], file: str) -> Observation:
        import pymysql

        spot = Observation(file, statement.loc.line, statement.end_line, engine="mysql")
        tables = [existing[t] for t in _tables_of(statement) if t in existing]
        target = _target(statement.text)
        before = self._table_ids()
        self.seen, self.kept = set(), set()
        algorithm = lock = ""
        unseen = [] if self.ids_table else ["rebuilds not observed"]
        try:
            if target is not None and target in existing:
                algorithm, lock = self._ladder(statement.text, tables)
            else:
                self._watched(statement.text, tables)
            if self.watcher is None and not algorithm:
                unseen.insert(0, "metadata locks not observed")
        except RefusedError as exc:
            return replace(spot, refused=str(exc))
        except pymysql.Error as exc:
            return replace(spot, observed=False, note=f"failed: {self._said(exc)}")
        after = self._table_ids()
        rebuilt = tuple(
            sorted(existing[t] for t in before if t in existing and t in after and after[t] != before[t])
        )
        locks, kept = (
            tuple(sorted((t, mode) for t, mode in found if t.lower() in existing and mode in BLOCKING_MDL))
            for found in (self.seen, self.kept)
        )
        note = "; ".join(unseen)
        return replace(
            spot, algorithm=algorithm, lock=lock, rewritten=rebuilt, locks=locks, kept=kept, note=note
        )

    def _ladder(self, text: str, tables: list[str]) -> tuple[str, str]:
        """Run the ALTER with the fastest ALGORITHM and weakest LOCK the server accepts (the
        statement's own clauses kept); the algorithm and lock it ran with, or ``("", "")`` when no
        clause can be added to it (it then runs as written)."""
        import pymysql

        from advisor.lint.checks.mysql import statement_clauses

        own_algorithm, own_lock = (c if c != "DEFAULT" else None for c in statement_clauses(text))
        forms = _forms(text)
        refusal, skipped, copying = "", "", False
        for algorithm, lock in _variants(self.family, own_algorithm, own_lock):
            if algorithm == skipped:
                continue
            asked = (("ALGORITHM", algorithm, own_algorithm), ("LOCK", lock, own_lock))
            clauses = [f"{clause}={value}" for clause, value, own in asked if value and not own]
            while True:
                try:
                    self._watched(forms[0](clauses) if clauses else text, tables)
                    return ("COPY" if copying else algorithm), lock or "NONE"
                except pymysql.Error as exc:
                    if _code(exc) == PARSE_ERROR and clauses and len(forms) > 1:
                        forms = forms[1:]  # no room for the clauses there: try the next place
                        continue
                    if _code(exc) == PARSE_ERROR and clauses:
                        self._watched(text, tables)  # a form that takes no clause (ORDER BY ...)
                        return "", ""
                    if _code(exc) not in NOT_SUPPORTED:
                        raise
                    refusal = said(exc)
                    break
            if not refusal.upper().startswith("LOCK="):
                skipped = algorithm
            # a partitioning change accepts any ALGORITHM but only the locks of a copy
            copying = copying or "COPY algorithm requires a lock" in refusal
        raise RefusedError(refusal)

    def _watched(self, sql: str, tables: list[str]) -> None:
        """Run ``sql`` on the runner; with ``performance_schema``, from a worker thread while this
        one holds the tables, notes the locks the statement takes and lets it go on."""
        if self.watcher is None:
            self._execute(sql)
            return
        before = self._mdl()
        failed: list[BaseException] = []
        # a table the runner holds already (LOCK TABLES) cannot be held, and need not be
        held = self._hold([t for t in tables if not any(t == name for name, _, _ in before)])

        def work() -> None:
            try:
                self._execute(sql)
            except BaseException as exc:  # handed to the main thread, which raises it
                failed.append(exc)

        worker = threading.Thread(target=work, name="advisor-trace", daemon=True)
        worker.start()
        try:
            while worker.is_alive():
                locks = self._mdl()
                self.seen |= {(t, mode) for t, mode, _ in locks if (t, mode, "GRANTED") not in before}
                if held and any(status == "PENDING" for _, _, status in locks):
                    held = self._release()
                # closely until it waits at the held tables; then only what it takes later matters
                worker.join(0.002 if held else 0.05)
        finally:
            if held:
                self._release()
        worker.join()
        after = self._mdl()
        self.kept |= {
            (t, mode) for t, mode, status in after if status == "GRANTED" and (t, mode, status) not in before
        }
        if failed:
            raise failed[0]

    def _hold(self, tables: list[str]) -> bool:
        """Shared read locks on ``tables`` in an open transaction of the holding session, so that
        the statement waits at its first exclusive lock; ``False`` when none were taken."""
        import pymysql

        if not tables:
            return False
        try:
            with self.holder.cursor() as cur:
                cur.execute("START TRANSACTION")
                for table in tables:
                    cur.execute(f"SELECT 1 FROM {_quote(table)} LIMIT 0")
        except pymysql.Error:
            self._release()
            return False
        return True

    def _release(self) -> bool:
        import pymysql

        with contextlib.suppress(pymysql.Error), self.holder.cursor() as cur:
            cur.execute("ROLLBACK")
        return False

    def _mdl(self) -> set[tuple[str, str, str]]:
        """The runner's metadata locks on tables of the throwaway database: (table, type, status)."""
        with self.watcher.cursor() as cur:
            cur.execute(
                "SELECT OBJECT_NAME, LOCK_TYPE, LOCK_STATUS FROM performance_schema.metadata_locks "
                "WHERE OWNER_THREAD_ID = %s AND OBJECT_TYPE = 'TABLE' AND OBJECT_SCHEMA = %s",
                (self.thread, self.name),
            )
            return {(str(t), str(mode), str(status)) for t, mode, status in cur.fetchall()}

    def _execute(self, sql: str) -> None:
        with self.runner.cursor() as cur:
            cur.execute(sql)

    def _tables(self) -> dict[str, str]:
        """The base tables of the throwaway database, by lower-case name."""
        with self.runner.cursor() as cur:
            cur.execute(
                "SELECT TABLE_NAME FROM information_schema.TABLES "
                "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'"
            )
            return {str(t).lower(): str(t) for (t,) in cur.fetchall()}

    def _table_ids(self) -> dict[str, tuple[int, ...]]:
        """Each InnoDB table's ids (one per partition): a new one means the table was rebuilt."""
        if not self.ids_table:
            return {}
        with self.runner.cursor() as cur:
            cur.execute(
                f"SELECT NAME, TABLE_ID FROM information_schema.{self.ids_table} WHERE NAME LIKE %s",
                (f"{self.name}/%",),
            )
            rows = cur.fetchall()
        ids: dict[str, list[int]] = {}
        for name, table_id in rows:
            table = _decoded(str(name).split("/", 1)[1])
            if not table.startswith("#"):
                ids.setdefault(table, []).append(int(table_id))
        return {table: tuple(sorted(found)) for table, found in ids.items()}

    def _said(self, exc: BaseException) -> str:
        """The server's message, without the throwaway database's name before table names."""
        return said(exc).replace(f"{self.name}.", "").replace(f"`{self.name}`.", "")


def _variants(family: str, algorithm: str | None, lock: str | None) -> Iterator[tuple[str, str]]:
    """The (ALGORITHM, LOCK) pairs to ask for, fastest and weakest first; the statement's own
    clauses stay. MySQL takes no LOCK clause beside ALGORITHM=INSTANT ("" asks for none)."""
    for each in (algorithm,) if algorithm else ALGORITHMS[family]:
        if not dialect(family).instant_takes_lock and each == "INSTANT" and not lock:
            yield each, ""
            continue
        for weakest in (lock,) if lock else LOCKS:
            yield each, weakest


def _forms(text: str) -> list[Callable[[list[str]], str]]:
    """Where ALGORITHM= and LOCK= can go in the statement: an ALTER TABLE takes them as more
    clauses at its end, or, when a clause that must come last ends it (ORDER BY, a partitioning
    change), right after the table name; CREATE and DROP INDEX take them at the end."""
    alter = _ALTER.match(text)
    if alter is None:
        return [lambda clauses: f"{text} {' '.join(clauses)}"]
    head, rest = text[: alter.end()], text[alter.end() :]
    return [
        lambda clauses: f"{text}, {', '.join(clauses)}",
        lambda clauses: f"{head} {', '.join(clauses)},{rest}",
        lambda clauses: f"{head} {', '.join(clauses)}{rest}",
    ]


def _target(text: str) -> str | None:
    """The table an ALTER TABLE, CREATE INDEX or DROP INDEX changes (lower case), else ``None``."""
    found = _ALTER.match(text) or _INDEX.match(text)
    return _unquoted(found.group("table")) if found else None


def _tables_of(statement: Statement) -> list[str]:
    """The tables a statement names, lower case: what the holding session locks."""
    names = [_target(statement.text) or ""]
    for op in statement.ops:
        table = getattr(op, "table", None)
        names += [table] if isinstance(table, str) else []
        names += list(op.tables) if isinstance(op, Truncate) else []
    return list(dict.fromkeys(name.lower() for name in names if name))


def _unquoted(name: str) -> str:
    return name.strip().strip("`").replace("``", "`").lower()


def _quote(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _decoded(name: str) -> str:
    """An InnoDB file name as the table's name: partitions (``t#P#p0``) as their table, and the
    ``@0024`` escapes of characters a file name cannot hold as the characters."""
    name = re.split(r"#[Pp]#", name, maxsplit=1)[0]
    return _ENCODED.sub(lambda m: chr(int(m.group(1), 16)), name).lower()


def _code(exc: BaseException) -> int:
    code = exc.args[0] if exc.args else 0
    return code if isinstance(code, int) else 0
