"""What rules produce: findings (immutable records), index candidates, drops and rejections."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from advisor.analysis.shape import Predicate
from advisor.catalog.model import Severity
from advisor.cost.design import IndexDesign

if TYPE_CHECKING:
    from advisor.rules.context import Context


@dataclass(frozen=True)
class Finding:
    """One thing a rule found: ``message`` states the problem, ``fix`` the remedy."""

    rule: str
    severity: Severity
    subject: str
    """``table``, ``table.column``, ``table (index)`` or ``pattern name``."""
    message: str
    fix: str
    evidence: tuple[tuple[str, str], ...] = ()
    patterns: tuple[str, ...] = ()
    line: int | None = None
    ddl: str | None = None


@dataclass(frozen=True)
class Candidate:
    """An index a rule proposes for the selection to cost."""

    design: IndexDesign
    rules: tuple[str, ...]
    patterns: tuple[str, ...]
    reason: str
    predicates: tuple[Predicate, ...] = ()
    """The predicates of the access that motivated it (refining rules read them)."""
    referenced: frozenset[str] = frozenset()
    """The columns that access reads (what a covering variant must store)."""


@dataclass(frozen=True)
class Drop:
    """An existing index that another existing index makes useless."""

    design: IndexDesign
    rule: str
    reason: str
    kept: IndexDesign


@dataclass(frozen=True)
class Rejection:
    """A candidate turned down before or during selection, with the reason in one sentence."""

    design: IndexDesign
    rule: str
    reason: str
    patterns: tuple[str, ...] = ()


@dataclass
class Output:
    """What one rule returns; ``merge`` collects them."""

    candidates: list[Candidate] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    drops: list[Drop] = field(default_factory=list)

    def merge(self, other: Output) -> None:
        self.candidates.extend(other.candidates)
        self.findings.extend(other.findings)
        self.rejections.extend(other.rejections)
        self.drops.extend(other.drops)


RuleFunc = Callable[["Context", Sequence[Candidate]], Output]
