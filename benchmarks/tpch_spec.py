"""An advisor spec for the loaded TPC-H database, written from PostgreSQL's own statistics.

The DDL (``schema.sql``) gives the tables, their types, primary keys and TPC-H's foreign keys,
composite ones as one constraint (``lineitem (l_partkey, l_suppkey) REFERENCES partsupp``), which
only DDL can say. The YAML adds what ANALYZE measured: ``rows`` from ``pg_class.reltuples``, and
per column ``ndv`` from ``pg_stats.n_distinct`` (a negative value is a share of the rows),
``null_frac`` and the most-common values as ``frequencies``. Every query is a pattern of weight 1.
The builder is pure (``spec_document``), so tests can run it on statistics they make up.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from tpch_data import TABLES, TpchTable, create_table_sql

if TYPE_CHECKING:
    import psycopg


@dataclass(frozen=True)
class ColumnStats:
    name: str
    n_distinct: float
    """As ``pg_stats`` gives it: a count, or minus the share of rows when negative."""
    null_frac: float = 0.0
    mcv: tuple[tuple[str, float], ...] = ()
    """Most-common values (as text) and their shares."""
    histogram: tuple[str, ...] = ()
    """``histogram_bounds`` as text (char(n) padding stripped)."""
    correlation: float | None = None


@dataclass(frozen=True)
class TableStats:
    name: str
    rows: float
    columns: tuple[ColumnStats, ...]
    all_visible: float | None = None
    """``relallvisible / relpages``."""


def ndv_of(n_distinct: float, rows: float, listed: int = 0) -> int:
    """Distinct values from ``n_distinct``: negative is a share of ``rows``; never more than the
    rows nor fewer than the values listed as most common (the spec checks both).

    >>> ndv_of(-0.5, 1000), ndv_of(25, 1000), ndv_of(-1, 0), ndv_of(3, 1000, listed=5)
    (500, 25, 1, 5)
    """
    whole = max(1, round(rows))
    count = -n_distinct * rows if n_distinct < 0 else n_distinct
    return min(whole, max(1, listed, round(count)))


_STATS_SQL = """
SELECT attname, n_distinct, null_frac, most_common_vals::text::text[], most_common_freqs,
       histogram_bounds::text::text[], correlation
FROM pg_stats WHERE schemaname = 'public' AND tablename = %s
"""


def read_catalog(
    conn: psycopg.Connection[tuple[Any, ...]], tables: Sequence[TpchTable] = TABLES
) -> list[TableStats]:
    """Each table's ``reltuples`` and its columns' ``pg_stats`` (after ANALYZE)."""
    out = []
    for table in tables:
        found = conn.execute(
            "SELECT reltuples, relallvisible::float8 / greatest(relpages, 1) FROM pg_class "
            "WHERE oid = %s::regclass",
            (table.name,),
        ).fetchone()
        rows = float(found[0]) if found is not None else 0.0
        visible = min(1.0, float(found[1])) if found is not None else None
        stats = {}
        for name, n_distinct, null_frac, values, freqs, bounds, corr in conn.execute(
            _STATS_SQL, (table.name,)
        ).fetchall():
            # char(n) values come padded; the queries compare them unpadded
            mcv = tuple(
                zip((v.rstrip(" ") for v in values or ()), (float(f) for f in freqs or ()), strict=True)
            )
            histogram = tuple(v.rstrip(" ") for v in bounds or ())
            correlation = round(float(corr), 4) if corr is not None else None
            stats[name] = ColumnStats(name, float(n_distinct), float(null_frac), mcv, histogram, correlation)
        columns = tuple(stats.get(name, ColumnStats(name, 0.0)) for name, _ in table.columns)
        out.append(TableStats(table.name, rows, columns, visible))
    return out


def _column_entry(col: ColumnStats, rows: float) -> dict[str, Any]:
    entry: dict[str, Any] = {}
    if col.n_distinct:
        entry["ndv"] = ndv_of(col.n_distinct, rows, len(col.mcv))
    if col.null_frac > 0:
        entry["null_frac"] = round(col.null_frac, 6)
    if col.mcv:
        entry["frequencies"] = {value: round(share, 6) for value, share in col.mcv}
    if col.histogram:
        entry["histogram"] = [_scalar(v) for v in col.histogram]
    if col.correlation is not None:
        entry["correlation"] = col.correlation
    return entry


def _scalar(text: str) -> int | float | str:
    """A histogram bound as the spec takes it: numbers as numbers, the rest as text."""
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            continue
    return text


def spec_document(stats: Sequence[TableStats], patterns: Mapping[str, str], schema: str) -> dict[str, Any]:
    """The spec as a YAML-ready mapping: ``schema`` names the DDL file beside it."""
    tables: dict[str, Any] = {}
    for table in stats:
        columns = {c.name: _column_entry(c, table.rows) for c in table.columns}
        tables[table.name] = {
            "rows": max(0, round(table.rows)),
            "columns": {name: entry for name, entry in columns.items() if entry},
        }
        if table.all_visible is not None:
            tables[table.name]["all_visible"] = round(table.all_visible, 4)
    return {
        "dialect": "postgres",
        "schema": schema,
        "tables": tables,
        "patterns": [{"name": name, "sql": sql, "weight": 1} for name, sql in patterns.items()],
    }


def schema_sql(tables: Sequence[TpchTable] = TABLES) -> str:
    """The DDL of every table with its primary and foreign keys, referenced tables first."""
    return "\n\n".join(create_table_sql(t, foreign_keys=True) for t in tables) + "\n"


class _Dumper(yaml.SafeDumper):
    """Writes SQL as literal blocks, so the spec file reads like the queries."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def write_spec(folder: Path, stats: Sequence[TableStats], patterns: Mapping[str, str]) -> Path:
    """``schema.sql`` and ``tpch.yaml`` in ``folder``; returns the YAML's path."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "schema.sql").write_text(schema_sql(), encoding="utf-8")
    path = folder / "tpch.yaml"
    document = spec_document(stats, patterns, "schema.sql")
    path.write_text(yaml.dump(document, Dumper=_Dumper, sort_keys=False, width=120), encoding="utf-8")
    return path
