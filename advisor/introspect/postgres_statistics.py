"""The third stage of reading PostgreSQL: each column's statistics from ``pg_stats`` (distinct
values, NULLs, most common values, histogram bounds, correlation), made consistent with what the
spec checks."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from advisor.introspect.model import ColumnFacts, Fetch, Options, Scalar
from advisor.introspect.postgres_common import PgTable, known_rows
from advisor.introspect.write import rounded


def read_statistics(fetch: Fetch, tables: dict[int, PgTable], options: Options) -> None:
    names = {t.name: t for t in tables.values()}
    rows = fetch(
        "SELECT s.tablename::text, s.attname::text, s.inherited, s.null_frac::float8, s.n_distinct::float8, "
        "s.most_common_vals::text::text[], s.most_common_freqs::float8[], "
        "s.histogram_bounds::text::text[], s.correlation::float8 "
        "FROM pg_stats s WHERE s.schemaname = %s AND s.tablename = ANY(%s)",
        (options.schema, list(names)),
    )
    for table_name, column, inherited, null_frac, n_distinct, values, freqs, bounds, corr in rows:
        table = names[table_name]
        # a partitioned table's statistics are those of all its partitions together
        if inherited != (table.kind == "p") or column not in table.columns:
            continue
        rows_now = known_rows(table.rows)
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
