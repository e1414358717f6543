"""A what-if greedy index selection in the style of Extend (Schlosser et al., ICDE 2019).

Start with no index. Each step either adds a single-column index on a predicate column or
widens a chosen index by appending one column of its table that the workload references (as
Kossmann et al.'s reimplementation of Extend does); it takes the step with the largest
planner-cost reduction per byte of added storage (HypoPG's sizes) that fits the budget, and
stops when no step fits or none lowers the cost. Every cost is the planner's, so this is what the advisor's model-only plan is measured
against: the same storage, chosen by asking the planner at each step.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from tpch_whatif import Ix


class WhatIf(Protocol):
    """What the search needs of a planner (``tpch_whatif.Planner`` and test doubles)."""

    def size(self, ix: Ix) -> int: ...

    def costs(
        self, config: frozenset[Ix], asked: set[tuple[str, frozenset[Ix]]] | None = None
    ) -> dict[str, float]: ...


@dataclass(frozen=True)
class Step:
    config: frozenset[Ix]
    added: Ix
    replaced: Ix | None
    size: int
    cost: float


@dataclass(frozen=True)
class Result:
    config: frozenset[Ix]
    size: int
    cost: float
    steps: tuple[Step, ...]
    planner_calls: int
    """Distinct (query, indexes on its tables) questions the search asked the planner."""


def _options(
    config: frozenset[Ix], singles: Sequence[Ix], widen: Mapping[str, Sequence[str]]
) -> list[tuple[Ix, Ix | None]]:
    """Every step from ``config``: ``(new index, the index it replaces or None)``."""
    have = {(ix.table, ix.columns) for ix in config}
    out: list[tuple[Ix, Ix | None]] = [(s, None) for s in singles if (s.table, s.columns) not in have]
    for ix in sorted(config):
        for column in widen.get(ix.table, ()):
            wider = ix.widened(column)
            if column not in ix.columns and (wider.table, wider.columns) not in have:
                out.append((wider, ix))
    return out


def extend(
    planner: WhatIf,
    singles: Sequence[Ix],
    widen: Mapping[str, Sequence[str]],
    budget: int,
) -> Result:
    """The greedy search under ``budget`` bytes. ``widen`` maps a table to the columns its
    indexes may be widened with."""
    asked: set[tuple[str, frozenset[Ix]]] = set()
    config: frozenset[Ix] = frozenset()
    size = 0
    cost = sum(planner.costs(config, asked).values())
    steps: list[Step] = []
    while True:
        best: tuple[float, frozenset[Ix], Ix, Ix | None, int, float] | None = None
        for new, old in _options(config, singles, widen):
            grown = planner.size(new) - (planner.size(old) if old is not None else 0)
            if size + grown > budget:
                continue
            trial = (config - {old}) | {new} if old is not None else config | {new}
            trial_cost = sum(planner.costs(trial, asked).values())
            gain = cost - trial_cost
            if gain <= 1e-9 * cost:
                continue
            ratio = gain / max(grown, 1)
            if best is None or ratio > best[0]:
                best = (ratio, trial, new, old, grown, trial_cost)
        if best is None:
            break
        _, config, new, old, grown, cost = best
        size += grown
        steps.append(Step(config, new, old, size, cost))
    return Result(config, size, cost, tuple(steps), len(asked))
