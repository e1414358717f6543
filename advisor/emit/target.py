"""The engine DDL is written for: its sqlglot dialect and the index features it has.

``mysql`` output runs on MySQL 8 and on MariaDB alike, so its CREATE INDEX carries no IF NOT EXISTS
(MySQL 8 has none); ``mariadb`` is the same SQL with IF NOT EXISTS on indexes, hence re-runnable.
"""

from __future__ import annotations

from dataclasses import dataclass

from advisor.dialects import REGISTRY, Dialect, dialect

TESTED = tuple(d.name for d in REGISTRY if d.tested)
"""Targets whose output the test suite applies to a real engine."""


@dataclass(frozen=True)
class Target:
    name: str
    """What the user asked for: ``postgres``, ``mysql``, ``mariadb``, ``sqlite``, any sqlglot dialect."""
    dialect: str
    """The sqlglot dialect that generates the SQL."""

    @property
    def facts(self) -> Dialect:
        """Everything the registry knows of the engine."""
        return dialect(self.name)

    @property
    def label(self) -> str:
        """The engine's name as people write it."""
        return self.facts.label

    @property
    def tested(self) -> bool:
        return self.facts.tested

    @property
    def name_limit(self) -> int:
        """Longest identifier in bytes (PostgreSQL truncates silently past 63; MySQL refuses past 64)."""
        return self.facts.name_limit

    @property
    def include(self) -> bool:
        """INCLUDE (non-key columns) exists; elsewhere covering columns become trailing keys."""
        return self.facts.include

    @property
    def partial(self) -> bool:
        """CREATE INDEX ... WHERE exists."""
        return self.facts.partial

    @property
    def concurrently(self) -> bool:
        return self.facts.concurrently

    @property
    def index_if_not_exists(self) -> bool:
        """CREATE INDEX IF NOT EXISTS / DROP INDEX IF EXISTS: not in MySQL 8, in MariaDB."""
        return self.facts.index_if_not_exists

    @property
    def index_names_per_table(self) -> bool:
        """Index names are unique per table, not per schema."""
        return self.facts.index_names_per_table

    @property
    def key_prefixes(self) -> bool:
        """TEXT and BLOB columns can only be index keys with a prefix length."""
        return self.facts.key_prefixes


def resolve_target(name: str) -> Target:
    """The target called ``name``; ``ValueError`` for a dialect sqlglot does not know.

    >>> resolve_target("MariaDB")
    Target(name='mariadb', dialect='mysql')
    >>> resolve_target("postgresql").index_if_not_exists
    True
    """
    found = dialect(name)
    return Target(found.name, found.sqlglot)
