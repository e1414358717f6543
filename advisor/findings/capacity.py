"""Capacity rules that size tables: growth over one and three years (CAP001) and range
partitioning by time for large growing tables that their patterns read by time (CAP002)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from advisor.analysis.shape import Predicate, PredicateKind
from advisor.cost.design import IndexDesign
from advisor.cost.growth import DAYS_PER_YEAR, Footprint, footprint, growth_bytes_per_day
from advisor.cost.models import TableModel
from advisor.cost.selectivity import older_than, window_days
from advisor.dialects import Dialect
from advisor.emit.partition import PERIODS, Period, partition_ddl
from advisor.figures import human_bytes
from advisor.findings.traffic import is_time_type, purge_column
from advisor.rules.base import Finding
from advisor.rules.context import Context
from advisor.selection.select import Plan


def indexes_after(plan: Plan, table: str) -> list[IndexDesign]:
    """The table's indexes once the plan is applied (kept, created, minus dropped)."""
    return [im.design for im in plan.config.get(table, ())]


def footprints(ctx: Context, plan: Plan, table: str) -> tuple[Footprint, Footprint, Footprint]:
    """Now, in one year and in three years; a table purged by time stops growing at its retention."""
    tm, indexes = ctx.models[table], indexes_after(plan, table)
    kept = retention_days(ctx, table)
    growth = tm.table.growth_per_day or 0
    out = []
    for years in (0, 1, 3):
        days = float(years * DAYS_PER_YEAR)
        if kept is not None and growth:
            # rows stop growing once growth x kept days is reached (or stay at today's count)
            limit = max(tm.rows, growth * kept)
            days = min(days, max(0.0, (limit - tm.rows) / growth))
        out.append(footprint(tm, indexes, days))
    return out[0], out[1], out[2]


def retention_days(ctx: Context, table: str) -> float | None:
    """Days of data a purge pattern keeps: its window (``< now() - interval '90 days'``), or the
    days the table holds today when the cutoff is a parameter; ``None`` without a purge."""
    tm = ctx.models[table]
    for pattern in ctx.patterns_on.get(table, ()):
        column = purge_column(ctx, pattern.name, table)
        if column is None:
            continue
        acc = ctx.shapes[pattern.name].access(table)
        for pred in acc.predicates if acc is not None else ():
            days = window_days(pred) if pred.column == column else None
            if days is not None and older_than(pred):
                return days
        growth = tm.table.growth_per_day
        return tm.rows / growth if growth else None
    return None


def size_and_growth(ctx: Context, plan: Plan) -> list[Finding]:
    """Tables whose table and indexes reach ``min_total_bytes`` within three years."""
    floor = ctx.threshold("CAP001", "min_total_bytes")
    usual = ctx.threshold("CAP001", "usual_index_share")
    out = []
    for table, tm in ctx.models.items():
        now, year, three = footprints(ctx, plan, table)
        if three.total_bytes < floor:
            continue
        share = now.index_share
        compared = "above" if share > usual else "within"
        growth = tm.table.growth_per_day or 0
        kept = retention_days(ctx, table)
        grows = (
            f"; at {growth:,} rows a day it reaches {human_bytes(year.total_bytes)} in a year and "
            f"{human_bytes(three.total_bytes)} in three"
            if growth
            else "; no growth_per_day given, so no growth is assumed"
        )
        if growth and kept is not None:
            grows += f", as a purge pattern keeps about {kept:,.0f} days of rows"
        out.append(
            Finding(
                "CAP001",
                ctx.severity("CAP001"),
                table,
                f"{table} takes {human_bytes(now.table_bytes)} ({now.rows:,.0f} rows x {tm.row_width} bytes "
                f"at {ctx.engine.page_size // 1024} KiB pages) plus {human_bytes(now.index_bytes)} of indexes, "
                f"{share:.0%} of the table, {compared} the usual {usual:.0%}{grows}",
                "provision disk for the three-year figure plus room for index rebuilds and "
                + f"{ctx.engine.reclaims_space_by}; "
                + (
                    "review whether every index earns its space"
                    if share > usual
                    else "plan retention or archiving before the table outgrows a single volume"
                ),
                _evidence(tm, now, year, three, ctx.engine.page_size),
                line=tm.table.line,
            )
        )
    return out


def _evidence(
    tm: TableModel, now: Footprint, year: Footprint, three: Footprint, page: int
) -> tuple[tuple[str, str], ...]:
    return (
        (
            "row width",
            f"{tm.row_width} bytes (columns by type + {tm.engine.row_overhead} bytes row overhead)",
        ),
        ("rows per page", f"{(page - 24) / tm.row_width:.1f}"),
        ("rows", f"{now.rows:,.0f} now, {year.rows:,.0f} in 1 year, {three.rows:,.0f} in 3 years"),
        (
            "table",
            f"{now.table_bytes:,.0f} bytes now, {year.table_bytes:,.0f} in 1 year, {three.table_bytes:,.0f} in 3 years",
        ),
        (
            "indexes",
            f"{now.index_bytes:,.0f} bytes now, {year.index_bytes:,.0f} in 1 year, {three.index_bytes:,.0f} in 3 years",
        ),
        ("index share", f"{now.index_share:.1%}"),
        ("growth", f"{growth_bytes_per_day(tm):,.0f} table bytes a day"),
    )


@dataclass(frozen=True)
class Pruning:
    pattern: str
    partitions: str
    """``1``, ``at most 2``, ``those its bounds span``, ``all 13``; ``0`` for a purge."""
    prunes: bool

    @property
    def phrase(self) -> str:
        if self.partitions == "0":
            return f"{self.pattern} drops whole partitions instead of deleting rows"
        return f"{self.pattern} reads {self.partitions}"


def choose_period(bytes_per_day: float, max_bytes: float) -> Period:
    """The coarsest period whose partition stays within ``max_bytes``; a day at the least.

    >>> choose_period(3.2e9, 100e9).name, choose_period(3.2e9, 10e9).name, choose_period(1e6, 1e9).name
    ('month', 'day', 'year')
    """
    for period in PERIODS:
        if bytes_per_day * period.days <= max_bytes:
            return period
    return PERIODS[-1]


def _pruning(ctx: Context, table: str, column: str, period: Period, count: int) -> list[Pruning]:
    out = []
    for pattern in ctx.patterns_on.get(table, ()):
        shape = ctx.shapes[pattern.name]
        if shape.kind.writes and shape.target == table and shape.kind.value == "insert":
            continue
        preds = [
            p
            for block in shape.walk()
            for acc in block.accesses
            if acc.table == table
            for p in acc.predicates
            if p.column == column
        ]
        if purge_column(ctx, pattern.name, table) == column:
            out.append(Pruning(pattern.name, "0", True))
            continue
        out.append(_prunes_to(pattern.name, preds, period, count))
    return out


def _names(names: list[str], one: str, many: str) -> str:
    """``a filters`` / ``a, b filter``: a list of pattern names as the subject of a verb.

    >>> _names(["a"], "filters", "filter"), _names(["a", "b"], "filters", "filter")
    ('a filters', 'a, b filter')
    """
    return f"{', '.join(names)} {one if len(names) == 1 else many}"


_ADVERB = {"year": "yearly", "month": "monthly", "week": "weekly", "day": "daily"}


def _prunes_to(name: str, preds: list[Predicate], period: Period, count: int) -> Pruning:
    if any(p.kind is PredicateKind.EQ for p in preds):
        return Pruning(name, "1", True)
    ranges = [p for p in preds if p.kind is PredicateKind.RANGE]
    if not ranges:
        return Pruning(name, f"all {count}", False)
    days = [window_days(p) for p in ranges]
    known = [(d, p) for d, p in zip(days, ranges, strict=True) if d is not None]
    if not known:
        return Pruning(name, "those its bounds span", True)
    window, pred = min(known, key=lambda item: item[0])
    if older_than(pred):
        kept = max(1, count - math.floor(window / period.days))
        return Pruning(name, f"the {kept} older", kept < count)
    # a window that starts at midnight today never crosses a day, month or year boundary
    aligned = window <= 1 and "current_date" in pred.sql.lower()
    spans = min(count, 1 if aligned else math.ceil(window / period.days) + 1)
    return Pruning(name, "1" if spans == 1 else f"at most {spans}", True)


def partition_by_time(ctx: Context, plan: Plan) -> list[Finding]:
    """Large growing tables whose read patterns filter on a time column by range."""
    out = []
    min_bytes = ctx.threshold("CAP002", "min_table_bytes")
    max_part = ctx.threshold("CAP002", "max_partition_bytes")
    for table, tm in ctx.models.items():
        if not tm.table.growth_per_day or tm.size_bytes < min_bytes or tm.table.partitioned:
            continue
        best = _time_column(ctx, table)
        if best is None:
            continue
        column, filtering = best
        per_day = growth_bytes_per_day(tm)
        period = choose_period(per_day, max_part)
        kept_days = tm.rows / tm.table.growth_per_day
        count = max(1, math.ceil(kept_days / period.days))
        pruning = _pruning(ctx, table, column, period, count)
        pruned = [p for p in pruning if p.prunes]
        whole = [p for p in pruning if not p.prunes]
        indexes = indexes_after(plan, table)
        ddl = partition_ddl(tm.table, column, period, ctx.spec.dialect, indexes=indexes)
        lost = [d for d in indexes if d.unique and d.origin != "primary_key" and column not in d.columns]
        key = list(tm.table.primary_key)
        pk_note = (
            f"; the primary key must include {column}: ({', '.join([*key, column])})"
            if key and column not in key
            else ""
        )
        reads_all = (
            f"; {_names([p.pattern for p in whole], 'does', 'do')} not filter on {column}, so each run "
            f"searches all {count} partitions (one index descent each)"
            if whole
            else ""
        )
        if lost:
            pk_note += (
                f"; {', '.join(d.label() for d in lost)} cannot stay unique without {column}: enforce it "
                "another way (a lookup table) or add the column"
            )
        partitioning = ctx.facts.partitioning
        if partitioning and not partitioning.foreign_keys and any(c.references for c in tm.table.columns):
            pk_note += "; InnoDB cannot partition a table with foreign keys: drop them first"
        out.append(
            Finding(
                "CAP002",
                ctx.severity("CAP002"),
                table,
                f"{table} holds {human_bytes(tm.size_bytes)} and grows {human_bytes(per_day)} a day, and "
                f"{_names(filtering, 'filters', 'filter')} on a {column} range, yet every scan, index and "
                "purge covers the whole table",
                f"partition {table} by RANGE ({column}) into {_ADVERB[period.name]} partitions of about "
                f"{human_bytes(per_day * period.days)} ({count} for the {kept_days:,.0f} days kept); "
                + ", ".join(p.phrase for p in pruned)
                + reads_all
                + pk_note
                + _migration_note(ctx.facts, table)
                + "; retire old data by detaching or dropping a partition instead of DELETE"
                + (
                    ""
                    if ddl
                    else f"; sqlglot cannot express {ctx.spec.dialect} partitioning, so no DDL is given"
                ),
                (
                    ("table", f"{tm.size_bytes:,.0f} bytes, {tm.rows:,.0f} rows"),
                    ("growth", f"{per_day:,.0f} bytes a day ({tm.table.growth_per_day:,} rows)"),
                    ("partition", f"{period.name}, about {per_day * period.days:,.0f} bytes"),
                    ("partitions", f"{count} for {kept_days:,.0f} days of data"),
                    *((p.pattern, f"{p.partitions} of {count} partitions") for p in pruning),
                ),
                patterns=tuple(p.pattern for p in pruning),
                line=tm.table.line,
                ddl=ddl,
            )
        )
    return out


def _migration_note(facts: Dialect, table: str) -> str:
    """What moving ``table`` to partitions takes on the engine (nothing said where it is not known)."""
    if facts.partitioning is None:
        return ""
    return "; " + facts.partitioning.migration.format(table=table)


def _time_column(ctx: Context, table: str) -> tuple[str, list[str]] | None:
    """The time column most read patterns filter on by range, with those patterns."""
    tm = ctx.models[table]
    min_patterns = ctx.threshold("CAP002", "min_filtering_patterns")
    users: dict[str, list[str]] = {}
    for pattern in ctx.patterns_on.get(table, ()):
        shape = ctx.shapes[pattern.name]
        if shape.kind.writes and shape.target == table and purge_column(ctx, pattern.name, table) is None:
            continue
        for block in shape.walk():
            for acc in block.accesses:
                if acc.table != table:
                    continue
                for pred in acc.predicates:
                    col = tm.table.column(pred.column)
                    if (
                        col is not None
                        and is_time_type(col.type)
                        and pred.kind is PredicateKind.RANGE
                        and pattern.name not in users.get(pred.column, [])
                    ):
                        users.setdefault(pred.column, []).append(pattern.name)
    if not users:
        return None
    column = max(sorted(users), key=lambda c: len(users[c]))
    if len(users[column]) < min_patterns:
        return None
    return column, users[column]
