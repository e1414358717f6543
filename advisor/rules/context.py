"""Everything a rule may read: the spec, each pattern's analysis, the table models, the indexes
that exist and the catalog's thresholds and severities."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from advisor.analysis.shape import QueryShape
from advisor.catalog.model import Severity
from advisor.cost.access import TableModel
from advisor.cost.design import IndexDesign
from advisor.cost.physical import Engine
from advisor.spec.model import Pattern, Spec


@dataclass(frozen=True)
class Context:
    spec: Spec
    engine: Engine
    shapes: Mapping[str, QueryShape]
    """Pattern name to its analysis."""
    models: Mapping[str, TableModel]
    existing: Mapping[str, tuple[IndexDesign, ...]]
    thresholds: Mapping[str, Mapping[str, float]]
    severities: Mapping[str, Severity]

    def threshold(self, rule: str, name: str) -> float:
        return self.thresholds[rule][name]

    def severity(self, rule: str) -> Severity:
        return self.severities[rule]

    def pattern(self, name: str) -> Pattern:
        return next(p for p in self.spec.patterns if p.name == name)
