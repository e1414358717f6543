"""QRY rules on conditions: a function or arithmetic on a column (QRY002), literals of the wrong
type (QRY003), leading-wildcard LIKE (QRY004), OR across columns (QRY005) and NOT IN over a
nullable subquery (QRY007), each with the rewritten statement where an equivalent exists.

The analysis (``QueryShape``) says which patterns to look at; only those are parsed again, for
the rewrite, so a clean workload costs no second parse.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlglot import exp

from advisor.analysis.shape import Predicate, PredicateKind
from advisor.catalog.fixes import fix_clause
from advisor.cost.access import SARGABLE
from advisor.dialects import dialect as dialect_facts
from advisor.emit.names import column_node, plain_word, table_node
from advisor.findings.query_support import (
    condition_sql,
    finding,
    infix_like,
    rewrite_text,
    rows_of,
    schema_of,
    served_by_trigram,
    single_key,
    top,
)
from advisor.rewrite.queries import (
    not_exists,
    or_to_union,
    retype_literals,
)
from advisor.rewrite.render import column_table, conjuncts, render, where_of
from advisor.rewrite.sargable import unwrap
from advisor.rules.base import Finding
from advisor.rules.context import Context
from advisor.selection.select import Plan
from advisor.spec.model import Pattern

_NUMERIC = re.compile(
    r"^(tiny|small|medium|big)?int(eger)?\d*\b|^(serial|bigserial|smallserial|numeric|decimal|real|float|double|number)"
)
_TEXT = re.compile(r"^(varchar|character varying|char|character|nchar|nvarchar|text|citext|string|clob)\b")


def _wrapping(pred: Predicate, where: str) -> str:
    """``wraps orders.created_at in DATE()``, ``does arithmetic on orders.total``."""
    reason = pred.reason
    if reason.startswith("function "):
        return f"wraps {where} in {reason.split()[1]}"
    if reason.startswith("arithmetic"):
        return f"does arithmetic on {where}"
    return f"casts {where}"


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


def function_on_column(ctx: Context, plan: Plan) -> list[Finding]:
    """A function or arithmetic around a column in a comparison: no index on the column serves it."""
    min_rows = ctx.threshold("QRY002", "min_table_rows")
    out = []
    for pattern, shape in top(ctx):
        hits = [
            (acc.table, pred, any(p.kind in SARGABLE for p in acc.predicates))
            for block in shape.walk()
            for acc in block.accesses
            for pred in acc.predicates
            if pred.kind is PredicateKind.NOT_SARGABLE and _wrapped(pred)
        ]
        hits = [
            (t, p, n) for t, p, n in hits if _indexed(plan, ctx, t, p.column) or rows_of(ctx, t) >= min_rows
        ]
        if not hits:
            continue
        tree = ctx.tree(pattern)
        for table, pred, narrowed in _once_each(hits):
            index = _indexed(plan, ctx, table, pred.column)
            rewritten, ddl = _sargable(ctx, tree, table, pred)
            where = f"the index {index}" if index else f"any index on {table}.{pred.column}"
            fix = (
                f"compare the bare column instead; {rewrite_text(rewritten, ctx.spec.dialect, tree)}"
                if rewritten is not None
                else fix_clause("QRY002", "no equivalent range" if ddl else "no rewrite")
            )
            out.append(
                finding(
                    ctx,
                    "QRY002",
                    pattern,
                    f"{pattern.name}: {condition_sql(pred)} {_wrapping(pred, f'{table}.{pred.column}')}, so {where} cannot "
                    f"serve it"
                    + (
                        ": it only filters the rows the other conditions find"
                        if narrowed
                        else f" and all {rows_of(ctx, table):,.0f} rows are read"
                    ),
                    fix,
                    evidence=(
                        ("table rows", f"{rows_of(ctx, table):,.0f}"),
                        ("condition", condition_sql(pred)),
                    ),
                    ddl=ddl,
                )
            )
    return out


def _once_each(hits: list[tuple[str, Predicate, bool]]) -> list[tuple[str, Predicate, bool]]:
    """One hit per condition: the same condition in several query blocks of a pattern (TPC-H q22
    repeats it in its subquery) is one thing to fix. It counts as narrowed only where every
    block narrows it, since one block reading the whole table is the cost worth reporting."""
    merged: dict[tuple[str, str, str], tuple[str, Predicate, bool]] = {}
    for table, pred, narrowed in hits:
        key = (table, pred.column, condition_sql(pred))
        seen = merged.get(key)
        merged[key] = (table, pred, narrowed if seen is None else seen[2] and narrowed)
    return list(merged.values())


def _sargable(
    ctx: Context, tree: exp.Expr | None, table: str, pred: Predicate
) -> tuple[exp.Expr | None, str | None]:
    """The statement with the condition rewritten as a range (in whichever query block holds
    it); or, when no range exists, the DDL of an expression index on engines that have them."""
    if tree is None:
        return None, None
    schema = schema_of(ctx)
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
            if isinstance(function, exp.Func) and ctx.facts.expression_indexes:
                return None, _expression_index(ctx, table, function)
    return None, None


def _expression_index(ctx: Context, table: str, function: exp.Func) -> str:
    expression = function.copy()
    for column in expression.find_all(exp.Column):
        column.set("table", None)
    name = plain_word("_".join(["ix", table, *[c.name for c in expression.find_all(exp.Column)], "expr"]))
    index = exp.Index(
        this=exp.to_identifier(name[:63]),
        table=table_node(ctx.spec.declared(table)),
        params=exp.IndexParameters(columns=[exp.Ordered(this=exp.Paren(this=expression), nulls_first=False)]),
    )
    create = exp.Create(this=index, kind="INDEX", exists=dialect_facts(ctx.spec.dialect).index_if_not_exists)
    return render(create, ctx.spec.dialect) + ";"


# -- QRY003 ------------------------------------------------------------------------------------


def _family(type_text: str) -> str | None:
    text = type_text.strip().lower()
    if _NUMERIC.match(text):
        return "number"
    if _TEXT.match(text):
        return "string"
    return None


def _truth_test(pred: Predicate) -> bool:
    """``x IS TRUE`` / ``x IS FALSE``: the analysis records the test as text, not as a literal."""
    return pred.values in (("IS TRUE",), ("IS FALSE",)) and " IS " in pred.sql.upper()


def implicit_conversion(ctx: Context, plan: Plan) -> list[Finding]:
    """A string literal compared with a numeric column, or a number with a string column."""
    out = []
    for pattern, shape in top(ctx):
        for block in shape.walk():
            for acc in block.accesses:
                table = ctx.spec.table(acc.table)
                for pred in acc.predicates:
                    column = table.column(pred.column) if table is not None else None
                    family = _family(column.type) if column is not None else None
                    if column is None or family is None or not pred.values or _truth_test(pred):
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
    casts = ctx.facts.conversions
    effect = None if casts is None else casts.number if family == "number" else casts.string
    literal = "string literal" if family == "number" else "number"
    tree = ctx.tree(pattern)
    rewritten = retype_literals(tree, column, family == "number") if tree is not None else None
    return finding(
        ctx,
        "QRY003",
        pattern,
        f"{pattern.name}: {condition_sql(pred)} compares the {type_text} column {table}.{column} with a {literal} "
        f"({', '.join(repr(v) for v in wrong)})" + (f"; {effect}" if effect else ""),
        f"write the value as a {'number' if family == 'number' else 'string'}"
        + (f"; {rewrite_text(rewritten, dialect, tree)}" if rewritten is not None else "")
        + "; bind parameters with the column's type",
        evidence=(("column type", type_text), ("literal", ", ".join(repr(v) for v in wrong))),
    )


# -- QRY004 ------------------------------------------------------------------------------------


def leading_wildcard(ctx: Context, plan: Plan) -> list[Finding]:
    """LIKE '%...': no B-tree range; a trigram or full-text index per dialect."""
    min_rows = ctx.threshold("QRY004", "min_table_rows")
    out = []
    for pattern, shape in top(ctx):
        for block in shape.walk():
            for acc in block.accesses:
                for pred in acc.predicates:
                    if not infix_like(pred) or rows_of(ctx, acc.table) < min_rows:
                        continue
                    if served_by_trigram(ctx, pred):
                        continue
                    ddl, advice = _text_search(ctx, acc.table, pred.column)
                    out.append(
                        finding(
                            ctx,
                            "QRY004",
                            pattern,
                            f"{pattern.name}: {condition_sql(pred)} starts with a wildcard, so a B-tree on {acc.table}.{pred.column} "
                            f"cannot narrow it: every one of {rows_of(ctx, acc.table):,.0f} rows is tested",
                            advice,
                            evidence=(
                                ("table rows", f"{rows_of(ctx, acc.table):,.0f}"),
                                ("condition", condition_sql(pred)),
                            ),
                            ddl=ddl,
                        )
                    )
    return out


def _text_search(ctx: Context, table: str, column: str) -> tuple[str | None, str]:
    """The DDL (if any) and the advice that serve a substring search on the engine."""
    how = ctx.facts.text_search
    if how is None:
        return None, fix_clause("QRY004", "other engines")
    return _TEXT_SEARCH[how](ctx, table, column)


def _trigram(ctx: Context, table: str, column: str) -> tuple[str | None, str]:
    """PostgreSQL: a GIN index with pg_trgm's operator class serves LIKE '%...%'."""
    dialect = ctx.spec.dialect
    extension = exp.Command(this="CREATE", expression="EXTENSION IF NOT EXISTS pg_trgm")
    index = exp.Index(
        this=exp.to_identifier(plain_word(f"ix_{table}_{column}_trgm")[:63]),
        table=table_node(ctx.spec.declared(table)),
        params=exp.IndexParameters(
            using=exp.Var(this="gin"),
            columns=[
                exp.Ordered(
                    this=exp.Opclass(
                        this=column_node(ctx.spec.declared(table, column)),
                        expression=exp.to_table("gin_trgm_ops"),
                    ),
                    nulls_first=False,
                )
            ],
        ),
    )
    create = exp.Create(this=index, kind="INDEX", exists=True, concurrently=True)
    ddl = render(extension, dialect) + ";\n" + render(create, dialect) + ";"
    return ddl, fix_clause("QRY004", "PostgreSQL")


def _fulltext(ctx: Context, table: str, column: str) -> tuple[str | None, str]:
    """MySQL and MariaDB: a FULLTEXT index, searched on words with MATCH ... AGAINST."""
    dialect = ctx.spec.dialect
    constraint = exp.IndexColumnConstraint(
        this=exp.to_identifier(plain_word(f"ft_{table}_{column}")),
        expressions=[column_node(ctx.spec.declared(table, column))],
        kind="FULLTEXT",
    )
    alter = exp.Alter(
        this=table_node(ctx.spec.declared(table)),
        kind="TABLE",
        actions=[exp.AddConstraint(expressions=[constraint])],
    )
    return (
        render(alter, dialect) + ";",
        f"add a FULLTEXT index and search with MATCH ({column}) AGAINST (:term IN BOOLEAN MODE); it matches "
        f"words and word prefixes, not arbitrary substrings",
    )


def _fts5(ctx: Context, table: str, column: str) -> tuple[str | None, str]:
    """SQLite: an FTS5 table over the column, kept by the table it indexes."""
    dialect = ctx.spec.dialect
    key = single_key(ctx.spec.table(table)) or "rowid"
    fts = exp.Command(
        this="CREATE",
        expression=f"VIRTUAL TABLE {table}_fts USING fts5({column}, content='{table}', content_rowid='{key}')",
    )
    return (
        render(fts, dialect) + ";",
        f"search an FTS5 table over {table}.{column} (MATCH on words; the trigram tokenizer serves substrings)",
    )


_TEXT_SEARCH = {"trigram": _trigram, "fulltext": _fulltext, "fts5": _fts5}
"""Each engine's substring search, by the registry's name for it."""


# -- QRY005 ------------------------------------------------------------------------------------


def or_across_columns(ctx: Context, plan: Plan) -> list[Finding]:
    """An OR across different columns: one index range cannot serve it."""
    min_rows = ctx.threshold("QRY005", "min_table_rows")
    out = []
    for pattern, shape in top(ctx):
        tables = [
            a.table
            for b in shape.walk()
            for a in b.accesses
            if a.has_or and rows_of(ctx, a.table) >= min_rows
        ]
        if not tables:
            continue
        tree = ctx.tree(pattern)
        rewritten = or_to_union(tree) if tree is not None else None
        table = tables[0]
        out.append(
            finding(
                ctx,
                "QRY005",
                pattern,
                f"{pattern.name}: an OR across different columns of {table} cannot be one index range; the engine "
                f"scans {rows_of(ctx, table):,.0f} rows or combines bitmaps of every branch",
                (
                    "split the branches so each uses its own index; "
                    + rewrite_text(rewritten, ctx.spec.dialect, tree)
                    if rewritten is not None
                    else "split the OR into a UNION ALL of one query per branch, each served by its own index"
                ),
                evidence=(("table rows", f"{rows_of(ctx, table):,.0f}"),),
            )
        )
    return out


# -- QRY007 ------------------------------------------------------------------------------------


def _nullable_subquery_column(ctx: Context, tree: exp.Expr) -> tuple[str, str] | None:
    """(table, column) of a NOT IN subquery's nullable output column, not filtered IS NOT NULL."""
    schema = schema_of(ctx)
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


def not_in_nullable(ctx: Context, plan: Plan) -> list[Finding]:
    """NOT IN over a subquery that can yield NULL returns no rows at all."""
    out = []
    for pattern, shape in top(ctx):
        if not any(p.reason == "NOT IN" for b in shape.walk() for a in b.accesses for p in a.predicates):
            continue
        tree = ctx.tree(pattern)
        found = _nullable_subquery_column(ctx, tree) if tree is not None else None
        if found is None or tree is None:
            continue
        table, column = found
        rewritten = not_exists(tree, schema_of(ctx))
        out.append(
            finding(
                ctx,
                "QRY007",
                pattern,
                f"{pattern.name}: NOT IN over a subquery of the nullable column {table}.{column}: a single NULL there "
                f"makes the NOT IN unknown for every row, and the statement matches nothing",
                (
                    "use NOT EXISTS, which ignores NULLs and plans as an anti-join; "
                    + rewrite_text(rewritten, ctx.spec.dialect, tree)
                    if rewritten is not None
                    else f"use NOT EXISTS, or filter {column} IS NOT NULL in the subquery"
                ),
                evidence=(("nullable column", f"{table}.{column}"),),
            )
        )
    return out
