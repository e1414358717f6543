"""The TPC-H benchmark's modules (``benchmarks/tpch*.py``, not a package) for the tests: they
import one another by name, so their folder goes on ``sys.path`` before the first is imported."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
MODULES = (
    "tpch_data",
    "tpch_queries",
    "tpch_spec",
    "tpch_whatif",
    "tpch_greedy",
    "tpch_model",
    "tpch_report",
    "tpch",
)


def bench(name: str) -> ModuleType:
    """``benchmarks/<name>.py`` as a module."""
    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))
    return importlib.import_module(name)
