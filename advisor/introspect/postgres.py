"""PostgreSQL's catalog and statistics views, read in one read-only transaction.

Only ``pg_catalog`` views, ``pg_stats`` and ``pg_stat_statements`` are queried, never a user table:
the numbers are those the planner itself uses (``reltuples``, ``n_distinct``, the most common values
and histogram bounds ANALYZE sampled). The transaction is REPEATABLE READ, so every query sees the
same snapshot of the catalog, and READ ONLY, so nothing in it can write, whatever the role may do.

Reading runs in stages, one module each: tables and columns (``postgres_columns``), constraints and
indexes (``postgres_constraints``), statistics (``postgres_statistics``) and the workload
(``postgres_workload``); this module connects, runs them in order and assembles the catalog.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from advisor.engines.url import DbUrl, redact
from advisor.errors import AdvisorError
from advisor.introspect.model import Catalog, Options, TableFacts, no_tables, unfit_names
from advisor.introspect.postgres_columns import read_columns, read_tables
from advisor.introspect.postgres_common import PgTable, known_rows, quote_ident
from advisor.introspect.postgres_constraints import read_constraints, read_index_scans, read_indexes
from advisor.introspect.postgres_statistics import read_statistics
from advisor.introspect.postgres_workload import (
    read_pg_stat_statements,
    workload_comments,
    workload_warnings,
)
from advisor.introspect.workload import MARKER
from advisor.introspect.write import rounded


def q(sql: str) -> str:
    """``sql`` marked as the tool's own, so that pg_stat_statements shows it and a later
    introspection leaves it out of the workload."""
    return sql.replace("SELECT", f"SELECT /* {MARKER} */", 1)


def introspect_postgres(url: DbUrl, options: Options) -> Catalog:
    """The catalog of ``options.schema`` in the database of ``url``; one line (exit 2) when the
    server cannot be reached or the role may not read something."""
    try:
        import psycopg
    except ImportError:
        raise AdvisorError(
            "PostgreSQL needs the psycopg driver, which is not installed: pip install 'advisor[db]'"
        ) from None
    where = f"PostgreSQL at {redact(url.url)}"
    try:
        conn = psycopg.connect(url.url, connect_timeout=10, application_name="advisor introspect")
    except psycopg.Error as exc:
        raise AdvisorError(f"cannot connect to {where}: {url.scrub(_first_line(exc))}") from None
    try:
        with read_only(conn):
            # names in defaults, checks and types are printed unqualified when in this schema
            conn.execute("SELECT set_config('search_path', %s, true)", (quote_ident(options.schema),))
            return _Reader(conn, options).read()
    except psycopg.Error as exc:
        raise AdvisorError(f"cannot read the catalog of {where}: {url.scrub(_first_line(exc))}") from None
    finally:
        conn.close()


@contextmanager
def read_only(conn: Any) -> Iterator[None]:
    """One REPEATABLE READ, READ ONLY transaction on ``conn``, rolled back at the end: every
    query sees the same snapshot, and the server refuses any write."""
    import psycopg

    conn.read_only = True
    conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
    with conn.transaction(force_rollback=True):
        conn.execute("SET LOCAL statement_timeout = '60s'")
        yield


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


class _Reader:
    """The stages in order, in the transaction ``introspect_postgres`` opened, and the catalog
    they make."""

    def __init__(self, conn: Any, options: Options) -> None:
        self.conn = conn
        self.options = options

    def fetch(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        return list(self.conn.execute(q(sql), params).fetchall())

    def read(self) -> Catalog:
        facts = self.fetch(
            "SELECT current_database(), current_setting('server_version'), "
            "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), "
            "EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = %s)",
            (self.options.schema,),
        )[0]
        database, version, now, schema_exists = facts
        if not schema_exists:
            raise AdvisorError(f"--schema: database {database} has no schema {self.options.schema!r}")
        tables = read_tables(self.fetch, self.options)
        if not tables:
            raise no_tables(f"schema {self.options.schema!r} of database {database}", self.options)
        say = self.options.say
        say(f"reading the columns of {len(tables):,} tables")
        read_columns(self.fetch, tables)
        left_out = _drop_unfit(tables)
        if not tables:
            raise AdvisorError(f"no table of schema {self.options.schema!r} can be written: {left_out[0]}")
        say("reading constraints and indexes")
        read_constraints(self.fetch, tables, self.options)
        read_indexes(self.fetch, tables)
        read_index_scans(self.fetch, tables)
        say("reading statistics (pg_stats)")
        read_statistics(self.fetch, tables, self.options)
        say("reading the workload (pg_stat_statements)")
        schema = {t.name.lower(): {c.lower() for c in t.columns} for t in tables.values()}
        workload, state = read_pg_stat_statements(self.conn, self.fetch, database, schema, self.options)
        header = (
            f"Written by `advisor introspect` from PostgreSQL {version}, database {database}, "
            f"schema {self.options.schema}, at {now} UTC.",
            "Read from the catalog and statistics views only: rows from pg_class.reltuples, all_visible from",
            "relallvisible / relpages (both as of the last VACUUM or ANALYZE); ndv, null_frac, frequencies,",
            "histogram and correlation from pg_stats (the sample of the last ANALYZE).",
        )
        return Catalog(
            dialect="postgres",
            header=header,
            tables=tuple(self._finish(t) for t in tables.values()),
            patterns=workload.patterns if workload else (),
            patterns_comments=workload_comments(workload, state),
            warnings=(*left_out, *workload_warnings(workload, state, database)),
        )

    def _finish(self, table: PgTable) -> TableFacts:
        rows = known_rows(table.rows)
        notes: list[tuple[str, str]] = []
        if rows is not None:
            when = f", analyzed {table.analyzed} UTC" if table.analyzed else ""
            notes.append(("rows", f"pg_class.reltuples{when}"))
        else:
            table.comments.append(
                "never analyzed (pg_class.reltuples is -1): run ANALYZE, then introspect again"
            )
        visible = None
        if table.pages > 0 and rows is not None:
            visible = rounded(min(1.0, table.visible / table.pages))
            notes.append(("all_visible", f"relallvisible {table.visible} / relpages {table.pages}"))
        return TableFacts(
            name=table.name,
            columns=tuple(table.columns.values()),
            rows=rows,
            all_visible=visible,
            primary_key=table.primary_key,
            indexes=tuple(table.indexes),
            notes=tuple(notes),
            comments=tuple(table.comments),
        )


def _drop_unfit(tables: dict[int, PgTable]) -> list[str]:
    """Leave out (and say why) the tables the spec cannot name: see ``unfit_names``."""
    said = []
    seen: set[str] = set()
    for oid, table in list(tables.items()):
        why = unfit_names(table.name, list(table.columns)) if table.columns else "it has no columns"
        if why is None and table.name.lower() in seen:
            why = "another table has the same name but for case"
        seen.add(table.name.lower())
        if why is not None:
            del tables[oid]
            said.append(f"table {table.name!r} left out: {why}")
    return said
