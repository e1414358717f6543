"""The engine DDL is written for: its sqlglot dialect and the index features it has.

``mysql`` output runs on MySQL 8 and on MariaDB alike, so its CREATE INDEX carries no IF NOT EXISTS
(MySQL 8 has none); ``mariadb`` is the same SQL with IF NOT EXISTS on indexes, hence re-runnable.
"""

from __future__ import annotations

from dataclasses import dataclass

from advisor.spec.dialects import known_dialects

TESTED = ("postgres", "mysql", "mariadb", "sqlite")
"""Targets whose output the test suite applies to a real engine."""

_NAME_LIMITS = {"postgres": 63, "mysql": 64, "sqlite": 128, "tsql": 128}
_INCLUDE = {"postgres", "tsql"}
_PARTIAL = {"postgres", "sqlite", "tsql"}
_LABELS = {"postgres": "PostgreSQL", "mysql": "MySQL", "mariadb": "MariaDB", "sqlite": "SQLite"}
_ALIASES = {"postgresql": "postgres", "pg": "postgres", "sqlite3": "sqlite", "mssql": "tsql"}


@dataclass(frozen=True)
class Target:
    name: str
    """What the user asked for: ``postgres``, ``mysql``, ``mariadb``, ``sqlite``, any sqlglot dialect."""
    dialect: str
    """The sqlglot dialect that generates the SQL."""

    @property
    def label(self) -> str:
        """The engine's name as people write it."""
        return _LABELS.get(self.name, self.name)

    @property
    def tested(self) -> bool:
        return self.name in TESTED

    @property
    def name_limit(self) -> int:
        """Longest identifier in bytes (PostgreSQL truncates silently past 63; MySQL refuses past 64)."""
        return _NAME_LIMITS.get(self.dialect, 63)

    @property
    def include(self) -> bool:
        """INCLUDE (non-key columns) exists; elsewhere covering columns become trailing keys."""
        return self.dialect in _INCLUDE

    @property
    def partial(self) -> bool:
        """CREATE INDEX ... WHERE exists."""
        return self.dialect in _PARTIAL

    @property
    def concurrently(self) -> bool:
        return self.dialect == "postgres"

    @property
    def index_if_not_exists(self) -> bool:
        """CREATE INDEX IF NOT EXISTS / DROP INDEX IF EXISTS: not in MySQL 8, in MariaDB."""
        return self.dialect != "mysql" or self.name == "mariadb"

    @property
    def key_prefixes(self) -> bool:
        """TEXT and BLOB columns can only be index keys with a prefix length."""
        return self.dialect == "mysql"


def resolve_target(name: str) -> Target:
    """The target called ``name``; ``ValueError`` for a dialect sqlglot does not know.

    >>> resolve_target("MariaDB")
    Target(name='mariadb', dialect='mysql')
    >>> resolve_target("postgresql").index_if_not_exists
    True
    """
    wanted = name.strip().lower()
    wanted = _ALIASES.get(wanted, wanted)
    if wanted == "mariadb":
        return Target("mariadb", "mysql")
    if wanted not in known_dialects():
        from advisor.spec.dialects import normalize_dialect

        normalize_dialect(wanted)  # raises with the closest known name
    return Target(wanted, wanted)
