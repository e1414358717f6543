"""Summarize one access pattern's SQL as a ``QueryShape``: what an index advisor needs to know.

One pass over the parsed statement, block by block (a SELECT, each subquery, CTE, derived table,
UNION branch, and the read part of an UPDATE or DELETE): the block's table references are
registered first, then every column node is resolved to its table reference (``resolve.py``),
then the WHERE and ON conditions are classified (``predicates.py``). The whole analysis costs about
a quarter of the parse (``tests/analysis/measure_cost.py``); sqlglot's ``qualify`` alone would cost
twice the parse.

This module walks the statement and its blocks. The rest is read elsewhere: INSERT, UPDATE and
DELETE in ``writes.py``; the select list, ORDER BY, GROUP BY, LIMIT and the table accesses in
``clauses.py``; predicates and join edges in ``conditions.py``; their SQL text in ``render.py``.

Choices, beyond those documented in those modules, ``predicates.py`` and ``resolve.py``:

- A UNION (INTERSECT, EXCEPT) is a SELECT-kind shape with no accesses of its own: each branch is one
  of its ``subqueries``; its LIMIT/OFFSET are its own, ``distinct`` is set for UNION without ALL,
  and its ORDER BY is dropped (it names output columns, not table columns).
- Subqueries appear in ``subqueries`` in this order: CTEs, derived tables of the FROM clause, then
  the subqueries of the other clauses in the order they are written.
- A correlated reference inside a subquery is a parameterized value there, and a read of the outer
  table's column (it is in the outer access's ``referenced``).
- ``SELECT *`` in the query of an EXISTS (or NOT EXISTS) marks no ``star``: EXISTS only tests
  for a row, so the engine reads none of its columns.
- CTEs, derived tables and table functions get no table access. Their columns are never checked
  against the schema; a qualified reference is checked against their output names only when all of
  these are plain (``SELECT a, b AS c``), and an unqualified name no real table has goes to them.
- Statements that are neither queries nor writes (DDL, SET, VACUUM, ...) are ``OTHER`` shapes with
  nothing else; a bare expression (``hello world`` parses as a column alias) is an error.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import cast

from sqlglot import exp

from advisor.analysis.clauses import (
    alias_columns,
    clear_star,
    exists_body,
    group_keys,
    limit_of,
    mark_star,
    offset_of,
    order_keys,
    output_columns,
    table_accesses,
)
from advisor.analysis.conditions import filtered_by, record_condition, using_edges
from advisor.analysis.errors import AnalysisError
from advisor.analysis.nodes import QUERIES, unparen, unwrap
from advisor.analysis.parse import TOO_DEEP, parse_statement
from advisor.analysis.render import Renderer
from advisor.analysis.resolve import Block, Source, table_source
from advisor.analysis.shape import JoinEdge, QueryShape, StatementKind
from advisor.analysis.writes import delete, insert, update

__all__ = ["AnalysisError", "analyze"]

Ctes = Mapping[str, Collection[str] | None]

# Statements the advisor has nothing to say about; any other top-level node that is not a query
# or a write is a bare expression ("hello world" parses as a column with an alias).
_OTHER_STATEMENTS = (
    exp.Command,
    exp.DDL,
    exp.DML,
    exp.Create,
    exp.Drop,
    exp.Alter,
    exp.Set,
    exp.Transaction,
    exp.Commit,
    exp.Rollback,
    exp.Use,
    exp.Pragma,
    exp.Describe,
    exp.TruncateTable,
    exp.Grant,
    exp.Revoke,
    exp.Analyze,
    exp.Show,
    exp.Kill,
    exp.Refresh,
    exp.Cache,
    exp.Uncache,
    exp.LoadData,
    exp.Declare,
    exp.Summarize,
    exp.Execute,
    exp.Comment,
    exp.Lock,
)
# Select arguments handled before the generic walk.
_SELECT_HANDLED = frozenset({"expressions", "from_", "joins", "with_"})


def analyze(sql: str, dialect: str, schema: Mapping[str, Collection[str]]) -> QueryShape:
    """The shape of the one statement in ``sql``, read in ``dialect``.

    ``schema`` maps lower-case table names to their lower-case column names (sets are fastest).
    Raises AnalysisError when the SQL does not parse, is not one statement, or names an unknown
    table or column, or an unqualified column two joined tables have.

    >>> schema = {"orders": {"order_id", "user_id", "created_at", "total_amount"}}
    >>> shape = analyze(
    ...     "SELECT order_id FROM orders WHERE user_id = ? ORDER BY created_at DESC LIMIT 20",
    ...     "sqlite",
    ...     schema,
    ... )
    >>> [(p.column, p.kind.value, p.parameterized, p.sql) for p in shape.accesses[0].predicates]
    [('user_id', 'eq', True, 'user_id = ?')]
    >>> shape.order_by, shape.limit
    ((OrderKey(table='orders', column='created_at', descending=True),), 20)
    >>> analyze("SELECT totl FROM orders", "sqlite", schema)
    Traceback (most recent call last):
    advisor.analysis.errors.AnalysisError: unknown column orders.totl (did you mean total_amount?)
    """
    statement = parse_statement(sql, dialect)
    try:
        return Analyzer(dialect, schema).statement(statement)
    except RecursionError:
        raise AnalysisError(TOO_DEEP) from None


class Analyzer:
    """The state of one ``analyze`` call: the schema and a renderer for the dialect. The readers of
    write statements (``writes.py``) walk their blocks through it."""

    def __init__(self, dialect: str, schema: Mapping[str, Collection[str]]) -> None:
        self.schema = schema
        self.renderer = Renderer(dialect)

    # -- statements and blocks -------------------------------------------------------------------

    def statement(self, node: exp.Expr) -> QueryShape:
        node = unwrap(node)
        if isinstance(node, (exp.Select, exp.SetOperation, exp.Insert, exp.Update, exp.Delete, exp.Values)):
            return self.block(node, None, {})
        if isinstance(node, _OTHER_STATEMENTS):
            return QueryShape(kind=StatementKind.OTHER)
        raise AnalysisError(f"not a SQL statement: {type(node).__name__.lower()} expression")

    def block(self, node: exp.Expr, outer: Block | None, ctes: Ctes) -> QueryShape:
        """The shape of a query block or write statement, nested in ``outer`` (None at the top)."""
        node = unwrap(node)
        if isinstance(node, exp.Select):
            return self.select(node, outer, ctes)
        if isinstance(node, exp.SetOperation):
            return self.set_operation(node, outer, ctes)
        if isinstance(node, exp.Insert):
            return insert(self, node, outer, ctes)
        if isinstance(node, exp.Update):
            return update(self, node, outer, ctes)
        if isinstance(node, exp.Delete):
            return delete(self, node, outer, ctes)
        if isinstance(node, exp.Values):
            subqueries: list[QueryShape] = []
            self.visit(Block(outer, ctes), node, subqueries)
            return QueryShape(kind=StatementKind.SELECT, subqueries=tuple(subqueries))
        return QueryShape(kind=StatementKind.OTHER)

    def select(self, node: exp.Select, outer: Block | None, ctes: Ctes) -> QueryShape:
        ctes, subqueries = self.with_clause(node, outer, ctes)
        block = Block(outer, ctes)
        joins = self.from_clause(block, node, subqueries)
        edges = using_edges(block, joins)
        for expression in node.expressions:
            if isinstance(expression, exp.Alias):
                block.aliases[expression.alias.lower()] = expression.this
            elif type(expression) is exp.Star:
                mark_star(block.sources.values())
        self.visit(block, node.expressions, subqueries, projected=True)
        if exists_body(node):
            # EXISTS tests for a row and reads none of its columns: `*` there is no wide read.
            clear_star(block.sources.values())
        self.visit(
            block, [value for key, value in node.args.items() if key not in _SELECT_HANDLED], subqueries
        )
        self.conditions(block, node, joins, subqueries, edges)
        has_limit, limit = limit_of(node)
        return QueryShape(
            kind=StatementKind.SELECT,
            accesses=table_accesses(block),
            joins=tuple(edges),
            group_by=group_keys(block, node),
            order_by=order_keys(block, node),
            limit=limit,
            has_limit=has_limit,
            offset=offset_of(node),
            distinct=bool(node.args.get("distinct")),
            subqueries=tuple(subqueries),
        )

    def set_operation(self, node: exp.SetOperation, outer: Block | None, ctes: Ctes) -> QueryShape:
        ctes, subqueries = self.with_clause(node, outer, ctes)
        distinct = False
        stack: list[exp.Expr] = [node]
        branches: list[exp.Expr] = []
        while stack:
            current = stack.pop()
            plain = current is node or not any(current.args.get(key) for key in ("order", "limit", "with_"))
            if isinstance(current, exp.SetOperation) and plain:
                distinct = distinct or (type(current) is exp.Union and bool(current.args.get("distinct")))
                stack.append(current.expression)
                stack.append(current.this)
            else:
                branches.append(current)
        subqueries.extend(self.block(branch, outer, ctes) for branch in branches)
        has_limit, limit = limit_of(node)
        return QueryShape(
            kind=StatementKind.SELECT,
            limit=limit,
            has_limit=has_limit,
            offset=offset_of(node),
            distinct=distinct,
            subqueries=tuple(subqueries),
        )

    def with_clause(self, node: exp.Expr, outer: Block | None, ctes: Ctes) -> tuple[Ctes, list[QueryShape]]:
        """The CTEs visible in ``node`` and their shapes. Every name of a WITH is visible in every
        body of it, which covers WITH RECURSIVE and references to earlier CTEs."""
        clause = node.args.get("with_")
        if not isinstance(clause, exp.With):
            return ctes, []
        visible = dict(ctes)
        bodies: list[exp.Expr] = []
        for cte in clause.expressions:
            if isinstance(cte, exp.CTE):
                visible[cte.alias.lower()] = output_columns(cte, cte.this)
                bodies.append(cte.this)
        return visible, [self.block(body, outer, visible) for body in bodies]

    # -- FROM clause --------------------------------------------------------------------------------

    def from_clause(
        self, block: Block, node: exp.Expr, subqueries: list[QueryShape]
    ) -> list[tuple[exp.Join, Source]]:
        joins: list[tuple[exp.Join, Source]] = []
        from_ = node.args.get("from_")
        if isinstance(from_, exp.From):
            self.add_source(block, from_.this, subqueries, joins)
        for join in node.args.get("joins") or ():
            if isinstance(join, exp.Join):
                self.add_join(block, join, subqueries, joins)
        return joins

    def add_join(
        self, block: Block, join: exp.Join, subqueries: list[QueryShape], joins: list[tuple[exp.Join, Source]]
    ) -> None:
        position = len(joins)
        source = self.add_source(block, join.this, subqueries, joins)
        # The joined item's own nested joins come first in `joins`; this join goes before them.
        joins.insert(position, (join, source))

    def add_source(
        self,
        block: Block,
        item: object,
        subqueries: list[QueryShape],
        joins: list[tuple[exp.Join, Source]],
    ) -> Source:
        """Register the table reference ``item`` (a table, derived table, VALUES, table function)."""
        if not isinstance(item, exp.Expr):
            raise AnalysisError("cannot analyze a table reference of this statement")
        item = unparen(item)
        alias = item.alias.lower() or None
        source: Source
        if isinstance(item, exp.Table):
            source = table_source(item, self.schema, block.ctes)
            if not isinstance(item.this, exp.Identifier):
                self.visit(block, item.this, subqueries)
        elif isinstance(item, (exp.Subquery, exp.Lateral)):
            lateral = isinstance(item, exp.Lateral)
            inner = unwrap(item.this)
            # Only a LATERAL item sees the FROM items before it; any derived table sees enclosing blocks.
            if isinstance(inner, (exp.Select, exp.SetOperation, exp.Values)):
                subqueries.append(self.block(inner, block if lateral else block.outer, block.ctes))
                columns = output_columns(item, inner)
            else:
                self.visit(block, inner, subqueries)
                columns = None
            source = Source(alias or f"?{len(block.sources)}", None, columns, alias)
        else:
            # VALUES, UNNEST, a table function: columns only known from a column alias list.
            self.visit(block, item, subqueries)
            names = alias_columns(item)
            source = Source(alias or f"?{len(block.sources)}", None, names, alias)
        block.add(source)
        for join in item.args.get("joins") or ():
            if isinstance(join, exp.Join):
                self.add_join(block, join, subqueries, joins)
        return source

    # -- conditions -----------------------------------------------------------------------------------

    def conditions(
        self,
        block: Block,
        node: exp.Expr,
        joins: list[tuple[exp.Join, Source]],
        subqueries: list[QueryShape],
        edges: list[JoinEdge],
    ) -> None:
        """Walk the ON clauses, then turn WHERE and ON conditions into predicates and join edges."""
        order = list(block.sources.values())
        for join, _ in joins:
            self.visit(block, join.args.get("on"), subqueries)
        where = node.args.get("where")
        if isinstance(where, exp.Where):
            record_condition(block, where.this, None, edges, self.renderer)
        for join, source in joins:
            on = join.args.get("on")
            if isinstance(on, exp.Expr):
                record_condition(block, on, filtered_by(join, source, order), edges, self.renderer)

    # -- the walk ---------------------------------------------------------------------------------------

    def visit(
        self, block: Block, root: object, subqueries: list[QueryShape], projected: bool = False
    ) -> None:
        """Resolve every column under ``root`` in ``block``; analyze nested queries as subqueries
        of it. ``root`` is a node, a list of nodes, or anything else (ignored)."""
        nested: list[exp.Expr] = []
        stack: list[object] = [root]
        pop, extend = stack.pop, stack.extend
        while stack:
            node = pop()
            if isinstance(node, exp.Expr):
                kind = type(node)
                if kind.is_primitive:
                    continue  # identifiers, literals: no child nodes
                if kind is exp.Column:
                    block.resolve(cast(exp.Column, node), projected)
                elif isinstance(node, QUERIES):
                    nested.append(node)
                elif kind is not exp.Lambda:  # a lambda's parameters look like columns
                    extend(node.args.values())
            elif type(node) is list:
                extend(node)
        # The stack visits siblings last to first: reversed, the nested queries are in SQL order.
        for query in reversed(nested):
            subqueries.append(self.block(query, block, block.ctes))
