from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_advisor(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """The real command, as a user runs it: a fresh interpreter, no colour, fixed width."""
    # SOURCE_DATE_EPOCH fixes "today" for the dated partition DDL in the snapshots
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120", "SOURCE_DATE_EPOCH": "1764000000"}
    return subprocess.run(
        [sys.executable, "-m", "advisor", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def advisor() -> object:
    return run_advisor
