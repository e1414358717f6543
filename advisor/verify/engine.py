"""One small interface over the engines ``advisor verify`` runs on: a throwaway database, DDL,
bulk rows, ANALYZE and EXPLAIN. Each engine lives in its own module; ``open_engine`` picks one
from a URL and always drops what it created."""

from __future__ import annotations

import secrets
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from advisor.emit.names import identifier
from advisor.emit.target import Target
from advisor.errors import AdvisorError

if TYPE_CHECKING:
    from advisor.verify.scale import TableScale

SQLITE_MEMORY = "sqlite://"


@dataclass(frozen=True)
class Explained:
    """What the planner chose for one statement."""

    cost: float | None
    """The engine's own estimate (PostgreSQL, MariaDB) or measure (SQLite); ``None`` if it has none."""
    indexes: frozenset[str]
    """Names of the indexes the plan reads (lower case)."""
    plan: str
    """The plan in one line."""


class Engine(ABC):
    """A connection to a database that belongs to this run only."""

    target: Target
    cost_unit: str
    """What ``Explained.cost`` counts, for the report."""
    hypothetical: bool = False
    """What-if indexes are available (HypoPG): nothing is built."""

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


def redact(url: str) -> str:
    """``url`` without its password.

    >>> redact("postgresql://app:s3cret@db.internal:5432/shop")
    'postgresql://app:***@db.internal:5432/shop'
    """
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    netloc = f"{parts.username or ''}:***@{host}"
    return urlunsplit(parts._replace(netloc=netloc))


def throwaway_name() -> str:
    """A database name no one else uses: ``advisor_verify_`` and 8 random hex digits."""
    return f"advisor_verify_{secrets.token_hex(4)}"


@contextmanager
def open_engine(url: str | None) -> Iterator[Engine]:
    """The engine for ``url`` (default: in-memory SQLite) with a throwaway database, dropped after."""
    url = url or SQLITE_MEMORY
    scheme = urlsplit(url).scheme.lower()
    engine: Engine
    if scheme in ("sqlite", ""):
        from advisor.verify.sqlite import SqliteEngine

        engine = SqliteEngine()
    elif scheme in ("postgresql", "postgres"):
        from advisor.verify.postgres import PostgresEngine

        engine = PostgresEngine(url)
    elif scheme in ("mysql", "mariadb"):
        from advisor.verify.mariadb import MariaDBEngine

        engine = MariaDBEngine(url)
    else:
        raise AdvisorError(
            f"--db: unknown database URL scheme {scheme!r} in {redact(url)!r}; "
            "use sqlite://, postgresql://... or mysql://... (mariadb://...)"
        )
    try:
        yield engine
    finally:
        engine.close()


def missing_driver(engine: str, module: str) -> AdvisorError:
    return AdvisorError(
        f"{engine} needs the {module} driver, which is not installed: pip install 'advisor[db]'"
    )


def unreachable(engine: str, url: str, exc: Exception) -> AdvisorError:
    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return AdvisorError(f"--db: cannot connect to {engine} at {redact(url)}: {reason}")


def split_sql(text: str, dialect: str) -> list[str]:
    """The statements of a script, comments dropped, each without its semicolon.

    >>> split_sql("-- note\\nCREATE TABLE a (x INT);\\nCREATE INDEX i ON a (x);\\n", "sqlite")
    ['CREATE TABLE a (x INT)', 'CREATE INDEX i ON a (x)']
    """
    from sqlglot.dialects.dialect import Dialect

    from advisor.spec.ddl import split_statements

    tokens = Dialect.get_or_raise(dialect).tokenize(text)
    return [text[chunk[0].start : chunk[-1].end + 1] for chunk in split_statements(tokens)]


def no_room(engine: str, url: str, exc: Exception) -> AdvisorError:
    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return AdvisorError(
        f"--db: cannot create a throwaway database on {engine} at {redact(url)}: {reason} "
        "(verify needs to create and drop a database or schema of its own)"
    )
