"""MariaDB and MySQL through PyMySQL: ``information_schema`` (tables, columns, constraints, checks)
and the index statistics ``SHOW INDEX`` shows (``information_schema.STATISTICS.CARDINALITY``),
in one read-only transaction.

InnoDB's numbers are estimates from a few sampled pages: ``TABLE_ROWS`` for rows, and an index's
cardinality, the distinct values of its key prefix, for the ``ndv`` of the column that leads it.
Nothing else is known per column without reading rows, which the tool never does.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from advisor.engines.url import DbUrl, redact
from advisor.errors import AdvisorError
from advisor.introspect.mariadb_histogram import decode
from advisor.introspect.model import (
    Catalog,
    ColumnFacts,
    IndexFacts,
    Options,
    Scalar,
    TableFacts,
    no_tables,
    unfit_names,
    wanted,
    written_default,
)
from advisor.introspect.workload import Statement, Workload, read_workload
from advisor.introspect.write import rounded

_ACTIONS = {"CASCADE": "cascade", "SET NULL": "set null", "SET DEFAULT": "set default"}
"""FOREIGN KEY rules; RESTRICT and NO ACTION are the same in InnoDB, and the default."""


@dataclass
class _Table:
    name: str
    rows: int | None
    columns: dict[str, ColumnFacts] = field(default_factory=dict)
    primary_key: tuple[str, ...] = ()
    indexes: list[IndexFacts] = field(default_factory=list)
    cardinality: dict[str, tuple[int, str]] = field(default_factory=dict)
    """Leading column -> (distinct values, index) from an index's first key."""
    column_stats: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)
    """Column -> (share of NULLs, rows per distinct value) from MariaDB's ``mysql.column_stats``."""
    histograms: dict[str, tuple[tuple[Scalar, ...], str]] = field(default_factory=dict)
    """Column -> (bounds, MariaDB's histogram type) from ``mysql.column_stats``."""
    comments: list[str] = field(default_factory=list)


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
    def __init__(self, cur: Any, database: str, options: Options) -> None:
        self.cur = cur
        self.database = database
        self.options = options
        self.lost_statements = 0
        """Statements performance_schema counted without a digest: its table was full."""

    def fetch(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        self.cur.execute(sql.replace("SELECT", "SELECT /* advisor introspect */", 1), tuple(params))
        return list(self.cur.fetchall())

    def read(self) -> Catalog:
        version = str(self.fetch("SELECT version()")[0][0])
        self.mariadb = "mariadb" in version.lower()
        tables = {
            str(name): _Table(str(name), int(rows) if rows is not None else None)
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
        self._columns(tables)
        left_out = []
        for name, table in list(tables.items()):
            why = unfit_names(name, list(table.columns)) if table.columns else "it has no columns"
            if why is not None:
                del tables[name]
                left_out.append(f"table {name!r} left out: {why}")
        say("reading constraints and indexes")
        self._checks(tables)
        self._indexes(tables)
        self._foreign_keys(tables)
        if self.mariadb:
            say("reading statistics (mysql.column_stats)")
            self._column_stats(tables)
        engine = "MariaDB" if self.mariadb else "MySQL"
        header = (
            f"Written by `advisor introspect` from {engine} {version}, database {self.database}.",
            "Read from information_schema only: rows from TABLES.TABLE_ROWS and ndv, for a column that",
            "leads an index, from STATISTICS.CARDINALITY (as SHOW INDEX shows them): InnoDB's estimates",
            "from sampled pages, as of the last ANALYZE TABLE or automatic recalculation.",
        )
        schema = {t.name.lower(): {c.lower() for c in t.columns} for t in tables.values()}
        say("reading the workload (performance_schema)")
        workload, state = self._workload(schema)
        return Catalog(
            dialect="mysql",
            header=header,
            tables=tuple(self._finish(t) for t in tables.values()),
            patterns=workload.patterns if workload else (),
            patterns_comments=_patterns_comments(workload, state, engine),
            warnings=(*left_out, *_workload_warnings(workload, state, engine, self.lost_statements)),
        )

    def _column_stats(self, tables: dict[str, _Table]) -> None:
        """MariaDB's engine-independent statistics, where ``ANALYZE TABLE ... PERSISTENT FOR ALL``
        wrote them: a scan of every row, not InnoDB's sampled pages. Not readable is no error."""
        import pymysql

        try:
            rows = self.fetch(
                "SELECT table_name, column_name, nulls_ratio, avg_frequency, min_value, max_value, hist_type, "
                "histogram FROM mysql.column_stats WHERE db_name = %s",
                (self.database,),
            )
        except pymysql.err.MySQLError as exc:
            if exc.args and exc.args[0] in (1142, 1044):
                return
            raise
        for table, column, nulls, per_value, low, high, kind, data in rows:
            found = tables.get(str(table))
            if found is None or str(column) not in found.columns:
                continue
            found.column_stats[str(column)] = (
                float(nulls) if nulls is not None else None,
                float(per_value) if per_value is not None else None,
            )
            bounds = decode(
                kind,
                data,
                _text(low),
                _text(high),
                found.columns[str(column)].type,
            )
            if bounds:
                found.histograms[str(column)] = (bounds, str(kind))

    def _workload(self, schema: dict[str, set[str]]) -> tuple[Workload | None, str]:
        """The patterns from performance_schema's statement digests of this database, or ``None``
        and why there are none."""
        import pymysql

        if not int(self.fetch("SELECT @@performance_schema")[0][0] or 0):
            return None, "off (performance_schema = OFF)"
        digests = "performance_schema.events_statements_summary_by_digest"
        try:
            rows = self.fetch(
                f"SELECT DIGEST_TEXT, COUNT_STAR FROM {digests} WHERE SCHEMA_NAME = %s AND DIGEST_TEXT IS NOT NULL",
                (self.database,),
            )
            # the digests keep no reset time: the first statement any of them saw starts the window
            since = self.fetch(f"SELECT TIMESTAMPDIFF(SECOND, MIN(FIRST_SEEN), NOW()) FROM {digests}")
            # once the table is full, new statements are counted in one row without a digest
            lost = self.fetch(f"SELECT COALESCE(SUM(COUNT_STAR), 0) FROM {digests} WHERE DIGEST IS NULL")
        except pymysql.err.MySQLError as exc:
            if exc.args and exc.args[0] in (1142, 1044):  # no SELECT on performance_schema
                return None, "not readable by this user (GRANT SELECT ON performance_schema.* TO it)"
            raise
        # whole seconds: a window under one (digests just reset) counts as one
        window = max(1.0, float(since[0][0])) if since and since[0][0] is not None else None
        self.lost_statements = int(lost[0][0] or 0) if lost else 0
        statements = [Statement(_from_digest(str(text)), int(calls)) for text, calls in rows]
        return (
            read_workload(
                statements,
                window,
                schema,
                "mysql",
                self.options.min_calls,
                self.options.top,
                "performance_schema",
            ),
            "read",
        )

    def _columns(self, tables: dict[str, _Table]) -> None:
        for table, name, kind, nullable, default, extra, generated in self.fetch(
            "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, "
            "GENERATION_EXPRESSION FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = %s "
            "ORDER BY TABLE_NAME, ORDINAL_POSITION",
            (self.database,),
        ):
            if str(table) in tables:
                column = self._column(
                    str(name), str(kind), nullable == "YES", default, str(extra or ""), generated
                )
                tables[str(table)].columns[str(name)] = column

    def _column(
        self, name: str, kind: str, nullable: bool, default: object, extra: str, generated: object
    ) -> ColumnFacts:
        from advisor.emit.types import parse_type

        notes: list[tuple[str, str]] = []
        comments: list[str] = []
        written = kind.lower()
        try:
            parse_type(written, "mysql")
        except AdvisorError:
            notes.append(("type", f"{kind}, which the spec cannot read: written as text"))
            written = "text"
        lowered = extra.lower()
        if "auto_increment" in lowered:
            notes.append(("type", "AUTO_INCREMENT (the spec format has no such key)"))
        if "generated" in lowered and "default_generated" not in lowered:
            comments.append(f"generated always as ({generated}): written as a plain column")
            default = None
        if "on update" in lowered:
            comments.append(f"{extra.strip()}: the spec format has no ON UPDATE")
        text = written_default(self._default(default, lowered), "mysql", comments)
        return ColumnFacts(
            name=name,
            type=written,
            nullable=nullable,
            default=text,
            notes=tuple(notes),
            comments=tuple(comments),
        )

    def _default(self, default: object, extra: str) -> str | None:
        """The default as an expression: MariaDB writes one (``'new'``, ``current_timestamp()``,
        ``NULL``); MySQL writes a literal's raw value unless the default is an expression."""
        if default is None:
            return None
        text = str(default)
        if self.mariadb:
            return None if text.upper() == "NULL" else text
        if "default_generated" in extra:
            return text
        try:
            float(text)
        except ValueError:
            return "'" + text.replace("'", "''") + "'"
        return text

    def _checks(self, tables: dict[str, _Table]) -> None:
        import sqlglot
        from sqlglot import exp
        from sqlglot.errors import SqlglotError

        from advisor.spec.expressions import parse_expression

        sql = (
            "SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS "
            "WHERE CONSTRAINT_SCHEMA = %s ORDER BY TABLE_NAME, CONSTRAINT_NAME"
        )
        if not self.mariadb:  # MySQL's view has no table: its constraints know it
            sql = (
                "SELECT t.TABLE_NAME, c.CONSTRAINT_NAME, c.CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS c "
                "JOIN information_schema.TABLE_CONSTRAINTS t ON t.CONSTRAINT_SCHEMA = c.CONSTRAINT_SCHEMA "
                "AND t.CONSTRAINT_NAME = c.CONSTRAINT_NAME AND t.CONSTRAINT_TYPE = 'CHECK' "
                "WHERE c.CONSTRAINT_SCHEMA = %s ORDER BY 1, 2"
            )
        import pymysql

        try:
            rows = self.fetch(sql, (self.database,))
        except pymysql.Error:  # a server before CHECK constraints (MySQL 5.7, MariaDB 10.1)
            return
        for table_name, name, clause in rows:
            table = tables.get(str(table_name))
            if table is None:
                continue
            try:
                tree = sqlglot.parse_one(str(clause), read="mysql")
            except SqlglotError:
                table.comments.append(f"check {name} left out: it does not parse: {clause}")
                continue
            keys = {c.lower(): c for c in table.columns}
            named = [keys[c.name.lower()] for c in tree.find_all(exp.Column) if c.name.lower() in keys]
            if isinstance(tree, exp.Anonymous) and str(tree.name).lower() == "json_valid" and len(named) == 1:
                # MariaDB's JSON is LONGTEXT with this check: the column is JSON
                column = table.columns[named[0]]
                note = ("type", f"{column.type} with CHECK json_valid (MariaDB's JSON)")
                table.columns[named[0]] = replace(column, type="json", notes=(*column.notes, note))
                continue
            text = tree.sql(dialect="mysql")
            try:
                parse_expression(text, "mysql", "check")
            except ValueError as exc:
                table.comments.append(f"check {name} left out ({exc}): {clause}")
                continue
            if not named:
                table.comments.append(f"check {name} left out: it names no column: {clause}")
                continue
            column = table.columns[named[0]]
            combined = text if column.check is None else f"({column.check}) AND ({text})"
            table.columns[named[0]] = replace(
                column, check=combined, notes=(*column.notes, ("check", f"constraint {name}"))
            )

    def _indexes(self, tables: dict[str, _Table]) -> None:
        grouped: dict[tuple[str, str], list[tuple[Any, ...]]] = {}
        for row in self.fetch(
            "SELECT TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX, COLUMN_NAME, NON_UNIQUE, CARDINALITY, SUB_PART, "
            "INDEX_TYPE, COLLATION FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = %s "
            "ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX",
            (self.database,),
        ):
            if str(row[0]) in tables:
                grouped.setdefault((str(row[0]), str(row[1])), []).append(row)
        for (table_name, name), parts in grouped.items():
            table = tables[table_name]
            first = parts[0]
            kind = str(first[7]).upper()
            if kind == "BTREE" and first[3] is not None and first[5] is not None and first[6] is None:
                known = table.cardinality.get(str(first[3]))
                if known is None or int(first[5]) > known[0]:
                    table.cardinality[str(first[3])] = (int(first[5]), name)
            if name == "PRIMARY":
                table.primary_key = tuple(str(p[3]) for p in parts)
                continue
            if kind != "BTREE":
                table.comments.append(
                    f"index {name} left out (a {kind} index: the spec describes B-tree indexes only)"
                )
                continue
            if any(p[3] is None for p in parts):
                table.comments.append(
                    f"index {name} left out (an expression index: the spec's indexes are on columns)"
                )
                continue
            keys = tuple((str(p[3]), str(p[8] or "A").upper() == "D") for p in parts)
            unique = int(first[4]) == 0
            prefixed = [f"{p[3]}({p[6]})" for p in parts if p[6] is not None]
            note = f"prefix {', '.join(prefixed)}" if prefixed else None
            if unique and len(keys) == 1 and not keys[0][1] and not prefixed:
                column = table.columns[keys[0][0]]
                table.columns[keys[0][0]] = replace(
                    column, unique=True, notes=(*column.notes, ("unique", f"unique index {name}"))
                )
                continue
            table.indexes.append(IndexFacts(name=name, columns=keys, unique=unique, note=note))

    def _foreign_keys(self, tables: dict[str, _Table]) -> None:
        grouped: dict[tuple[str, str], list[tuple[Any, ...]]] = {}
        for row in self.fetch(
            "SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, k.COLUMN_NAME, k.REFERENCED_TABLE_SCHEMA, "
            "k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME, r.UPDATE_RULE, r.DELETE_RULE "
            "FROM information_schema.KEY_COLUMN_USAGE k JOIN information_schema.REFERENTIAL_CONSTRAINTS r "
            "ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME "
            "AND r.TABLE_NAME = k.TABLE_NAME "
            "WHERE k.TABLE_SCHEMA = %s AND k.REFERENCED_TABLE_NAME IS NOT NULL "
            "ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION",
            (self.database,),
        ):
            if str(row[0]) in tables:
                grouped.setdefault((str(row[0]), str(row[1])), []).append(row)
        for (table_name, name), parts in grouped.items():
            table = tables[table_name]
            _, _, column, schema, target, target_column, on_update, on_delete = parts[0]
            shown = f"FOREIGN KEY ({', '.join(str(p[2]) for p in parts)}) REFERENCES {schema}.{target}"
            if len(parts) > 1:
                table.comments.append(
                    f"foreign key {name} left out: the spec format has no composite references: {shown}"
                )
                continue
            if str(schema) != self.database or str(target) not in tables:
                table.comments.append(f"foreign key {name} left out: it references a table not read: {shown}")
                continue
            current = table.columns[str(column)]
            table.columns[str(column)] = replace(
                current,
                references=f"{target}.{target_column}",
                on_delete=_ACTIONS.get(str(on_delete)),
                on_update=_ACTIONS.get(str(on_update)),
                notes=(*current.notes, ("references", f"constraint {name}")),
            )

    def _finish(self, table: _Table) -> TableFacts:
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


def _text(value: object) -> str | None:
    """A ``column_stats`` bound (VARBINARY) as text."""
    if value is None:
        return None
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _from_digest(text: str) -> str:
    """A digest as SQL the analysis reads. A digest shortens a list of literals to ``?, ...`` and a
    whole VALUES row or IN list to ``(...)``: the first is one placeholder, the second becomes one
    (so an INSERT whose rows the digest folded counts one), and the note of folded rows goes.

    >>> _from_digest("INSERT INTO `t` VALUES (...) /* , ... */ ")
    'INSERT INTO `t` VALUES (?)'
    >>> _from_digest("INSERT INTO `t` ( `a` , `b` ) VALUES ( ?, ... , NOW ( ) ) , ( ?, ... , NOW ( ) ) ")
    'INSERT INTO `t` ( `a` , `b` ) VALUES ( ? , NOW ( ) ) , ( ? , NOW ( ) )'
    """
    text = text.replace("/* , ... */", "").replace("(...)", "(?)")
    return _FOLDED.sub("", text).strip()


_FOLDED = re.compile(r",\s*\.\.\.")


def _patterns_comments(workload: Workload | None, state: str, engine: str) -> tuple[str, ...]:
    if workload is None:
        return (
            f"No patterns: {engine}'s performance_schema is {state}. Add the queries the application runs, e.g.:",
            "patterns:",
            "  - name: recent_orders_of_user",
            "    sql: SELECT * FROM orders WHERE user_id = ? ORDER BY created_at DESC LIMIT 20",
            "    per_sec: 50",
        )
    lines = [
        "Patterns: performance_schema's statement digests (literals as ?), calls over the time since the",
        "first of them was seen (the digests keep no reset time).",
    ]
    if workload.skipped:
        lines.append("Left out: " + ", ".join(f"{n} {why}" for why, n in workload.skipped) + ".")
    return tuple(lines)


def _workload_warnings(workload: Workload | None, state: str, engine: str, lost: int = 0) -> tuple[str, ...]:
    """What the user must know about the patterns read (or not read) from the digests.

    >>> _workload_warnings(Workload((), ()), "read", "MariaDB", lost=1200)[0][:72]
    "performance_schema's digest table is full: 1,200 statements ran after it"
    """
    out: list[str] = []
    if lost:
        out.append(
            f"performance_schema's digest table is full: {lost:,} statements ran after it filled and are "
            "not among the patterns (performance_schema_digests_size); run TRUNCATE TABLE "
            "performance_schema.events_statements_summary_by_digest, let the application run, then "
            "introspect again"
        )
    if workload is None:
        out.append(
            f"{engine}'s performance_schema is {state}, so the spec has no patterns: to record the workload, "
            "start the server with performance_schema = ON, let the application run, then introspect again"
        )
    elif not workload.patterns:
        out.append("performance_schema recorded no statement on these tables: the spec has no patterns")
    return tuple(out)
