"""Index rules that run before selection: they propose candidates (IDX001, IDX002), refine them
(PAR001 partial, COV001 covering), turn some down (IDX007), and find redundant indexes that exist
(IDX005, IDX006). IDX003 and IDX004, which also report on the chosen plan, have modules of their
own (``foreign_key_index``, ``existing_index``)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from advisor.analysis.shape import Predicate, PredicateKind, QueryShape, TableAccess
from advisor.cost.design import IndexDesign, PartialWhere
from advisor.cost.models import TableModel, covering_share, covers
from advisor.cost.pages import CPU_TUPLE
from advisor.cost.selectivity import column_ndv, estimate
from advisor.rules import foreign_keys
from advisor.rules.base import Candidate, Drop, Output, Rejection
from advisor.rules.context import Context
from advisor.spec.model import IndexKey

POINT = (PredicateKind.EQ,)
SEEKABLE = (PredicateKind.EQ, PredicateKind.IN, PredicateKind.RANGE, PredicateKind.LIKE_PREFIX)


def _is_point(pred: Predicate) -> bool:
    return pred.kind is PredicateKind.EQ or (pred.kind is PredicateKind.IN and pred.members == 1)


def scan_load(tm: TableModel, per_sec: float) -> float:
    """What reading all of ``tm``'s table costs per second at ``per_sec`` runs: its pages plus
    the per-row CPU, in the cost model's units."""
    return per_sec * (tm.pages + tm.rows * CPU_TUPLE)


def _lookups(
    ctx: Context, name: str, shape: QueryShape
) -> Iterator[tuple[QueryShape, TableAccess, tuple[Predicate, ...]]]:
    """Every (block, table access, predicates) pattern ``name`` can seek with: the access's own
    predicates, and for a join's inner side those plus the join column bound per outer row.

    Accesses whose full scan costs less than IDX001's ``min_scan_cost_per_sec`` are left out:
    by cost, not by the table's size, so a small table read often is still served."""
    floor = ctx.threshold("IDX001", "min_scan_cost_per_sec")
    per_sec = ctx.pattern(name).per_sec
    for block in shape.walk():
        for acc in block.accesses:
            tm = ctx.models.get(acc.table)
            if tm is None or scan_load(tm, per_sec) < floor:
                continue
            yield block, acc, acc.predicates
            for edge in block.joins:
                for mine, col, other in (
                    (edge.left_table, edge.left_column, edge.right_table),
                    (edge.right_table, edge.right_column, edge.left_table),
                ):
                    if mine == acc.table and other != acc.table:
                        bound = Predicate(acc.table, col, PredicateKind.EQ, parameterized=True)
                        yield block, acc, (*acc.predicates, bound)
            # a join on several columns of one other table binds them all at once
            for columns in _join_columns(block, acc.table).values():
                if len(columns) > 1:
                    bound_all = tuple(
                        Predicate(acc.table, c, PredicateKind.EQ, parameterized=True) for c in columns
                    )
                    yield block, acc, (*acc.predicates, *bound_all)


def _join_columns(block: QueryShape, table: str) -> dict[str, list[str]]:
    """Per other table joined to ``table``, the columns of ``table`` the join binds."""
    out: dict[str, list[str]] = {}
    for edge in block.joins:
        for mine, col, other in (
            (edge.left_table, edge.left_column, edge.right_table),
            (edge.right_table, edge.right_column, edge.left_table),
        ):
            if mine == table and other != table and col not in out.get(other, []):
                out.setdefault(other, []).append(col)
    return out


def _by_selectivity(tm: TableModel, preds: Sequence[Predicate]) -> list[str]:
    """Distinct columns of ``preds``, most selective first (ties by name, for stable output)."""
    share: dict[str, float] = {}
    for pred in preds:
        share[pred.column] = min(share.get(pred.column, 1.0), estimate(tm.table, pred).share)
    return sorted(share, key=lambda c: (share[c], c))


Sharing = Sequence[tuple[frozenset[str], float]]
"""Per table, the equality columns each lookup binds, with the lookup's rate."""


def equality_sets(ctx: Context) -> dict[str, list[tuple[frozenset[str], float]]]:
    """For each table, the sets of columns its lookups bind by equality, with their rates: the
    prefixes an index's equality columns should offer so that one index serves several."""
    out: dict[str, dict[frozenset[str], float]] = {}
    for name, shape in ctx.shapes.items():
        rate = ctx.pattern(name).per_sec
        for _block, acc, preds in _lookups(ctx, name, shape):
            cols = frozenset(p.column for p in preds if _is_point(p))
            if cols:
                table = out.setdefault(acc.table, {})
                table[cols] = table.get(cols, 0.0) + rate
    return {t: sorted(sets.items(), key=lambda kv: (-kv[1], sorted(kv[0]))) for t, sets in out.items()}


def sharing_order(tm: TableModel, columns: Sequence[str], sharing: Sharing) -> list[str]:
    """``columns`` (all bound by equality) in the order that lets the most frequent other
    lookups use a prefix of the index: the seek reads the same entries in any order, so
    "most selective first" buys nothing, while a shared prefix saves a whole index.

    >>> from advisor.spec.model import Table, Column
    >>> from advisor.cost.physical import engine_for
    >>> t = Table("i", (Column("tenant_id", ndv=10**4), Column("project_id", ndv=2 * 10**5), Column("state", ndv=3)), rows=10**7)
    >>> tm = TableModel(t, engine_for("postgres"))
    >>> sets = [(frozenset({"tenant_id", "state"}), 40.0), (frozenset({"tenant_id", "project_id", "state"}), 90.0)]
    >>> sharing_order(tm, ["project_id", "state", "tenant_id"], sets)
    ['tenant_id', 'state', 'project_id']
    """
    wanted = set(columns)
    usage: dict[str, float] = {}
    for cols, rate in sharing:
        for c in cols & wanted:
            usage[c] = usage.get(c, 0.0) + rate
    share = {c: 1.0 / _ndv(tm, c) for c in wanted}

    def rank(c: str) -> tuple[float, float, str]:
        # most used first; ties as convention has them, the most selective first
        return (-usage.get(c, 0.0), share[c], c)

    prefix: list[str] = []
    while len(prefix) < len(wanted):
        placed = set(prefix)
        options = [cols for cols, _ in sharing if placed < cols <= wanted]
        if not options:
            break
        # the most frequent lookup whose columns extend the prefix (sharing is sorted by rate)
        prefix += sorted(options[0] - placed, key=rank)
    return prefix + sorted(wanted - set(prefix), key=rank)


def _ndv(tm: TableModel, column: str) -> int:
    col = tm.table.column(column)
    return column_ndv(tm.table, col)[0] if col is not None else 1


def seek_keys(tm: TableModel, preds: Sequence[Predicate], sharing: Sharing = ()) -> tuple[IndexKey, ...]:
    """Equality columns in the order that shares prefixes (``sharing_order``), then IN lists,
    then the most selective range.

    >>> from advisor.spec.model import Table, Column
    >>> from advisor.cost.physical import engine_for
    >>> t = Table("o", (Column("status", ndv=5), Column("user_id", ndv=1000), Column("at")), rows=10**6)
    >>> ps = [Predicate("o", c, k, parameterized=True) for c, k in
    ...       [("status", PredicateKind.EQ), ("at", PredicateKind.RANGE), ("user_id", PredicateKind.EQ)]]
    >>> [k.column for k in seek_keys(TableModel(t, engine_for("postgres")), ps)]
    ['user_id', 'status', 'at']
    """
    points = sharing_order(tm, _by_selectivity(tm, [p for p in preds if _is_point(p)]), sharing)
    lists = [
        c for c in _by_selectivity(tm, [p for p in preds if p.kind is PredicateKind.IN]) if c not in points
    ]
    ranges = [
        c
        for c in _by_selectivity(
            tm, [p for p in preds if p.kind in (PredicateKind.RANGE, PredicateKind.LIKE_PREFIX)]
        )
        if c not in points and c not in lists
    ]
    return tuple(IndexKey(c) for c in [*points, *lists, *ranges[:1]])


def _fk_rules(tm: TableModel, keys: tuple[IndexKey, ...]) -> tuple[str, ...]:
    """``IDX003`` too when the keys lead with a whole foreign key's columns."""
    columns = tuple(k.column for k in keys)
    return (
        ("IDX003",)
        if any(foreign_keys.served(fk, columns) for fk in foreign_keys.references(tm.table))
        else ()
    )


def _order_serves_better(
    block: QueryShape, table: str, keys: tuple[IndexKey, ...], preds: Sequence[Predicate]
) -> bool:
    """Whether IDX002's index (the same equality columns, then the ORDER BY) does all this one
    would for an ORDER BY ... LIMIT: it seeks the same entries and stops after LIMIT rows. The
    row estimate that would make the order columns look worthless (independent equalities on
    correlated columns multiply to a fraction of a row) is the least certain, so the index that
    is right either way is the one proposed."""
    if not block.has_limit or not block.order_by or any(k.table != table for k in block.order_by):
        return False
    points = {p.column for p in preds if _is_point(p)}
    return {k.column for k in keys} <= points and not points & {k.column for k in block.order_by}


def _describe_keys(keys: tuple[IndexKey, ...]) -> str:
    return ", ".join(k.column + (" DESC" if k.descending else "") for k in keys)


def composite_order(ctx: Context, _: Sequence[Candidate]) -> Output:
    """Propose, per pattern and table, the index that seeks all its sargable predicates."""
    out = Output()
    sharing = equality_sets(ctx)
    for name, shape in ctx.shapes.items():
        for block, acc, preds in _lookups(ctx, name, shape):
            tm = ctx.models[acc.table]
            keys = seek_keys(tm, [p for p in preds if p.kind in SEEKABLE], sharing.get(acc.table, ()))
            if not keys or _order_serves_better(block, acc.table, keys, preds):
                continue
            reason = f"seek on ({_describe_keys(keys)}): equality columns in the order other lookups share, then IN lists and one range"
            design = IndexDesign(acc.table, keys)
            out.candidates.append(
                Candidate(
                    design, ("IDX001", *_fk_rules(tm, keys)), (name,), reason, tuple(preds), acc.referenced
                )
            )
    return out


def order_by_limit(ctx: Context, _: Sequence[Candidate]) -> Output:
    """Propose equality columns followed by the ORDER BY keys, so the index delivers the order."""
    out = Output()
    sharing = equality_sets(ctx)
    for name, shape in ctx.shapes.items():
        for block, acc, preds in _lookups(ctx, name, shape):
            order = block.order_by
            if not order or any(k.table != acc.table for k in order):
                continue
            tm = ctx.models[acc.table]
            if tm.rows * tm.share(preds) < ctx.threshold("IDX002", "min_sorted_rows") and not block.has_limit:
                continue
            points = sharing_order(
                tm, _by_selectivity(tm, [p for p in preds if _is_point(p)]), sharing.get(acc.table, ())
            )
            keys = tuple(IndexKey(c) for c in points) + tuple(
                IndexKey(k.column, k.descending) for k in order if k.column not in points
            )
            if len({k.column for k in keys}) != len(keys):
                continue
            reason = (
                "read in index order: "
                + (f"equality on {', '.join(points)} then " if points else "")
                + f"ORDER BY {_describe_keys(tuple(IndexKey(k.column, k.descending) for k in order))}"
                + (f" LIMIT {block.limit}" if block.limit is not None else "")
                + " without a sort"
            )
            out.candidates.append(
                Candidate(
                    IndexDesign(acc.table, keys),
                    ("IDX002", *_fk_rules(tm, keys)),
                    (name,),
                    reason,
                    preds,
                    acc.referenced,
                )
            )
    return out


def partial_index(ctx: Context, candidates: Sequence[Candidate]) -> Output:
    """For candidates whose pattern has a selective constant predicate, the partial variant."""
    out = Output()
    if not ctx.engine.supports_partial:
        return out
    limit = ctx.threshold("PAR001", "max_share")
    for cand in candidates:
        tm = ctx.models[cand.design.table]
        for pred in cand.predicates:
            col = tm.table.column(pred.column)
            if not (
                pred.kind in (PredicateKind.EQ, PredicateKind.IN)
                and pred.constant
                and col
                and col.frequencies
            ):
                continue
            share = estimate(tm.table, pred).share
            if share > limit or None in pred.values:
                continue
            keys = tuple(k for k in cand.design.keys if k.column != pred.column) or (IndexKey(pred.column),)
            where = PartialWhere(pred.column, tuple(str(v) for v in pred.values), pred.sql, col.boolean)
            reason = f"{pred.sql} keeps {share:.1%} of {tm.table.name} (declared frequencies): index only those rows"
            out.candidates.append(
                Candidate(
                    IndexDesign(tm.table.name.lower(), keys, where=where),
                    (*cand.rules, "PAR001"),
                    cand.patterns,
                    reason,
                    cand.predicates,
                    cand.referenced,
                )
            )
    return out


def covering_index(ctx: Context, candidates: Sequence[Candidate]) -> Output:
    """The covering variant of each candidate, when it stays small beside its table."""
    out = Output()
    share_limit = ctx.threshold("COV001", "max_table_share")
    max_extra = ctx.threshold("COV001", "max_extra_columns")
    for cand in candidates:
        tm = ctx.models[cand.design.table]
        design = cand.design
        if covers(tm, design, cand.referenced):
            continue
        stored = design.stored_columns() | (
            tm.pk_columns() if ctx.engine.secondary_carries_pk else frozenset()
        )
        extra = tuple(sorted(cand.referenced - stored))
        if not extra or len(extra) > max_extra:
            continue
        if ctx.engine.supports_include:
            wide = IndexDesign(design.table, design.keys, extra, design.where)
        else:
            wide = IndexDesign(
                design.table, design.keys + tuple(IndexKey(c) for c in extra), (), design.where
            )
        added = covering_share(tm, wide, design)
        if added > share_limit:
            out.rejections.append(
                Rejection(
                    wide,
                    "COV001",
                    f"covering would add {added:.0%} of the table's size to the index, "
                    f"over the {share_limit:.0%} limit",
                    cand.patterns,
                )
            )
            continue
        how = "INCLUDE" if ctx.engine.supports_include else "trailing key columns"
        reason = f"{', '.join(extra)} stored as {how}: the pattern is answered from the index alone"
        out.candidates.append(
            Candidate(wide, (*cand.rules, "COV001"), cand.patterns, reason, cand.predicates, cand.referenced)
        )
    return out


def low_cardinality(ctx: Context, design: IndexDesign, patterns: Sequence[str] = ()) -> str | None:
    """Why a single-column full index is too unselective to help, or ``None``: each of
    ``patterns`` that looks the column up (``=`` or ``IN``) matches more than ``max_selectivity``
    of the rows, by the declared frequencies of its literals where the column has them and by
    1/ndv otherwise (a pattern that does not look the column up counts at 1/ndv)."""
    if len(design.keys) != 1 or design.where is not None or design.include:
        return None
    tm = ctx.models[design.table]
    col = tm.table.column(design.keys[0].column)
    if col is None:
        return None
    ndv, _ = column_ndv(tm.table, col)
    top = max((share for _, share in col.frequencies), default=1.0 / ndv)
    most = ctx.threshold("IDX007", "max_selectivity")
    shares = [_lookup_share(ctx, design.table, col.name.lower(), name) for name in patterns] or [None]
    least = min(1.0 / ndv if share is None else share for share in shares)
    if least <= most:
        return None
    if all(share is None for share in shares):
        lookup = "an equality matches too many rows"
    else:
        lookup = f"each pattern's lookup keeps at least {least:.0%} of the rows, too many"
    return (
        f"{col.name} has {ndv:,} distinct values (the commonest holds {top:.0%} of rows): {lookup} for "
        "an index to beat a scan; a partial index serves the rare values"
    )


def _lookup_share(ctx: Context, table: str, column: str, pattern: str) -> float | None:
    """The smallest share of ``table``'s rows one of ``pattern``'s reads finds by ``column`` with
    an equality or IN list, or ``None`` where it finds none by it."""
    tm = ctx.models[table]
    shape = ctx.shapes.get(pattern)
    found = [
        tm.share([p])
        for block in (shape.walk() if shape is not None else ())
        for acc in block.accesses
        if acc.table == table
        for p in acc.predicates
        if p.column == column and p.kind in (PredicateKind.EQ, PredicateKind.IN)
    ]
    return min(found, default=None)


def reject_low_cardinality(ctx: Context, candidates: Sequence[Candidate]) -> Output:
    out = Output()
    for cand in candidates:
        reason = low_cardinality(ctx, cand.design, cand.patterns)
        if reason is not None:
            out.rejections.append(Rejection(cand.design, "IDX007", reason, cand.patterns))
    return out


def duplicate_indexes(ctx: Context, _: Sequence[Candidate]) -> Output:
    out = Output()
    for designs in ctx.existing.values():
        for i, a in enumerate(designs):
            for b in designs[i + 1 :]:
                if a.same_shape(b) and (a.droppable or b.droppable):
                    drop, keep = (b, a) if b.droppable else (a, b)
                    out.drops.append(Drop(drop, "IDX005", f"same keys as {keep.name}", keep))
    return out


def prefix_redundant_indexes(ctx: Context, _: Sequence[Candidate]) -> Output:
    out = Output()
    for designs in ctx.existing.values():
        for a in designs:
            keep = next(
                (b for b in designs if b is not a and not a.same_shape(b) and a.serves_as_prefix_of(b)), None
            )
            if a.droppable and keep is not None:
                out.drops.append(Drop(a, "IDX006", f"its keys lead {keep.name} {keep.label()}", keep))
    return out
