"""Reading MariaDB, the engine-independent statistics of ``mysql.column_stats`` (NULLs, distinct
values, histograms), where ``ANALYZE TABLE ... PERSISTENT`` wrote them; the histograms themselves
are decoded by :mod:`advisor.introspect.mariadb_histogram`."""

from __future__ import annotations

from advisor.introspect.mariadb_columns import MariaTable
from advisor.introspect.mariadb_histogram import decode
from advisor.introspect.model import Fetch


def read_column_stats(fetch: Fetch, tables: dict[str, MariaTable], database: str) -> None:
    """MariaDB's engine-independent statistics, where ``ANALYZE TABLE ... PERSISTENT FOR ALL``
    wrote them: a scan of every row, not InnoDB's sampled pages. Not readable is no error."""
    import pymysql

    try:
        rows = fetch(
            "SELECT table_name, column_name, nulls_ratio, avg_frequency, min_value, max_value, hist_type, "
            "histogram FROM mysql.column_stats WHERE db_name = %s",
            (database,),
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


def _text(value: object) -> str | None:
    """A ``column_stats`` bound (VARBINARY) as text."""
    if value is None:
        return None
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
