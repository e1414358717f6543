"""QRY rules: query anti-patterns found in each pattern's analysis and AST, each with the
rewritten SQL where an equivalent exists.

The analysis (``QueryShape``) says which patterns to look at; only those are parsed again, for
the rewrite, so a clean workload costs no second parse.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from sqlglot import exp

from advisor.analysis.shape import Predicate, PredicateKind, QueryShape, StatementKind
from advisor.cost.access import SARGABLE
from advisor.cost.select import Plan
from advisor.rewrite.queries import (
    bounded,
    explicit_columns,
    join_lookup,
    keyset,
    not_exists,
    or_to_union,
    random_pick,
    retype_literals,
)
from advisor.rewrite.render import column_table, conjuncts, parse, render, sources, where_of
from advisor.rewrite.sargable import unwrap
from advisor.rules.base import Finding, design_rule
from advisor.rules.context import Context
from advisor.spec.model import Pattern, Table

_NUMERIC = re.compile(
    r"^(tiny|small|medium|big)?int(eger)?\d*\b|^(serial|bigserial|smallserial|numeric|decimal|real|float|double|number)"
)
_TEXT = re.compile(r"^(varchar|character varying|char|character|nchar|nvarchar|text|citext|string|clob)\b")
_RANDOM = re.compile(r"rand|newid", re.IGNORECASE)


def _top(ctx: Context) -> Iterator[tuple[Pattern, QueryShape]]:
    for pattern in ctx.spec.patterns:
        shape = ctx.shapes.get(pattern.name)
        if shape is not None:
            yield pattern, shape


def _finding(ctx: Context, rule: str, pattern: Pattern, message: str, fix: str, **extra: object) -> Finding:
    return Finding(
        rule,
        ctx.severity(rule),
        pattern.name,
        message,
        fix,
        patterns=(pattern.name,),
        line=pattern.sql_line or pattern.line,
        **extra,  # type: ignore[arg-type]
    )


_PYFORMAT = re.compile(r"%\((\w+)\)s")


def _sql(pred: Predicate) -> str:
    """The condition as the user wrote placeholders (the analysis spells them per dialect).

    >>> _sql(Predicate("t", "c", PredicateKind.EQ, sql="DATE(c) = %(d)s"))
    'DATE(c) = :d'
    """
    return _PYFORMAT.sub(r":\1", pred.sql)


def _wrapping(pred: Predicate, where: str) -> str:
    """``wraps orders.created_at in DATE()``, ``does arithmetic on orders.total``."""
    reason = pred.reason
    if reason.startswith("function "):
        return f"wraps {where} in {reason.split()[1]}"
    if reason.startswith("arithmetic"):
        return f"does arithmetic on {where}"
    return f"casts {where}"


def _rows(ctx: Context, table: str) -> float:
    model = ctx.models.get(table)
    return model.rows if model is not None else 0.0


def _positional(tree: exp.Expr | None) -> int:
    return 0 if tree is None else sum(1 for p in tree.find_all(exp.Placeholder) if p.name in ("", "?"))


def _rewrite_text(tree: exp.Expr | None, dialect: str, original: exp.Expr | None) -> str:
    """``rewrite as: SQL``, warning when the rewrite repeats positional (``?``) parameters."""
    if tree is None:
        return ""
    text = f"rewrite as: {render(tree, dialect)}"
    if _positional(tree) > _positional(original):
        text += " (it repeats positional parameters: bind their values in the new order, or name them)"
    return text


def _single_key(table: Table | None) -> str | None:
    if table is None or len(table.primary_key) != 1:
        return None
    return table.primary_key[0].lower()


def _schema(ctx: Context) -> dict[str, set[str]]:
    return {t.name.lower(): {c.name.lower() for c in t.columns} for t in ctx.spec.tables}


# -- QRY001 ------------------------------------------------------------------------------------


@design_rule("QRY001")
def select_star(ctx: Context, plan: Plan) -> list[Finding]:
    """SELECT * on a table with many columns."""
    wide = ctx.threshold("QRY001", "min_columns")
    out = []
    for pattern, shape in _top(ctx):
        starred = [a for b in shape.walk() for a in b.accesses if a.star]
        widths = {
            a.table: len(t.columns)
            for a in starred
            if (t := ctx.spec.table(a.table)) is not None and len(t.columns) >= wide
        }
        if not widths:
            continue
        tree = parse(pattern.sql, ctx.spec.dialect)
        columns = {t.name.lower(): [c.name for c in t.columns] for t in ctx.spec.tables}
        rewritten = explicit_columns(tree, columns) if tree is not None else None
        details = ", ".join(
            f"{t} ({n} columns, ~{ctx.models[t].row_width} bytes a row)" for t, n in widths.items()
        )
        out.append(
            _finding(
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


# -- QRY002 ------------------------------------------------------------------------------------


def _indexed(plan: Plan, ctx: Context, table: str, column: str) -> str | None:
    """The label of an index (existing or recommended) whose first key is ``column``."""
    for model in plan.config.get(table, ()):
        if model.design.columns[:1] == (column,):
            return model.design.name or model.design.label()
    for design in ctx.existing.get(table, ()):
        if design.columns[:1] == (column,):
            return design.name or design.label()
    return None


def _wrapped(pred: Predicate) -> bool:
    reason = pred.reason
    return reason.startswith(("function ", "arithmetic", "CAST"))


@design_rule("QRY002")
def function_on_column(ctx: Context, plan: Plan) -> list[Finding]:
    """A function or arithmetic around a column in a comparison: no index on the column serves it."""
    min_rows = ctx.threshold("QRY002", "min_table_rows")
    out = []
    for pattern, shape in _top(ctx):
        hits = [
            (acc.table, pred, any(p.kind in SARGABLE for p in acc.predicates))
            for block in shape.walk()
            for acc in block.accesses
            for pred in acc.predicates
            if pred.kind is PredicateKind.NOT_SARGABLE and _wrapped(pred)
        ]
        hits = [
            (t, p, n) for t, p, n in hits if _indexed(plan, ctx, t, p.column) or _rows(ctx, t) >= min_rows
        ]
        if not hits:
            continue
        tree = parse(pattern.sql, ctx.spec.dialect)
        for table, pred, narrowed in hits:
            index = _indexed(plan, ctx, table, pred.column)
            rewritten, ddl = _sargable(ctx, tree, table, pred)
            where = f"the index {index}" if index else f"any index on {table}.{pred.column}"
            fix = (
                f"compare the bare column instead; {_rewrite_text(rewritten, ctx.spec.dialect, tree)}"
                if rewritten is not None
                else "no equivalent range exists: index the expression itself"
                if ddl
                else "compare the bare column with a transformed value, or index the expression"
            )
            out.append(
                _finding(
                    ctx,
                    "QRY002",
                    pattern,
                    f"{pattern.name}: {_sql(pred)} {_wrapping(pred, f'{table}.{pred.column}')}, so {where} cannot "
                    f"serve it"
                    + (
                        ": it only filters the rows the other conditions find"
                        if narrowed
                        else f" and all {_rows(ctx, table):,.0f} rows are read"
                    ),
                    fix,
                    evidence=(("table rows", f"{_rows(ctx, table):,.0f}"), ("condition", _sql(pred))),
                    ddl=ddl,
                )
            )
    return out


def _sargable(
    ctx: Context, tree: exp.Expr | None, table: str, pred: Predicate
) -> tuple[exp.Expr | None, str | None]:
    """The statement with the condition rewritten as a range (in whichever query block holds
    it); or, when no range exists, the DDL of an expression index on engines that have them."""
    if tree is None:
        return None, None
    schema = _schema(ctx)
    out = tree.copy()
    for where in list(out.find_all(exp.Where)):
        block = where.parent
        if block is None:
            continue
        for node in conjuncts(where.this):
            columns = list(node.find_all(exp.Column))
            if not any(
                c.name.lower() == pred.column and column_table(c, block, schema) == table for c in columns
            ):
                continue
            replacement = unwrap(node)
            if replacement is not None:
                if node is where.this:
                    where.set("this", replacement)
                else:
                    node.replace(replacement)
                return out, None
            function = node.this if isinstance(node, exp.Binary) else None
            if isinstance(function, exp.Func) and ctx.spec.dialect in ("postgres", "sqlite", "mysql"):
                return None, _expression_index(ctx, table, function)
    return None, None


def _expression_index(ctx: Context, table: str, function: exp.Func) -> str:
    expression = function.copy()
    for column in expression.find_all(exp.Column):
        column.set("table", None)
    name = "ix_" + "_".join([table, *[c.name.lower() for c in expression.find_all(exp.Column)], "expr"])
    index = exp.Index(
        this=exp.to_identifier(name[:63]),
        table=exp.to_table(table),
        params=exp.IndexParameters(columns=[exp.Ordered(this=exp.Paren(this=expression), nulls_first=False)]),
    )
    create = exp.Create(this=index, kind="INDEX", exists=ctx.spec.dialect != "mysql")
    return render(create, ctx.spec.dialect) + ";"


# -- QRY003 ------------------------------------------------------------------------------------


def _family(type_text: str) -> str | None:
    text = type_text.strip().lower()
    if _NUMERIC.match(text):
        return "number"
    if _TEXT.match(text):
        return "string"
    return None


_CONVERSION_EFFECT = {
    "number": {
        "mysql": "MySQL converts the string to a number once: the index still works, but '42abc' silently equals 42",
        "postgres": "PostgreSQL casts the quoted literal once, but a non-numeric string is a run-time error",
        "sqlite": "SQLite applies the column's affinity, but a non-numeric string never matches",
    },
    "string": {
        "mysql": "MySQL converts every row's string to a number to compare: no index on the column can be used, and '0042' equals 42",
        "postgres": "PostgreSQL has no operator for text = integer: the statement fails",
        "sqlite": "SQLite converts the number to text, which matches only the exact spelling",
    },
}


@design_rule("QRY003")
def implicit_conversion(ctx: Context, plan: Plan) -> list[Finding]:
    """A string literal compared with a numeric column, or a number with a string column."""
    out = []
    for pattern, shape in _top(ctx):
        for block in shape.walk():
            for acc in block.accesses:
                table = ctx.spec.table(acc.table)
                for pred in acc.predicates:
                    column = table.column(pred.column) if table is not None else None
                    family = _family(column.type) if column is not None else None
                    if column is None or family is None or not pred.values:
                        continue
                    wrong = [
                        v
                        for v in pred.values
                        if (family == "number" and isinstance(v, str))
                        or (family == "string" and isinstance(v, int | float) and not isinstance(v, bool))
                    ]
                    if not wrong:
                        continue
                    out.append(
                        _conversion(
                            ctx, pattern, acc.table, column.name.lower(), column.type, family, pred, wrong
                        )
                    )
    return out


def _conversion(
    ctx: Context,
    pattern: Pattern,
    table: str,
    column: str,
    type_text: str,
    family: str,
    pred: Predicate,
    wrong: Sequence[object],
) -> Finding:
    dialect = ctx.spec.dialect
    effect = _CONVERSION_EFFECT[family].get("mysql" if dialect in ("mysql", "mariadb") else dialect)
    literal = "string literal" if family == "number" else "number"
    tree = parse(pattern.sql, dialect)
    rewritten = retype_literals(tree, column, family == "number") if tree is not None else None
    return _finding(
        ctx,
        "QRY003",
        pattern,
        f"{pattern.name}: {_sql(pred)} compares the {type_text} column {table}.{column} with a {literal} "
        f"({', '.join(repr(v) for v in wrong)})" + (f"; {effect}" if effect else ""),
        f"write the value as a {'number' if family == 'number' else 'string'}"
        + (f"; {_rewrite_text(rewritten, dialect, tree)}" if rewritten is not None else "")
        + "; bind parameters with the column's type",
        evidence=(("column type", type_text), ("literal", ", ".join(repr(v) for v in wrong))),
    )


# -- QRY004 ------------------------------------------------------------------------------------


def _leading_wildcard(pred: Predicate) -> bool:
    """LIKE '%...' as the analysis classifies it, or ILIKE with a literal starting with a wildcard.

    >>> reason = "ILIKE (case-insensitive match)"
    >>> _leading_wildcard(Predicate("t", "c", PredicateKind.NOT_SARGABLE, ("%x",), reason=reason))
    True
    """
    if pred.reason == "LIKE pattern starts with a wildcard":
        return True
    return (
        pred.reason.startswith("ILIKE")
        and bool(pred.values)
        and isinstance(pred.values[0], str)
        and pred.values[0].startswith(("%", "_"))
    )


@design_rule("QRY004")
def leading_wildcard(ctx: Context, plan: Plan) -> list[Finding]:
    """LIKE '%...': no B-tree range; a trigram or full-text index per dialect."""
    min_rows = ctx.threshold("QRY004", "min_table_rows")
    out = []
    for pattern, shape in _top(ctx):
        for block in shape.walk():
            for acc in block.accesses:
                for pred in acc.predicates:
                    if not _leading_wildcard(pred) or _rows(ctx, acc.table) < min_rows:
                        continue
                    ddl, advice = _text_search(ctx, acc.table, pred.column)
                    out.append(
                        _finding(
                            ctx,
                            "QRY004",
                            pattern,
                            f"{pattern.name}: {_sql(pred)} starts with a wildcard, so a B-tree on {acc.table}.{pred.column} "
                            f"cannot narrow it: every one of {_rows(ctx, acc.table):,.0f} rows is tested",
                            advice,
                            evidence=(
                                ("table rows", f"{_rows(ctx, acc.table):,.0f}"),
                                ("condition", _sql(pred)),
                            ),
                            ddl=ddl,
                        )
                    )
    return out


def _text_search(ctx: Context, table: str, column: str) -> tuple[str | None, str]:
    dialect = ctx.spec.dialect
    if dialect == "postgres":
        extension = exp.Command(this="CREATE", expression="EXTENSION IF NOT EXISTS pg_trgm")
        index = exp.Index(
            this=exp.to_identifier(f"ix_{table}_{column}_trgm"[:63]),
            table=exp.to_table(table),
            params=exp.IndexParameters(
                using=exp.Var(this="gin"),
                columns=[
                    exp.Ordered(
                        this=exp.Opclass(this=exp.column(column), expression=exp.to_table("gin_trgm_ops")),
                        nulls_first=False,
                    )
                ],
            ),
        )
        create = exp.Create(this=index, kind="INDEX", exists=True, concurrently=True)
        ddl = render(extension, dialect) + ";\n" + render(create, dialect) + ";"
        return ddl, "add a trigram index (pg_trgm, GIN): it serves LIKE and ILIKE with wildcards anywhere"
    if dialect in ("mysql", "mariadb"):
        constraint = exp.IndexColumnConstraint(
            this=exp.to_identifier(f"ft_{table}_{column}"), expressions=[exp.column(column)], kind="FULLTEXT"
        )
        alter = exp.Alter(
            this=exp.to_table(table), kind="TABLE", actions=[exp.AddConstraint(expressions=[constraint])]
        )
        return (
            render(alter, dialect) + ";",
            f"add a FULLTEXT index and search with MATCH ({column}) AGAINST (:term IN BOOLEAN MODE); it matches "
            f"words and word prefixes, not arbitrary substrings",
        )
    if dialect == "sqlite":
        key = _single_key(ctx.spec.table(table)) or "rowid"
        fts = exp.Command(
            this="CREATE",
            expression=f"VIRTUAL TABLE {table}_fts USING fts5({column}, content='{table}', content_rowid='{key}')",
        )
        return (
            render(fts, dialect) + ";",
            f"search an FTS5 table over {table}.{column} (MATCH on words; the trigram tokenizer serves substrings)",
        )
    return None, "use the engine's full-text or trigram index for substring search"


# -- QRY005 ------------------------------------------------------------------------------------


@design_rule("QRY005")
def or_across_columns(ctx: Context, plan: Plan) -> list[Finding]:
    """An OR across different columns: one index range cannot serve it."""
    min_rows = ctx.threshold("QRY005", "min_table_rows")
    out = []
    for pattern, shape in _top(ctx):
        tables = [
            a.table for b in shape.walk() for a in b.accesses if a.has_or and _rows(ctx, a.table) >= min_rows
        ]
        if not tables:
            continue
        tree = parse(pattern.sql, ctx.spec.dialect)
        rewritten = or_to_union(tree) if tree is not None else None
        table = tables[0]
        out.append(
            _finding(
                ctx,
                "QRY005",
                pattern,
                f"{pattern.name}: an OR across different columns of {table} cannot be one index range; the engine "
                f"scans {_rows(ctx, table):,.0f} rows or combines bitmaps of every branch",
                (
                    "split the branches so each uses its own index; "
                    + _rewrite_text(rewritten, ctx.spec.dialect, tree)
                    if rewritten is not None
                    else "split the OR into a UNION ALL of one query per branch, each served by its own index"
                ),
                evidence=(("table rows", f"{_rows(ctx, table):,.0f}"),),
            )
        )
    return out


# -- QRY006 ------------------------------------------------------------------------------------


@design_rule("QRY006")
def deep_offset(ctx: Context, plan: Plan) -> list[Finding]:
    """OFFSET n reads and discards n rows: keyset pagination instead."""
    deepest = ctx.threshold("QRY006", "max_offset")
    out = []
    for pattern, shape in _top(ctx):
        if shape.offset is None or shape.offset < deepest:
            continue
        tree = parse(pattern.sql, ctx.spec.dialect)
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
            _finding(
                ctx,
                "QRY006",
                pattern,
                f"{pattern.name} skips {shape.offset:,} rows with OFFSET: each page reads and throws away every row "
                f"before it, so page n costs n times page 1",
                (
                    "paginate by key (keyset): remember the last row's ORDER BY values; "
                    + _rewrite_text(rewritten, ctx.spec.dialect, tree)
                    + caveat
                    if rewritten is not None
                    else "paginate by key (keyset): ORDER BY a unique key and filter on the last value seen"
                ),
                evidence=(("offset", f"{shape.offset:,}"), ("threshold", f"{deepest:,.0f}")),
            )
        )
    return out


# -- QRY007 ------------------------------------------------------------------------------------


def _nullable_subquery_column(ctx: Context, tree: exp.Expr) -> tuple[str, str] | None:
    """(table, column) of a NOT IN subquery's nullable output column, not filtered IS NOT NULL."""
    schema = _schema(ctx)
    for node in tree.find_all(exp.Not):
        inner = node.this
        query = inner.args.get("query") if isinstance(inner, exp.In) else None
        sub = query.this if isinstance(query, exp.Subquery) else query
        if not isinstance(sub, exp.Select) or len(sub.expressions) != 1:
            continue
        picked = sub.expressions[0].unalias()
        if not isinstance(picked, exp.Column):
            continue
        table_name = column_table(picked, sub, schema)
        table = ctx.spec.table(table_name) if table_name else None
        column = table.column(picked.name) if table is not None else None
        if table is None or column is None or not column.nullable or column.primary_key:
            continue
        guarded = any(_is_not_null(c, picked.name.lower()) for c in conjuncts(where_of(sub)))
        if not guarded:
            return table.name.lower(), column.name.lower()
    return None


def _is_not_null(condition: exp.Expr, column: str) -> bool:
    """``column IS NOT NULL`` (sqlglot reads it as a negated IS, or NOT over IS)."""
    negated = isinstance(condition, exp.Is) and bool(condition.args.get("negate"))
    if isinstance(condition, exp.Not) and isinstance(condition.this, exp.Is):
        negated, condition = True, condition.this
    return (
        negated
        and isinstance(condition, exp.Is)
        and isinstance(condition.expression, exp.Null)
        and isinstance(condition.this, exp.Column)
        and condition.this.name.lower() == column
    )


@design_rule("QRY007")
def not_in_nullable(ctx: Context, plan: Plan) -> list[Finding]:
    """NOT IN over a subquery that can yield NULL returns no rows at all."""
    out = []
    for pattern, shape in _top(ctx):
        if not any(p.reason == "NOT IN" for b in shape.walk() for a in b.accesses for p in a.predicates):
            continue
        tree = parse(pattern.sql, ctx.spec.dialect)
        found = _nullable_subquery_column(ctx, tree) if tree is not None else None
        if found is None or tree is None:
            continue
        table, column = found
        rewritten = not_exists(tree, _schema(ctx))
        out.append(
            _finding(
                ctx,
                "QRY007",
                pattern,
                f"{pattern.name}: NOT IN over a subquery of the nullable column {table}.{column}: a single NULL there "
                f"makes the NOT IN unknown for every row, and the statement matches nothing",
                (
                    "use NOT EXISTS, which ignores NULLs and plans as an anti-join; "
                    + _rewrite_text(rewritten, ctx.spec.dialect, tree)
                    if rewritten is not None
                    else f"use NOT EXISTS, or filter {column} IS NOT NULL in the subquery"
                ),
                evidence=(("nullable column", f"{table}.{column}"),),
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


@design_rule("QRY008")
def order_by_random(ctx: Context, plan: Plan) -> list[Finding]:
    """ORDER BY random() sorts the whole table to keep a few rows."""
    min_rows = ctx.threshold("QRY008", "min_table_rows")
    out = []
    for pattern, shape in _top(ctx):
        if shape.kind is not StatementKind.SELECT or not _RANDOM.search(pattern.sql) or not shape.accesses:
            continue
        tree = parse(pattern.sql, ctx.spec.dialect)
        if tree is None or not _random_order(tree):
            continue
        table = shape.accesses[0].table
        if _rows(ctx, table) < min_rows:
            continue
        key = _single_key(ctx.spec.table(table))
        rewritten = random_pick(tree, key) if key is not None and len(sources(tree)) == 1 else None
        out.append(
            _finding(
                ctx,
                "QRY008",
                pattern,
                f"{pattern.name}: ORDER BY a random value over {table}: every run reads all {_rows(ctx, table):,.0f} rows, "
                f"draws a number for each and sorts them to keep {shape.limit or 'a few'}",
                (
                    f"seek to a random key drawn by the application between MIN({key}) and MAX({key}); "
                    + _rewrite_text(rewritten, ctx.spec.dialect, tree)
                    + (" (or TABLESAMPLE SYSTEM for a sample)" if ctx.spec.dialect == "postgres" else "")
                    if rewritten is not None
                    else "pick a random key in the application and seek to it through the primary key"
                ),
                evidence=(("table rows", f"{_rows(ctx, table):,.0f}"),),
            )
        )
    return out


# -- QRY009 ------------------------------------------------------------------------------------


def _estimated_rows(ctx: Context, shape: QueryShape) -> tuple[str, float] | None:
    """(first table, rows it returns per run); None when a condition's selectivity is unknown
    (an OR, or one no index serves: the cost model counts those as keeping every row)."""
    if not shape.accesses:
        return None
    acc = shape.accesses[0]
    if acc.has_or or any(p.kind is PredicateKind.NOT_SARGABLE for p in acc.predicates):
        return None
    model = ctx.models.get(acc.table)
    if model is None:
        return None
    rows = model.rows * model.share(acc.predicates)
    return acc.table, min(rows, float(shape.limit)) if shape.limit is not None else rows


@design_rule("QRY009")
def unbounded_read(ctx: Context, plan: Plan) -> list[Finding]:
    """A SELECT without LIMIT expected to return very many rows."""
    most = ctx.threshold("QRY009", "max_rows")
    page = int(ctx.threshold("QRY009", "page_size"))
    out = []
    for pattern, shape in _top(ctx):
        if shape.kind is not StatementKind.SELECT or shape.has_limit or shape.group_by:
            continue
        estimate = _estimated_rows(ctx, shape)
        if estimate is None or estimate[1] < most:
            continue
        tree = parse(pattern.sql, ctx.spec.dialect)
        if (
            tree is None
            or not isinstance(tree, exp.Select)
            or any(e.find(exp.AggFunc) for e in tree.expressions)
        ):
            continue
        table, rows = estimate
        spec_table = ctx.spec.table(table)
        key = [c.lower() for c in spec_table.primary_key] if spec_table is not None else []
        rewritten = bounded(tree, key, page) if len(sources(tree)) == 1 else None
        out.append(
            _finding(
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
    for pattern, shape in _top(ctx):
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


@design_rule("QRY010")
def n_plus_one(ctx: Context, plan: Plan) -> list[Finding]:
    """A single-row lookup run once per row another pattern returns: fetch both with one join."""
    multiple = ctx.threshold("QRY010", "min_multiple")
    share = ctx.threshold("QRY010", "min_rows_share")
    holders = _holders(ctx)
    out = []
    for lookup, shape in _top(ctx):
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
            estimate = _estimated_rows(ctx, other)
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
    tree = parse(listing.sql, ctx.spec.dialect)
    rewritten = None
    if tree is not None and isinstance(tree, exp.Select):
        alias = next((a for a, t in sources(tree).items() if t == held[0]), None)
        columns = sorted(shape.accesses[0].projected - {key})
        if alias is not None:
            qualifier = alias if len(sources(tree)) > 1 or alias != held[0] else held[0]
            rewritten = join_lookup(tree, exp.column(held[1], table=qualifier), table, key, columns)
    return _finding(
        ctx,
        "QRY010",
        lookup,
        f"{lookup.name} reads one {table} row by {key} {ratio:,.1f} times per run of {listing.name}, which returns "
        f"{held[0]}.{held[1]} for about {rows:,.0f} rows: one query per row (N+1), each a round trip",
        (
            f"fetch the rows with {listing.name} in one query; "
            + _rewrite_text(rewritten, ctx.spec.dialect, tree)
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
