"""Access patterns from ``patterns:``: unique names and one frequency each, turned into a rate.

The SQL is only required to be non-empty text here; parsing it is the analysis stage's job.
"""

from __future__ import annotations

from pathlib import Path

from advisor.errors import AdvisorError, Location
from advisor.spec.input import PatternIn
from advisor.spec.model import FrequencySource, Pattern
from advisor.spec.yamlsource import LineDict, format_path, line_at

SECONDS_PER_DAY = 86_400
_FREQUENCY_KEYS = ("per_sec", "per_day", "weight")


def rate(given: PatternIn) -> tuple[float, FrequencySource] | None:
    """The pattern's rate per second and how it was given; ``None`` when no frequency is given.

    A weight is kept as it is here: only the analysis tells reads from writes, and the workload's
    totals are shared out by weight among each kind (``advisor.cost.rates``).

    >>> rate(PatternIn(name="p", sql="SELECT 1", per_day=172800))
    (2.0, <FrequencySource.PER_DAY: 'per_day'>)
    """
    if given.per_sec is not None:
        return given.per_sec, FrequencySource.PER_SEC
    if given.per_day is not None:
        return given.per_day / SECONDS_PER_DAY, FrequencySource.PER_DAY
    if given.weight is not None:
        return given.weight, FrequencySource.WEIGHT
    return None


def build_patterns(given: list[PatternIn], raw: LineDict, path: Path) -> tuple[Pattern, ...]:
    """The frozen patterns; a repeated name or a missing / doubled frequency is an ``AdvisorError``."""
    seen: dict[str, int] = {}
    out = []
    for number, pattern in enumerate(given):
        where = ("patterns", number)
        if pattern.name in seen:
            first = line_at(raw, ("patterns", seen[pattern.name]))
            raise AdvisorError(
                f"pattern name {pattern.name!r} is already used (line {first})",
                Location(path, line_at(raw, (*where, "name")), format_path((*where, "name"))),
            )
        seen[pattern.name] = number
        given_keys = [key for key in _FREQUENCY_KEYS if getattr(pattern, key) is not None]
        if len(given_keys) > 1:
            second = (*where, given_keys[1])
            raise AdvisorError(
                f"give only one of per_sec, per_day or weight (also has {given_keys[0]})",
                Location(path, line_at(raw, second), format_path(second)),
            )
        frequency = rate(pattern)
        if frequency is None:
            raise AdvisorError(
                "needs a frequency: per_sec, per_day or weight",
                Location(path, line_at(raw, where), format_path(where)),
            )
        out.append(
            Pattern(
                name=pattern.name,
                sql=pattern.sql,
                per_sec=frequency[0],
                source=frequency[1],
                weight=pattern.weight,
                line=line_at(raw, where),
                sql_line=line_at(raw, (*where, "sql")),
                origin=pattern.origin,
            )
        )
    return tuple(out)
