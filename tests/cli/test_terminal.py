"""The text report in a real terminal (tmux, read back with ``capture-pane``): it takes the
window's width without ``COLUMNS``, fills it, and no line runs past it or is left at column 0."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from rich.cells import cell_len

from tests.cli.conftest import ROOT
from tests.cli.test_report_layout import _COLUMN_ZERO, _outside_capacity

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def _in_tmux(width: int, scratch: Path) -> list[str]:
    session = f"advisor-{uuid.uuid4().hex[:8]}"
    done = scratch / "done"
    command = (
        f"env -u COLUMNS -u NO_COLOR {sys.executable} -m advisor recommend samples/ecommerce/patterns.yaml; "
        f"touch {done}; sleep 60"
    )
    tmux = ["tmux", "-L", session]
    subprocess.run(
        [*tmux, "new-session", "-d", "-s", session, "-x", str(width), "-y", "500", "-c", str(ROOT), command],
        check=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not done.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert done.exists(), "the report did not finish within a minute"
        pane = subprocess.run(
            [*tmux, "capture-pane", "-p", "-S", "-", "-E", "-", "-t", session],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        subprocess.run([*tmux, "kill-server"], check=False, capture_output=True)
    return pane.rstrip("\n").splitlines()


@pytest.mark.parametrize("width", [80, 100, 200])
def test_the_report_fits_a_real_terminal(width: int, tmp_path: Path) -> None:
    lines = _in_tmux(width, tmp_path)
    assert lines[0].startswith("advisor recommend samples/ecommerce/patterns.yaml")
    widest = max(cell_len(line) for line in lines)
    assert width - 10 < widest <= width  # the window's width is used, and never passed
    lost = [line for line in _outside_capacity(lines) if line[:1].strip() and not _COLUMN_ZERO.match(line)]
    assert lost == []
    assert any(line.startswith("Architect's checklist") for line in lines)
