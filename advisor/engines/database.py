"""One small interface over the engines ``advisor verify`` runs on: a throwaway database, DDL,
bulk rows, ANALYZE and EXPLAIN. Each engine lives in its own module; ``open_database`` picks one
from a URL and always drops what it created."""

from __future__ import annotations

import re
import secrets
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from advisor.dialects import dialect as facts_of
from advisor.emit.names import identifier
from advisor.emit.target import Target
from advisor.engines.url import DbUrl, parse_db_url, redact
from advisor.errors import AdvisorError
from advisor.interrupts import SignalledError as SignalledError
from advisor.interrupts import interruptible as interruptible
from advisor.interrupts import signals_held as signals_held

if TYPE_CHECKING:
    from advisor.engines.scale import TableScale

SQLITE_MEMORY = "sqlite://"
DEFAULT_TIMEOUT = 60.0
"""Seconds any one statement (an EXPLAIN, a batch of rows, an index build) may run."""


@dataclass(frozen=True)
class Explained:
    """What the planner chose for one statement."""

    cost: float | None
    """The engine's own estimate (PostgreSQL, MariaDB) or measure (SQLite); ``None`` if it has none."""
    indexes: frozenset[str]
    """Names of the indexes the plan reads (lower case)."""
    plan: str
    """The plan in one line."""


class Database(ABC):
    """A connection to a database that belongs to this run only."""

    target: Target
    cost_unit: str
    """What ``Explained.cost`` counts, for the report."""
    hypothetical: bool = False
    """What-if indexes are available (HypoPG): nothing is built."""
    timeout: float = DEFAULT_TIMEOUT
    errors: tuple[type[Exception], ...] = ()
    """The driver's error classes: one that escapes the run is reported in one line."""

    def scrub(self, text: str) -> str:
        """``text`` without the connection's password."""
        return text

    def timed_out(self, exc: BaseException) -> bool:
        """Whether ``exc`` is the engine stopping a statement at ``timeout``."""
        return False

    def quote(self, name: str) -> str:
        return identifier(name, self.target.dialect).sql(dialect=self.target.dialect)

    @abstractmethod
    def execute(self, sql: str) -> None:
        """Run one statement."""

    @abstractmethod
    def insert(self, table: str, columns: Sequence[str], rows: Sequence[tuple[object, ...]]) -> None:
        """Load ``rows`` into ``table``."""

    @abstractmethod
    def analyze(self, tables: Sequence[str]) -> None:
        """Refresh the planner's statistics."""

    @abstractmethod
    def explain(self, sql: str) -> Explained:
        """The plan for ``sql`` (which is not run, or run and rolled back)."""

    @abstractmethod
    def describe(self) -> str:
        """The engine and its version, for the report: ``PostgreSQL 15.4``."""

    def create_hypothetical(self, create_sql: str, name: str) -> str:
        """Create a what-if index; plans will show it as ``name`` (returned lower-cased)."""
        raise NotImplementedError

    def hide_index(self, name: str) -> bool:
        """Hide an existing index from the planner without dropping it; False if not possible."""
        return False

    def reset_hypothetical(self) -> None:
        """Forget every what-if index and hidden index."""
        return None

    def build_real(self) -> None:
        """Stop imagining indexes: later changes build real ones."""
        self.hypothetical = False

    def full_scale(self, targets: Sequence[TableScale]) -> tuple[str, ...]:
        """After ANALYZE: make the planner see each table at its declared size without loading it;
        returns the tables it did this for (none where the engine or the role cannot)."""
        return ()

    @abstractmethod
    def close(self) -> None:
        """Disconnect and drop the throwaway database."""


PREFIX = "advisor_verify_"
TRACE_PREFIX = "advisor_trace_"
"""``lint --trace``'s throwaway databases: stamped and swept like verify's."""
THROWAWAY_LIKE = ("advisor\\_verify\\_%", "advisor\\_trace\\_%")
"""SQL LIKE patterns of both kinds of throwaway database, for the sweeps."""
_STAMPED = re.compile(r"advisor_(?:verify|trace)_(\d{14})_[0-9a-f]+")
STALE_AFTER = timedelta(days=1)


def throwaway_name(now: datetime | None = None, prefix: str = PREFIX) -> str:
    """A database name no one else uses, with its creation time (UTC) so that a later run can
    tell a stale one: ``advisor_verify_20261204151500_1a2b3c``."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d%H%M%S")
    return f"{prefix}{stamp}_{secrets.token_hex(3)}"


def is_stale(name: str, now: datetime | None = None) -> bool:
    """A throwaway database (of ``verify`` or ``lint --trace``) created more than a day ago, by a
    run that could not clean up.

    >>> is_stale("advisor_verify_20000101000000_abcdef"), is_stale(throwaway_name())
    (True, False)
    >>> is_stale("advisor_trace_20000101000000_abcdef"), is_stale(throwaway_name(prefix=TRACE_PREFIX))
    (True, False)
    >>> is_stale("advisor_verify_1a2b3c4d"), is_stale("advisor_verify_29991301000000_ab")
    (False, False)
    """
    match = _STAMPED.fullmatch(name)
    if match is None:
        return False
    try:
        created = datetime.strptime(match.group(1), "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        return False
    return (now or datetime.now(UTC)) - created > STALE_AFTER


@contextmanager
def open_database(
    url: str | None, timeout: float = DEFAULT_TIMEOUT, in_place: bool = False
) -> Iterator[Database]:
    """The engine for ``url`` (default: in-memory SQLite) with a throwaway database, dropped after
    whatever happens (an error, SIGINT, SIGTERM); each statement is bounded by ``timeout`` seconds.
    ``in_place`` (PostgreSQL only) works on the database's own tables and creates nothing."""
    checked = parse_db_url(url or SQLITE_MEMORY)
    driver = facts_of(checked.engine).driver
    engine: Database
    if driver == "sqlite3":
        from advisor.engines.sqlite import SqliteDatabase

        engine = SqliteDatabase(timeout)
    elif driver == "psycopg":
        from advisor.engines.postgres import PostgresDatabase

        engine = PostgresDatabase(checked, timeout, in_place)
    else:
        from advisor.engines.mariadb import MariaDBDatabase

        engine = MariaDBDatabase(checked, timeout)
    try:
        yield engine
    finally:
        with signals_held():
            engine.close()


def missing_driver(engine: str, module: str) -> AdvisorError:
    return AdvisorError(
        f"{engine} needs the {module} driver, which is not installed: pip install 'advisor[db]'"
    )


def first_line(exc: BaseException) -> str:
    """An exception's message, first line only (drivers add hints and context below)."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def unreachable(engine: str, url: DbUrl, exc: Exception) -> AdvisorError:
    return AdvisorError(
        f"--db: cannot connect to {engine} at {redact(url.url)}: {url.scrub(first_line(exc))}"
    )


def split_sql(text: str, dialect: str) -> list[str]:
    """The statements of a script, comments dropped, each without its semicolon.

    >>> split_sql("-- note\\nCREATE TABLE a (x INT);\\nCREATE INDEX i ON a (x);\\n", "sqlite")
    ['CREATE TABLE a (x INT)', 'CREATE INDEX i ON a (x)']
    """
    from sqlglot.dialects.dialect import Dialect

    from advisor.schema.statements import split_statements

    tokens = Dialect.get_or_raise(dialect).tokenize(text)
    return [text[chunk[0].start : chunk[-1].end + 1] for chunk in split_statements(tokens)]


def no_room(engine: str, url: DbUrl, exc: Exception) -> AdvisorError:
    return AdvisorError(
        f"--db: cannot create a throwaway database on {engine} at {redact(url.url)}: "
        f"{url.scrub(first_line(exc))} "
        "(verify needs to create and drop a database or schema of its own)"
    )
