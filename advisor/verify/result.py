"""What ``advisor verify`` found: one immutable record per recommendation and pattern. Its JSON form
carries ``version``; fields are only ever added."""

from __future__ import annotations

from dataclasses import dataclass, field

VERIFY_VERSION = 1


@dataclass(frozen=True)
class PatternCheck:
    pattern: str
    used: bool
    """The planner reads the recommended index for this pattern (for a drop: it does without it)."""
    cost_before: float | None
    cost_after: float | None
    plan_before: str
    plan_after: str
    claimed: bool = True
    """The recommendation says it serves this pattern (False: the planner used it anyway)."""
    expected: str | None = None
    """Why not using the index is expected here, when it is."""
    note: str | None = None
    """How the verdict was reached when it took more than one look (a what-if plan, then a real one)."""
    model_cost_before: float | None = None
    """The model's cost per run of the pattern before the plan (its own units), when it claims it."""
    model_cost_after: float | None = None
    """... and with the whole plan applied."""


@dataclass(frozen=True)
class RecommendationCheck:
    number: int
    action: str
    index: str
    name: str
    checks: tuple[PatternCheck, ...]

    @property
    def ignored(self) -> tuple[PatternCheck, ...]:
        """Claimed patterns the planner serves without this index, and no known reason why."""
        return tuple(c for c in self.checks if c.claimed and not c.used and c.expected is None)


@dataclass(frozen=True)
class Verification:
    file: str
    engine: str
    """``SQLite (in-memory)``, ``PostgreSQL 15.4``, ``MariaDB 10.11``."""
    what_if: str
    """How the after state was made: ``HypoPG what-if indexes`` or ``real indexes``."""
    cost_unit: str
    rows_cap: int
    rows_loaded: dict[str, int]
    recommendations: tuple[RecommendationCheck, ...]
    skipped: tuple[str, ...]
    """Patterns not explained, with the reason (INSERT: no index serves it)."""
    version: int = VERIFY_VERSION
    full_scale_rows: dict[str, int] = field(default_factory=dict)
    """Tables the planner saw at their declared row count (empty: every figure is at the loaded
    scale)."""

    @property
    def scale(self) -> str:
        """``full scale: N rows`` (the largest declared table) or ``loaded scale``."""
        if not self.full_scale_rows:
            return "loaded scale"
        return f"full scale: {max(self.full_scale_rows.values()):,} rows"

    @property
    def ok(self) -> bool:
        return not any(r.ignored for r in self.recommendations)
