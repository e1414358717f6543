"""PostgreSQL through psycopg 3: a throwaway database, EXPLAIN (FORMAT JSON) costs, and HypoPG's
what-if indexes when the extension can be created."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from advisor.emit.target import resolve_target
from advisor.engines.database import (
    DEFAULT_TIMEOUT,
    THROWAWAY_LIKE,
    Database,
    Explained,
    is_stale,
    missing_driver,
    no_room,
    signals_held,
    throwaway_name,
    unreachable,
)
from advisor.engines.scale import TableScale
from advisor.engines.url import DbUrl


def _walk(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("Plans", []):
        yield from _walk(child)


def _describe(node: dict[str, Any]) -> str:
    text = str(node.get("Node Type", "?"))
    if "Index Name" in node:
        text += f" using {node['Index Name']}"
    if "Relation Name" in node:
        text += f" on {node['Relation Name']}"
    return text


def sweep_stale(admin: Any) -> None:
    """Drop the throwaway databases (or schemas) of ``verify`` and ``lint --trace`` runs more than a
    day old that could not clean up (a killed process, a lost connection); one that is not ours to
    drop stays."""
    import psycopg

    rows = admin.execute(
        "SELECT datname FROM pg_database WHERE datname LIKE ANY (%(like)s) "
        "UNION ALL SELECT nspname FROM pg_namespace WHERE nspname LIKE ANY (%(like)s)",
        {"like": list(THROWAWAY_LIKE)},
    ).fetchall()
    for (name,) in rows:
        if not is_stale(str(name)):
            continue
        for drop in (
            f"DROP DATABASE IF EXISTS {name} WITH (FORCE)",
            f"DROP SCHEMA IF EXISTS {name} CASCADE",
        ):
            try:
                admin.execute(drop)
            except psycopg.Error:
                continue


class PostgresDatabase(Database):
    cost_unit = "PostgreSQL cost units"

    def __init__(self, url: DbUrl, timeout: float = DEFAULT_TIMEOUT, in_place: bool = False) -> None:
        try:
            import psycopg
        except ImportError:
            raise missing_driver("PostgreSQL", "psycopg") from None
        self.target = resolve_target("postgres")
        self.errors = (psycopg.Error,)
        self.url = url
        self.timeout = timeout
        self.name = throwaway_name()
        self.schema: str | None = None
        self.created = False
        try:
            self.admin = psycopg.connect(url.url, autocommit=True, connect_timeout=5)
        except psycopg.Error as exc:
            raise unreachable("PostgreSQL", url, exc) from None
        self.db = self.admin
        self.in_place = in_place
        """Work on the database's own tables, creating nothing: only HypoPG's what-if indexes,
        which live in this session alone."""
        try:
            if in_place:
                self._open_in_place()
                return
            sweep_stale(self.admin)
            self._open()
        except BaseException as exc:
            # whatever failed after the database was made (a second connection, a signal), the
            # database goes: nothing is left behind
            with signals_held():
                self.close()
            if isinstance(exc, psycopg.Error):
                raise unreachable("PostgreSQL", url, exc) from None
            raise

    def _open(self) -> None:
        import psycopg

        try:
            self.admin.execute(f"CREATE DATABASE {self.name}")
            self.created = True
        except psycopg.errors.InsufficientPrivilege:
            # no CREATEDB: a throwaway schema in the given database instead
            self.schema = self.name
        if self.schema is None:
            conninfo = psycopg.conninfo.make_conninfo(self.url.url, dbname=self.name, connect_timeout=5)
            self.db = psycopg.connect(conninfo, autocommit=True)
        else:
            try:
                self.db.execute(f"CREATE SCHEMA {self.schema}")
                self.created = True
            except psycopg.Error as exc:
                raise no_room("PostgreSQL", self.url, exc) from None
            self.db.execute(f"SET search_path TO {self.schema}")
        # rows carry UTC timestamps; time functions in patterns are fixed to UTC literals as well
        self.db.execute("SET TimeZone = 'UTC'")
        self.db.execute(f"SET statement_timeout = {max(1, round(self.timeout * 1000))}")
        self.hypothetical = self._hypopg()
        self.hypo_names: dict[str, str] = {}

    def _open_in_place(self) -> None:
        self.db.execute(f"SET statement_timeout = {max(1, round(self.timeout * 1000))}")
        row = self.db.execute("SELECT 1 FROM pg_extension WHERE extname = 'hypopg'").fetchone()
        self.hypothetical = row is not None
        self.hypo_names = {}

    def scrub(self, text: str) -> str:
        return self.url.scrub(text)

    def timed_out(self, exc: BaseException) -> bool:
        import psycopg

        return isinstance(exc, psycopg.errors.QueryCanceled)

    def _hypopg(self) -> bool:
        """Whether HypoPG can be used: created in the throwaway database, or, in a throwaway
        schema, only if the database has it already (nothing of the user's is changed)."""
        import psycopg

        if self.schema is not None:
            row = self.db.execute("SELECT 1 FROM pg_extension WHERE extname = 'hypopg'").fetchone()
            return row is not None
        try:
            self.db.execute("CREATE EXTENSION IF NOT EXISTS hypopg")
        except psycopg.Error:
            return False
        return True

    def execute(self, sql: str) -> None:
        self.db.execute(sql)

    def insert(self, table: str, columns: Sequence[str], rows: Sequence[tuple[object, ...]]) -> None:
        names = ", ".join(self.quote(c) for c in columns)
        with self.db.cursor() as cur, cur.copy(f"COPY {self.quote(table)} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    def analyze(self, tables: Sequence[str]) -> None:
        for table in tables:
            # autovacuum would write the loaded sizes back over the full-scale ones
            self.db.execute(f"ALTER TABLE {self.quote(table)} SET (autovacuum_enabled = off)")
        self.db.execute(f"ANALYZE {', '.join(self.quote(t) for t in tables)}")

    def full_scale(self, targets: Sequence[TableScale]) -> tuple[str, ...]:
        """Write the declared sizes into the throwaway database's own catalog (a superuser only).

        The planner counts a table's rows as ``reltuples / relpages`` times the pages the table
        has on disk now (``estimate_rel_size``), so ``relpages`` keeps the loaded page count and
        ``reltuples`` takes the declared rows: row counts, selectivities and the sizes HypoPG gives
        its what-if indexes are at full scale, while a sequential scan's page reads stay those of
        the loaded table. Each index's ``reltuples`` grows by the same factor (a partial index is
        counted from its own), and absolute distinct counts in ``pg_statistic`` become the spec's
        ndv or a share of the rows.
        """
        if self.schema is not None or not targets:
            return ()
        row = self.db.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone()
        if not (row and row[0]):
            return ()
        with self.db.transaction():
            return tuple(t.table for t in targets if self._scale_table(t))

    def _scale_table(self, target: TableScale) -> bool:
        from advisor.engines.scale import scaled_distinct

        found = self.db.execute(
            # a partitioned table holds no rows of its own: it stays at the loaded scale
            "SELECT oid, reltuples FROM pg_class WHERE oid = %s::regclass AND relkind = 'r'",
            (self.quote(target.table),),
        ).fetchone()
        if found is None:
            return False
        oid, loaded = found
        pages = self.db.execute(
            "SELECT pg_relation_size(%s) / current_setting('block_size')::int", (oid,)
        ).fetchone()
        factor = target.rows / loaded if loaded and loaded > 0 else 1.0
        self.db.execute(
            "UPDATE pg_class SET reltuples = %s, relpages = %s, relallvisible = %s WHERE oid = %s",
            (
                float(target.rows),
                max(1, int(pages[0]) if pages else 1),
                round(target.all_visible * max(1, int(pages[0]) if pages else 1)),
                oid,
            ),
        )
        self.db.execute(
            "UPDATE pg_class SET reltuples = reltuples * %s FROM pg_index "
            "WHERE pg_index.indrelid = %s AND pg_class.oid = pg_index.indexrelid AND reltuples > 0",
            (factor, oid),
        )
        columns = self.db.execute(
            "SELECT s.staattnum, s.stainherit, a.attname, s.stadistinct FROM pg_statistic s "
            "JOIN pg_attribute a ON a.attrelid = s.starelid AND a.attnum = s.staattnum "
            "WHERE s.starelid = %s",
            (oid,),
        ).fetchall()
        for attnum, inherit, name, distinct in columns:
            scaled = scaled_distinct(float(distinct), float(loaded), target.ndv.get(str(name).lower()))
            self.db.execute(
                "UPDATE pg_statistic SET stadistinct = %s "
                "WHERE starelid = %s AND staattnum = %s AND stainherit = %s",
                (scaled, oid, attnum, inherit),
            )
            loaded_count = distinct if distinct > 0 else -distinct * loaded
            if str(name).lower() in target.flat and scaled > loaded_count:
                self._drop_common_values(oid, attnum, inherit)
        return True

    def _drop_common_values(self, oid: int, attnum: int, inherit: bool) -> None:
        """Forget a column's most-common-values list: each value's share of the loaded rows is far
        above its share of the full table, and the planner would take it at its word."""
        for slot in range(1, 6):
            self.db.execute(
                f"UPDATE pg_statistic SET stakind{slot} = 0, staop{slot} = 0, stacoll{slot} = 0, "
                f"stanumbers{slot} = NULL, stavalues{slot} = NULL "
                f"WHERE starelid = %s AND staattnum = %s AND stainherit = %s AND stakind{slot} = 1",
                (oid, attnum, inherit),
            )

    def explain(self, sql: str) -> Explained:
        row = self.db.execute(f"EXPLAIN (FORMAT JSON) {sql}").fetchone()
        data = row[0] if row else []
        if isinstance(data, str):
            data = json.loads(data)
        top = data[0]["Plan"]
        nodes = list(_walk(top))
        indexes = frozenset(
            self.hypo_names.get(str(n["Index Name"]), str(n["Index Name"])).lower()
            for n in nodes
            if "Index Name" in n
        )
        plan = " > ".join(_describe(n) for n in nodes)
        for hypo, name in self.hypo_names.items():
            plan = plan.replace(hypo, f"{name} (what-if)")
        return Explained(float(top["Total Cost"]), indexes, plan)

    def describe(self) -> str:
        row = self.db.execute("SHOW server_version").fetchone()
        where = (
            "its own tables"
            if self.in_place
            else "throwaway schema"
            if self.schema is not None
            else "throwaway database"
        )
        return f"PostgreSQL {str(row[0]).split()[0] if row else ''} ({where})"

    def create_hypothetical(self, create_sql: str, name: str) -> str:
        row = self.db.execute("SELECT indexname FROM hypopg_create_index(%s)", (create_sql,)).fetchone()
        if row:
            self.hypo_names[str(row[0])] = name.lower()
        return name.lower()

    def hypothetical_size(self, create_sql: str) -> int:
        """HypoPG's estimate of an index's size in bytes; the index does not stay."""
        row = self.db.execute(
            "SELECT indexrelid, hypopg_relation_size(indexrelid) FROM hypopg_create_index(%s)", (create_sql,)
        ).fetchone()
        assert row is not None
        self.db.execute("SELECT hypopg_drop_index(%s)", (row[0],))
        return int(row[1])

    def hide_index(self, name: str) -> bool:
        """HypoPG 1.4 hides an index; older versions cannot (the caller drops it instead)."""
        import psycopg

        try:
            row = self.db.execute(
                "SELECT hypopg_hide_index(c.oid) FROM pg_class c WHERE c.relname = %s AND c.relkind = 'i'",
                (name.lower(),),
            ).fetchone()
        except psycopg.errors.UndefinedFunction:
            return False
        return bool(row and row[0])

    def reset_hypothetical(self) -> None:
        if self.hypothetical:
            self.db.execute("SELECT hypopg_reset()")
            self.hypo_names.clear()

    def build_real(self) -> None:
        """From now on build real indexes, as without HypoPG."""
        self.reset_hypothetical()
        self.hypothetical = False

    def close(self) -> None:
        """Drop what this run made, on a fresh connection if the working one is broken (an
        interrupted COPY leaves it mid-protocol)."""
        import psycopg

        if self.db is not self.admin:
            self.db.close()
        drop = (
            f"DROP SCHEMA IF EXISTS {self.schema} CASCADE"
            if self.schema is not None
            else f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)"
        )
        try:
            if self.created:
                try:
                    self.admin.execute(drop)
                except psycopg.Error:
                    with psycopg.connect(self.url.url, autocommit=True, connect_timeout=5) as fresh:
                        fresh.execute(drop)
        finally:
            self.admin.close()
