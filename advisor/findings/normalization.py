"""NRM rules: normal forms from declared functional dependencies and keys, the decomposition
that fixes them, copies of parent columns and when a hot join should be denormalized."""

from __future__ import annotations

from collections.abc import Sequence

from advisor.analysis.shape import QueryShape
from advisor.design.decompose import Relation, decompose_bcnf, relations_text, synthesize_3nf
from advisor.design.dependencies import Dependency, key_text, ordered
from advisor.design.normal_forms import NormalForm, NormalFormResult, normal_form
from advisor.design.tables import (
    Copy,
    Placement,
    attributes,
    copies,
    migration,
    place,
    table_dependencies,
)
from advisor.emit.tables import ColumnSpec, add_column, drop_column, statements
from advisor.rules.base import Finding
from advisor.rules.context import Context
from advisor.selection.select import Plan
from advisor.spec.model import Consistency, Pattern, Table


def _analyzed(ctx: Context) -> list[tuple[Table, NormalFormResult, list[Copy]]]:
    """Tables that declare dependencies, with their normal form once copies are set aside."""
    out = []
    for table in ctx.spec.tables:
        if not table.functional_dependencies:
            continue
        found = copies(ctx.spec, table)
        copied = {c.column for c in found}
        with_copies = {c.dependency for c in found}
        fds = table_dependencies(table, skip=with_copies)
        # A dependency partly made of copies keeps its other columns.
        fds += tuple(Dependency(fd.lhs, fd.rhs - copied) for fd in with_copies if fd.rhs - copied)
        attrs = attributes(table)
        out.append((table, normal_form(attrs, fds, attrs), found))
    return out


def _provenance(table: Table, dependency: Dependency | None) -> str:
    """`` (approximate: found in rows.csv, ...)`` when ``dependency`` comes from a sample, else ""."""
    if dependency is None:
        return ""
    for fd in table.functional_dependencies:
        lhs = {c.lower() for c in fd.lhs}
        if fd.source is not None and lhs == dependency.lhs and dependency.rhs <= {c.lower() for c in fd.rhs}:
            if fd.error == 0:
                return f" (found in {fd.source}: it holds in all {fd.sample_rows:,} sampled rows)"
            held = 1.0 - fd.error
            return f" (approximate: found in {fd.source}, it holds for {held:.1%} of {fd.sample_rows:,} sampled rows)"
    return ""


def _readers(ctx: Context, table: str) -> list[tuple[str, frozenset[str]]]:
    """(pattern, columns of ``table`` one of its blocks reads) for each reading block."""
    out = []
    for pattern in ctx.patterns_on.get(table, ()):
        for block in ctx.shapes[pattern.name].walk():
            acc = block.access(table)
            if acc is not None:
                out.append((pattern.name, acc.referenced))
    return out


def _needs_join(ctx: Context, table: str, placements: Sequence[Placement]) -> list[str]:
    """Patterns whose reads of ``table`` no single relation of ``placements`` holds any more."""
    parts = [set(p.relation.attributes) for p in placements]
    names = [name for name, cols in _readers(ctx, table) if cols and not any(cols <= part for part in parts)]
    return list(dict.fromkeys(names))


def _proposal(
    ctx: Context, table: Table, relations: Sequence[Relation], result: NormalFormResult
) -> tuple[str, str, list[str]]:
    """(placement text, DDL, patterns needing a join) for a decomposition of ``table``."""
    placements = place(ctx.spec, table, relations, result.keys, result.cover)
    described = []
    for p in placements:
        cols = ", ".join(p.relation.attributes)
        if p.kind == "keep":
            described.append(f"{p.name} ({cols})")
        elif p.kind == "parent":
            moved = ", ".join(c for c in p.relation.attributes if c not in p.relation.key)
            described.append(f"{moved} into {p.name} (keyed by {', '.join(p.relation.key)})")
        else:
            described.append(f"new table {p.name} ({cols}) key ({', '.join(p.relation.key)})")
    kept = next(p for p in placements if p.kind == "keep")
    pk = {c.lower() for c in table.primary_key}
    if not pk <= set(kept.relation.attributes):
        # Dropping a primary key column would drop the key: that is a table rebuild, not a migration.
        described.append(
            f"this moves part of the primary key ({', '.join(table.primary_key)}): rebuild {table.name}"
        )
        ddl = ""
    else:
        ddl = statements(migration(ctx.spec, table, placements, result.cover), ctx.spec.dialect)
    return "; ".join(described), ddl, _needs_join(ctx, table.name.lower(), placements)


def _evidence(table: Table, result: NormalFormResult, rows: float) -> list[tuple[str, str]]:
    attrs = attributes(table)
    return [
        ("normal form", result.form.value),
        ("violating dependency", result.violation.text(attrs) if result.violation else "-"),
        ("candidate keys", result.keys_text()),
        ("minimal cover", "; ".join(fd.text(attrs) for fd in result.cover)),
        ("rows", f"{rows:,.0f}"),
    ]


def below_third_normal_form(ctx: Context, plan: Plan) -> list[Finding]:
    """A table in 1NF or 2NF: name the violating dependency and propose the 3NF synthesis."""
    out = []
    for table, result, _ in _analyzed(ctx):
        if result.form.rank >= NormalForm.THIRD.rank:
            continue
        attrs = attributes(table)
        pk = [c.lower() for c in table.primary_key]
        relations = synthesize_3nf(attrs, result.cover, attrs, prefer_key=pk)
        layout, ddl, joins = _proposal(ctx, table, relations, result)
        name = table.name.lower()
        bcnf = all(
            normal_form(r.attributes, _within(result.cover, r)).form is NormalForm.BOYCE_CODD
            for r in relations
        )
        evidence = _evidence(table, result, ctx.models[name].rows)
        evidence.append(("3NF synthesis", relations_text(relations) + (" (also BCNF)" if bcnf else "")))
        if joins:
            evidence.append(("patterns that would need a join", ", ".join(joins)))
        out.append(
            Finding(
                "NRM001",
                ctx.severity("NRM001"),
                name,
                f"{name} is in {result.form.value} only, not 3NF: {result.explain()}"
                f"{_provenance(table, result.violation)}; every copy of the "
                f"dependent value must be updated together, or rows start to disagree",
                f"split it by 3NF synthesis (lossless, keeps every dependency): {layout}"
                + (
                    f"; {', '.join(joins)} would then need a join"
                    if joins
                    else "; no pattern would need a join"
                ),
                tuple(evidence),
                patterns=tuple(joins),
                line=table.line,
                ddl=ddl or None,
            )
        )
    return out


def _within(cover: Sequence[Dependency], relation: Relation) -> list[Dependency]:
    """Dependencies of ``cover`` wholly inside ``relation`` (enough for synthesized relations,
    which are built from the cover's groups)."""
    attrs = set(relation.attributes)
    return [fd for fd in cover if fd.lhs | fd.rhs <= attrs]


def not_boyce_codd(ctx: Context, plan: Plan) -> list[Finding]:
    """A table in 3NF, not BCNF: the BCNF decomposition, or the dependency it would lose."""
    out = []
    for table, result, _ in _analyzed(ctx):
        if result.form is not NormalForm.THIRD:
            continue
        attrs = attributes(table)
        name = table.name.lower()
        split = decompose_bcnf(attrs, result.cover, attrs, keep=[c.lower() for c in table.primary_key])
        evidence = _evidence(table, result, ctx.models[name].rows)
        evidence.append(("BCNF decomposition", relations_text(split.relations)))
        head = f"{name} is in 3NF, not BCNF: {result.explain()}{_provenance(table, result.violation)}"
        violation = result.violation.text(attrs) if result.violation else ""
        if split.lost:
            lost = "; ".join(fd.text(attrs) for fd in split.lost)
            evidence.append(("dependencies lost", lost))
            out.append(
                Finding(
                    "NRM002",
                    ctx.severity("NRM002"),
                    name,
                    f"{head}; decomposing into {relations_text(split.relations)} would lose {lost}, "
                    f"which no single table could enforce then",
                    f"stay in 3NF: keep {name} whole so that its keys enforce {lost}; the redundancy of "
                    f"{violation} stays, so writes that set {key_text(result.violation.lhs if result.violation else (), attrs)} "
                    f"must keep it consistent",
                    tuple(evidence),
                    line=table.line,
                )
            )
            continue
        layout, ddl, joins = _proposal(ctx, table, split.relations, result)
        if joins:
            evidence.append(("patterns that would need a join", ", ".join(joins)))
        out.append(
            Finding(
                "NRM002",
                ctx.severity("NRM002"),
                name,
                f"{head}; the BCNF decomposition loses no dependency",
                f"decompose to BCNF (lossless, keeps every dependency): {layout}"
                + (f"; {', '.join(joins)} would then need a join" if joins else ""),
                tuple(evidence),
                patterns=tuple(joins),
                line=table.line,
                ddl=ddl or None,
            )
        )
    return out


def duplicated_columns(ctx: Context, plan: Plan) -> list[Finding]:
    """A child column that copies a parent's non-key column: what keeping it costs and buys."""
    out = []
    for table, _, found in _analyzed(ctx):
        out += [_copy_finding(ctx, table, copy) for copy in found]
    return out


def _copy_finding(ctx: Context, table: Table, copy: Copy) -> Finding:
    child, parent = ctx.models[copy.table], ctx.models[copy.parent]
    via = table.column(copy.via)
    ndv = via.ndv if via is not None and via.ndv else None
    fan_out = child.rows / max(1.0, float(ndv) if ndv else parent.rows)
    parent_writes = sum(
        p.per_sec
        for p in ctx.patterns_on.get(copy.parent, ())
        if _writes_column(ctx.shapes[p.name], copy.parent, copy.parent_column)
    )
    maintenance = parent_writes * fan_out
    benefit = [
        (name, ctx.pattern(name).per_sec)
        for name in dict.fromkeys(
            name
            for name, cols in _readers(ctx, copy.table)
            if copy.column in cols and not _reads(ctx.shapes[name], copy.parent)
        )
    ]
    saved = sum(rate for _, rate in benefit)
    evidence = (
        ("copies", f"{copy.parent}.{copy.parent_column} through {copy.table}.{copy.via}"),
        (f"{copy.table} rows per {copy.parent} row (fan-out)", f"{fan_out:,.1f}"),
        (f"writes/s changing {copy.parent}.{copy.parent_column}", f"{parent_writes:,.2f}"),
        (f"{copy.table} rows/s to update (writes x fan-out)", f"{maintenance:,.1f}"),
        ("reads/s that skip a join thanks to the copy", f"{saved:,.1f}"),
    )
    where = f"{copy.table}.{copy.column}"
    source = f"{copy.parent}.{copy.parent_column}"
    message = (
        f"{where} copies {source} (declared {copy.dependency.text(attributes(table))}"
        f"{_provenance(table, copy.dependency)}): every change of "
        f"{source} must update about {fan_out:,.1f} {copy.table} rows; the patterns change it "
        f"{parent_writes:,.2f} times/s, {maintenance:,.1f} {copy.table} rows/s"
    )
    drop = statements([drop_column(copy.table, copy.column)], ctx.spec.dialect)
    if not benefit:
        return Finding(
            "NRM003",
            ctx.severity("NRM003"),
            where,
            message + ", and no pattern reads the copy without reading " + copy.parent,
            f"drop {where} and read {source} by joining {copy.parent} on {copy.via}",
            evidence,
            line=_line(table, copy.column),
            ddl=drop,
        )
    names = ", ".join(n for n, _ in benefit)
    keep = maintenance <= saved
    fix = (
        f"keep the copy (it spares {names} a join at {saved:,.1f}/s) and update it in the same transaction "
        f"as {source}, or accept that it lags"
        if keep
        else f"drop {where} and join {copy.parent} in {names}: maintaining the copy costs more row "
        f"writes ({maintenance:,.1f}/s) than the joins it saves ({saved:,.1f}/s)"
    )
    return Finding(
        "NRM003",
        ctx.severity("NRM003"),
        where,
        message + f"; it spares {names} a join",
        fix,
        evidence,
        patterns=tuple(n for n, _ in benefit),
        line=_line(table, copy.column),
        ddl=None if keep else drop,
    )


def _line(table: Table, column: str) -> int | None:
    col = table.column(column)
    return col.line if col is not None and col.line is not None else table.line


def _writes_column(shape: QueryShape, table: str, column: str) -> bool:
    """An UPDATE of ``table`` that sets ``column`` (inserts bring new parents without children)."""
    return shape.kind.value == "update" and shape.target == table and column in shape.set_columns


def _reads(shape: QueryShape, table: str) -> bool:
    return any(block.access(table) is not None for block in shape.walk())


# -- NRM004: denormalize a hot join -----------------------------------------------------------------


def _rates(ctx: Context, table: str) -> tuple[float, float]:
    """(read executions/s, write executions/s) of the patterns on ``table``."""
    reads = writes = 0.0
    for pattern in ctx.patterns_on.get(table, ()):
        shape = ctx.shapes[pattern.name]
        if shape.kind.writes and shape.target == table:
            writes += pattern.per_sec
        elif _reads(shape, table):
            reads += pattern.per_sec
    return reads, writes


def _ratio_text(reads: float, writes: float) -> str:
    return "no writes" if writes == 0 else f"{reads / writes:,.1f}"


def denormalize_hot_join(ctx: Context, plan: Plan) -> list[Finding]:
    """For each join pattern: read/write ratio, consistency and join depth decide, per the
    classic matrix, between copying columns (or a materialized view), staying normalized and
    selective denormalization."""
    min_ratio = ctx.threshold("NRM004", "min_read_write_ratio")
    max_depth = ctx.threshold("NRM004", "max_join_depth")
    min_rate = ctx.threshold("NRM004", "min_per_sec")
    out = []
    known: dict[str, tuple[float, float]] = {}  # per table, once: patterns share their tables
    for pattern in ctx.spec.patterns:
        shape = ctx.shapes.get(pattern.name)
        if shape is None or shape.kind.writes or pattern.per_sec < min_rate:
            continue
        block = max(shape.walk(), key=lambda b: len(b.accesses))
        tables = list(dict.fromkeys(acc.table for acc in block.accesses))
        if len(tables) < 2 or not block.joins:
            continue
        depth = len(tables) - 1
        for t in tables:
            if t not in known:
                known[t] = _rates(ctx, t)
        rates = {t: known[t] for t in tables}
        ratios = [r / w if w else float("inf") for r, w in rates.values()]
        ratio = min(ratios)
        declared = {t: ctx.models[t].table.consistency if t in ctx.models else None for t in tables}
        strict = [t for t, c in declared.items() if c is Consistency.STRICT]
        undeclared = [t for t, c in declared.items() if c is None]
        deep = depth > max_depth
        hot = ratio > min_ratio
        if not deep and not hot:
            continue
        copies_ddl, copied = _copy_columns(ctx, block, tables)
        evidence = [
            ("join depth", f"{depth} ({len(tables)} tables)"),
            ("pattern rate", f"{pattern.per_sec:,.1f}/s"),
            *(
                (f"{t} reads/s : writes/s", f"{r:,.1f} : {w:,.1f} (ratio {_ratio_text(r, w)})")
                for t, (r, w) in rates.items()
            ),
            ("consistency", ", ".join(f"{t} {c.value if c else 'undeclared'}" for t, c in declared.items())),
            ("thresholds", f"ratio > {min_ratio:,.0f}, depth > {max_depth:,.0f}"),
        ]
        joined = " + ".join(tables)
        ratio_text = "no writes" if ratio == float("inf") else f"{ratio:,.0f}"
        if strict or (undeclared and not deep):
            if not strict and all(w == 0 for _, w in rates.values()):
                # Read-only and nothing declared: "stay normalized" would advise doing nothing, and
                # with no writes there is no staleness to weigh against a copy either.
                continue
            why = (
                f"{', '.join(strict)} declare{'s' if len(strict) == 1 else ''} strict consistency"
                if strict
                else f"{', '.join(undeclared)} declare{'s' if len(undeclared) == 1 else ''} no consistency"
            )
            verdict = "stay normalized: a copy could be read stale between the write and its propagation"
            fix = (
                "keep the join and index its keys; denormalize only if the tables can accept eventual "
                "consistency" + ("" if strict else f" (declare `consistency:` on {', '.join(undeclared)})")
            )
            if deep:
                fix += f"; at depth {depth}, copy only the columns the pattern reads ({copied}) and update them in the writing transaction"
            out.append(
                Finding(
                    "NRM004",
                    ctx.severity("NRM004"),
                    pattern.name,
                    f"{pattern.name} joins {joined} (depth {depth}, read/write ratio {ratio_text}), but {why}: {verdict}",
                    fix,
                    tuple(evidence),
                    patterns=(pattern.name,),
                    line=pattern.line,
                )
            )
            continue
        if deep:
            message = (
                f"{pattern.name} joins {len(tables)} tables ({joined}), depth {depth} > {max_depth:,.0f}: each "
                f"run probes every level"
            )
            fix = f"denormalize selectively: copy into {_driving(block)} only the columns the pattern reads from the other tables ({copied})"
        else:
            message = (
                f"{pattern.name} joins {joined} at {pattern.per_sec:,.1f}/s; the tables are read {ratio_text} times "
                f"per write and accept eventual consistency"
            )
            fix = f"copy the columns it reads into {_driving(block)} ({copied}), or serve it from a materialized view"
            view = _materialized_view(ctx, pattern)
            if view:
                fix += f" refreshed on a schedule ({view[1]} in the DDL)"
                copies_ddl = "\n".join(part for part in (copies_ddl, view[0]) if part)
        out.append(
            Finding(
                "NRM004",
                ctx.severity("NRM004"),
                pattern.name,
                message,
                fix,
                tuple(evidence),
                patterns=(pattern.name,),
                line=pattern.line,
                ddl=copies_ddl or None,
            )
        )
    return out


def _materialized_view(ctx: Context, pattern: Pattern) -> tuple[str, str] | None:
    """(DDL, name) of a PostgreSQL materialized view serving the join pattern, if one can be built."""
    if not ctx.facts.materialized_views:
        return None
    from advisor.rewrite.queries import materialize
    from advisor.rewrite.render import render

    tree = ctx.tree(pattern)
    name = f"mv_{pattern.name.lower()}"
    view = materialize(tree, name) if tree is not None else None
    return (render(view, ctx.spec.dialect) + ";", name) if view is not None else None


def _driving(block: QueryShape) -> str:
    """The table the pattern starts from: the one with the most parameterized restrictions (the
    rows the caller asks for), the first one on a tie."""
    return max(block.accesses, key=lambda acc: sum(1 for p in acc.predicates if p.parameterized)).table


def _copy_columns(ctx: Context, block: QueryShape, tables: Sequence[str]) -> tuple[str, str]:
    """ADD COLUMN statements copying into the driving table the columns the block reads from
    each other table (join keys excepted); and those columns as text."""
    driving = _driving(block)
    spec_driving = ctx.spec.table(driving)
    if spec_driving is None:
        return "", "the joined columns"
    join_columns = {(e.left_table, e.left_column) for e in block.joins}
    join_columns |= {(e.right_table, e.right_column) for e in block.joins}
    stems = {
        col.references[0]: col.name.lower()[: -len("_id")]
        for col in spec_driving.columns
        if col.references is not None and col.name.lower().endswith("_id")
    }
    alters, names = [], []
    for table in tables:
        acc = block.access(table)
        source_table = ctx.spec.table(table)
        if table == driving or acc is None or source_table is None:
            continue
        stem = stems.get(table, table.rstrip("s"))
        for column in ordered(acc.referenced, attributes(source_table)):
            target = f"{stem}_{column}"
            if (table, column) in join_columns or spec_driving.column(target) is not None or target in names:
                continue
            source = source_table.column(column)
            alters.append(
                add_column(driving, ColumnSpec(target, source.type if source else "text"), ctx.spec.dialect)
            )
            names.append(f"{table}.{column} as {driving}.{target}")
    return statements(alters, ctx.spec.dialect) if alters else "", ", ".join(names) or "the joined columns"
