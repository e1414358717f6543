"""Read the clauses of a query block into its shape: the select list (``*``, the names a derived
table exposes), ORDER BY, GROUP BY, LIMIT and OFFSET, and the table accesses it all adds up to.

Choices:

- ``order_by`` (and ``group_by``) hold plain columns of real tables only; when any key is something
  else (an expression, a derived table's column) the whole tuple is empty, because a prefix of the
  keys would wrongly promise that an index can return the rows in the requested order.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlglot import exp

from advisor.analysis.literals import literal_value
from advisor.analysis.nodes import unparen, unwrap
from advisor.analysis.resolve import Block, Source
from advisor.analysis.shape import ColumnRef, OrderKey, TableAccess


def mark_star(sources: Iterable[Source]) -> None:
    """``SELECT *`` (or ``RETURNING *``): every real table of the block is read whole."""
    for source in sources:
        if source.table is not None:
            source.star = True


def clear_star(sources: Iterable[Source]) -> None:
    """Undo ``mark_star``: the query of an EXISTS reads no column."""
    for source in sources:
        source.star = False


def exists_body(node: exp.Expr) -> bool:
    """``node`` is the query of an ``EXISTS (...)`` (or ``NOT EXISTS``), through parentheses."""
    parent = node.parent
    while isinstance(parent, (exp.Paren, exp.Subquery)) and not parent.alias:
        parent = parent.parent
    return isinstance(parent, exp.Exists)


def alias_columns(item: exp.Expr) -> frozenset[str] | None:
    """The names of a table alias's column list (``AS t(a, b)``), None without one."""
    alias = item.args.get("alias")
    if isinstance(alias, exp.TableAlias) and alias.columns:
        return frozenset(column.name.lower() for column in alias.columns)
    return None


def output_columns(item: exp.Expr, query: exp.Expr) -> frozenset[str] | None:
    """The column names a CTE or derived table exposes: its alias column list, else its select
    list's names; None when unknown (``*``, an unnamed expression, VALUES without names)."""
    named = alias_columns(item)
    if named is not None:
        return named
    query = unwrap(query)
    while isinstance(query, exp.SetOperation):
        query = unwrap(query.this)
    if not isinstance(query, exp.Select):
        return None
    names: set[str] = set()
    for expression in query.expressions:
        if isinstance(expression, exp.Alias):
            names.add(expression.alias.lower())
        elif type(expression) is exp.Column and not isinstance(expression.this, exp.Star):
            names.add(expression.name.lower())
        else:
            return None
    return frozenset(names)


def table_accesses(block: Block) -> tuple[TableAccess, ...]:
    """The block's real tables as it reads them, a ``*`` expanded to every column."""
    out: list[TableAccess] = []
    for source in block.sources.values():
        if source.table is None:
            continue
        referenced, projected = source.referenced, source.projected
        if source.star and source.columns is not None:
            referenced = referenced | set(source.columns)
            projected = projected | set(source.columns)
        out.append(
            TableAccess(
                table=source.table,
                alias=source.alias,
                predicates=tuple(source.predicates),
                referenced=frozenset(referenced),
                projected=frozenset(projected),
                star=source.star,
                has_or=source.has_or,
            )
        )
    return tuple(out)


def _output_column(block: Block, select: exp.Expr, key: exp.Expr, prefer_alias: bool) -> ColumnRef | None:
    """The real table column an ORDER BY / GROUP BY key stands for, through select-list positions
    and aliases; None when it is anything else."""
    key = unparen(key)
    items = select.expressions if isinstance(select, exp.Select) else []
    if type(key) is exp.Literal and not key.is_string:
        known, position = literal_value(key)
        if not known or not isinstance(position, int) or not 1 <= position <= len(items):
            return None
        key = unparen(items[position - 1].unalias())
    elif type(key) is exp.Column and not key.args.get("table"):
        name = key.name.lower()
        resolution = block.resolved.get(id(key))
        if name in block.aliases and (prefer_alias or not isinstance(resolution, Source)):
            key = unparen(block.aliases[name])
    if type(key) is not exp.Column:
        return None
    resolution = block.resolved.get(id(key))
    if isinstance(resolution, Source) and resolution.table is not None and not isinstance(key.this, exp.Star):
        return ColumnRef(resolution.table, key.name.lower())
    return None


def order_keys(block: Block, node: exp.Expr) -> tuple[OrderKey, ...]:
    """The ORDER BY of ``node`` as table columns; empty when any key is not one."""
    order = node.args.get("order")
    if not isinstance(order, exp.Order):
        return ()
    keys: list[OrderKey] = []
    for ordered in order.expressions:
        key = ordered.this if isinstance(ordered, exp.Ordered) else ordered
        ref = _output_column(block, node, key, prefer_alias=True)
        if ref is None:
            return ()
        descending = bool(ordered.args.get("desc")) if isinstance(ordered, exp.Ordered) else False
        keys.append(OrderKey(ref.table, ref.column, descending))
    return tuple(keys)


def group_keys(block: Block, node: exp.Select) -> tuple[ColumnRef, ...]:
    """The GROUP BY of ``node`` as table columns; empty when any key is not one, or for
    grouping sets, CUBE, ROLLUP and WITH TOTALS."""
    group = node.args.get("group")
    if not isinstance(group, exp.Group):
        return ()
    if any(group.args.get(key) for key in ("grouping_sets", "cube", "rollup", "totals")):
        return ()
    refs: list[ColumnRef] = []
    for key in group.expressions:
        ref = _output_column(block, node, key, prefer_alias=False)
        if ref is None:
            return ()
        refs.append(ref)
    return tuple(refs)


def limit_of(node: exp.Expr) -> tuple[bool, int | None]:
    """Whether a LIMIT / FETCH FIRST / TOP is present, and its value when it is a literal."""
    limit = node.args.get("limit")
    if isinstance(limit, exp.Fetch):
        count = limit.args.get("count")
        return True, 1 if count is None else _count(count)
    if isinstance(limit, exp.Limit):
        count = limit.expression
        if isinstance(count, exp.Var) and count.name.upper() == "ALL":
            return False, None  # LIMIT ALL: no limit
        if type(count) is exp.Null:
            return False, None
        return True, _count(count)
    return False, None


def offset_of(node: exp.Expr) -> int | None:
    """The OFFSET of ``node`` when it is a literal."""
    offset = node.args.get("offset")
    return _count(offset.expression) if isinstance(offset, exp.Offset) else None


def _count(node: object) -> int | None:
    if not isinstance(node, exp.Expr):
        return None
    known, value = literal_value(node)
    if known and isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return None
