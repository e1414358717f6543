"""The benchmark's spec generator (``benchmarks/scale.py``, not a package), for tests that need a
large, realistic spec."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]


def load_scale() -> ModuleType:
    """``benchmarks/scale.py`` as a module, loaded once."""
    if "scale" in sys.modules:
        return sys.modules["scale"]
    spec = importlib.util.spec_from_file_location("scale", ROOT / "benchmarks" / "scale.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module
