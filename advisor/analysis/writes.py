"""Read INSERT, UPDATE and DELETE: what a write statement changes, and the read part of it that
finds the rows.

Choices:

- INSERT has no table access (it reads nothing); its ``set_columns`` is its column list, or every
  column of the table when the list is omitted; ON CONFLICT / ON DUPLICATE KEY and RETURNING are
  checked for unknown columns only. ``INSERT ... SELECT`` puts the SELECT in ``subqueries``.
- UPDATE and DELETE have a table access for their target (and for their FROM / USING / joined tables)
  carrying the WHERE's predicates, so that the read part can be costed; their RETURNING columns
  are ``projected``, SET target columns are not ``referenced``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlglot import exp

from advisor.analysis.clauses import limit_of, mark_star, order_keys, table_accesses
from advisor.analysis.conditions import using_edges
from advisor.analysis.errors import AnalysisError
from advisor.analysis.nodes import unwrap
from advisor.analysis.resolve import Block, Source, resolution_name, suggest, table_source
from advisor.analysis.shape import JoinEdge, QueryShape, StatementKind

if TYPE_CHECKING:
    from advisor.analysis.analyze import Analyzer, Ctes

# UPDATE and DELETE arguments handled before the generic walk.
_WRITE_HANDLED = frozenset({"this", "expressions", "from_", "joins", "with_", "using", "tables", "returning"})


def insert(analyzer: Analyzer, node: exp.Insert, outer: Block | None, ctes: Ctes) -> QueryShape:
    """The shape of an INSERT, nested in ``outer`` (None at the top)."""
    ctes, subqueries = analyzer.with_clause(node, outer, ctes)
    target = node.this
    listed: list[exp.Expr] = []
    if isinstance(target, exp.Schema):
        listed = list(target.expressions)
        target = target.this
    if not isinstance(target, exp.Table):
        return QueryShape(kind=StatementKind.INSERT, subqueries=tuple(subqueries))
    source = table_source(target, analyzer.schema, {})
    table = source.table
    columns = source.columns
    if table is None or columns is None:
        return QueryShape(kind=StatementKind.INSERT, subqueries=tuple(subqueries))
    set_columns: list[str] = []
    for item in listed:
        name = item.name.lower()
        if name not in columns:
            raise AnalysisError(f"unknown column {table}.{name}{suggest(name, columns)}")
        set_columns.append(name)
    rows = 1
    values = node.expression
    # The conflict clause sees the target, and EXCLUDED / the VALUES row alias as the new row.
    new_row = Block(outer, ctes)
    new_row.add(Source("excluded", table, columns, "excluded"))
    if isinstance(values, exp.Values):
        rows = max(len(values.expressions), 1)
        row_alias = values.alias.lower()
        if row_alias and row_alias != "excluded":
            new_row.add(Source(row_alias, table, columns, row_alias))
        analyzer.visit(Block(outer, ctes), values.expressions, subqueries)
    elif values is not None:
        subqueries.append(analyzer.block(values, outer, ctes))
    block = Block(new_row, ctes)
    block.add(source)
    for key in ("conflict", "returning", "where"):
        analyzer.visit(block, node.args.get(key), subqueries)
    return QueryShape(
        kind=StatementKind.INSERT,
        target=table,
        set_columns=tuple(set_columns) if listed else tuple(columns),
        rows_written=rows,
        subqueries=tuple(subqueries),
    )


def update(analyzer: Analyzer, node: exp.Update, outer: Block | None, ctes: Ctes) -> QueryShape:
    """The shape of an UPDATE, nested in ``outer`` (None at the top)."""
    ctes, subqueries = analyzer.with_clause(node, outer, ctes)
    block = Block(outer, ctes)
    joins: list[tuple[exp.Join, Source]] = []
    target = analyzer.add_source(block, node.this, subqueries, joins)
    from_ = node.args.get("from_")
    if isinstance(from_, exp.From):
        analyzer.add_source(block, from_.this, subqueries, joins)
    for join in node.args.get("joins") or ():
        if isinstance(join, exp.Join):
            analyzer.add_join(block, join, subqueries, joins)
    edges = using_edges(block, joins)
    set_columns: list[str] = []
    for assignment in node.expressions:
        left = unwrap(assignment.this) if isinstance(assignment, exp.EQ) else None
        targets = left.expressions if isinstance(left, exp.Tuple) else [left]
        for column in targets:
            if isinstance(column, exp.Column) and _assigned(block, target, column):
                set_columns.append(resolution_name(column))
        if isinstance(assignment, exp.EQ):
            analyzer.visit(block, assignment.expression, subqueries)
        else:
            analyzer.visit(block, assignment, subqueries)
    return _write_shape(
        analyzer, StatementKind.UPDATE, node, block, target, joins, edges, subqueries, set_columns
    )


def delete(analyzer: Analyzer, node: exp.Delete, outer: Block | None, ctes: Ctes) -> QueryShape:
    """The shape of a DELETE, nested in ``outer`` (None at the top)."""
    ctes, subqueries = analyzer.with_clause(node, outer, ctes)
    block = Block(outer, ctes)
    joins: list[tuple[exp.Join, Source]] = []
    target = analyzer.add_source(block, node.this, subqueries, joins)
    for item in node.args.get("using") or ():
        analyzer.add_source(block, item, subqueries, joins)
    # MySQL's DELETE a FROM a JOIN b: the table list names the target among the FROM tables.
    for named in node.args.get("tables") or ():
        if isinstance(named, exp.Table):
            target = block.sources.get(named.name.lower(), target)
            break
    edges = using_edges(block, joins)
    return _write_shape(analyzer, StatementKind.DELETE, node, block, target, joins, edges, subqueries, [])


def _write_shape(
    analyzer: Analyzer,
    kind: StatementKind,
    node: exp.Expr,
    block: Block,
    target: Source,
    joins: list[tuple[exp.Join, Source]],
    edges: list[JoinEdge],
    subqueries: list[QueryShape],
    set_columns: list[str],
) -> QueryShape:
    """The shape of an UPDATE or DELETE once its sources and SET clause are known."""
    returning = node.args.get("returning")
    if isinstance(returning, exp.Returning):
        if any(type(item) is exp.Star for item in returning.expressions):
            mark_star(block.sources.values())
        analyzer.visit(block, returning.expressions, subqueries, projected=True)
    analyzer.visit(
        block, [value for key, value in node.args.items() if key not in _WRITE_HANDLED], subqueries
    )
    analyzer.conditions(block, node, joins, subqueries, edges)
    has_limit, limit = limit_of(node)
    return QueryShape(
        kind=kind,
        accesses=table_accesses(block),
        joins=tuple(edges),
        order_by=order_keys(block, node),
        limit=limit,
        has_limit=has_limit,
        target=target.table,
        set_columns=tuple(set_columns),
        subqueries=tuple(subqueries),
    )


def _assigned(block: Block, target: Source, column: exp.Column) -> bool:
    """Whether the SET column ``column`` is one of the target's; raises AnalysisError when unknown.

    An unqualified SET column always names a column of the target (PostgreSQL, SQLite), even when
    a FROM table has one of the same name; a qualified one (MySQL's multi-table UPDATE) may name
    another table's. Either way it is written, not read: it stays out of ``referenced``.
    """
    if column.args.get("table"):
        return block.resolve(column, read=False) is target and target.table is not None
    name = resolution_name(column)
    if target.columns is not None and name not in target.columns:
        where = target.table or target.name
        raise AnalysisError(f"unknown column {where}.{name}{suggest(name, target.columns)}")
    return target.table is not None
