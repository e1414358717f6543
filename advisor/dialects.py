"""Every engine's facts in one place: the names people give it, the sqlglot dialect that reads
and writes its SQL, how it stores rows and index entries, what its DDL can say and which front end
reads its migrations. Code asks a ``Dialect`` what it can do, or what it should say, instead of
comparing names. The fields, and why each exists, are in :mod:`advisor.dialect_model`; this module
holds the data.

The four engines the test suite runs (PostgreSQL, MySQL, MariaDB, SQLite) and SQL Server have an
entry; any other dialect sqlglot knows gets the defaults (PostgreSQL's storage figures, the
smallest identifier limit, no INCLUDE, no partial indexes).

>>> dialect("PostgreSQL").sqlglot, dialect("mariadb").sqlglot, dialect("mariadb").index_if_not_exists
('postgres', 'mysql', True)
>>> dialect("doris").storage.name, dialect("doris").key_prefixes
('mysql', False)
>>> dialect("mysql").online_ddl, dialect("mariadb").online_ddl, dialect("mariadb").instant_takes_lock
('mysql', 'mariadb', True)
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache

from advisor.dialect_model import Conversions, Operations, Partitioning, Unindexable
from advisor.dialect_model import Dialect as Dialect
from advisor.dialect_model import Storage as Storage

DEFAULT_DIALECT = "postgres"


HEAP = Storage(
    "postgres", 8192, 28, 12, 0.9, False, hot_updates=True, parallel_scans=True, aligned_entries=True
)
INNODB = Storage(
    "mysql",
    16384,
    20,
    13,
    0.7,
    True,
    reclaims_space_by="table rebuilds (OPTIMIZE TABLE, online ALTER copies)",
)
SQLITE = Storage("sqlite", 4096, 8, 10, 0.9, False)
CLUSTERED = Storage("tsql", 8192, 11, 10, 0.9, True)


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
    long_names="truncated",
    reserved_words="postgres",
    line_breaks="escape_string",
    identity="generated",
    unindexable=Unindexable(
        frozenset({"JSON", "XML"}), "{label}'s {type} has no B-tree operator class (jsonb has one)"
    ),
    reference_types="comparable",
    not_valid=True,
    json_type="jsonb",
    conversions=Conversions(
        "PostgreSQL casts the quoted literal once, but a non-numeric string is a run-time error",
        "PostgreSQL has no operator for text = integer: the statement fails",
    ),
    expression_indexes=True,
    text_search="trigram",
    tablesample=True,
    materialized_views=True,
    partitioning=Partitioning(
        "new_table",
        "a table cannot be partitioned in place: create {table}_partitioned with its indexes, copy the "
        "rows in batches and swap the names",
    ),
    lsm_advice="PostgreSQL has no LSM engine: keep {table} append-friendly (an ever-increasing key, few "
    "secondary indexes, BRIN instead of B-tree on the time column) or move it to an LSM-based store",
    operations=Operations("pg_stat_statements", "WAL", "PgBouncer in transaction mode"),
    locale_money=True,
    driver="psycopg",
    scheme="postgresql",
    trace="postgres",
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
    client_delimiters=True,
    tested=True,
    long_names="refused",
    name_unit="characters",
    strict_names=True,
    sqlglot_quotes_reserved=True,
    line_breaks="backslash",
    row_limit=True,
    named_primary_key=False,
    identity="auto_increment",
    timestamp_default_precision=True,
    enum_type=True,
    text_default_parens=True,
    unindexable=Unindexable(frozenset({"JSON"}), "{label} cannot index a {type} column"),
    reference_types="same",
    column_change="modify",
    conversions=Conversions(
        "MySQL converts the string to a number once: the index still works, but '42abc' silently equals 42",
        "MySQL converts every row's string to a number to compare: no index on the column can be used, and "
        "'0042' equals 42",
    ),
    expression_indexes=True,
    text_search="fulltext",
    partitioning=Partitioning(
        "alter", "the ALTER rebuilds the table: run it with an online schema change tool", foreign_keys=False
    ),
    lsm_advice="store {table} in an LSM engine (MyRocks: ALTER TABLE {table} ENGINE=ROCKSDB on MariaDB or "
    "Percona Server), or keep InnoDB with the fewest secondary indexes and an AUTO_INCREMENT key",
    operations=Operations("the slow query log and performance_schema", "binlog"),
    indexes_foreign_keys=True,
    online_ddl="mysql",
    driver="pymysql",
    scheme="mysql",
    trace="mysql",
)
# sqlglot has no MariaDB dialect; its MySQL one reads and writes the DDL both need
MARIADB = replace(
    MYSQL,
    name="mariadb",
    label="MariaDB",
    index_if_not_exists=True,
    online_ddl="mariadb",
    instant_takes_lock=True,
    nocopy=True,
    inline_references_since=(10, 5),
    scheme="mariadb",
)
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
    reserved_words="sqlite",
    line_breaks="concatenation",
    partial_matched_by_text=True,
    rowid_alias=True,
    rebuilds_tables=True,
    conversions=Conversions(
        "SQLite applies the column's affinity, but a non-numeric string never matches",
        "SQLite converts the number to text, which matches only the exact spelling",
    ),
    expression_indexes=True,
    text_search="fts5",
    hash_aggregate=False,
    extract=False,
    driver="sqlite3",
    scheme="sqlite",
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
    column_change="alter_column",
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
