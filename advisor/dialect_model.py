"""The shape of an engine's facts: what ``advisor.dialects`` records for each engine it knows.

Kept apart from the registry's data so each stays readable; nothing here names an engine except
in a docstring's example. A field's default is what an engine without an entry gets: the
conservative answer (the feature is absent, the advice generic).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


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
    parallel_scans: bool = False
    """A large table's sequential scan is shared by parallel workers (PostgreSQL), which divides its
    CPU cost but not its pages."""
    aligned_entries: bool = False
    """Each value of an index entry sits on its type's alignment boundary and the entry on 8 bytes,
    plus a 4-byte line pointer (PostgreSQL's B-tree tuples): widths are computed that way."""
    reclaims_space_by: str = "VACUUM"
    """What frees the space of dead rows, for which disk must be provisioned beside the tables."""


@dataclass(frozen=True)
class Partitioning:
    """How an existing table becomes a partitioned one, and what that costs."""

    how: Literal["new_table", "alter"]
    """``new_table``: a partitioned table is declared anew and the rows copied into it (PostgreSQL
    cannot partition a table in place); ``alter``: ALTER TABLE ... PARTITION BY rebuilds it."""
    migration: str
    """What the migration of ``{table}`` takes, appended to the advice (``{table}`` is filled in)."""
    foreign_keys: bool = True
    """A partitioned table may have foreign keys; InnoDB refuses them, so they are dropped first."""


@dataclass(frozen=True)
class Unindexable:
    """Column types an index or key cannot be built on, and how to say so."""

    types: frozenset[str]
    """sqlglot type names (``JSON``, ``XML``)."""
    reason: str
    """The reason given, with ``{label}`` the engine and ``{type}`` the type as it writes it."""


@dataclass(frozen=True)
class Conversions:
    """What the engine does when a condition compares a column with a literal of the other kind,
    told in the finding (the index, the result or the statement is at stake)."""

    number: str
    """A number column compared with a string literal."""
    string: str
    """A string column compared with a number."""


@dataclass(frozen=True)
class Operations:
    """The engine's tools, named in the operations checklist so the advice is concrete."""

    statement_stats: str = "query timings"
    """Where the slow statements are measured."""
    change_log: str = "log"
    """The log archived for point-in-time recovery."""
    pooler: str = "ProxySQL or a driver-side pool"
    """The connection pool advised when connections run short."""


@dataclass(frozen=True)
class Dialect:
    """One engine: its names, its SQL, its storage and what its DDL supports."""

    name: str
    """What the user writes and the tool prints: ``postgres``, ``mysql``, ``mariadb``, ``sqlite``..."""
    label: str
    """The engine's name as people write it in prose."""
    sqlglot: str
    """The sqlglot dialect that parses and generates its SQL (MariaDB's is MySQL's)."""
    storage: Storage
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
    """A quoted identifier keeps its case (``"Orders"`` is not ``orders``) while an unquoted one
    folds to lower case: a name quoted only because it must be is written in lower case, so it
    still means what it did unquoted."""
    table_case: bool = False
    """Table names keep their case whether quoted or not (MySQL on Linux)."""
    index_names_per_table: bool = False
    """Index names are unique per table, not per schema (and may equal a table's name); so DROP
    INDEX names the table too (``DROP INDEX ix ON t``)."""
    migrations: Literal["pglast", "sqlglot"] | None = None
    """The front end that reads its migrations for ``advisor lint``; ``None``: lint does not."""
    client_delimiters: bool = False
    """Its scripts may hold the command-line client's ``DELIMITER`` blocks (stored routines and
    triggers, whose inner semicolons do not end a statement)."""
    tested: bool = False
    """The test suite applies the DDL written for it to a real server."""

    # identifiers
    long_names: Literal["truncated", "refused"] | None = None
    """What the engine does with a table or column name over ``name_limit``: PostgreSQL truncates it
    silently, MySQL refuses it; ``None``: not checked (generated names are fitted anyway)."""
    name_unit: Literal["bytes", "characters"] = "bytes"
    """What ``name_limit`` counts: PostgreSQL's NAMEDATALEN is bytes, MySQL's limit characters."""
    strict_names: bool = False
    """A name may not end in a space nor hold a character beyond U+FFFF (MySQL's data dictionary)."""
    reserved_words: Literal["postgres", "sqlite", "sqlglot"] = "sqlglot"
    """Which list of reserved words decides what to quote: PostgreSQL's or SQLite's own (kept in
    ``advisor.emit.names``), else the words sqlglot's generator reserves plus PostgreSQL's."""
    sqlglot_quotes_reserved: bool = False
    """sqlglot already quotes the reserved words it writes for this dialect (MySQL): no need to."""

    # DDL spellings
    line_breaks: Literal["escape_string", "backslash", "concatenation"] | None = None
    """How a string literal holding a line break is written on one line: an escape string
    (PostgreSQL's ``E'a\\nb'``), backslash escapes or a utf8mb4 hexadecimal string (MySQL),
    a concatenation with ``char(10)`` (SQLite, which has no escapes); ``None``: as sqlglot writes it."""
    partial_matched_by_text: bool = False
    """The planner uses a partial index only for a query whose condition matches the predicate's
    text (SQLite), so a predicate whose string had to be respelled on one line would never serve."""
    row_limit: bool = False
    """A table is refused when its declared columns can exceed the 65,535-byte row limit (MySQL,
    MariaDB): the DDL is checked before it is written."""
    named_primary_key: bool = True
    """A primary key keeps the constraint name it is given; MySQL's is always PRIMARY, so no name
    is written."""
    rowid_alias: bool = False
    """A single INTEGER PRIMARY KEY declared on its column becomes the rowid (SQLite)."""
    identity: Literal["generated", "auto_increment"] | None = None
    """How a column whose values the engine generates is declared: GENERATED AS IDENTITY
    (PostgreSQL), AUTO_INCREMENT on the key's first column (MySQL); ``None``: not declared (SQLite's
    INTEGER PRIMARY KEY generates its values already)."""
    timestamp_default_precision: bool = False
    """A CURRENT_TIMESTAMP default must carry the column's fractional-second precision (MySQL)."""
    enum_type: bool = False
    """ENUM is a column type; elsewhere an ENUM is text kept to its values by a CHECK."""
    text_default_parens: bool = False
    """A TEXT, BLOB or JSON column's default must be an expression in parentheses (MySQL)."""
    unindexable: Unindexable | None = None
    """Column types no key or index can be built on."""
    reference_types: Literal["comparable", "same"] | None = None
    """What a foreign key's column type must be to its parent's: ``comparable`` (PostgreSQL: the
    same type, any two integers, any two strings), ``same`` (MySQL: the same type, decimals with the
    same precision, strings of any length); ``None``: not checked."""
    column_change: Literal["modify", "alter_column", "clauses"] = "clauses"
    """How ALTER TABLE restates a column's type and nullability: MySQL's MODIFY COLUMN with the
    whole definition, SQL Server's one ALTER COLUMN, else one ALTER COLUMN clause per change."""
    not_valid: bool = False
    """ADD CONSTRAINT ... NOT VALID adds a CHECK or foreign key without scanning the table, and
    VALIDATE CONSTRAINT checks the rows later under a weaker lock; a validated CHECK (c IS NOT
    NULL) also lets SET NOT NULL skip its scan (PostgreSQL 12+)."""
    rebuilds_tables: bool = False
    """ALTER TABLE cannot change a constraint or a column's type: the table is created anew, the
    rows copied, the old one dropped and the new one renamed (SQLite)."""
    json_type: str = "json"
    """The type a JSON document is stored in (PostgreSQL's binary, indexable ``jsonb``)."""
    conversions: Conversions | None = None
    """What a comparison with a literal of the wrong kind does; ``None``: not said."""

    # features the advice relies on
    expression_indexes: bool = False
    """An index on an expression (``lower(email)``), which a condition on that expression uses."""
    text_search: Literal["trigram", "fulltext", "fts5"] | None = None
    """What serves a substring search: a pg_trgm GIN index (PostgreSQL), a FULLTEXT index and MATCH
    ... AGAINST (MySQL), an FTS5 virtual table (SQLite); ``None``: no advice."""
    tablesample: bool = False
    """TABLESAMPLE SYSTEM reads a random sample of pages, an alternative to ORDER BY random()."""
    materialized_views: bool = False
    """CREATE MATERIALIZED VIEW, refreshed on demand: a join pattern's result can be stored."""
    partitioning: Partitioning | None = None
    """How a table is partitioned by range; ``None``: no partitioning advice."""
    lsm_advice: str = ""
    """What to do for a write-heavy append-only ``{table}`` that an LSM tree would suit; empty: the
    generic advice."""
    hash_aggregate: bool = True
    """GROUP BY can hash; SQLite cannot and prefers an index that returns the rows already grouped."""
    extract: bool = True
    """EXTRACT(field FROM value); SQLite has none (its date functions instead)."""
    operations: Operations = Operations()

    # the migration linter
    indexes_foreign_keys: bool = False
    """The engine creates an index on a foreign key's columns itself (InnoDB)."""
    locale_money: bool = False
    """A ``money`` type whose output and parsing follow the server's locale (PostgreSQL)."""
    online_ddl: Literal["mysql", "mariadb"] | None = None
    """The column of the online DDL table (``advisor.lint.online_ddl``) that says what an ALTER
    does on the engine; ``None``: that model does not apply."""
    instant_takes_lock: bool = False
    """ALGORITHM=INSTANT may come with a LOCK clause (MariaDB); MySQL refuses any beside it."""
    nocopy: bool = False
    """ALGORITHM=NOCOPY exists (MariaDB): in place and without a rebuild."""
    inline_references_since: tuple[int, ...] | None = None
    """The release from which a column-level REFERENCES creates a foreign key (MariaDB 10.5);
    ``None`` with ``online_ddl``: it is parsed and silently ignored (MySQL)."""

    # connecting
    driver: Literal["sqlite3", "psycopg", "pymysql"] | None = None
    """The Python driver ``--db``, ``--trace`` and ``introspect`` connect with; ``None``: they do not."""
    scheme: str | None = None
    """The URL scheme that names it in ``--db`` and ``--trace``."""
    trace: Literal["postgres", "mysql"] | None = None
    """The server family ``advisor lint --trace`` observes its migrations on (MariaDB and MySQL share
    one); ``None``: no trace."""
