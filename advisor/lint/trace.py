"""``advisor lint --trace URL``: run the migrations on a real server and observe what they do.

A throwaway database is created on the server, the ``--schema`` files run first, then each file
statement by statement, and what the server did is attached to the static findings as evidence,
confirmed or not; a write-blocking lock or rewrite no rule predicted is reported as MIG091.

How a statement is observed depends on the engine. PostgreSQL (:mod:`advisor.lint.trace_postgres`)
runs it inside a transaction and reads its locks and new relfilenodes before it commits. MariaDB and
MySQL (:mod:`advisor.lint.trace_mariadb`) commit DDL at once, so each ALTER is asked for the fastest
ALGORITHM and the weakest LOCK first and the server says which it refuses, a new InnoDB table id
shows a rebuild, and ``performance_schema`` shows its metadata locks when it is on.

The lifecycle is shared: the stale throwaway databases of killed runs are swept, and this run's is
dropped at the end, on an error, and on SIGINT, SIGTERM or SIGHUP.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from advisor.catalog.fixes import fix_line
from advisor.dialects import REGISTRY, lookup
from advisor.dialects import dialect as facts_of
from advisor.errors import AdvisorError, Location
from advisor.lint.checks.base import TRACE_RULE
from advisor.schema.source import Source

if TYPE_CHECKING:
    from advisor.engines.url import DbUrl
    from advisor.lint.engine import LintFinding

PG_LOCKING_RULES = frozenset(
    {"MIG001", "MIG002", "MIG003", "MIG005", "MIG007", "MIG009", "MIG010", "MIG011", "MIG017", "MIG018"}
    | {"MIG021", "MIG025", "MIG029"}
)
"""Static PostgreSQL rules that claim a lock blocking writes or a rewrite: the trace confirms or
contradicts them."""
PG_REWRITE_RULES = frozenset({"MIG010", "MIG011", "MIG018"})
"""Of those, the ones whose claim is a rewrite: only a new relfilenode confirms them."""
MYSQL_LOCKING_RULES = frozenset({"MIG011", "MIG050", "MIG052", "MIG053"})
"""Static MySQL/MariaDB rules that say what the server does with an ALTER (copy, lock, refusal)."""
BLOCKING_MDL = {
    "SHARED_NO_WRITE": "writes",
    "SHARED_NO_READ_WRITE": "reads and writes",
    "EXCLUSIVE": "reads and writes",
}
"""MariaDB/MySQL metadata lock types that block writes, and what each blocks."""


@dataclass(frozen=True)
class Observation:
    """What one statement did on the server: the write-blocking locks it held on tables that existed
    before its file, the tables it rewrote, on MariaDB/MySQL the ALGORITHM and LOCK the server used
    for an ALTER (or its refusal of the statement's own), or why it was not observed."""

    file: str
    line: int
    end_line: int
    engine: str = "postgres"
    """The trace family of the server (the registry's ``Dialect.trace``): ``postgres`` or ``mysql``
    (MariaDB and MySQL)."""
    locks: tuple[tuple[str, str], ...] = ()
    """(table, mode): a PostgreSQL lock mode, or a metadata lock type (``SHARED_NO_WRITE``)."""
    kept: tuple[tuple[str, str], ...] = ()
    """MariaDB/MySQL: write-blocking metadata locks still held when the statement returned
    (LOCK TABLES): those last as long as the session wants, not a moment of its work."""
    rewritten: tuple[str, ...] = ()
    algorithm: str = ""
    """MariaDB/MySQL: the fastest ALGORITHM the server accepted for an ALTER (what it does by default)."""
    lock: str = ""
    """MariaDB/MySQL: the weakest LOCK the server accepted with that algorithm."""
    refused: str = ""
    """MariaDB/MySQL: the server's refusal of the ALGORITHM or LOCK the statement asks for."""
    observed: bool = True
    note: str = ""
    """Why it was not observed; or, observed on MariaDB/MySQL, what the server could not show."""

    def evidence(self) -> str:
        if not self.observed:
            return self.note
        if self.refused:
            return f"refused: {self.refused}"
        return _FAMILIES[self.engine].evidence(self)

    def pg_evidence(self) -> str:
        """PostgreSQL: the write-blocking locks taken and the tables rewritten."""
        parts = [f"{mode} on {table}" for table, mode in self.locks]
        parts += [f"{table} rewritten (new relfilenode)" for table in self.rewritten]
        return "; ".join(parts) or "no lock blocking writes, no rewrite"

    def mysql_evidence(self) -> str:
        """MariaDB/MySQL: the ALGORITHM and LOCK used, the rebuilds and the metadata locks."""
        parts = [f"ALGORITHM={self.algorithm}, LOCK={self.lock}"] if self.algorithm else []
        parts += [f"{table} rebuilt (new table id)" for table in self.rewritten]
        parts += [
            f"metadata lock {mode} on {table}" for table, mode in self.locks if (table, mode) not in self.kept
        ]
        parts += [f"metadata lock {mode} on {table} kept after it" for table, mode in self.kept]
        if not parts and not self.note:
            parts = ["no copy, no rebuild, no lock blocking writes"]
        return "; ".join(parts + ([self.note] if self.note else []))

    @property
    def blocks_writes(self) -> bool:
        """MariaDB/MySQL: writes to a table that existed before the file wait: the ALTER needs a
        lock, or the statement keeps a write-blocking metadata lock (a metadata lock seen while it
        runs may be brief: OPTIMIZE TABLE takes SHARED_NO_WRITE for a moment, every DDL EXCLUSIVE)."""
        return self.lock in ("SHARED", "EXCLUSIVE") or bool(self.kept)


@dataclass(frozen=True)
class Trace:
    """The observations of a run, in statement order, and what the server could not show, once."""

    observations: tuple[Observation, ...]
    notes: tuple[str, ...] = ()
    family: str = "postgres"
    """``postgres``, ``mariadb`` or ``mysql``: the server's, whatever the URL's scheme says."""
    version: tuple[int, ...] = ()


def version_note(dialect: str, target: tuple[int, ...] | None, done: Trace) -> str:
    """What to say when the MySQL-family rules assumed another server than the one traced: their
    online DDL model changes with the family and the version, the server's answers do not.

    >>> version_note("mariadb", None, Trace((), family="mariadb", version=(10, 11, 19)))
    'the server is MariaDB 10.11.19, and the rules assumed MariaDB current releases: lint with --dialect mariadb --target-version 10.11 for what it does'
    >>> version_note("mariadb", (10, 11), Trace((), family="mariadb", version=(10, 11, 19)))
    ''
    """
    from advisor.lint.online_ddl import server

    if facts_of(done.family).online_ddl is None or not done.version:
        return ""
    if dialect == done.family and target is not None and done.version[: len(target)] == target:
        return ""
    series = ".".join(map(str, done.version[:2]))
    return (
        f"the server is {server(done.family, done.version)}, and the rules assumed {server(dialect, target)}: lint with "
        f"--dialect {done.family} --target-version {series} for what it does"
    )


class Server(Protocol):
    """One engine's side of a trace: the throwaway database's lifecycle and the run itself."""

    errors: tuple[type[Exception], ...]

    def sweep(self) -> None:
        """Drop the throwaway databases of runs more than a day old that could not clean up."""

    def create(self, name: str) -> None:
        """Create the throwaway database; an :class:`AdvisorError` when the server does not allow it."""

    def run(self, name: str, sources: list[Source], schema_files: list[Path]) -> Trace:
        """Build the schema in the throwaway database, then run and observe ``sources``."""

    def drop(self, name: str) -> None:
        """Drop the throwaway database if this run created it, whatever its sessions are doing."""

    def close(self) -> None:
        """Disconnect."""


def trace(sources: list[Source], url: str, schema_files: list[Path], dialect: str = "postgres") -> Trace:
    """Run ``schema_files`` then ``sources`` in a throwaway database of the server at ``url``; the
    database is dropped whatever happens (an error, SIGINT, SIGTERM, SIGHUP)."""
    from advisor.engines.database import TRACE_PREFIX, throwaway_name
    from advisor.interrupts import interruptible, signals_held

    checked = checked_url(url, dialect)
    server = _connect(checked)
    name = throwaway_name(prefix=TRACE_PREFIX)
    try:
        with interruptible():
            try:
                server.sweep()
                server.create(name)
                return server.run(name, sources, schema_files)
            finally:
                with signals_held():
                    server.drop(name)
    except server.errors as exc:
        raise AdvisorError(f"--trace: {checked.scrub(said(exc))}") from None
    finally:
        server.close()


def checked_url(url: str, dialect: str) -> DbUrl:
    """``url`` parsed and checked, and of the server family ``dialect`` is linted for."""
    from advisor.engines.url import parse_db_url

    try:
        checked = parse_db_url(url)
    except AdvisorError as exc:
        raise AdvisorError(str(exc).replace("--db:", "--trace:", 1)) from None
    linted = lookup(dialect)
    family = linted.trace if linted is not None else None
    if family is None:
        raise AdvisorError(
            f"runs on PostgreSQL, MariaDB and MySQL, not {dialect} (use --dialect postgres, mariadb or mysql)",
            Location(field="--trace"),
        )
    if facts_of(checked.engine).trace != family:
        wanted = "a " + " or ".join(f"{d.scheme}://" for d in REGISTRY if d.trace == family)
        raise AdvisorError(f"--dialect {dialect} needs {wanted} URL", Location(field="--trace"))
    return checked


def _connect(url: DbUrl) -> Server:
    """The server of the URL's trace family (``checked_url`` has refused a URL without one)."""
    family = facts_of(url.engine).trace
    return _FAMILIES[family or "mysql"].connect(url)


def _postgres_server(url: DbUrl) -> Server:
    from advisor.lint.trace_postgres import PostgresServer

    return PostgresServer(url)


def _mariadb_server(url: DbUrl) -> Server:
    from advisor.lint.trace_mariadb import MariaDBServer

    return MariaDBServer(url)


def cannot(what: str, engine: str, url: DbUrl, exc: BaseException, why: str = "") -> AdvisorError:
    """One line for a server that cannot be reached or does not allow the trace, without the password."""
    from advisor.engines.url import redact

    return AdvisorError(
        f"cannot {what} {engine} at {redact(url.url)}: {url.scrub(said(exc))}{why}", Location(field="--trace")
    )


def said(exc: BaseException) -> str:
    """A driver error's message, first line only and without PyMySQL's error number.

    >>> said(Exception(1045, "Access denied for user 'app'"))
    "Access denied for user 'app'"
    """
    from advisor.engines.database import first_line

    if len(exc.args) == 2 and isinstance(exc.args[0], int) and isinstance(exc.args[1], str):
        return first_line(Exception(exc.args[1]))
    return first_line(exc)


def with_evidence(findings: list[LintFinding], observations: tuple[Observation, ...]) -> list[LintFinding]:
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
        if seen is None or finding.rule not in _FAMILIES[seen.engine].locking_rules:
            out.append(finding)
            continue
        claimed.add((seen.file, seen.line))
        shown = _FAMILIES[seen.engine].shown(finding, seen)
        verdict = "" if shown is None else "confirmed" if shown else "not confirmed"
        label = f"trace, {verdict}: " if verdict else "trace: "
        out.append(replace(finding, message=f"{finding.message} [{label}{seen.evidence()}]"))
    for seen in observations:
        unpredicted = _FAMILIES[seen.engine].unpredicted(seen)
        if (seen.file, seen.line) in claimed or unpredicted is None:
            continue
        what, blocked, fix = unpredicted
        out.append(
            LintFinding(
                TRACE_RULE,
                Severity.WARNING,
                seen.file,
                seen.line,
                1,
                f"on the server this statement {what} a table that existed before its file, blocking "
                f"{blocked} while it worked, and no rule predicted it [trace: {seen.evidence()}]",
                fix,
            )
        )
    rank = {name: index for index, name in enumerate(dict.fromkeys(o.file for o in observations))}
    return sorted(out, key=lambda f: (rank.get(f.file, len(rank)), f.line, f.column, f.rule))


def _pg_shown(finding: LintFinding, seen: Observation) -> bool | None:
    if not seen.observed:
        return None
    return bool(seen.rewritten) if finding.rule in PG_REWRITE_RULES else bool(seen.locks or seen.rewritten)


def _pg_unpredicted(seen: Observation) -> tuple[str, str, str] | None:
    # ACCESS EXCLUSIVE alone may be brief (ADD COLUMN); weaker write-blocking modes are taken for
    # whole-table work (index builds, validation, LOCK TABLE), and a new relfilenode is a rewrite
    long_locks = [(table, mode) for table, mode in seen.locks if mode != "AccessExclusiveLock"]
    if not (long_locks or seen.rewritten):
        return None
    what, blocked = ("rewrote", "reads and writes") if seen.rewritten else ("locked", "writes")
    return (
        what,
        blocked,
        fix_line(TRACE_RULE, "PostgreSQL"),
    )


REFUSES = "refuses this statement"
"""How MIG053 words a refusal of the statement's own ALGORITHM / LOCK clause."""
RUNS_ONLINE = " with LOCK=NONE"
"""How :func:`advisor.lint.online_ddl.effect` ends an operation done in place or instantly without
blocking writes (MIG053 reports some of those anyway: a UNIQUE index)."""


_COPY_HINT = re.compile(r"COPY algorithm requires a lock|Try ALGORITHM=COPY|Try LOCK=(?:SHARED|EXCLUSIVE)")
"""A refusal that tells what the server would do instead: copy, or lock (MariaDB's wording)."""


def _mysql_shown(finding: LintFinding, seen: Observation) -> bool | None:
    """Whether the server did what the finding says: refused the statement, did it online, or
    copied the table or blocked writes; ``None`` when the ALTER could not be asked."""
    if not seen.observed or not (seen.algorithm or seen.refused):
        return None
    if REFUSES in finding.message:
        return bool(seen.refused)
    copies = seen.algorithm == "COPY" or seen.blocks_writes or bool(_COPY_HINT.search(seen.refused))
    online = RUNS_ONLINE in finding.message and "ALGORITHM=COPY" not in finding.message
    return not copies and not seen.refused if online else copies


def _mysql_unpredicted(seen: Observation) -> tuple[str, str, str] | None:
    if not seen.observed or seen.refused or not seen.blocks_writes:
        return None
    reads = seen.lock == "EXCLUSIVE" or any(BLOCKING_MDL[mode] == "reads and writes" for _, mode in seen.kept)
    return (
        "copied" if seen.algorithm == "COPY" else "locked",
        "reads and writes" if reads else "writes",
        fix_line(TRACE_RULE, "MySQL and MariaDB"),
    )


@dataclass(frozen=True)
class _Family:
    """How the trace of one server family connects and reads: the static rules it can confirm, the
    evidence it shows, and when a statement blocked writes no rule predicted."""

    connect: Callable[[DbUrl], Server]
    locking_rules: frozenset[str]
    evidence: Callable[[Observation], str]
    shown: Callable[[LintFinding, Observation], bool | None]
    unpredicted: Callable[[Observation], tuple[str, str, str] | None]


_FAMILIES = {
    "postgres": _Family(
        _postgres_server, PG_LOCKING_RULES, Observation.pg_evidence, _pg_shown, _pg_unpredicted
    ),
    "mysql": _Family(
        _mariadb_server, MYSQL_LOCKING_RULES, Observation.mysql_evidence, _mysql_shown, _mysql_unpredicted
    ),
}
"""Each trace family (the registry's ``Dialect.trace``) and how its trace works."""
