"""What ``benchmarks/tpch.py`` prints and writes: the configurations' table, their indexes, the
planner's and the model's cost of every (pattern, configuration) pair, the calibration figures
and the time each phase took."""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from tpch_model import Calibration
from tpch_whatif import Ix

MIB = 1 << 20


@dataclass
class Configuration:
    """A set of indexes and what each side says it costs, per pattern."""

    name: str
    indexes: list[Ix]
    budget: int | None = None
    planner: dict[str, float] = field(default_factory=dict)
    model: dict[str, float] = field(default_factory=dict)
    sizes: dict[Ix, int] = field(default_factory=dict)
    """HypoPG's size of each index."""
    model_sizes: dict[Ix, float] = field(default_factory=dict)
    planner_calls: int | None = None
    """Planner questions the selection asked (0 for the model-only plan, None for no selection)."""
    flags: list[list[str]] = field(default_factory=list)
    """Per index, why it is redundant against another of the configuration."""
    steps: list[dict[str, Any]] = field(default_factory=list)
    """A search's steps, in order (the greedy's)."""

    @property
    def size(self) -> int:
        return sum(self.sizes.values())

    @property
    def label(self) -> str:
        """``what-if greedy @ 500 MiB``; the name alone when there is no budget."""
        return self.name if self.budget is None else f"{self.name} @ {self.budget / MIB:,.0f} MiB"


@dataclass
class Phases:
    seconds: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def timed(self, name: str) -> Iterator[None]:
        """Time the block as phase ``name``; progress goes to standard error."""
        start = time.perf_counter()
        print(f"[{name}] ...", file=sys.stderr, flush=True)
        yield
        self.seconds[name] = time.perf_counter() - start
        print(f"[{name}] {self.seconds[name]:.1f} s", file=sys.stderr, flush=True)


def mib(n: float) -> str:
    return f"{n / MIB:,.1f}"


def pct(part: float, whole: float) -> float:
    return 100.0 * part / whole if whole else math.nan


def short(n: float) -> str:
    """A cost in four characters or so.

    >>> short(231048.3), short(1_234_567), short(38.2), short(0.04)
    ('231k', '1.23M', '38', '0.04')
    """
    if n >= 1e6:
        return f"{n / 1e6:.3g}M"
    if n >= 1e4:
        return f"{n / 1e3:.0f}k"
    return f"{n:.0f}" if n >= 1 else f"{n:.2g}"


def totals(conf: Configuration) -> tuple[float, float]:
    return sum(conf.planner.values()), sum(conf.model.values())


def print_table(confs: Sequence[Configuration]) -> None:
    pk_planner, pk_model = totals(confs[0])
    print(
        f"{'configuration':<24} {'budget MiB':>10} {'indexes':>7} {'size MiB':>9} {'cost %':>7} "
        f"{'model %':>7} {'planner calls':>13}"
    )
    for c in confs:
        planner, model = totals(c)
        budget = mib(c.budget) if c.budget is not None else "-"
        calls = f"{c.planner_calls:,}" if c.planner_calls is not None else "-"
        print(
            f"{c.name:<24} {budget:>10} {len(c.indexes):>7} {mib(c.size):>9} "
            f"{pct(planner, pk_planner):>7.1f} {pct(model, pk_model):>7.1f} {calls:>13}"
        )
    print(
        f"cost %: the planner's EXPLAIN total cost summed over the queries, as a share of the primary-keys-only "
        f"sum ({pk_planner:,.0f}); model %: the advisor's model, the same ratio ({pk_model:,.0f})."
    )


def print_indexes(conf: Configuration, same_as: str | None = None) -> None:
    print(f"\n{conf.label}: {len(conf.indexes)} indexes, {mib(conf.size)} MiB")
    if same_as is not None:
        print(f"  the same indexes as {same_as}")
        return
    for i, ix in enumerate(conf.indexes):
        flags = conf.flags[i] if i < len(conf.flags) else []
        model = conf.model_sizes.get(ix)
        sizes = f"{mib(conf.sizes[ix]):>8} MiB" + (f" (model {mib(model)})" if model is not None else "")
        note = f"  REDUNDANT: {'; '.join(flags)}" if flags else ""
        print(f"  {i + 1:>2}. {ix.label():<72} {sizes}{note}")


def print_pairs(confs: Sequence[Configuration]) -> None:
    """Planner / model cost of every pattern under every configuration."""
    heads = [c.label.replace("what-if greedy @ ", "greedy@").replace(" MiB", "") for c in confs]
    print("\nper pattern, planner / model cost of one execution:")
    print(f"  {'':<5}" + "".join(f"{h[:15]:>16}" for h in heads))
    for pattern in confs[0].planner:
        cells = [f"{short(c.planner[pattern])}/{short(c.model.get(pattern, math.nan))}" for c in confs]
        print(f"  {pattern:<5}" + "".join(f"{cell:>16}" for cell in cells))


def print_calibration(cal: Calibration) -> None:
    print(
        f"\ncalibration over {len(cal.pairs)} (pattern, configuration) pairs (configurations with the same indexes once):"
    )
    print(f"  Spearman rank correlation, model vs planner: {cal.spearman:.3f}")
    print(
        f"  median |ln(model / planner)|: {cal.median_abs_log:.3f} (a factor of {math.exp(cal.median_abs_log):.2f})"
    )
    print("  the 10 worst pairs:")
    print(f"  {'pattern':<8} {'configuration':<28} {'model':>12} {'planner':>12} {'model/planner':>14}")
    for p in cal.worst(10):
        ratio = math.exp(p.log_ratio)
        print(f"  {p.pattern:<8} {p.configuration:<28} {p.model:>12,.1f} {p.planner:>12,.1f} {ratio:>14.3g}")


def print_phases(phases: Phases, explains: int) -> None:
    print("\nphases:")
    for name, seconds in phases.seconds.items():
        print(f"  {name:<56} {seconds:>8.1f} s")
    print(f"  EXPLAINs run: {explains:,}")


def _configuration_json(c: Configuration, pk: tuple[float, float]) -> dict[str, Any]:
    planner, model = totals(c)
    return {
        "name": c.name,
        "label": c.label,
        "budget_bytes": c.budget,
        "indexes": [
            {
                "index": ix.label(),
                "size_bytes": c.sizes[ix],
                "model_size_bytes": c.model_sizes.get(ix),
                "redundant": c.flags[i] if i < len(c.flags) else [],
            }
            for i, ix in enumerate(c.indexes)
        ],
        "size_bytes": c.size,
        "planner_total": planner,
        "planner_pct": pct(planner, pk[0]),
        "model_total": model,
        "model_pct": pct(model, pk[1]),
        "planner_calls": c.planner_calls,
        "steps": c.steps,
        "patterns": {q: {"planner": c.planner[q], "model": c.model.get(q)} for q in c.planner},
    }


def report_json(
    confs: Sequence[Configuration], cal: Calibration, phases: Phases, extra: Mapping[str, Any]
) -> dict[str, Any]:
    """Every figure, for comparing runs: ``version`` 1; fields are only ever added."""
    return {
        "version": 1,
        **extra,
        "configurations": [_configuration_json(c, totals(confs[0])) for c in confs],
        "calibration": {
            "pairs": len(cal.pairs),
            "spearman": None if math.isnan(cal.spearman) else cal.spearman,
            "median_abs_log": None if math.isnan(cal.median_abs_log) else cal.median_abs_log,
            "worst": [
                {
                    "pattern": p.pattern,
                    "configuration": p.configuration,
                    "model": p.model,
                    "planner": p.planner,
                }
                for p in cal.worst(10)
            ],
        },
        "phases_seconds": phases.seconds,
    }
