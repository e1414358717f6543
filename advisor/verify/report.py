"""``advisor verify`` output: one formatter base class, one subclass per format."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from advisor.report.inert import inert_fields, no_commands
from advisor.verify.result import PatternCheck, RecommendationCheck, Verification


class VerifyFormatter:
    """Renders a ``Verification``; subclasses pick the format."""

    def render(self, result: Verification) -> str:
        raise NotImplementedError


def _cost(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:,.0f}" if value >= 1000 or value == int(value) else f"{value:,.2f}"


NO_GAIN = 0.05
"""A used index that lowers the planner's cost by less than this share has bought nothing."""


def no_gain(check: PatternCheck) -> bool:
    """The planner reads the index but its cost hardly moves (``84.87 → 84.62``): the index is not
    what makes the pattern cheap on this engine at this scale.

    >>> no_gain(PatternCheck("p", True, 84.87, 84.62, "", "")), no_gain(PatternCheck("p", True, 84.9, 2.0, "", ""))
    (True, False)
    """
    before, after = check.cost_before, check.cost_after
    return check.used and before is not None and after is not None and after > before * (1 - NO_GAIN)


DISAGREE = 5.0
"""A used index whose model speed-up exceeds the planner's more than this many times was chosen on
a gain the engine does not see (a planner that gains more than the model expected only confirms
the advice)."""


def speedups(check: PatternCheck) -> tuple[float, float] | None:
    """How many times cheaper the pattern gets with the plan: by the model's costs and by the
    planner's (each in its own units, so only their ratios compare); ``None`` when one is unknown.

    >>> speedups(PatternCheck("p", True, 84.9, 42.45, "", "", model_cost_before=38.8, model_cost_after=2.0))
    (19.4, 2.0)
    """
    figures = (check.model_cost_before, check.model_cost_after, check.cost_before, check.cost_after)
    if any(f is None or f <= 0 for f in figures):
        return None
    model_before, model_after, before, after = (float(f or 0.0) for f in figures)
    return model_before / model_after, before / after


def disagrees(check: PatternCheck) -> bool:
    """The planner reads the index and gains, but far less than the model expected: the model's
    speed-up is more than ``DISAGREE`` times the planner's.

    >>> disagrees(PatternCheck("p", True, 84.9, 42.45, "", "", model_cost_before=38.8, model_cost_after=2.0))
    True
    >>> disagrees(PatternCheck("p", True, 84.9, 8.49, "", "", model_cost_before=38.8, model_cost_after=2.0))
    False
    >>> disagrees(PatternCheck("p", True, 84.9, 0.01, "", "", model_cost_before=38.8, model_cost_after=2.0))
    False
    """
    ups = speedups(check)
    if not check.used or no_gain(check) or ups is None:
        return False
    model, planner = ups
    return model > planner * DISAGREE


def _status(rec: RecommendationCheck, check: PatternCheck) -> str:
    if rec.action == "drop":
        return "ok" if check.used else "NO INDEX"
    if not check.claimed:
        return "also"
    if check.used:
        return "no gain" if no_gain(check) else "disagree" if disagrees(check) else "used"
    return "expected" if check.expected else "IGNORED"


def _scale(result: Verification) -> str:
    if not result.full_scale_rows:
        sizes = (
            "every table, and HypoPG every what-if index," if "HypoPG" in result.what_if else "every table"
        )
        return f"at the loaded scale: the planner sizes {sizes} from the rows loaded"
    tables = " · ".join(f"{table} {rows:,}" for table, rows in result.full_scale_rows.items())
    return (
        f"{result.scale} ({tables}): row counts, selectivities and what-if index sizes are the "
        "declared ones; a sequential scan's page reads stay those of the loaded table"
    )


class TextVerifyFormatter(VerifyFormatter):
    def render(self, result: Verification) -> str:
        result = inert_fields(result)
        loaded = " · ".join(f"{table} {rows:,}" for table, rows in result.rows_loaded.items())
        lines = [
            f"advisor verify {result.file}",
            f"engine: {result.engine} · {result.what_if} · costs in {result.cost_unit}",
            f"rows: {loaded} (cap {result.rows_cap:,})",
            f"scale: {_scale(result)}",
        ]
        for rec in result.recommendations:
            lines.append("")
            lines.append(f"#{rec.number} {rec.action} {rec.index}  [{rec.name}]")
            if not rec.checks:
                lines.append("   not checked: none of its patterns could be explained on this engine")
            for check in rec.checks:
                lines.extend(self._check(rec, check))
        if result.skipped:
            lines.append("")
            lines.append("Not explained:")
            lines.extend(f"  {reason}" for reason in result.skipped)
        lines.append("")
        lines.append(self._verdict(result))
        return no_commands("\n".join(lines) + "\n")

    def _check(self, rec: RecommendationCheck, check: PatternCheck) -> list[str]:
        status = _status(rec, check)
        out = [
            f"   {status:<9}{check.pattern:<32} cost {_cost(check.cost_before)} → {_cost(check.cost_after)}",
            f"   {'':<9}before: {check.plan_before}",
            f"   {'':<9}after:  {check.plan_after}",
        ]
        if check.expected:
            out.append(f"   {'':<9}expected: {check.expected}")
        if rec.action == "create" and check.claimed and no_gain(check):
            out.append(
                f"   {'':<9}the planner reads the index, but its cost falls by less than {NO_GAIN:.0%}: "
                "the index is not what makes this pattern cheap here"
            )
        ups = speedups(check)
        if rec.action == "create" and check.claimed and disagrees(check) and ups is not None:
            out.append(
                f"   {'':<9}the model expected it {ups[0]:,.1f}x cheaper, the planner finds it only "
                f"{ups[1]:,.1f}x cheaper: the report overstates this index's gain for this pattern; check the "
                "rows, ndv and frequencies of its tables in the spec"
            )
        if check.note:
            out.append(f"   {'':<9}note: {check.note}")
        return out

    def _verdict(self, result: Verification) -> str:
        ignored = [r for r in result.recommendations if r.ignored]
        expected = sum(1 for r in result.recommendations for c in r.checks if c.expected)
        if ignored:
            names = ", ".join(f"#{r.number} ({', '.join(c.pattern for c in r.ignored)})" for r in ignored)
            return (
                f"IGNORED by the planner: {names}. The plan it chose is shown above; the advice "
                "for those patterns does not hold on this engine at this scale."
            )
        if not result.recommendations:
            return "Nothing to verify: the advice recommends no index changes."
        tail = (
            f" ({expected} expected exception{'s' if expected != 1 else ''}, explained above)"
            if expected
            else ""
        )
        idle = _claimed(result, no_gain)
        if idle:
            tail += f"; for {', '.join(idle)} it reads the index at no gain (see above)"
        apart = _claimed(result, disagrees)
        if apart:
            tail += (
                f"; for {', '.join(apart)} it gains less than a {DISAGREE:.0f}th of the speed-up the model "
                "expected (see above)"
            )
        return f"Verified: the planner uses every recommended index for the patterns it claims{tail}."


def _claimed(result: Verification, outcome: Callable[[PatternCheck], bool]) -> list[str]:
    """The patterns a recommended index claims that have ``outcome``, sorted."""
    return sorted(
        {
            c.pattern
            for r in result.recommendations
            if r.action == "create"
            for c in r.checks
            if c.claimed and outcome(c)
        }
    )


class JsonVerifyFormatter(VerifyFormatter):
    def render(self, result: Verification) -> str:
        data: dict[str, Any] = {
            "version": result.version,
            **asdict(result),
            "scale": result.scale,
            "ok": result.ok,
        }
        for rec, out in zip(result.recommendations, data["recommendations"], strict=True):
            out["ignored"] = [c.pattern for c in rec.ignored]
            for key, outcome in (("no_gain", no_gain), ("disagree", disagrees)):
                out[key] = [
                    c.pattern for c in rec.checks if rec.action == "create" and c.claimed and outcome(c)
                ]
        return json.dumps(data, indent=2) + "\n"


FORMATTERS: dict[str, type[VerifyFormatter]] = {"text": TextVerifyFormatter, "json": JsonVerifyFormatter}
