"""Every engine's facts in one place: the names people give it, the sqlglot dialect that reads
and writes its SQL, how it stores rows and index entries, what its DDL can say and which front end
reads its migrations. Code asks a ``Dialect`` what it can do instead of comparing names.

The four engines the test suite runs (PostgreSQL, MySQL, MariaDB, SQLite) and SQL Server have an
entry; any other dialect sqlglot knows gets the defaults (PostgreSQL's storage figures, the
smallest identifier limit, no INCLUDE, no partial indexes).

>>> dialect("PostgreSQL").sqlglot, dialect("mariadb").sqlglot, dialect("mariadb").index_if_not_exists
('postgres', 'mysql', True)
>>> dialect("doris").storage.name, dialect("doris").key_prefixes
('mysql', False)
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from typing import Literal

DEFAULT_DIALECT = "postgres"


@dataclass(frozen=True)
class Storage:
    """How an engine lays out rows and B-tree entries: the figures the cost model works with."""

    name: str
    """``postgres`` (heap and B-tree), ``mysql`` (InnoDB), ``sqlite`` or ``tsql``."""
    page_size: int
    row_overhead: int
    """Bytes per table row beyond its columns (tuple header, line pointer)."""
    entry_overhead: int
    """Bytes per index entry beyond its keys (entry header, line pointer or row id)."""
    leaf_fill: float
    """Share of a B-tree leaf page in use (PostgreSQL fills to 90 %, page splits leave ~2/3)."""
    secondary_carries_pk: bool
    """InnoDB and clustered SQL Server secondary indexes store the primary key: those columns come
    free for coverage."""
    hot_updates: bool = False
    """PostgreSQL's heap-only tuples: an UPDATE that changes no indexed column writes no index
    entry, and one that changes any of them writes a new entry in every index."""


HEAP = Storage("postgres", 8192, 28, 12, 0.9, False, hot_updates=True)
INNODB = Storage("mysql", 16384, 20, 13, 0.7, True)
SQLITE = Storage("sqlite", 4096, 8, 10, 0.9, False)
CLUSTERED = Storage("tsql", 8192, 11, 10, 0.9, True)


@dataclass(frozen=True)
class Dialect:
    """One engine: its names, its SQL, its storage and what its DDL supports."""

    name: str
    """What the user writes and the tool prints: ``postgres``, ``mysql``, ``mariadb``, ``sqlite``..."""
    label: str
    """The engine's name as people write it in prose."""
    sqlglot: str
    """The sqlglot dialect that parses and generates its SQL (MariaDB's is MySQL's)."""
    storage: Storage = HEAP
    aliases: tuple[str, ...] = ()
    name_limit: int = 63
    """Longest identifier in bytes (PostgreSQL truncates silently past 63; MySQL refuses past 64)."""
    include: bool = False
    """CREATE INDEX ... INCLUDE (non-key columns); elsewhere covering columns become trailing keys."""
    partial: bool = False
    """CREATE INDEX ... WHERE."""
    concurrently: bool = False
    """CREATE / DROP INDEX CONCURRENTLY, which builds without blocking writes."""
    index_if_not_exists: bool = True
    """CREATE INDEX IF NOT EXISTS / DROP INDEX IF EXISTS: not in MySQL 8, in MariaDB."""
    key_prefixes: bool = False
    """TEXT and BLOB columns can be index keys only with a prefix length."""
    add_constraint: bool = True
    """ALTER TABLE ... ADD CONSTRAINT; SQLite has none (a constraint needs a rebuilt table), so
    its foreign keys are written inside CREATE TABLE."""
    quoted_case: bool = False
    """A quoted identifier keeps its case (``"Orders"`` is not ``orders``)."""
    table_case: bool = False
    """Table names keep their case whether quoted or not (MySQL on Linux)."""
    index_names_per_table: bool = False
    """Index names are unique per table, not per schema (and may equal a table's name)."""
    migrations: Literal["pglast", "sqlglot"] | None = None
    """The front end that reads its migrations for ``advisor lint``; ``None``: lint does not."""
    tested: bool = False
    """The test suite applies the DDL written for it to a real server."""


POSTGRES = Dialect(
    "postgres",
    "PostgreSQL",
    "postgres",
    HEAP,
    aliases=("postgresql", "pg", "psql"),
    include=True,
    partial=True,
    concurrently=True,
    quoted_case=True,
    migrations="pglast",
    tested=True,
)
MYSQL = Dialect(
    "mysql",
    "MySQL",
    "mysql",
    INNODB,
    name_limit=64,
    index_if_not_exists=False,
    key_prefixes=True,
    table_case=True,
    index_names_per_table=True,
    migrations="sqlglot",
    tested=True,
)
# sqlglot has no MariaDB dialect; its MySQL one reads and writes the DDL both need
MARIADB = replace(MYSQL, name="mariadb", label="MariaDB", index_if_not_exists=True)
SQLITE_DIALECT = Dialect(
    "sqlite",
    "SQLite",
    "sqlite",
    SQLITE,
    aliases=("sqlite3",),
    name_limit=128,
    partial=True,
    add_constraint=False,
    migrations="sqlglot",
    tested=True,
)
TSQL = Dialect(
    "tsql",
    "SQL Server",
    "tsql",
    CLUSTERED,
    aliases=("sqlserver", "mssql"),
    name_limit=128,
    include=True,
    partial=True,
)

REGISTRY: tuple[Dialect, ...] = (POSTGRES, MYSQL, MARIADB, SQLITE_DIALECT, TSQL)
_BY_NAME = {name: d for d in REGISTRY for name in (d.name, *d.aliases)}
_STORAGE_OF = {"redshift": HEAP, "doris": INNODB, "starrocks": INNODB}
"""sqlglot dialects without an entry whose storage the cost model knows: Redshift descends from
PostgreSQL, Doris and StarRocks keep MySQL's figures."""


def known_dialects() -> list[str]:
    """The sqlglot dialect names, sorted (sqlglot's empty-named generic dialect left out).

    Read from the list of dialect modules sqlglot keeps, not from ``Dialect.classes``: that
    property imports every dialect module (a quarter of a second) to answer for one name.
    """
    from sqlglot.dialects import DIALECT_MODULE_NAMES

    return sorted(DIALECT_MODULE_NAMES)


def lookup(name: str) -> Dialect | None:
    """The engine called ``name``, or ``None`` where neither the registry nor sqlglot knows it."""
    try:
        return dialect(name)
    except ValueError:
        return None


@cache
def dialect(name: str) -> Dialect:
    """The engine called ``name`` (case-insensitive, aliases accepted); ``ValueError`` for a name
    neither this registry nor sqlglot knows, naming the closest known one."""
    wanted = name.strip().lower()
    found = _BY_NAME.get(wanted)
    if found is not None:
        return found
    if wanted in known_dialects():
        return Dialect(wanted, wanted, wanted, _STORAGE_OF.get(wanted, HEAP))
    raise ValueError(_unknown(name))


def _unknown(name: str) -> str:
    import difflib

    known = known_dialects()
    close = difflib.get_close_matches(name.strip().lower(), [*known, *_BY_NAME], n=1)
    if close:
        return f"unknown dialect {name!r} (did you mean {close[0]!r}?)"
    return f"unknown dialect {name!r}; known: {', '.join(known)}"
