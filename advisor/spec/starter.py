"""``advisor init``: a commented starter spec, either an example showing every key of the input
format once, or the tables of a DDL file with their statistics left for the user to fill in.

Both are written as text (PyYAML writes no comments) and both load as they are, so that
``advisor recommend`` runs on the file before anything is filled in.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from advisor.oneline import one_line
from advisor.spec.model import Table
from advisor.spec.yaml_text import scalar

EXAMPLE = """\
# advisor spec: the tables, their statistics and the statements the application runs.
# Every key of the format is shown once below, with what it means; delete what you do not need.
# Then: advisor recommend {name}

dialect: {dialect:<28} # the SQL dialect of every statement here (a sqlglot name)
# schema: [schema.sql]                # DDL files replayed first (paths relative to this file);
#                                     # tables: below then adds statistics to their tables

workload:                             # the application's totals, to turn weights into rates
  reads_per_sec: 200                  # all reads per second (SELECT)
  writes_per_sec: 20                  # all writes per second (INSERT, UPDATE, DELETE)

budget:                               # limits on what the plan may add
  storage: 20GB                       # total size of all new indexes together
  max_indexes_per_table: 8            # counting the indexes that exist (primary key included)
  max_write_overhead: 500             # extra page writes per second new indexes may cost

tables:                               # per table: its statistics, columns and indexes
  users:
    description: one row per account  # free text, for the reader
    rows: 1000000                     # rows now: SELECT count(*) FROM users
    growth_per_day: 2000              # rows added per day (capacity figures)
    all_visible: 0.9                  # share of pages all-visible (relallvisible / relpages)
    consistency: strict               # strict or eventual: may reads lag the writes?
    sensitive: true                   # personal or financial data (INT008 asks for an audit trail)
    functional_dependencies: ["email -> country"]   # column -> column: what determines what
    columns:                          # per column: type, constraints and statistics
      user_id:
        type: bigint                  # the column's SQL type
        primary_key: true             # a one-column primary key (composite: primary_key: at table level)
      email:
        type: varchar(255)
        unique: true                  # a UNIQUE constraint
        nullable: false               # NOT NULL
        description: login address    # free text
      country:
        type: char(2)
        ndv: 200                      # distinct values: SELECT count(DISTINCT country) FROM users
        frequencies: {{US: 0.4, DE: 0.1}}   # share of rows of the most common values
        default: "'US'"               # a SQL expression (a string literal is quoted twice)
      created_at:
        type: timestamp
        null_frac: 0.0                # share of NULL rows (for IS NULL)
        correlation: 0.99             # -1 to 1: how closely row order follows this column (pg_stats)
        histogram: ['2024-01-01', '2025-01-01', '2026-01-01']   # bucket bounds, lowest first
    indexes:                          # the indexes that exist, besides keys and UNIQUE columns
      - name: users_country_created   # optional; one is made up when missing
        columns: [country, created_at DESC]   # keys in order; DESC where it matters
        #   a key may also be {{column: created_at, desc: true}} or {{column: created_at, order: desc}}
        include: [email]              # stored in the index, not keys (INCLUDE)
        unique: false                 # a unique index
        where: created_at > '2024-01-01'   # a partial index: the rows it holds
        description: the country report   # free text
        scans: 1200                   # scans since the server's statistics reset (introspect reads them)
  orders:
    rows: 20000000
    primary_key: [user_id, order_no]  # a composite primary key
    columns:
      user_id:
        type: bigint
        references: users.user_id     # a foreign key: table.column
        on_delete: cascade            # cascade, set null, set default, restrict, no action
        on_update: no action          # the same, when the key changes
      order_no:
        type: int
      quantity:
        type: int
        check: quantity > 0           # a CHECK condition on the table's own columns

patterns:                             # the statements the application runs, with their frequency
  - name: user_by_email               # a unique name; findings and the plan refer to it
    sql: SELECT user_id, country FROM users WHERE email = :email   # :name, $1, ? or %(name)s
    per_sec: 50                       # how often: one of per_sec, per_day or weight
    description: login                # free text
  - name: orders_of_user
    sql: SELECT order_no, quantity FROM orders WHERE user_id = $1 ORDER BY order_no DESC LIMIT 20
    per_day: 100000                   # runs per day
  - name: new_order
    sql: INSERT INTO orders (user_id, order_no, quantity) VALUES (?, ?, ?)
    weight: 3                         # relative: a share of the workload's writes_per_sec
    # origin: pg_stat_statements      # a recorded statement (introspect writes this): one the
    #                                 # analysis cannot read is a finding (QRY011), not an error

operations:                           # the architect's checklist: true, false or what is in place
  monitoring: pg_stat_statements, alerts on lag and disk   # what watches slow queries and growth
  backups: nightly base backup plus WAL archiving   # how data is backed up, restores tested
  replication: one synchronous standby    # replicas and what reads go to them
  partitioning: false                     # which large tables are partitioned, and by what
  connection_pooling: PgBouncer           # what pools the connections
  explain_review: EXPLAIN of new queries in code review   # how plans are reviewed
  migration_plan: expand/contract; CREATE INDEX CONCURRENTLY   # how schema changes ship
  disaster_recovery: RPO 5 min, RTO 1 h   # recovery objectives, failover rehearsed
"""


def example_text(name: str, dialect: str) -> str:
    """The example spec: every key once, commented; ``name`` is the file the comments point at."""
    return EXAMPLE.format(name=name, dialect=dialect)


_HEADER = """\
# advisor spec for the tables of {files}.
# The DDL stays the source of the columns, keys and indexes; fill in below what it cannot say:
#   rows: how many rows each table holds (SELECT count(*) FROM t),
#   ndv:  how many distinct values a column holds (SELECT count(DISTINCT c) FROM t),
# by removing the '# ' before them; then replace the example patterns with the statements the
# application runs, each with a frequency (per_sec, per_day or weight). Every key is described in
# the README's "The input file"; `advisor init` without --from shows each once.
# Then: advisor recommend {name}
"""


def from_ddl_text(name: str, dialect: str, schema: Sequence[str], tables: Sequence[Table]) -> str:
    """The spec for ``tables`` (replayed from the DDL files ``schema``, as the spec names them):
    ``rows`` and ``ndv`` commented out, since a guessed number would steer the advice unseen."""
    lines = [_HEADER.format(files=", ".join(schema), name=name).rstrip("\n")]
    lines.append(f"dialect: {scalar(dialect)}")
    lines.append(f"schema: [{', '.join(scalar(path) for path in schema)}]")
    if not tables:
        lines.append("tables: {}   # the DDL creates no table")
        lines.append("patterns: []")
        return "\n".join(lines) + "\n"
    lines.append("tables:")
    for table in tables:
        lines.extend(_table_lines(table, dialect))
    lines.append("patterns:                # one example per table: replace them with your own")
    for table in tables:
        lines.extend(_example_pattern(table, dialect))
    return "\n".join(lines) + "\n"


def _table_lines(table: Table, dialect: str) -> list[str]:
    name = _identifier(table.name, dialect)
    lines = [f"  {scalar(table.name)}:"]
    lines.append(f"    # rows: 0            # fill in: SELECT count(*) FROM {one_line(name)}")
    lines.append("    columns:")
    for column in table.columns:
        # a column with only a comment under it reads as empty: it adds nothing to the DDL's
        distinct = f"SELECT count(DISTINCT {_identifier(column.name, dialect)}) FROM {name}"
        lines.append(f"      {scalar(column.name)}:   # {one_line(column.type)}")
        lines.append(f"        # ndv: 0         # fill in: {one_line(distinct)}")
    return lines


def _example_pattern(table: Table, dialect: str) -> list[str]:
    """A lookup by the table's key (or its first column): a shape every table has, so it loads."""
    keys = list(table.primary_key) or [table.columns[0].name]
    shown = [c.name for c in table.columns[:4]]

    def quoted(name: str) -> str:
        return _identifier(name, dialect)

    where = " AND ".join(f"{quoted(k)} = ?" for k in keys)
    sql = f"SELECT {', '.join(quoted(c) for c in shown)} FROM {quoted(table.name)} WHERE {where}"
    return [
        f"  - name: {scalar(table.name + '_by_key')}",
        f"    sql: {scalar(sql)}",
        "    per_sec: 1           # how often it runs: per_sec, per_day or weight",
    ]


_PLAIN = re.compile(r"[a-z_][a-z0-9_]*")


def _identifier(name: str, dialect: str) -> str:
    """``name`` as the statement must spell it: quoted when it is not a plain lower-case word or
    is a keyword (a table named ``order``), as written otherwise, so the example reads naturally."""
    from sqlglot import exp

    plain = _PLAIN.fullmatch(name) is not None and name.upper() not in _keywords(dialect)
    return exp.to_identifier(name, quoted=not plain).sql(dialect=dialect)


def _keywords(dialect: str) -> frozenset[str]:
    """Words sqlglot reads as keywords (each word of ``ORDER BY`` too) or the dialect reserves."""
    from sqlglot.dialects.dialect import Dialect
    from sqlglot.tokens import Tokenizer

    reserved: set[str] = getattr(Dialect.get_or_raise(dialect).generator_class, "RESERVED_KEYWORDS", set())
    words = {word for keyword in Tokenizer.KEYWORDS for word in keyword.split()}
    return frozenset(words | {word.upper() for word in reserved})
