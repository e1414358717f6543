"""PostgreSQL's catalog and statistics views, read in one read-only transaction.

Only ``pg_catalog`` views, ``pg_stats`` and ``pg_stat_statements`` are queried, never a user table:
the numbers are those the planner itself uses (``reltuples``, ``n_distinct``, the most common values
and histogram bounds ANALYZE sampled). The transaction is REPEATABLE READ, so every query sees the
same snapshot of the catalog, and READ ONLY, so nothing in it can write, whatever the role may do.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

from advisor.engines.url import DbUrl, redact
from advisor.errors import AdvisorError
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
)
from advisor.introspect.workload import MARKER, Statement, Workload, read_workload
from advisor.introspect.write import rounded

_ACTIONS = {"r": "restrict", "c": "cascade", "n": "set null", "d": "set default"}
"""``pg_constraint.confdeltype`` / ``confupdtype``; ``a`` (no action) is the default, left out."""
_SERIALS = {"integer": "serial", "bigint": "bigserial", "smallint": "smallserial"}
_NUMBERS = frozenset({"int2", "int4", "int8", "numeric", "float4", "float8", "oid"})
_ENABLE = (
    "pg_stat_statements is {state}, so the spec has no patterns: to record the workload, {steps}, let "
    "the application run, then introspect again"
)
_LOAD = "set shared_preload_libraries = 'pg_stat_statements' in postgresql.conf, restart the server"


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
            conn.execute("SELECT set_config('search_path', %s, true)", (_quote_ident(options.schema),))
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


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass
class _Table:
    """A table being read: its facts so far, by column name."""

    oid: int
    name: str
    kind: str
    rows: float
    pages: int
    visible: int
    analyzed: str | None
    columns: dict[str, ColumnFacts] = field(default_factory=dict)
    numbers: dict[str, bool] = field(default_factory=dict)
    """Column -> whether its statistics' values are numbers."""
    padded: dict[str, bool] = field(default_factory=dict)
    primary_key: tuple[str, ...] = ()
    indexes: list[IndexFacts] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)


class _Reader:
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
        tables = self._tables()
        if not tables:
            raise no_tables(f"schema {self.options.schema!r} of database {database}", self.options)
        say = self.options.say
        say(f"reading the columns of {len(tables):,} tables")
        self._columns(tables)
        left_out = _drop_unfit(tables)
        if not tables:
            raise AdvisorError(f"no table of schema {self.options.schema!r} can be written: {left_out[0]}")
        say("reading constraints and indexes")
        self._constraints(tables)
        self._indexes(tables)
        self._index_scans(tables)
        say("reading statistics (pg_stats)")
        self._statistics(tables)
        say("reading the workload (pg_stat_statements)")
        schema = {t.name.lower(): {c.lower() for c in t.columns} for t in tables.values()}
        workload, state = self._workload(database, schema)
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
            patterns_comments=self._patterns_comments(workload, state),
            warnings=(*left_out, *self._warnings(workload, state, database)),
        )

    # -- tables and columns ---------------------------------------------------------------

    def _tables(self) -> dict[int, _Table]:
        rows = self.fetch(
            "SELECT c.oid, c.relname, c.relkind, c.reltuples::float8, c.relpages, c.relallvisible, "
            "to_char(greatest(s.last_analyze, s.last_autoanalyze) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'), "
            "CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "LEFT JOIN pg_stat_all_tables s ON s.relid = c.oid "
            "WHERE n.nspname = %s AND c.relkind IN ('r', 'p') AND NOT c.relispartition "
            "ORDER BY c.relname",
            (self.options.schema,),
        )
        out = {}
        for oid, name, kind, reltuples, pages, visible, analyzed, partitioning in rows:
            if wanted(name, self.options.include, self.options.exclude):
                out[oid] = _Table(oid, name, kind, reltuples, pages, visible, analyzed)
                if partitioning:
                    out[oid].comments.append(
                        f"partitioned: PARTITION BY {partitioning}; its partitions are read as this one table"
                    )
        return out

    def _columns(self, tables: dict[int, _Table]) -> None:
        rows = self.fetch(
            "SELECT a.attrelid, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, "
            "pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated, t.typtype, t.typname, "
            "format_type(t.typbasetype, t.typtypmod), "
            "ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder), "
            "EXISTS (SELECT 1 FROM pg_depend dep JOIN pg_class sq ON sq.oid = dep.objid AND sq.relkind = 'S' "
            "  WHERE dep.refobjid = a.attrelid AND dep.refobjsubid = a.attnum AND dep.deptype = 'a'), "
            "coalesce(bt.typname, t.typname) "
            "FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
            "LEFT JOIN pg_type bt ON bt.oid = t.typbasetype "
            "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
            "WHERE a.attrelid = ANY(%s) AND a.attnum > 0 AND NOT a.attisdropped "
            "ORDER BY a.attrelid, a.attnum",
            (list(tables),),
        )
        for row in rows:
            table = tables[row[0]]
            column = _column(*row[1:12])
            table.columns[column.name] = column
            table.numbers[column.name] = row[12] in _NUMBERS
            table.padded[column.name] = row[12] == "bpchar"

    # -- constraints ------------------------------------------------------------------------

    def _constraints(self, tables: dict[int, _Table]) -> None:
        rows = self.fetch(
            "SELECT con.conrelid, con.conname, con.contype, "
            "ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(n, i) "
            "  JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.i), "
            "con.confrelid, fc.relname, fn.nspname, "
            "ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(n, i) "
            "  JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.i), "
            "con.confdeltype, con.confupdtype, pg_get_expr(con.conbin, con.conrelid), con.convalidated, "
            "pg_get_constraintdef(con.oid) "
            "FROM pg_constraint con LEFT JOIN pg_class fc ON fc.oid = con.confrelid "
            "LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace "
            "WHERE con.conrelid = ANY(%s) ORDER BY con.conrelid, con.contype, con.conname",
            (list(tables),),
        )
        for (
            oid,
            name,
            kind,
            keys,
            target_oid,
            target,
            target_schema,
            target_keys,
            on_del,
            on_upd,
            check,
            valid,
            text,
        ) in rows:
            table = tables[oid]
            if kind == "p":
                table.primary_key = tuple(keys)
            elif kind == "u" and len(keys) == 1:
                self._set(table, keys[0], unique=True, note=("unique", f"constraint {name}"))
            elif kind == "u":  # the format has per-column unique only: the index stands for it
                continue
            elif kind == "f":
                self._foreign_key(
                    tables,
                    table,
                    name,
                    keys,
                    target_oid,
                    target,
                    target_schema,
                    target_keys,
                    on_del,
                    on_upd,
                    text,
                )
            elif kind == "c":
                self._check(table, name, keys, check, valid)
            else:
                table.comments.append(
                    f"constraint {name} left out (the spec format has none like it): {text}"
                )

    def _set(self, table: _Table, column: str, note: tuple[str, str] | None = None, **changes: Any) -> None:
        current = table.columns[column]
        notes = (*current.notes, note) if note else current.notes
        if "comments" in changes:  # added to, never replaced
            changes["comments"] = (*current.comments, *changes["comments"])
        table.columns[column] = replace(current, notes=notes, **changes)

    def _foreign_key(
        self,
        tables: dict[int, _Table],
        table: _Table,
        name: str,
        keys: list[str],
        target_oid: int,
        target: str,
        target_schema: str,
        target_keys: list[str],
        on_delete: str,
        on_update: str,
        text: str,
    ) -> None:
        if len(keys) > 1:
            table.comments.append(
                f"foreign key {name} left out: the spec format has no composite references: {text}"
            )
            return
        if target_schema != self.options.schema or target_oid not in tables:
            why = (
                "another schema's"
                if target_schema != self.options.schema
                else "a table left out by --include / --exclude"
            )
            self._set(table, keys[0], comments=(f"foreign key {name} left out: it references {why}: {text}",))
            return
        self._set(
            table,
            keys[0],
            references=f"{target}.{target_keys[0]}",
            on_delete=_ACTIONS.get(on_delete),
            on_update=_ACTIONS.get(on_update),
            note=("references", f"constraint {name}"),
        )

    def _check(self, table: _Table, name: str, keys: list[str], check: str | None, valid: bool) -> None:
        if not keys or check is None:
            table.comments.append(f"check {name} left out: it names no column: {check}")
            return
        try:
            check = portable(check, "check")
        except ValueError as exc:
            self._set(table, keys[0], comments=(f"check {name} left out ({exc}): {check}",))
            return
        column = table.columns[keys[0]]
        combined = check if column.check is None else f"({column.check}) AND ({check})"
        label = f"constraint {name}" + ("" if valid else " (NOT VALID on the server)")
        earlier = column.note("check")
        self._set(table, keys[0], check=combined, note=("check", f"{earlier}, {label}" if earlier else label))

    # -- indexes --------------------------------------------------------------------------------

    def _indexes(self, tables: dict[int, _Table]) -> None:
        rows = self.fetch(
            "SELECT i.indrelid, ic.relname, am.amname, i.indisunique, i.indisvalid, i.indnkeyatts, "
            "ARRAY(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(n, o) "
            "  LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n ORDER BY k.o), "
            "i.indoption::int2[], pg_get_expr(i.indpred, i.indrelid), pg_get_indexdef(i.indexrelid), "
            "con.contype, 0 = ANY(i.indkey::int2[]) "
            "FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam "
            "LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid "
            "  AND con.contype IN ('p', 'u', 'x') "
            "WHERE i.indrelid = ANY(%s) ORDER BY i.indrelid, ic.relname",
            (list(tables),),
        )
        for (
            oid,
            name,
            method,
            unique,
            valid,
            nkeys,
            columns,
            options,
            where,
            text,
            constraint,
            expression,
        ) in rows:
            table = tables[oid]
            if constraint == "p" or constraint == "x":
                continue  # implied by primary_key; an exclusion constraint is a table comment already
            if constraint == "u" and len(columns) == 1:
                continue  # implied by the column's unique: true
            why = _unfit_index(method, valid, expression, where)
            if why is not None:
                table.comments.append(f"index {name} left out ({why}): {text}")
                continue
            keys = tuple((c, bool(o & 1)) for c, o in zip(columns[:nkeys], options, strict=False))
            if unique and where is None and len(keys) == 1 and not keys[0][1] and nkeys == len(columns):
                # a unique index on one column is a unique column to the spec (a foreign key may need it)
                if not table.columns[keys[0][0]].unique:
                    self._set(table, keys[0][0], unique=True, note=("unique", f"unique index {name}"))
                continue
            table.indexes.append(
                IndexFacts(
                    name=name,
                    columns=keys,
                    unique=unique,
                    include=tuple(columns[nkeys:]),
                    where=portable(where, "where") if where is not None else None,
                    note=f"constraint {name}" if constraint == "u" else None,
                )
            )

    def _index_scans(self, tables: dict[int, _Table]) -> None:
        """Each index's scans since the statistics were reset (``pg_stat_user_indexes``): an index
        no query of the real workload used is one the spec's patterns cannot vouch for either."""
        reset = self.fetch("SELECT stats_reset FROM pg_stat_database WHERE datname = current_database()")
        since = (
            f"since {reset[0][0]:%Y-%m-%d %H:%M} UTC"
            if reset and reset[0][0] is not None
            else "since the server started"
        )
        rows = self.fetch(
            "SELECT relid, indexrelname, idx_scan FROM pg_stat_user_indexes WHERE relid = ANY(%s)",
            (list(tables),),
        )
        counts = {(oid, str(name)): int(scans) for oid, name, scans in rows if scans is not None}
        for oid, table in tables.items():
            table.indexes = [
                replace(ix, scans=counts[(oid, ix.name)], scans_note=f"pg_stat_user_indexes.idx_scan {since}")
                if (oid, ix.name) in counts
                else ix
                for ix in table.indexes
            ]

    # -- statistics ---------------------------------------------------------------------------

    def _statistics(self, tables: dict[int, _Table]) -> None:
        names = {t.name: t for t in tables.values()}
        rows = self.fetch(
            "SELECT s.tablename::text, s.attname::text, s.inherited, s.null_frac::float8, s.n_distinct::float8, "
            "s.most_common_vals::text::text[], s.most_common_freqs::float8[], "
            "s.histogram_bounds::text::text[], s.correlation::float8 "
            "FROM pg_stats s WHERE s.schemaname = %s AND s.tablename = ANY(%s)",
            (self.options.schema, list(names)),
        )
        for table_name, column, inherited, null_frac, n_distinct, values, freqs, bounds, corr in rows:
            table = names[table_name]
            # a partitioned table's statistics are those of all its partitions together
            if inherited != (table.kind == "p") or column not in table.columns:
                continue
            rows_now = _rows(table.rows)
            pad = table.padded[column]
            mcv = tuple((str(v), rounded(float(f))) for v, f in zip(values or (), freqs or (), strict=False))
            stats = _column_stats(
                table.columns[column],
                rows_now,
                null_frac,
                n_distinct,
                mcv,
                bounds,
                corr,
                table.numbers[column],
                pad,
            )
            table.columns[column] = stats

    # -- workload -----------------------------------------------------------------------------

    def _workload(self, database: str, schema: dict[str, set[str]]) -> tuple[Workload | None, str]:
        """The patterns from pg_stat_statements, or ``None`` and why there are none."""
        import psycopg

        found = self.fetch(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
            "WHERE e.extname = 'pg_stat_statements'"
        )
        if not found:
            return None, f"not installed in database {database}"
        where = _quote_ident(found[0][0])
        try:
            # a savepoint: reading the view fails when the library is not preloaded (or the role
            # may not), and the transaction must go on
            with self.conn.transaction():
                statements = self.statements(where)
        except psycopg.errors.ObjectNotInPrerequisiteState:
            return None, "installed but not loaded (it is not in shared_preload_libraries)"
        except psycopg.errors.InsufficientPrivilege:
            return None, "not readable by this role (grant it pg_read_all_stats)"
        return (
            read_workload(
                statements, self.window(where), schema, "postgres", self.options.min_calls, self.options.top
            ),
            "read",
        )

    def statements(self, where: str) -> list[Statement]:
        """The rows of ``where``.pg_stat_statements for this database, summed over the roles
        that ran the same text."""
        rows = self.fetch(
            f"SELECT query, sum(calls)::int8, min(queryid) FROM {where}.pg_stat_statements "
            "WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) "
            "GROUP BY query"
        )
        return [Statement(str(text), int(calls), queryid) for text, calls, queryid in rows]

    def window(self, where: str) -> float | None:
        """Seconds since pg_stat_statements was last reset (``pg_stat_statements_info``, 1.9+)."""
        import psycopg

        try:
            with self.conn.transaction():
                found = self.fetch(
                    f"SELECT extract(epoch FROM now() - stats_reset)::float8 FROM {where}.pg_stat_statements_info"
                )
        except psycopg.errors.UndefinedTable:
            return None
        return float(found[0][0]) if found and found[0][0] is not None else None

    def _patterns_comments(self, workload: Workload | None, state: str) -> tuple[str, ...]:
        if workload is None:
            return (
                f"No patterns: pg_stat_statements is {state}. Add the queries the application runs, e.g.:",
                "patterns:",
                "  - name: recent_orders_of_user",
                "    sql: SELECT * FROM orders WHERE user_id = $1 ORDER BY created_at DESC LIMIT 20",
                "    per_sec: 50",
            )
        lines = [
            "Patterns: pg_stat_statements, calls over the time since its statistics were reset; $1... are parameters."
        ]
        if workload.skipped:
            lines.append("Left out: " + ", ".join(f"{n} {why}" for why, n in workload.skipped) + ".")
        return tuple(lines)

    def _warnings(self, workload: Workload | None, state: str, database: str) -> tuple[str, ...]:
        if workload is None:
            steps = _LOAD
            if state.startswith("not installed"):
                steps += f", run CREATE EXTENSION pg_stat_statements in database {database}"
            return (_ENABLE.format(state=state, steps=steps),)
        if not workload.patterns:
            return ("pg_stat_statements recorded no statement on these tables: the spec has no patterns",)
        return ()

    def _finish(self, table: _Table) -> TableFacts:
        rows = _rows(table.rows)
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


def _drop_unfit(tables: dict[int, _Table]) -> list[str]:
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


def _rows(reltuples: float) -> int | None:
    """``reltuples`` as rows; -1 (PostgreSQL 14+) means never analyzed nor vacuumed."""
    return None if reltuples < 0 else round(reltuples)


def _column(
    name: str,
    type_text: str,
    not_null: bool,
    default: str | None,
    identity: str,
    generated: str,
    typtype: str,
    typname: str,
    base: str | None,
    labels: list[str],
    owned_sequence: bool,
) -> ColumnFacts:
    """A column's declaration as the spec writes it, with notes where the type was translated."""
    from advisor.emit.types import parse_type

    notes: list[tuple[str, str]] = []
    comments: list[str] = []
    written = type_text
    if typtype == "e":
        written = "enum(" + ", ".join("'" + label.replace("'", "''") + "'" for label in labels) + ")"
        notes.append(("type", f"enum type {typname}"))
    elif typtype == "d" and base:
        written = base
        notes.append(("type", f"domain {typname} (its checks are left out)"))
    if identity in ("a", "d") and type_text in _SERIALS:
        written = _SERIALS[type_text]
        kind = "ALWAYS" if identity == "a" else "BY DEFAULT"
        notes.append(("type", f"{type_text} GENERATED {kind} AS IDENTITY"))
        default = None
    elif owned_sequence and default and default.startswith("nextval(") and type_text in _SERIALS:
        written = _SERIALS[type_text]
        notes.append(("type", f"{type_text} DEFAULT {default}"))
        default = None
    if generated == "s":
        comments.append(f"generated always as ({default}) stored: written as a plain column")
        default = None
    try:
        parse_type(written, "postgres")
    except AdvisorError:
        notes.append(("type", f"{type_text}, which the spec cannot read: written as text"))
        written = "text"
    if default is not None:
        if "nextval(" in default:
            comments.append(f"default {default} left out: advisor ddl does not create sequences")
            default = None
        else:
            try:
                default = portable(default, "default")
            except ValueError as exc:
                comments.append(f"default {default} left out: {exc}")
                default = None
    return ColumnFacts(
        name=name,
        type=written,
        nullable=not not_null,
        default=default,
        notes=tuple(notes),
        comments=tuple(comments),
    )


def _column_stats(
    column: ColumnFacts,
    rows: int | None,
    null_frac: float | None,
    n_distinct: float | None,
    mcv: tuple[tuple[str, float], ...],
    bounds: Iterable[str] | None,
    correlation: float | None,
    numeric: bool,
    padded: bool,
) -> ColumnFacts:
    """``column`` with what pg_stats says of it, made consistent with what the spec checks (no
    more distinct values than rows, no fewer than listed as common, no NULLs in a NOT NULL column)."""
    notes = list(column.notes)
    changes: dict[str, Any] = {}
    if padded:  # char(n) values come padded; queries compare them unpadded
        mcv = tuple((value.rstrip(" "), share) for value, share in mcv)
    if n_distinct and (rows is None or rows > 0):
        count = -n_distinct * (rows or 0) if n_distinct < 0 else n_distinct
        ndv = max(1, len(mcv), round(count))
        if rows is not None:
            ndv = min(ndv, max(1, rows))
        if ndv >= 1 and (rows is None or ndv <= rows):
            changes["ndv"] = ndv
            how = f"{n_distinct:g} x rows" if n_distinct < 0 else f"{n_distinct:g}"
            notes.append(("ndv", f"pg_stats.n_distinct {how}"))
    if null_frac is not None and column.nullable:
        changes["null_frac"] = rounded(null_frac)
        notes.append(("null_frac", "pg_stats.null_frac"))
    if mcv and "ndv" in changes and len(mcv) <= changes["ndv"] and sum(share for _, share in mcv) <= 1:
        changes["frequencies"] = mcv
        notes.append(("frequencies", f"pg_stats.most_common_vals / most_common_freqs ({len(mcv)})"))
    histogram = _histogram(bounds, numeric, padded)
    if histogram:
        changes["histogram"] = histogram
        notes.append(("histogram", f"pg_stats.histogram_bounds ({len(histogram) - 1} buckets)"))
    if correlation is not None:
        changes["correlation"] = max(-1.0, min(1.0, rounded(correlation)))
        notes.append(("correlation", "pg_stats.correlation"))
    return replace(column, notes=tuple(notes), **changes)


def _histogram(bounds: Iterable[str] | None, numeric: bool, padded: bool) -> tuple[Scalar, ...]:
    """The bounds as the spec takes them: numbers for a numeric column (none at all if one is
    NaN or infinite), text otherwise.

    >>> _histogram(["1", "2.5", "10"], True, False), _histogram(["1", "NaN"], True, False)
    ((1, 2.5, 10), ())
    """
    out: list[Scalar] = []
    for text in bounds or ():
        if not numeric:
            word = text.rstrip(" ") if padded else text
            if not word:
                return ()  # the spec takes no empty bound
            out.append(word)
            continue
        try:
            out.append(int(text))
        except ValueError:
            try:
                value = float(text)
            except ValueError:
                return ()
            if not math.isfinite(value):
                return ()
            out.append(value)
    return tuple(out) if len(out) >= 2 else ()


def portable(text: str, kind: str) -> str:
    """A default, check or index predicate as the spec takes it: parsed (``ValueError`` if it is
    not one ``kind`` expression), without the casts to the database's own types (an enum, a domain:
    ``'new'::order_status``), which a fresh database built from the spec would not have.

    >>> portable("(status = 'new'::order_status)", "where"), portable("(qty > (0)::numeric)", "check")
    ("status = 'new'", 'qty > CAST(0 AS DECIMAL)')
    >>> portable("'new'::order_status", "default")
    "'new'"
    """
    from sqlglot import exp

    from advisor.spec.expressions import parse_expression

    tree = parse_expression(text, "postgres", kind)
    for cast in list(tree.find_all(exp.Cast)):
        if cast.to.this == exp.DataType.Type.USERDEFINED:
            if cast is tree:
                tree = cast.this
            else:
                cast.replace(cast.this)
    for paren in list(tree.find_all(exp.Paren)):
        if isinstance(paren.this, exp.Literal | exp.Column):
            paren.replace(paren.this)
    while isinstance(tree, exp.Paren):
        tree = tree.this
    return tree.sql(dialect="postgres")


def _unfit_index(method: str, valid: bool, expression: bool, where: str | None) -> str | None:
    """Why an index cannot be written in the spec (which knows B-tree indexes on columns), or ``None``.

    >>> _unfit_index("gin", True, False, None), _unfit_index("btree", True, False, "a > 0")
    ('a gin index: the spec describes B-tree indexes only', None)
    """
    if not valid:
        return "invalid: a CREATE INDEX CONCURRENTLY that failed; the planner does not use it"
    if method != "btree":
        return f"a {method} index: the spec describes B-tree indexes only"
    if expression:
        return "an expression index: the spec's indexes are on columns"
    if where is not None:
        try:
            portable(where, "where")
        except ValueError as exc:
            return f"its predicate {exc}"
    return None
