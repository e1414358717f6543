"""Everything a rule may read: the spec, each pattern's analysis, the table models, the indexes
that exist and the catalog's thresholds and severities."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from advisor.analysis.errors import AnalysisError
from advisor.analysis.parse import parse_statement
from advisor.analysis.shape import Predicate, PredicateKind, QueryShape
from advisor.catalog.model import Severity
from advisor.cost.design import IndexDesign
from advisor.cost.models import TableModel
from advisor.cost.physical import Engine
from advisor.dialects import Dialect, dialect
from advisor.spec.model import Pattern, Spec

if TYPE_CHECKING:
    from sqlglot import exp

    from advisor.rules.base import Finding


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
    skipped: tuple[Finding, ...] = ()
    """QRY011: the patterns left out because the analysis could not read them."""

    def threshold(self, rule: str, name: str) -> float:
        return self.thresholds[rule][name]

    def severity(self, rule: str) -> Severity:
        return self.severities[rule]

    @cached_property
    def _by_name(self) -> dict[str, Pattern]:
        return {p.name: p for p in self.spec.patterns}

    def pattern(self, name: str) -> Pattern:
        return self._by_name[name]

    @property
    def facts(self) -> Dialect:
        """What the registry knows of the spec's engine: what the advice may count on."""
        return dialect(self.spec.dialect)

    @cached_property
    def _trees(self) -> dict[str, exp.Expr | None]:
        return {}

    def tree(self, pattern: Pattern) -> exp.Expr | None:
        """``pattern``'s statement as a tree, parsed once for all the rules that rewrite it (and
        only for those: a pattern no rule rewrites is never parsed a second time). Rules share it,
        so one that changes a tree changes a copy; ``None`` if it does not parse."""
        if pattern.name not in self._trees:
            try:
                self._trees[pattern.name] = parse_statement(pattern.sql, self.spec.dialect)
            except AnalysisError:
                self._trees[pattern.name] = None
        return self._trees[pattern.name]

    @cached_property
    def patterns_on(self) -> Mapping[str, tuple[Pattern, ...]]:
        """Table to the analyzed patterns that read or write it, in spec order."""
        out: dict[str, list[Pattern]] = {}
        for pattern in self.spec.patterns:
            shape = self.shapes.get(pattern.name)
            if shape is None:
                continue
            tables = set(shape.tables())
            if shape.target:
                tables.add(shape.target)
            for table in sorted(tables):
                out.setdefault(table, []).append(pattern)
        return {t: tuple(ps) for t, ps in out.items()}

    @cached_property
    def column_users(self) -> Mapping[tuple[str, str], tuple[str, ...]]:
        """(table, column) to the patterns that filter or join on that column."""
        out: dict[tuple[str, str], list[str]] = {}
        for name, shape in self.shapes.items():
            keys: set[tuple[str, str]] = set()
            for block in shape.walk():
                keys |= {(p.table, p.column) for acc in block.accesses for p in acc.predicates}
                for e in block.joins:
                    keys |= {(e.left_table, e.left_column), (e.right_table, e.right_column)}
            for key in keys:
                out.setdefault(key, []).append(name)
        return {k: tuple(v) for k, v in out.items()}

    @cached_property
    def looked_up(self) -> frozenset[tuple[str, str]]:
        """The (table, column) pairs some pattern finds rows by: ``column = value`` or ``IN`` with
        a value, or a join on it. ``IS NULL`` is an equality too, but it looks nothing up."""
        out: set[tuple[str, str]] = set()
        for shape in self.shapes.values():
            for block in shape.walk():
                for acc in block.accesses:
                    out |= {(p.table, p.column) for p in acc.predicates if _finds_by(p)}
                for e in block.joins:
                    out |= {(e.left_table, e.left_column), (e.right_table, e.right_column)}
        return frozenset(out)


def _finds_by(predicate: Predicate) -> bool:
    if predicate.kind not in (PredicateKind.EQ, PredicateKind.IN):
        return False
    return predicate.parameterized or any(v is not None for v in predicate.values)
