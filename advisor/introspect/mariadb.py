"""MariaDB and MySQL through PyMySQL: ``information_schema`` (tables, columns, constraints, checks)
and the index statistics ``SHOW INDEX`` shows (``information_schema.STATISTICS.CARDINALITY``),
in one read-only transaction.

InnoDB's numbers are estimates from a few sampled pages: ``TABLE_ROWS`` for rows, and an index's
cardinality, the distinct values of its key prefix, for the ``ndv`` of the column that leads it.
Nothing else is known per column without reading rows, which the tool never does.

Reading runs in stages, one module each: columns (``mariadb_columns``), constraints and indexes
(``mariadb_constraints``), MariaDB's statistics (``mariadb_statistics``) and the workload
(``mariadb_workload``); this module connects, runs them in order and assembles the catalog.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from advisor.engines.url import DbUrl, redact
from advisor.errors import AdvisorError
from advisor.introspect.mariadb_columns import MariaTable, read_columns
from advisor.introspect.mariadb_constraints import read_checks, read_foreign_keys, read_indexes
from advisor.introspect.mariadb_statistics import read_column_stats
from advisor.introspect.mariadb_workload import read_digests, workload_comments, workload_warnings
from advisor.introspect.model import Catalog, Options, TableFacts, no_tables, unfit_names, wanted
from advisor.introspect.write import rounded


def introspect_mariadb(url: DbUrl, options: Options) -> Catalog:
    """The catalog of the database ``url`` names; one line (exit 2) when the server cannot be
    reached or refuses."""
    try:
        import pymysql
    except ImportError:
        raise AdvisorError(
            "MariaDB and MySQL need the PyMySQL driver, which is not installed: pip install 'advisor[db]'"
        ) from None
    from advisor.engines.mariadb import connect
    from advisor.lint.trace import said

    if not url.database:
        raise AdvisorError(f"URL: name the database to read: {redact(url.url).rstrip('/')}/DATABASE")
    where = f"{'MariaDB' if url.engine == 'mariadb' else 'MySQL'} at {redact(url.url)}"
    try:
        conn = connect(url, url.database)
    except pymysql.Error as exc:
        raise AdvisorError(f"cannot connect to {where}: {url.scrub(said(exc))}") from None
    try:
        with conn.cursor() as cur:
            # a consistent snapshot that cannot write; information_schema is read as of now
            cur.execute("START TRANSACTION READ ONLY, WITH CONSISTENT SNAPSHOT")
            try:
                return _Reader(cur, url.database, options).read()
            finally:
                cur.execute("ROLLBACK")
    except pymysql.Error as exc:
        raise AdvisorError(f"cannot read the catalog of {where}: {url.scrub(said(exc))}") from None
    finally:
        conn.close()


class _Reader:
    """The stages in order, in the transaction ``introspect_mariadb`` opened, and the catalog
    they make."""

    def __init__(self, cur: Any, database: str, options: Options) -> None:
        self.cur = cur
        self.database = database
        self.options = options

    def fetch(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        self.cur.execute(sql.replace("SELECT", "SELECT /* advisor introspect */", 1), tuple(params))
        return list(self.cur.fetchall())

    def read(self) -> Catalog:
        version = str(self.fetch("SELECT version()")[0][0])
        self.mariadb = "mariadb" in version.lower()
        tables = {
            str(name): MariaTable(str(name), int(rows) if rows is not None else None)
            for name, rows in self.fetch(
                "SELECT TABLE_NAME, TABLE_ROWS FROM information_schema.TABLES "
                "WHERE TABLE_SCHEMA = %s AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME",
                (self.database,),
            )
            if wanted(str(name), self.options.include, self.options.exclude)
        }
        if not tables:
            raise no_tables(f"database {self.database}", self.options)
        say = self.options.say
        say(f"reading the columns of {len(tables):,} tables")
        read_columns(self.fetch, tables, self.database, self.mariadb)
        left_out = []
        for name, table in list(tables.items()):
            why = unfit_names(name, list(table.columns)) if table.columns else "it has no columns"
            if why is not None:
                del tables[name]
                left_out.append(f"table {name!r} left out: {why}")
        say("reading constraints and indexes")
        read_checks(self.fetch, tables, self.database, self.mariadb)
        read_indexes(self.fetch, tables, self.database)
        read_foreign_keys(self.fetch, tables, self.database)
        if self.mariadb:
            say("reading statistics (mysql.column_stats)")
            read_column_stats(self.fetch, tables, self.database)
        engine = "MariaDB" if self.mariadb else "MySQL"
        header = (
            f"Written by `advisor introspect` from {engine} {version}, database {self.database}.",
            "Read from information_schema only: rows from TABLES.TABLE_ROWS and ndv, for a column that",
            "leads an index, from STATISTICS.CARDINALITY (as SHOW INDEX shows them): InnoDB's estimates",
            "from sampled pages, as of the last ANALYZE TABLE or automatic recalculation.",
        )
        schema = {t.name.lower(): {c.lower() for c in t.columns} for t in tables.values()}
        say("reading the workload (performance_schema)")
        workload, state, lost = read_digests(self.fetch, self.database, schema, self.options)
        return Catalog(
            dialect="mysql",
            header=header,
            tables=tuple(self._finish(t) for t in tables.values()),
            patterns=workload.patterns if workload else (),
            patterns_comments=workload_comments(workload, state, engine),
            warnings=(*left_out, *workload_warnings(workload, state, engine, lost)),
        )

    def _finish(self, table: MariaTable) -> TableFacts:
        notes: list[tuple[str, str]] = []
        rows = table.rows
        if rows is not None:
            notes.append(("rows", "TABLES.TABLE_ROWS (estimate)"))
        columns = dict(table.columns)
        if rows:
            if len(table.primary_key) == 1:
                key = table.primary_key[0]
                columns[key] = replace(
                    columns[key], ndv=rows, notes=(*columns[key].notes, ("ndv", "the primary key"))
                )
            for column, (nulls, per_value) in table.column_stats.items():
                current = columns.get(column)
                if current is None:
                    continue
                source = "mysql.column_stats (ANALYZE TABLE ... PERSISTENT)"
                notes_added = []
                ndv = current.ndv
                if ndv is None and per_value:
                    ndv = max(1, min(rows, round(rows * (1 - (nulls or 0.0)) / per_value)))
                    notes_added.append(("ndv", source))
                null_frac = current.null_frac
                if null_frac is None and nulls is not None and current.nullable:
                    null_frac = rounded(nulls)
                    notes_added.append(("null_frac", source))
                histogram = current.histogram
                if not histogram and column in table.histograms:
                    histogram, kind = table.histograms[column]
                    notes_added.append(
                        ("histogram", f"mysql.column_stats {kind} ({len(histogram) - 1} buckets)")
                    )
                if notes_added:
                    columns[column] = replace(
                        current,
                        ndv=ndv,
                        null_frac=null_frac,
                        histogram=histogram,
                        notes=(*current.notes, *notes_added),
                    )
            for column, (distinct, index) in table.cardinality.items():
                current = columns.get(column)
                if current is None or current.ndv is not None or distinct < 1:
                    continue
                note = ("ndv", f"STATISTICS.CARDINALITY of {index}")
                columns[column] = replace(current, ndv=min(distinct, rows), notes=(*current.notes, note))
        return TableFacts(
            name=table.name,
            columns=tuple(columns.values()),
            rows=rows,
            primary_key=table.primary_key,
            indexes=tuple(sorted(table.indexes, key=lambda i: i.name)),
            notes=tuple(notes),
            comments=tuple(table.comments),
        )
