"""What a query block asks of one table (``Access``: its predicates, the columns it reads, its
order and limit), and the plan that answers it (``AccessPlan``). ``scans`` costs the plans,
``plans`` picks the cheapest."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

from advisor.analysis.shape import OrderKey, Predicate, PredicateKind
from advisor.cost.design import IndexDesign

SARGABLE = (PredicateKind.EQ, PredicateKind.IN, PredicateKind.RANGE, PredicateKind.LIKE_PREFIX)
POINT, MULTI, RANGE = 0, 1, 2
"""How an index key column is sought (``Access.seeks``)."""


@dataclass(frozen=True, eq=False)
class Access:
    """What a query block asks of one table. Compared by identity: the cost model builds one per
    (block, table access, join columns) and reuses it (``TableModel.accesses``), so the plan memo
    finds it without hashing its predicates on every lookup."""

    table: str
    predicates: tuple[Predicate, ...]
    referenced: frozenset[str]
    order_by: tuple[OrderKey, ...] = ()
    limit: int | None = None

    @cached_property
    def sargable(self) -> Mapping[str, list[Predicate]]:
        """The predicates an index range can serve, by column."""
        return _by_column(self.predicates)

    @cached_property
    def seeks(self) -> Mapping[str, tuple[int, list[Predicate]]]:
        """By column, how an index key on it is sought and with which predicates: ``POINT``
        (equalities, and IN lists of one), else ``MULTI`` (IN lists), else ``RANGE`` (the rest,
        after which the key's later columns only filter). Asked on every costing of an index."""
        out: dict[str, tuple[int, list[Predicate]]] = {}
        for column, preds in self.sargable.items():
            point = [
                p
                for p in preds
                if p.kind is PredicateKind.EQ or (p.kind is PredicateKind.IN and p.members == 1)
            ]
            multi = [p for p in preds if p.kind is PredicateKind.IN]
            out[column] = (POINT, point) if point else (MULTI, multi) if multi else (RANGE, preds)
        return out


@dataclass(frozen=True)
class AccessPlan:
    index: IndexDesign | None
    """``None`` for a sequential scan."""
    cost: float
    rows: float
    """Rows the access returns."""
    entries: float = 0.0
    heap_fetches: float = 0.0
    index_only: bool = False
    ordered: bool = False
    """The index delivers the ORDER BY, so no sort."""
    table: str = ""
    """The table read (named for a sequential scan; an index names its own)."""
    bitmap: bool = False
    """Read as a bitmap heap scan: every matching page once, in physical order."""

    def describe(self) -> str:
        if self.index is None:
            return "sequential scan"
        how = "index-only scan" if self.index_only else "bitmap scan" if self.bitmap else "index scan"
        text = f"{how} on {self.index.label()}, {_count(self.entries, 'entry', 'entries')}"
        if self.heap_fetches:
            text += f", {_count(self.heap_fetches, 'row fetch', 'row fetches')}"
        return text + (", in index order" if self.ordered else "")


def _count(n: float, one: str, many: str) -> str:
    """``1 entry``, ``36 entries``, ``0.4 entries``: estimates rounded for reading."""
    if round(n) == 1:
        return f"1 {one}"
    return (f"{n:,.0f}" if n >= 1 else f"{n:.2g}") + f" {many}"


def _by_column(predicates: Iterable[Predicate]) -> Mapping[str, list[Predicate]]:
    out: dict[str, list[Predicate]] = {}
    for pred in predicates:
        if pred.kind in SARGABLE:
            out.setdefault(pred.column, []).append(pred)
    return out
