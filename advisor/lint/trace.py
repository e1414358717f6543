"""``advisor lint --trace URL``: run the migrations on a real PostgreSQL and observe what they do.

A throwaway database is created on the server, the ``--schema`` files run first, then each file
statement by statement. A statement outside an explicit transaction runs inside one opened for it,
so its locks can be read from ``pg_locks`` by a second connection while it still holds them, and
its rewrites seen as new ``relfilenode``s of the tables, before it commits. The database is dropped
at the end, on an error, and on SIGINT, SIGTERM or SIGHUP.
"""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from advisor.errors import AdvisorError, Location
from advisor.lint.ops import Transaction, TxKind
from advisor.lint.source import Source

if TYPE_CHECKING:
    from advisor.lint.engine import LintFinding

from advisor.lint.checks.base import TRACE_RULE

BLOCKS_WRITES = {
    "ShareLock": "writes",
    "ShareRowExclusiveLock": "writes",
    "ExclusiveLock": "writes",
    "AccessExclusiveLock": "reads and writes",
}
"""Table lock modes that block INSERT, UPDATE and DELETE, and what each blocks."""
LOCKING_RULES = frozenset(
    {"MIG001", "MIG002", "MIG003", "MIG005", "MIG007", "MIG009", "MIG010", "MIG011", "MIG017", "MIG018"}
    | {"MIG021", "MIG025", "MIG029"}
)
"""Static rules that claim a lock blocking writes or a rewrite: the trace confirms or contradicts them."""
REWRITE_RULES = frozenset({"MIG010", "MIG011", "MIG018"})
"""Of those, the ones whose claim is a rewrite: only a new relfilenode confirms them."""
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


@dataclass(frozen=True)
class Observation:
    """What one statement did on the server: the write-blocking locks it held on tables that
    existed before its file, the tables it rewrote, or why it was not observed."""

    file: str
    line: int
    end_line: int
    locks: tuple[tuple[str, str], ...] = ()
    rewritten: tuple[str, ...] = ()
    observed: bool = True
    note: str = ""

    def evidence(self) -> str:
        if not self.observed:
            return self.note
        parts = [f"{mode} on {table}" for table, mode in self.locks]
        parts += [f"{table} rewritten (new relfilenode)" for table in self.rewritten]
        return "; ".join(parts) or "no lock blocking writes, no rewrite"


def trace(sources: list[Source], url: str, schema_files: list[Path]) -> list[Observation]:
    """Run ``schema_files`` then ``sources`` in a throwaway database of the server at ``url``;
    the database is dropped whatever happens (an error, SIGINT, SIGTERM, SIGHUP)."""
    from advisor.interrupts import interruptible, signals_held
    from advisor.verify.url import parse_db_url

    try:
        checked = parse_db_url(url)
    except AdvisorError as exc:
        raise AdvisorError(str(exc).replace("--db:", "--trace:", 1)) from None
    if checked.engine != "postgres":
        raise AdvisorError(
            "--trace runs on PostgreSQL only: give a postgresql:// URL", Location(field="--trace")
        )
    psycopg = _psycopg()
    name = f"advisor_trace_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(url, autocommit=True)
    except psycopg.Error as exc:
        message = checked.scrub(_first_line(exc))
        raise AdvisorError(f"cannot connect: {message}", Location(field="--trace")) from None
    try:
        with interruptible():
            admin.execute(f'CREATE DATABASE "{name}"')
            try:
                return _run(psycopg, psycopg.conninfo.make_conninfo(url, dbname=name), sources, schema_files)
            except psycopg.Error as exc:
                raise AdvisorError(f"--trace: {checked.scrub(_first_line(exc))}") from None
            finally:
                with signals_held():
                    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.close()


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError:
        raise AdvisorError("--trace needs psycopg: pip install 'advisor[db]'") from None
    return psycopg


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _run(psycopg: Any, conninfo: str, sources: list[Source], schema_files: list[Path]) -> list[Observation]:
    from advisor.lint.postgres import parse_postgres

    with (
        psycopg.connect(conninfo, autocommit=True) as runner,
        psycopg.connect(conninfo, autocommit=True) as watcher,
    ):
        for path in schema_files:
            for statement in parse_postgres(Source(str(path), path.read_text(encoding="utf-8"))):
                try:
                    runner.execute(statement.text)
                except psycopg.Error as exc:
                    where = Location(path, statement.loc.line, field="--schema")
                    raise AdvisorError(f"the schema does not apply: {_first_line(exc)}", where) from None
        found: list[Observation] = []
        for source in sources:
            before_file = set(_relfilenodes(runner))
            depth = 0
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
            return replace(spot, observed=False, note=f"failed: {_first_line(exc)}")
        return replace(spot, observed=False, note="runs outside a transaction block: locks not observed")
    except psycopg.Error as exc:
        if not inside:
            runner.execute("ROLLBACK")
        return replace(spot, observed=False, note=f"failed: {_first_line(exc)}")
    blocking = tuple(sorted({(t, m) for t, m in taken if m in BLOCKS_WRITES and t in existing}))
    rewritten = tuple(sorted(t for t in before if t in existing and t in after and after[t] != before[t]))
    return replace(spot, locks=blocking, rewritten=rewritten)


def _relfilenodes(connection: Any) -> dict[str, int]:
    return {str(name): int(node) for name, node in connection.execute(_TABLES).fetchall()}


def _locks(connection: Any, pid: int) -> list[tuple[str, str]]:
    return [(str(name), str(mode)) for name, mode in connection.execute(_LOCKS, (pid,)).fetchall()]


def with_evidence(findings: list[LintFinding], observations: list[Observation]) -> list[LintFinding]:
    """The static findings with what the trace saw at their statement (confirmed or contradicted),
    and a MIG091 finding for each observed write-blocking lock or rewrite no static rule reported."""
    from advisor.catalog.model import Severity
    from advisor.lint.engine import LintFinding

    out: list[LintFinding] = []
    claimed: set[tuple[str, int]] = set()
    for finding in findings:
        seen = next(
            (o for o in observations if o.file == finding.file and o.line <= finding.line <= o.end_line), None
        )
        if seen is None or finding.rule not in LOCKING_RULES:
            out.append(finding)
            continue
        claimed.add((seen.file, seen.line))
        shown = bool(seen.rewritten) if finding.rule in REWRITE_RULES else bool(seen.locks or seen.rewritten)
        verdict = "" if not seen.observed else "confirmed" if shown else "not confirmed"
        label = f"trace, {verdict}: " if verdict else "trace: "
        out.append(replace(finding, message=f"{finding.message} [{label}{seen.evidence()}]"))
    for seen in observations:
        # ACCESS EXCLUSIVE alone may be brief (ADD COLUMN); weaker write-blocking modes are taken for
        # whole-table work (index builds, validation, LOCK TABLE), and a new relfilenode is a rewrite
        long_locks = [(table, mode) for table, mode in seen.locks if mode != "AccessExclusiveLock"]
        if (seen.file, seen.line) in claimed or not (long_locks or seen.rewritten):
            continue
        what, blocked = ("rewrote", "reads and writes") if seen.rewritten else ("locked", "writes")
        out.append(
            LintFinding(
                TRACE_RULE,
                Severity.WARNING,
                seen.file,
                seen.line,
                1,
                f"on the server this statement {what} a table that existed before its file, blocking "
                f"{blocked} while it worked, and no rule predicted it [trace: {seen.evidence()}]",
                "Rewrite it in an online form (CONCURRENTLY, NOT VALID then VALIDATE, a new column and a "
                "backfill), or run it in a maintenance window.",
            )
        )
    rank = {name: index for index, name in enumerate(dict.fromkeys(o.file for o in observations))}
    return sorted(out, key=lambda f: (rank.get(f.file, len(rank)), f.line, f.column, f.rule))
