"""Turn relative pattern weights into rates, sharing out the workload's system-wide totals.

``workload.reads_per_sec`` is the whole application's read statements per second. Patterns given
with ``per_sec`` or ``per_day`` take their part of it first; the weighted read patterns share what
is left in proportion to their weights. Writes likewise with ``writes_per_sec``. UPDATE and DELETE
count as writes (they read too, but every one of them maintains indexes). Without the total for
their kind, weights stay relative and the report says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from advisor.analysis.shape import QueryShape
from advisor.errors import AdvisorError, Location
from advisor.spec.model import FrequencySource, Pattern, Spec


@dataclass(frozen=True)
class Share:
    """How one kind of statement's total was shared out among its weighted patterns."""

    kind: str
    """``read`` or ``write``."""
    total: float
    rated: float
    """The part the ``per_sec`` / ``per_day`` patterns of this kind take."""
    weights: float
    """The sum of the weights that share the rest."""

    @property
    def rest(self) -> float:
        return self.total - self.rated

    def rate(self, weight: float) -> float:
        """
        >>> Share("read", total=1000, rated=200, weights=4).rate(1)
        200.0
        """
        return self.rest * weight / self.weights


def kind_of(shape: QueryShape) -> str:
    return "write" if shape.kind.writes else "read"


def shares(spec: Spec, shapes: Mapping[str, QueryShape]) -> dict[str, Share]:
    """The shares of the kinds whose total is given and that have weighted patterns; a total
    that the rated patterns already use up is an input error at the total's line."""
    totals = {
        "read": (spec.workload.reads_per_sec, spec.workload.reads_line, "reads_per_sec"),
        "write": (spec.workload.writes_per_sec, spec.workload.writes_line, "writes_per_sec"),
    }
    out = {}
    for kind, (total, line, field) in totals.items():
        mine = [p for p in spec.patterns if kind_of(shapes[p.name]) == kind]
        weighted = [p for p in mine if p.source is FrequencySource.WEIGHT]
        if total is None or not weighted:
            continue
        rated = sum(p.per_sec for p in mine if p.source is not FrequencySource.WEIGHT)
        if rated >= total:
            raise AdvisorError(
                f"{total:,.6g} {kind}s/s leave nothing for the {len(weighted)} weighted {kind} pattern(s): "
                f"the per_sec / per_day {kind} patterns already add up to {rated:,.6g}/s",
                Location(spec.path, line, f"workload.{field}"),
            )
        out[kind] = Share(kind, total, rated, sum(p.weight or 0.0 for p in weighted))
    return out


def rate_weights(spec: Spec, shapes: Mapping[str, QueryShape]) -> Spec:
    """``spec`` with each weighted pattern's ``per_sec`` made a rate where its kind's total is given."""
    given = shares(spec, shapes)
    if not given:
        return spec

    def rated(pattern: Pattern) -> Pattern:
        share = given.get(kind_of(shapes[pattern.name]))
        if pattern.source is not FrequencySource.WEIGHT or share is None:
            return pattern
        return replace(pattern, per_sec=share.rate(pattern.weight or 0.0))

    return replace(spec, patterns=tuple(rated(p) for p in spec.patterns))
