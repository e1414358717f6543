"""Capacity rules about where data and traffic go: shard keys (CAP003), read replicas (CAP004),
cache candidates (CAP005) and B-tree or LSM storage (CAP006)."""

from __future__ import annotations

from dataclasses import dataclass

from advisor.analysis.shape import StatementKind
from advisor.cost.growth import DAYS_PER_YEAR, footprint
from advisor.cost.selectivity import column_ndv
from advisor.figures import human_bytes
from advisor.findings.capacity import indexes_after
from advisor.findings.traffic import Traffic, equality_columns, rates_known, table_traffic
from advisor.rules.base import Finding
from advisor.rules.context import Context
from advisor.selection.select import Plan
from advisor.spec.model import Consistency, FrequencySource


@dataclass(frozen=True)
class ShardKey:
    table: str
    column: str
    ndv: int
    share: float
    """Share of the table's pattern executions that name one value of the column."""
    local: tuple[str, ...]
    scattered: tuple[str, ...]


def _routes(ctx: Context, name: str, table: str) -> set[str]:
    """Columns whose value sends pattern ``name`` to a single shard of ``table``."""
    shape = ctx.shapes[name]
    if shape.kind is StatementKind.INSERT and shape.target == table:
        return {c.lower() for c in shape.set_columns}
    return equality_columns(ctx, name, table)


def shard_candidates(ctx: Context, table: str) -> list[ShardKey]:
    """Columns with at least ``min_ndv`` values that pin some of the table's traffic to one value,
    most traffic first (ties by name)."""
    tm = ctx.models[table]
    patterns = ctx.patterns_on.get(table, ())
    total = sum(p.per_sec for p in patterns)
    if not total:
        return []
    routes = {p.name: _routes(ctx, p.name, table) for p in patterns}
    out = []
    for col in tm.table.columns:
        name = col.name.lower()
        ndv, _ = column_ndv(tm.table, col)
        local = tuple(p.name for p in patterns if name in routes[p.name])
        # an INSERT supplies every column: only a read, update or delete that names one makes it a key
        named = [p for p in local if ctx.shapes[p].kind is not StatementKind.INSERT]
        if ndv < ctx.threshold("CAP003", "min_ndv") or not named:
            continue
        share = sum(p.per_sec for p in patterns if p.name in local) / total
        scattered = tuple(p.name for p in patterns if p.name not in local)
        out.append(ShardKey(table, name, ndv, share, local, scattered))
    return sorted(out, key=lambda k: (-k.share, k.column))


def shard_key(ctx: Context, table: str) -> ShardKey | None:
    """The best candidate, if it pins at least ``min_traffic_share`` of the table's traffic."""
    candidates = shard_candidates(ctx, table)
    if not candidates or candidates[0].share < ctx.threshold("CAP003", "min_traffic_share"):
        return None
    return candidates[0]


def _large(ctx: Context, plan: Plan, table: str) -> bool:
    year = footprint(ctx.models[table], indexes_after(plan, table), DAYS_PER_YEAR)
    return year.total_bytes >= ctx.threshold("CAP003", "min_table_bytes")


def _join_notes(ctx: Context, key: ShardKey, keys: dict[str, ShardKey]) -> list[str]:
    """Joins with other sharded tables that do not run on the shard keys of both sides."""
    notes: dict[str, None] = {}
    for pattern in ctx.patterns_on.get(key.table, ()):
        for block in ctx.shapes[pattern.name].walk():
            for e in block.joins:
                sides = {e.left_table: e.left_column, e.right_table: e.right_column}
                other = next((t for t in sides if t != key.table), None)
                if key.table not in sides or other is None or other not in keys:
                    continue
                if sides[key.table] == key.column and sides[other] == keys[other].column:
                    continue
                head = (
                    f"{pattern.name} joins {key.table}.{sides[key.table]} = {other}.{sides[other]}, "
                    f"off the shard keys ({key.table}.{key.column}, {other}.{keys[other].column})"
                )
                child = ctx.models[other].table.column(sides[other])
                if child is not None and child.references == (key.table, sides[key.table]):
                    # the other table's rows belong to this table's: they follow its key
                    notes[
                        f"{head}: carry {key.column} in {other} and shard {other} by it too, so the "
                        "join stays on one shard"
                    ] = None
                else:
                    mine = ctx.models[key.table].table.column(sides[key.table])
                    if mine is not None and mine.references == (other, sides[other]):
                        notes[
                            f"{head}: to keep it on one shard, follow {other}: carry {keys[other].column} in "
                            f"{key.table} and shard it by that instead"
                        ] = None
                    else:
                        notes[f"{head}: it asks every shard unless both tables share one shard key"] = None
    return list(notes)


def shard_keys(ctx: Context, plan: Plan) -> list[Finding]:
    keys = {}
    for table in ctx.models:
        if _large(ctx, plan, table):
            key = shard_key(ctx, table)
            if key is not None:
                keys[table] = key
    out = []
    for table, key in keys.items():
        joins = _join_notes(ctx, key, keys)
        scattered = f"; cross-shard (every shard asked): {', '.join(key.scattered)}" if key.scattered else ""
        out.append(
            Finding(
                "CAP003",
                ctx.severity("CAP003"),
                f"{table}.{key.column}",
                f"{table} will outgrow one server; {key.column} ({key.ndv:,} distinct values) is pinned to one "
                f"value by {key.share:.0%} of its pattern traffic ({', '.join(key.local)}), the best shard "
                f"key candidate{scattered}",
                f"if {table} is sharded, shard it by {key.column} (hash), route the listed patterns by it "
                "and serve the cross-shard ones from a replica or a secondary store"
                + "".join(f"; {n}" for n in joins),
                (
                    ("ndv", f"{key.ndv:,}"),
                    ("traffic pinned", f"{key.share:.1%}"),
                    ("patterns pinned", f"{len(key.local)} of {len(key.local) + len(key.scattered)}"),
                    (
                        "candidates",
                        ", ".join(f"{k.column} {k.share:.1%}" for k in shard_candidates(ctx, table)),
                    ),
                    ("single-shard", ", ".join(key.local)),
                    ("cross-shard", ", ".join(key.scattered) or "none"),
                ),
                patterns=key.scattered,
                line=ctx.models[table].table.line,
            )
        )
    return out


def workload_rates(ctx: Context) -> tuple[float, float, str]:
    """Reads and writes per second: the declared ``workload`` figures, else the patterns' rates."""
    w = ctx.spec.workload
    if w.reads_per_sec is not None and w.writes_per_sec is not None:
        return w.reads_per_sec, w.writes_per_sec, "workload.reads_per_sec / writes_per_sec"
    if not rates_known(ctx):
        return 0.0, 0.0, "pattern weights (relative, not rates)"
    reads = sum(
        p.per_sec for p in ctx.spec.patterns if p.name in ctx.shapes and not ctx.shapes[p.name].kind.writes
    )
    writes = sum(
        p.per_sec for p in ctx.spec.patterns if p.name in ctx.shapes and ctx.shapes[p.name].kind.writes
    )
    return reads, writes, "the patterns' rates"


def read_replicas(ctx: Context, plan: Plan) -> list[Finding]:
    reads, writes, source = workload_rates(ctx)
    ratio = reads / writes if writes else float("inf")
    if reads < ctx.threshold("CAP004", "min_reads_per_sec") or ratio < ctx.threshold(
        "CAP004", "min_read_write_ratio"
    ):
        return []
    safe: list[str] = []
    primary: list[str] = []
    for p in ctx.spec.patterns:
        shape = ctx.shapes.get(p.name)
        if shape is None or shape.kind.writes:
            continue
        tables = {a.table for b in shape.walk() for a in b.accesses}
        strict = [
            t for t in sorted(tables) if (tbl := ctx.spec.table(t)) and tbl.consistency is Consistency.STRICT
        ]
        (primary if strict else safe).append(p.name)
    ratio_text = "no writes" if writes == 0 else f"{ratio:,.1f} reads per write"
    declared = ctx.spec.operations.replication not in (None, False)
    return [
        Finding(
            "CAP004",
            ctx.severity("CAP004"),
            "workload",
            f"reads dominate: {reads:,.0f} reads/s against {writes:,.0f} writes/s ({ratio_text}, from "
            f"{source})"
            + (
                ", and replication is declared: the primary need not serve them all"
                if declared
                else ", and all land on the primary (no operations.replication declared)"
            ),
            ("route " if declared else "add read replicas and route ")
            + (", ".join(safe) if safe else "the reads that tolerate lag")
            + " to the replicas"
            + (
                f"; keep {', '.join(primary)} on the primary (they read tables declared consistency: strict) "
                "or use synchronous replicas"
                if primary
                else ""
            ),
            (
                ("reads/s", f"{reads:,.0f}"),
                ("writes/s", f"{writes:,.0f}"),
                ("ratio", "inf" if writes == 0 else f"{ratio:,.2f}"),
                ("source", source),
            ),
            patterns=tuple(safe),
        )
    ]


def cache_candidates(ctx: Context, plan: Plan) -> list[Finding]:
    out = []
    min_rate = ctx.threshold("CAP005", "min_per_sec")
    min_reuse = ctx.threshold("CAP005", "min_reads_per_row_per_hour")
    min_ratio = ctx.threshold("CAP005", "min_read_write_ratio")
    traffics: dict[str, Traffic] = {}  # per table, once: a large spec's patterns share their tables
    for p in ctx.spec.patterns:
        shape = ctx.shapes.get(p.name)
        if shape is None or shape.kind is not StatementKind.SELECT or p.per_sec < min_rate:
            continue
        if p.source is FrequencySource.WEIGHT:
            continue  # a weight is no rate: nothing to say about reads per row per hour
        if len(shape.accesses) != 1 or shape.subqueries:
            continue
        table = shape.accesses[0].table
        tm = ctx.models.get(table)
        if tm is None:
            continue
        key = _single_row_key(ctx, p.name, table)
        if key is None:
            continue
        if table not in traffics:
            traffics[table] = table_traffic(ctx, table)
        traffic = traffics[table]
        reuse = p.per_sec * 3600 / tm.rows
        ratio = p.per_sec / traffic.rows_written if traffic.rows_written else float("inf")
        if reuse < min_reuse or ratio < min_ratio:
            continue
        out.append(
            Finding(
                "CAP005",
                ctx.severity("CAP005"),
                p.name,
                f"{p.name} reads one {table} row by {key} {p.per_sec:,.0f} times a second; each of the "
                f"{tm.rows:,.0f} rows is read about {reuse:,.1f} times an hour"
                + (
                    f" and the table takes {traffic.rows_written:,.1f} row writes/s"
                    if traffic.rows_written
                    else ", and nothing writes the table"
                ),
                f"serve {p.name} from a cache keyed by {key} (read-through, with a TTL, invalidated by the "
                f"writes to {table}); the database then sees the misses only",
                (
                    ("reads/s", f"{p.per_sec:,.1f}"),
                    ("rows", f"{tm.rows:,.0f}"),
                    ("reads per row per hour", f"{reuse:,.2f}"),
                    ("row writes/s", f"{traffic.rows_written:,.1f}"),
                ),
                patterns=(p.name,),
                line=p.line,
            )
        )
    return out


def _single_row_key(ctx: Context, name: str, table: str) -> str | None:
    """The key (primary key or a unique column) pattern ``name`` pins, when it reads one row."""
    tbl = ctx.models[table].table
    pinned = equality_columns(ctx, name, table)
    pk = [c.lower() for c in tbl.primary_key]
    if pk and set(pk) <= pinned:
        return ", ".join(pk)
    for col in tbl.columns:
        if col.unique and col.name.lower() in pinned:
            return col.name.lower()
    return None


def storage_choice(ctx: Context, table: str, rates: bool = True) -> tuple[str, str]:
    """``("lsm", reason)`` or ``("b-tree", reason)`` from the table's write share and shape;
    ``rates`` says whether the frequencies are rates (see ``rates_known``)."""
    t = table_traffic(ctx, table)
    share = ctx.threshold("CAP006", "min_write_share")
    rate = ctx.threshold("CAP006", "min_rows_per_sec")
    figures = f"{t.rows_written:,.1f} rows written/s, {t.reads:,.1f} reads/s, write share {t.write_share:.0%}"
    fast = t.rows_written >= rate or not rates  # with weights only the shape and share count
    if t.append_only and t.write_share >= share and fast:
        return "lsm", f"append-only and write-heavy ({figures})"
    if not t.rows_written and not t.reads:
        return "b-tree", "no pattern reads or writes it"
    why = []
    if not t.append_only:
        why.append("updated or deleted in place" if t.rows_written else "read only")
    if t.write_share < share:
        why.append(f"reads dominate ({figures})")
    elif not fast:
        why.append(f"write rate below {rate:,.0f} rows/s ({figures})")
    return "b-tree", "; ".join(why) or figures


LSM_ENGINES = frozenset({"rocksdb"})
"""MySQL storage engines built on an LSM tree (MyRocks, in MariaDB and Percona Server)."""


def lsm_storage(ctx: Context, plan: Plan) -> list[Finding]:
    out = []
    rates = rates_known(ctx)
    for table, tm in ctx.models.items():
        kind, reason = storage_choice(ctx, table, rates)
        if kind != "lsm" or tm.table.engine in LSM_ENGINES:
            continue
        indexes = len(indexes_after(plan, table))
        out.append(
            Finding(
                "CAP006",
                ctx.severity("CAP006"),
                table,
                f"{table} is {reason}: a B-tree writes each new row into a random leaf page of "
                + ("its only index" if indexes == 1 else f"each of its {indexes} indexes")
                + ", while an LSM tree batches writes sequentially",
                _lsm_fix(ctx, table),
                (
                    ("storage", "LSM"),
                    ("reason", reason),
                    ("indexes", str(indexes)),
                    ("table", human_bytes(tm.size_bytes)),
                ),
                line=tm.table.line,
            )
        )
    return out


def _lsm_fix(ctx: Context, table: str) -> str:
    """The engine's own advice for a table an LSM tree would suit, else the generic one."""
    if ctx.facts.lsm_advice:
        return ctx.facts.lsm_advice.format(table=table)
    return (
        f"{ctx.spec.dialect} has no LSM engine: keep {table} append-friendly (an ever-increasing key, few secondary "
        "indexes) or move it to an LSM-based store"
    )
