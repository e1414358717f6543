"""Parse a pattern for rewriting, find its tables and columns, and print a rewritten statement.

>>> tree = parse("SELECT o.order_id FROM orders AS o WHERE o.user_id = :uid", "postgres")
>>> sources(tree)
{'o': 'orders'}
>>> render(tree, "postgres")
'SELECT o.order_id FROM orders AS o WHERE o.user_id = :uid'
>>> render(parse("SELECT 1 FROM t WHERE a = ? AND b = $2", "mysql"), "mysql")
'SELECT 1 FROM t WHERE a = ? AND b = ?'
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from sqlglot import exp

from advisor.analysis.errors import AnalysisError
from advisor.analysis.parse import parse_statement

Schema = Mapping[str, Collection[str]]


def parse(sql: str, dialect: str) -> exp.Expr | None:
    """The statement, or None if it does not parse (the analysis has reported that already)."""
    try:
        return parse_statement(sql, dialect)
    except AnalysisError:
        return None


def render(tree: exp.Expr, dialect: str) -> str:
    """``tree`` as SQL in ``dialect``, placeholders spelled ``:name`` or ``?``."""

    def spell(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Placeholder):
            named = node.name not in ("", "?")
            return exp.Var(this=f":{node.name}" if named else "?")
        return node

    # the transformed copy is ours: generating it need not copy it again
    return tree.transform(spell).sql(dialect=dialect, copy=False)


def sources(select: exp.Expr) -> dict[str, str]:
    """Alias (or name) to table name, lower-cased, for the tables in this block's FROM and JOINs
    (and the target of an UPDATE or DELETE).

    >>> sources(parse("DELETE FROM events AS e WHERE e.kind = 'x'", "postgres"))
    {'e': 'events'}
    """
    out: dict[str, str] = {}
    items: list[exp.Expr] = []
    if isinstance(select, (exp.Update, exp.Delete)) and isinstance(select.this, exp.Table):
        items.append(select.this)
    from_ = select.args.get("from_")
    if isinstance(from_, exp.From):
        items.append(from_.this)
    items += [j.this for j in select.args.get("joins") or () if isinstance(j, exp.Join)]
    for item in items:
        if isinstance(item, exp.Table) and item.name:
            out[(item.alias or item.name).lower()] = item.name.lower()
    return out


def column_table(column: exp.Column, select: exp.Expr, schema: Schema) -> str | None:
    """The table a column of this block belongs to: by qualifier, or the one table of the block
    that has the name."""
    tables = sources(select)
    if column.table:
        return tables.get(column.table.lower())
    owners = [t for t in dict.fromkeys(tables.values()) if column.name.lower() in schema.get(t, ())]
    return owners[0] if len(owners) == 1 else None


def conjuncts(condition: exp.Expr | None) -> list[exp.Expr]:
    """Top-level AND-ed parts of a condition, parentheses removed.

    >>> [c.sql() for c in conjuncts(exp.condition("a = 1 AND (b = 2 AND c = 3)"))]
    ['a = 1', 'b = 2', 'c = 3']
    """
    if condition is None:
        return []
    node = condition
    while isinstance(node, exp.Paren):
        node = node.this
    if isinstance(node, exp.And):
        return conjuncts(node.this) + conjuncts(node.expression)
    return [node]


def where_of(tree: exp.Expr) -> exp.Expr | None:
    where = tree.args.get("where")
    return where.this if isinstance(where, exp.Where) else None


def with_where(tree: exp.Expr, parts: list[exp.Expr]) -> exp.Expr:
    """A copy of ``tree`` whose WHERE is the AND of ``parts`` (no WHERE when empty)."""
    out = tree.copy()
    if parts:
        out.set("where", exp.Where(this=exp.and_(*(p.copy() for p in parts))))
    else:
        out.set("where", None)
    return out
