"""The recommended index changes with the designs behind them, for writing DDL in any dialect
(``advisor.recommend.planned_changes`` makes them)."""

from __future__ import annotations

from dataclasses import dataclass

from advisor.cost.design import IndexDesign


@dataclass(frozen=True)
class ModelCost:
    """The model's cost per run of a pattern a change serves, before and after the whole plan,
    and the tables it reads (at whose declared sizes the model costs it)."""

    pattern: str
    before: float
    after: float
    tables: frozenset[str]


@dataclass(frozen=True)
class Change:
    number: int
    action: str
    """``create`` or ``drop``."""
    rules: tuple[str, ...]
    label: str
    design: IndexDesign
    serves: tuple[str, ...]
    """Patterns the recommendation claims to serve."""
    name: str = ""
    """The index's name as the report gives it (unique beside the indexes that exist)."""
    model_costs: tuple[ModelCost, ...] = ()
    """For each pattern served, what the model expects of it."""
