"""TPC-H data for ``benchmarks/tpch.py``: the schema (primary keys only) and its load into PostgreSQL.

``tpchgen-cli`` (``pip install tpchgen-cli``) writes each table as CSV on its standard output,
which goes straight into ``COPY ... FROM STDIN``: no files on disk, and generation overlaps the
load. A loaded table carries a comment with the scale and its row count; a later run with the
same scale checks the counts and loads nothing, so the database is a cache between runs.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import psycopg


@dataclass(frozen=True)
class TpchTable:
    name: str
    columns: tuple[tuple[str, str], ...]
    """``(name, type)`` in the generator's column order."""
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = ()
    """``(columns, referenced table, referenced columns)``: TPC-H's, for the spec only (the
    benchmark loads primary keys only, as the workload papers do)."""


def _cols(text: str) -> tuple[tuple[str, str], ...]:
    """``"a integer; b numeric(15,2)"`` as pairs (``;`` apart, since types hold commas)."""
    out: list[tuple[str, str]] = []
    for part in text.split(";"):
        name, kind = part.strip().split(" ", 1)
        out.append((name, kind.strip()))
    return tuple(out)


MONEY = "numeric(15,2)"

TABLES: tuple[TpchTable, ...] = (
    TpchTable(
        "region", _cols("r_regionkey integer; r_name char(25); r_comment varchar(152)"), ("r_regionkey",)
    ),
    TpchTable(
        "nation",
        _cols("n_nationkey integer; n_name char(25); n_regionkey integer; n_comment varchar(152)"),
        ("n_nationkey",),
        ((("n_regionkey",), "region", ("r_regionkey",)),),
    ),
    TpchTable(
        "part",
        _cols(
            "p_partkey integer; p_name varchar(55); p_mfgr char(25); p_brand char(10); p_type varchar(25);"
            f" p_size integer; p_container char(10); p_retailprice {MONEY}; p_comment varchar(23)"
        ),
        ("p_partkey",),
    ),
    TpchTable(
        "supplier",
        _cols(
            "s_suppkey integer; s_name char(25); s_address varchar(40); s_nationkey integer;"
            f" s_phone char(15); s_acctbal {MONEY}; s_comment varchar(101)"
        ),
        ("s_suppkey",),
        ((("s_nationkey",), "nation", ("n_nationkey",)),),
    ),
    TpchTable(
        "partsupp",
        _cols(
            f"ps_partkey integer; ps_suppkey integer; ps_availqty integer; ps_supplycost {MONEY};"
            " ps_comment varchar(199)"
        ),
        ("ps_partkey", "ps_suppkey"),
        (
            (("ps_partkey",), "part", ("p_partkey",)),
            (("ps_suppkey",), "supplier", ("s_suppkey",)),
        ),
    ),
    TpchTable(
        "customer",
        _cols(
            "c_custkey integer; c_name varchar(25); c_address varchar(40); c_nationkey integer;"
            f" c_phone char(15); c_acctbal {MONEY}; c_mktsegment char(10); c_comment varchar(117)"
        ),
        ("c_custkey",),
        ((("c_nationkey",), "nation", ("n_nationkey",)),),
    ),
    TpchTable(
        "orders",
        _cols(
            f"o_orderkey integer; o_custkey integer; o_orderstatus char(1); o_totalprice {MONEY};"
            " o_orderdate date; o_orderpriority char(15); o_clerk char(15); o_shippriority integer;"
            " o_comment varchar(79)"
        ),
        ("o_orderkey",),
        ((("o_custkey",), "customer", ("c_custkey",)),),
    ),
    TpchTable(
        "lineitem",
        _cols(
            "l_orderkey integer; l_partkey integer; l_suppkey integer; l_linenumber integer;"
            f" l_quantity {MONEY}; l_extendedprice {MONEY}; l_discount {MONEY}; l_tax {MONEY};"
            " l_returnflag char(1); l_linestatus char(1); l_shipdate date; l_commitdate date;"
            " l_receiptdate date; l_shipinstruct char(25); l_shipmode char(10); l_comment varchar(44)"
        ),
        ("l_orderkey", "l_linenumber"),
        (
            (("l_orderkey",), "orders", ("o_orderkey",)),
            (("l_partkey", "l_suppkey"), "partsupp", ("ps_partkey", "ps_suppkey")),
        ),
    ),
)


def create_table_sql(table: TpchTable, *, primary_key: bool = True, foreign_keys: bool = False) -> str:
    """``CREATE TABLE`` with its primary key (the load adds it after COPY instead), and TPC-H's
    foreign keys when asked (the spec's DDL).

    >>> print(create_table_sql(TABLES[0]))
    CREATE TABLE region (
      r_regionkey integer NOT NULL,
      r_name char(25) NOT NULL,
      r_comment varchar(152) NOT NULL,
      PRIMARY KEY (r_regionkey)
    );
    """
    lines = [f"  {name} {kind} NOT NULL" for name, kind in table.columns]
    if primary_key:
        lines.append(f"  PRIMARY KEY ({', '.join(table.primary_key)})")
    if foreign_keys:
        for cols, ref, ref_cols in table.foreign_keys:
            lines.append(f"  FOREIGN KEY ({', '.join(cols)}) REFERENCES {ref} ({', '.join(ref_cols)})")
    return f"CREATE TABLE {table.name} (\n" + ",\n".join(lines) + "\n);"


def database_name(scale: float) -> str:
    """One database per scale, so a quick run at 0.1 keeps the SF1 cache.

    >>> database_name(1), database_name(0.1)
    ('advisor_tpch', 'advisor_tpch_sf0_1')
    """
    if scale == 1:
        return "advisor_tpch"
    return "advisor_tpch_sf" + f"{scale:g}".replace(".", "_")


def tpchgen_command() -> str:
    """``tpchgen-cli`` from the PATH or beside this interpreter (a venv's ``bin``)."""
    found = shutil.which("tpchgen-cli") or shutil.which("tpchgen-cli", path=str(Path(sys.executable).parent))
    if found is None:
        raise SystemExit("tpchgen-cli not found: pip install tpchgen-cli")
    return found


def _marker(scale: float, rows: int) -> str:
    return f"advisor-tpch scale={scale:g} rows={rows}"


def loaded_rows(conn: psycopg.Connection[tuple[Any, ...]], table: str, scale: float) -> int | None:
    """The row count of a table loaded completely at ``scale`` (checked by counting), else ``None``."""
    row = conn.execute(
        "SELECT obj_description(c.oid, 'pg_class') FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relname = %s",
        (table,),
    ).fetchone()
    if row is None or not isinstance(row[0], str):
        return None
    for rows_text in _parse_marker(row[0], scale):
        counted = conn.execute(f"SELECT count(*) FROM {table}").fetchone()
        if counted is not None and counted[0] == int(rows_text):
            return int(rows_text)
    return None


def _parse_marker(comment: str, scale: float) -> list[str]:
    """The row count a table's comment records for ``scale``, as a one-element list, or none.

    >>> _parse_marker("advisor-tpch scale=1 rows=25", 1), _parse_marker("advisor-tpch scale=1 rows=25", 0.1)
    (['25'], [])
    """
    head, _, rows = comment.rpartition(" rows=")
    return [rows] if head == f"advisor-tpch scale={scale:g}" and rows.isdigit() else []


def load_table(conn: psycopg.Connection[tuple[Any, ...]], table: TpchTable, scale: float) -> int:
    """Generate ``table`` at ``scale`` and COPY it in, in one transaction; returns its rows."""
    command = [tpchgen_command(), "csv", "-s", f"{scale:g}", "-T", table.name, "--stdout", "-q"]
    # on an error the pipe closes and the generator ends on its broken pipe
    with subprocess.Popen(command, stdout=subprocess.PIPE) as gen, conn.transaction():
        assert gen.stdout is not None
        conn.execute(f"DROP TABLE IF EXISTS {table.name}")
        conn.execute(create_table_sql(table, primary_key=False))
        columns = ", ".join(name for name, _ in table.columns)
        with conn.cursor().copy(
            f"COPY {table.name} ({columns}) FROM STDIN (FORMAT csv, HEADER true)"
        ) as copy:
            while chunk := gen.stdout.read(1 << 20):
                copy.write(chunk)
        if gen.wait() != 0:
            raise SystemExit(f"tpchgen-cli failed on {table.name} (exit {gen.returncode})")
        conn.execute(f"ALTER TABLE {table.name} ADD PRIMARY KEY ({', '.join(table.primary_key)})")
        counted = conn.execute(f"SELECT count(*) FROM {table.name}").fetchone()
        rows = int(counted[0]) if counted is not None else 0
        conn.execute(f"COMMENT ON TABLE {table.name} IS '{_marker(scale, rows)}'")
    return rows


def ensure_database(admin_url: str, name: str) -> None:
    """Create database ``name`` unless it exists."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')


def ensure_loaded(url: str, scale: float, say: Callable[[str], None] = print) -> tuple[dict[str, int], bool]:
    """Every TPC-H table at ``scale`` in the database at ``url``, analyzed; returns the row
    counts and whether anything had to be loaded."""
    import psycopg

    counts: dict[str, int] = {}
    loaded = False
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS hypopg")
        conn.execute("SET maintenance_work_mem = '512MB'")
        conn.execute("SET synchronous_commit = off")
        for table in TABLES:
            rows = loaded_rows(conn, table.name, scale)
            fresh = rows is None
            if rows is None:
                say(f"  loading {table.name} ...")
                rows = load_table(conn, table, scale)
                loaded = True
            if fresh or _unanalyzed(conn, table.name):
                conn.execute(f"ANALYZE {table.name}")
            counts[table.name] = rows
        # VACUUM sets the visibility map, as on a database at rest: index-only scans count. Once
        # every table is loaded, since a transaction still open elsewhere keeps pages from it; right
        # after a load that is often autovacuum's own ANALYZE of a large table, which ends within
        # seconds, so VACUUM is tried again for a while (a first run's figures are then those of a
        # cached one: with no page all-visible the model's plan has 3 indexes, not 9).
        pending: list[str] = []
        for attempt in range(VACUUM_TRIES):
            pending = [t.name for t in TABLES if _unvacuumed(conn, t.name)]
            for name in pending:
                conn.execute(f"VACUUM (ANALYZE) {name}")
            pending = [name for name in pending if _unvacuumed(conn, name)]
            if not pending:
                break
            if attempt + 1 < VACUUM_TRIES:
                time.sleep(VACUUM_WAIT)
        for name in pending:
            say(f"  {name}: VACUUM left pages not all-visible (a transaction still open?)")
    return counts, loaded


VACUUM_TRIES = 10
VACUUM_WAIT = 3.0
"""Seconds between VACUUM attempts while another transaction keeps pages from all-visible."""


def _unvacuumed(conn: psycopg.Connection[tuple[Any, ...]], table: str) -> bool:
    """Under 90 % of the pages marked all-visible: a load that was only analyzed."""
    found = conn.execute(
        "SELECT relallvisible < 0.9 * relpages FROM pg_class WHERE oid = %s::regclass", (table,)
    ).fetchone()
    return bool(found and found[0])


def _unanalyzed(conn: psycopg.Connection[tuple[Any, ...]], table: str) -> bool:
    row = conn.execute(
        "SELECT count(*) FROM pg_stats WHERE schemaname = 'public' AND tablename = %s", (table,)
    )
    found = row.fetchone()
    return found is None or found[0] == 0
