"""QRY rules on what a query returns and how often: SELECT * on wide tables (QRY001), deep OFFSET
(QRY006), ORDER BY random() (QRY008), unbounded reads (QRY009) and N+1 lookups (QRY010), each
with the rewritten statement where one exists.
"""

from __future__ import annotations

import re

from sqlglot import exp

from advisor.analysis.shape import PredicateKind, QueryShape, StatementKind
from advisor.cost.workload import block_rows
from advisor.findings.query_support import (
    finding,
    rewrite_text,
    rows_of,
    single_key,
    top,
)
from advisor.rewrite.queries import (
    bounded,
    explicit_columns,
    join_lookup,
    keyset,
    random_pick,
)
from advisor.rewrite.render import render, sources
from advisor.rules.base import Finding
from advisor.rules.context import Context
from advisor.selection.select import Plan
from advisor.spec.model import Pattern

_RANDOM = re.compile(r"rand|newid", re.IGNORECASE)


# -- QRY001 ------------------------------------------------------------------------------------


def select_star(ctx: Context, plan: Plan) -> list[Finding]:
    """SELECT * on a table with many columns."""
    wide = ctx.threshold("QRY001", "min_columns")
    out = []
    for pattern, shape in top(ctx):
        starred = [a for b in shape.walk() for a in b.accesses if a.star]
        widths = {
            a.table: len(t.columns)
            for a in starred
            if (t := ctx.spec.table(a.table)) is not None and len(t.columns) >= wide
        }
        if not widths:
            continue
        tree = ctx.tree(pattern)
        columns = {t.name.lower(): [c.name for c in t.columns] for t in ctx.spec.tables}
        rewritten = explicit_columns(tree, columns) if tree is not None else None
        details = ", ".join(
            f"{t} ({n} columns, ~{ctx.models[t].row_width} bytes a row)" for t, n in widths.items()
        )
        out.append(
            finding(
                ctx,
                "QRY001",
                pattern,
                f"{pattern.name} selects * from {details}: it reads and sends every column, and no index can "
                f"cover it, so each row costs a table fetch",
                "name only the columns the caller uses"
                + (
                    f"; the full list to trim from: {render(rewritten, ctx.spec.dialect)}"
                    if rewritten
                    else ""
                ),
                evidence=tuple((f"{t} columns", str(n)) for t, n in widths.items()),
            )
        )
    return out


# -- QRY006 ------------------------------------------------------------------------------------


def deep_offset(ctx: Context, plan: Plan) -> list[Finding]:
    """OFFSET n reads and discards n rows: keyset pagination instead."""
    deepest = ctx.threshold("QRY006", "max_offset")
    out = []
    for pattern, shape in top(ctx):
        if shape.offset is None or shape.offset < deepest:
            continue
        tree = ctx.tree(pattern)
        rewritten = None
        nullable: list[str] = []
        # One table only: a tie-breaker from one of several joined tables would need qualifying.
        if tree is not None and isinstance(tree, exp.Select) and len(sources(tree)) == 1:
            order = [k.column for k in shape.order_by]
            table = ctx.spec.table(shape.order_by[0].table) if shape.order_by else None
            key = [c.lower() for c in table.primary_key] if table is not None else []
            unique = table is not None and any(
                set(order) >= {c.lower() for c in ix.columns} for ix in table.indexes if ix.unique
            )
            rewritten = keyset(tree, order, [] if unique else key) if order else None
            nullable = [
                c
                for c in order
                if table is not None and (col := table.column(c)) is not None and col.nullable
            ]
        caveat = (
            f" ({', '.join(nullable)} can be NULL and the comparison skips NULL rows: declare it NOT NULL or "
            f"page those rows separately)"
            if rewritten is not None and nullable
            else ""
        )
        out.append(
            finding(
                ctx,
                "QRY006",
                pattern,
                f"{pattern.name} skips {shape.offset:,} rows with OFFSET: each page reads and throws away every row "
                f"before it, so page n costs n times page 1",
                (
                    "paginate by key (keyset): remember the last row's ORDER BY values; "
                    + rewrite_text(rewritten, ctx.spec.dialect, tree)
                    + caveat
                    if rewritten is not None
                    else "paginate by key (keyset): ORDER BY a unique key and filter on the last value seen"
                ),
                evidence=(("offset", f"{shape.offset:,}"), ("threshold", f"{deepest:,.0f}")),
            )
        )
    return out


# -- QRY008 ------------------------------------------------------------------------------------


def _random_order(tree: exp.Expr) -> bool:
    order = tree.args.get("order")
    if not isinstance(order, exp.Order):
        return False
    for node in order.find_all(exp.Rand, exp.Anonymous):
        if isinstance(node, exp.Rand) or node.name.upper() in ("RANDOM", "RAND", "NEWID"):
            return True
    return False


def order_by_random(ctx: Context, plan: Plan) -> list[Finding]:
    """ORDER BY random() sorts the whole table to keep a few rows."""
    min_rows = ctx.threshold("QRY008", "min_table_rows")
    out = []
    for pattern, shape in top(ctx):
        if shape.kind is not StatementKind.SELECT or not _RANDOM.search(pattern.sql) or not shape.accesses:
            continue
        tree = ctx.tree(pattern)
        if tree is None or not _random_order(tree):
            continue
        table = shape.accesses[0].table
        if rows_of(ctx, table) < min_rows:
            continue
        key = single_key(ctx.spec.table(table))
        rewritten = random_pick(tree, key) if key is not None and len(sources(tree)) == 1 else None
        out.append(
            finding(
                ctx,
                "QRY008",
                pattern,
                f"{pattern.name}: ORDER BY a random value over {table}: every run reads all {rows_of(ctx, table):,.0f} rows, "
                f"draws a number for each and sorts them to keep {shape.limit or 'a few'}",
                (
                    f"seek to a random key drawn by the application between MIN({key}) and MAX({key}); "
                    + rewrite_text(rewritten, ctx.spec.dialect, tree)
                    + (" (or TABLESAMPLE SYSTEM for a sample)" if ctx.facts.tablesample else "")
                    if rewritten is not None
                    else "pick a random key in the application and seek to it through the primary key"
                ),
                evidence=(("table rows", f"{rows_of(ctx, table):,.0f}"),),
            )
        )
    return out


# -- QRY009 ------------------------------------------------------------------------------------


def _estimated_rows(ctx: Context, plan: Plan, shape: QueryShape) -> tuple[str, float] | None:
    """(first table, rows the statement returns per run, joins included); None when a condition's
    selectivity is unknown (an OR, or one no index serves: the cost model counts those as keeping
    every row)."""
    if not shape.accesses or shape.accesses[0].table not in ctx.models:
        return None
    for acc in shape.accesses:
        if acc.has_or or any(p.kind is PredicateKind.NOT_SARGABLE for p in acc.predicates):
            return None
    rows = block_rows(ctx.models, shape, plan.config)
    return shape.accesses[0].table, min(rows, float(shape.limit)) if shape.limit is not None else rows


def unbounded_read(ctx: Context, plan: Plan) -> list[Finding]:
    """A SELECT without LIMIT expected to return very many rows."""
    most = ctx.threshold("QRY009", "max_rows")
    page = int(ctx.threshold("QRY009", "page_size"))
    out = []
    for pattern, shape in top(ctx):
        if shape.kind is not StatementKind.SELECT or shape.has_limit or shape.group_by:
            continue
        estimate = _estimated_rows(ctx, plan, shape)
        if estimate is None or estimate[1] < most:
            continue
        tree = ctx.tree(pattern)
        if (
            tree is None
            or not isinstance(tree, exp.Select)
            or any(e.find(exp.AggFunc) for e in tree.expressions)
        ):
            continue
        table, rows = estimate
        spec_table = ctx.spec.table(table)
        key = list(spec_table.primary_key) if spec_table is not None else []  # spelled as declared
        rewritten = bounded(tree, key, page) if len(sources(tree)) == 1 else None
        out.append(
            finding(
                ctx,
                "QRY009",
                pattern,
                f"{pattern.name} has no LIMIT and returns about {rows:,.0f} rows of {table} per run: memory, network "
                f"and time grow with the table",
                (
                    f"fetch pages of {page:,} ordered by the key and continue after the last one (QRY006), or "
                    f"aggregate in SQL; first page: {render(rewritten, ctx.spec.dialect)}"
                    if rewritten is not None
                    else f"fetch pages of {page:,} by key, or aggregate in SQL"
                ),
                evidence=(("estimated rows per run", f"{rows:,.0f}"), ("threshold", f"{most:,.0f}")),
            )
        )
    return out


# -- QRY010 ------------------------------------------------------------------------------------


def _lookup_key(ctx: Context, shape: QueryShape) -> tuple[str, str] | None:
    """(table, key column) when the statement reads one row by a parameterized single-column key."""
    if shape.kind is not StatementKind.SELECT or len(shape.accesses) != 1 or shape.subqueries:
        return None
    acc = shape.accesses[0]
    table = ctx.spec.table(acc.table)
    if table is None:
        return None
    keys = {c.lower() for c in table.primary_key} if len(table.primary_key) == 1 else set()
    keys |= {c.name.lower() for c in table.columns if c.unique}
    for pred in acc.predicates:
        if pred.kind is PredicateKind.EQ and pred.parameterized and pred.column in keys:
            return acc.table, pred.column
    return None


def _holders(ctx: Context) -> dict[tuple[str, str], list[tuple[Pattern, QueryShape, tuple[str, str]]]]:
    """Referenced (table, column) to the SELECT patterns whose top block returns a column that
    references it, with that column: one pass over the workload, so the rule stays linear."""
    columns = {name: {c.name.lower(): c for c in tm.table.columns} for name, tm in ctx.models.items()}
    out: dict[tuple[str, str], list[tuple[Pattern, QueryShape, tuple[str, str]]]] = {}
    for pattern, shape in top(ctx):
        if shape.kind is not StatementKind.SELECT:
            continue
        seen: set[tuple[str, str]] = set()
        for acc in shape.accesses:
            for name in sorted(acc.projected):
                column = columns.get(acc.table, {}).get(name)
                if column is None or column.references is None or column.references in seen:
                    continue
                seen.add(column.references)
                out.setdefault(column.references, []).append((pattern, shape, (acc.table, name)))
    return out


def n_plus_one(ctx: Context, plan: Plan) -> list[Finding]:
    """A single-row lookup run once per row another pattern returns: fetch both with one join."""
    multiple = ctx.threshold("QRY010", "min_multiple")
    share = ctx.threshold("QRY010", "min_rows_share")
    holders = _holders(ctx)
    out = []
    for lookup, shape in top(ctx):
        target = _lookup_key(ctx, shape)
        if target is None or target not in holders:
            continue
        table, key = target
        for listing, other, held in holders[target]:
            if listing.name == lookup.name or held[0] == table:
                continue
            ratio = lookup.per_sec / listing.per_sec
            if ratio < multiple:
                continue
            estimate = _estimated_rows(ctx, plan, other)
            rows = estimate[1] if estimate is not None else 0.0
            if ratio < rows * share or ratio > max(rows, 1.0) * 2:
                continue
            out.append(_n_plus_one(ctx, lookup, shape, listing, held, table, key, ratio, rows))
            break
    return out


def _n_plus_one(
    ctx: Context,
    lookup: Pattern,
    shape: QueryShape,
    listing: Pattern,
    held: tuple[str, str],
    table: str,
    key: str,
    ratio: float,
    rows: float,
) -> Finding:
    tree = ctx.tree(listing)
    rewritten = None
    if tree is not None and isinstance(tree, exp.Select):
        alias = next((a for a, t in sources(tree).items() if t == held[0]), None)
        columns = sorted(shape.accesses[0].projected - {key})
        if alias is not None:
            qualifier = alias if len(sources(tree)) > 1 or alias != held[0] else held[0]
            rewritten = join_lookup(tree, exp.column(held[1], table=qualifier), table, key, columns)
    return finding(
        ctx,
        "QRY010",
        lookup,
        f"{lookup.name} reads one {table} row by {key} {ratio:,.1f} times per run of {listing.name}, which returns "
        f"{held[0]}.{held[1]} for about {rows:,.0f} rows: one query per row (N+1), each a round trip",
        (
            f"fetch the rows with {listing.name} in one query; "
            + rewrite_text(rewritten, ctx.spec.dialect, tree)
            if rewritten is not None
            else f"join {table} into {listing.name}, or look the keys up in one IN (...) query"
        ),
        evidence=(
            (f"{lookup.name} runs/s", f"{lookup.per_sec:,.1f}"),
            (f"{listing.name} runs/s", f"{listing.per_sec:,.1f}"),
            ("ratio", f"{ratio:,.1f}"),
            (f"{listing.name} rows per run (estimated)", f"{rows:,.1f}"),
        ),
    )
