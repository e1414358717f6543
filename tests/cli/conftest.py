from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_advisor(
    *args: str, cwd: Path = ROOT, env: dict[str, str | None] | None = None
) -> subprocess.CompletedProcess[str]:
    """The real command, as a user runs it: a fresh interpreter, no colour, fixed width; ``env``
    changes the environment (``None`` removes a variable)."""
    # SOURCE_DATE_EPOCH fixes "today" for the dated partition DDL in the snapshots
    base = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120", "SOURCE_DATE_EPOCH": "1764000000"}
    for name, value in (env or {}).items():
        base.pop(name, None)
        if value is not None:
            base[name] = value
    return subprocess.run(
        [sys.executable, "-m", "advisor", *args],
        cwd=cwd,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def advisor() -> object:
    return run_advisor
