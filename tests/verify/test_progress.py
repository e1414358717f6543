"""verify names its stage from the first second, and names HypoPG only where it is used."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from advisor.spec.load import load_spec
from advisor.verify.run import verify
from tests.cli.conftest import ROOT
from tests.db.conftest import require

ECOMMERCE = ROOT / "samples/ecommerce/patterns.yaml"


class Stages:
    """A ``Progress`` that records each stage's label and count."""

    def __init__(self) -> None:
        self.started: list[tuple[str, int | None]] = []

    def start(self, label: str, total: int | None) -> None:
        self.started.append((label, total))

    def advance(self, label: str | None = None) -> None:
        return None


def _labels(url: str | None) -> list[str]:
    stages = Stages()
    verify(load_spec(ECOMMERCE), url, 500, stages)
    return [label for label, _ in stages.started]


def test_every_stage_is_named_in_order_and_sqlite_never_mentions_hypopg() -> None:
    labels = _labels(None)
    assert labels[:5] == [
        "connecting to the database",
        "planning the changes",
        "creating the tables",
        "loading rows",
        "analyzing the tables",
    ]
    assert labels[-2:] == ["analyzing the tables", "explaining (after)"]
    assert "building the indexes" in labels
    assert not any("HypoPG" in label for label in labels)


@pytest.mark.parametrize("engine", ["postgres", "mariadb"])
def test_hypopg_is_named_only_on_the_engine_that_uses_it(engine: str) -> None:
    labels = _labels(require(engine))
    if engine == "postgres":
        assert "what-if indexes (HypoPG)" in labels and "explaining (after, HypoPG)" in labels
    else:
        assert not any("HypoPG" in label for label in labels)
        assert "building the indexes" in labels


def test_a_terminal_sees_the_first_stage_before_the_database_work(tmp_path: Path) -> None:
    """On a terminal the bar is drawn while the spec is still being read and analyzed."""
    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": "100", "TERM": "xterm"}
    env.pop("NO_COLOR", None)
    command = [sys.executable, "-m", "advisor", "verify", str(ECOMMERCE), "--rows", "500"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=follower)
    os.close(follower)
    seen = b""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk
        elif process.poll() is not None:
            break
    out, _ = process.communicate(timeout=60)
    os.close(leader)
    assert process.returncode == 0
    text = seen.decode(errors="replace")
    for stage in ("reading the spec", "analyzing the patterns", "loading rows", "explaining (after)"):
        assert stage in text, text[-2000:]
    assert text.index("analyzing the patterns") < text.index("loading rows")
    assert "HypoPG" not in text
    assert b"Verified" in out
