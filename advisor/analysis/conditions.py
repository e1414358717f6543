"""Record what a block's conditions say: the predicates of WHERE and ON on its table references,
and the join edges of ON, USING and NATURAL between them (``predicates`` classifies each conjunct).

Choices:

- Predicates from an outer join's ON clause are kept only for the table they can filter: the joined
  table of a LEFT JOIN, the earlier ones of a RIGHT JOIN, none of a FULL JOIN.
"""

from __future__ import annotations

from sqlglot import exp

from advisor.analysis.errors import AnalysisError
from advisor.analysis.facts import OPAQUE, Disjunction, Equijoin, Opaque, Restriction
from advisor.analysis.predicates import classify, split_conjuncts
from advisor.analysis.render import Renderer
from advisor.analysis.resolve import ALIAS, OUTER, Block, Source, suggest
from advisor.analysis.shape import JoinEdge, Predicate


def record_condition(
    block: Block,
    condition: exp.Expr,
    allowed: set[int] | None,
    edges: list[JoinEdge],
    renderer: Renderer,
) -> None:
    """Record the facts of ``condition`` on the block's sources (only those in ``allowed``, by
    id, when given)."""
    resolved = block.resolved

    def role(column: exp.Column) -> Source | Opaque | None:
        resolution = resolved.get(id(column))
        if resolution is None or resolution is OUTER:
            return None
        if resolution is ALIAS or not isinstance(resolution, Source) or resolution.table is None:
            return OPAQUE
        return resolution

    for conjunct in split_conjuncts(condition):
        for fact in classify(conjunct, role, renderer.function_name):
            if isinstance(fact, Restriction):
                if allowed is None or id(fact.source) in allowed:
                    fact.source.predicates.append(_predicate(fact, renderer))
            elif isinstance(fact, Equijoin):
                left, right = fact.left.table, fact.right.table
                if left is not None and right is not None:
                    edges.append(JoinEdge(left, fact.left_column, right, fact.right_column))
            elif isinstance(fact, Disjunction):
                for source in fact.sources:
                    if allowed is None or id(source) in allowed:
                        source.has_or = True


def _predicate(fact: Restriction[Source], renderer: Renderer) -> Predicate:
    return Predicate(
        table=fact.source.table or fact.source.name,
        column=fact.column,
        kind=fact.kind,
        values=fact.values,
        parameterized=fact.parameterized,
        members=fact.members,
        sql=renderer.render_unqualified(fact.node, fact.unqualify),
        reason=fact.reason,
    )


def using_edges(block: Block, joins: list[tuple[exp.Join, Source]]) -> list[JoinEdge]:
    """Join edges (and reads) of ``JOIN ... USING (cols)`` and ``NATURAL JOIN``; registers the
    merged names so that they are not ambiguous unqualified. Runs before the block's columns are
    resolved."""
    edges: list[JoinEdge] = []
    order = list(block.sources.values())
    for join, source in joins:
        earlier = order[: order.index(source)] if source in order else []
        names: list[str] = []
        using = join.args.get("using")
        if using:
            names = [item.name.lower() for item in using if isinstance(item, exp.Expr)]
        elif str(join.args.get("method") or "").upper() == "NATURAL" and source.columns is not None:
            names = [
                name
                for name in source.columns
                if any(other.columns is not None and name in other.columns for other in earlier)
            ]
        for name in names:
            block.using.add(name)
            if source.columns is not None and name not in source.columns:
                where = source.table or source.name
                raise AnalysisError(f"unknown column {where}.{name}{suggest(name, source.columns)}")
            left = next((other for other in earlier if other.columns is None or name in other.columns), None)
            for side in (left, source):
                if side is not None and side.table is not None:
                    side.referenced.add(name)
            if left is not None and left.table is not None and source.table is not None:
                edges.append(JoinEdge(left.table, name, source.table, name))
    return edges


def filtered_by(join: exp.Join, source: Source, order: list[Source]) -> set[int] | None:
    """The ids of the sources an ON condition filters: all for an inner join (None), the joined
    one for LEFT, the earlier ones for RIGHT, none for FULL."""
    side = str(join.args.get("side") or "").upper()
    if side == "LEFT":
        return {id(source)}
    if side == "RIGHT":
        return {id(other) for other in order[: order.index(source)]} if source in order else set()
    if side == "FULL":
        return set()
    return None
