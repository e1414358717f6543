"""``verify --db sqlite:///file`` says that verify builds its own in-memory database and leaves the
file alone, instead of silently running in memory as if it had used it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _verify(tmp_path: Path, url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "advisor",
            "verify",
            str(ROOT / "samples/ecommerce/patterns.yaml"),
            "--db",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        check=False,
    )


def test_a_sqlite_file_is_named_and_left_alone(tmp_path: Path) -> None:
    done = _verify(tmp_path, "sqlite:///app.db")
    assert done.returncode in (0, 1), done.stderr
    assert "advisor: note: --db sqlite:///app.db: verify builds its own throwaway database" in done.stderr
    assert not (tmp_path / "app.db").exists()


def test_plain_sqlite_gets_no_note(tmp_path: Path) -> None:
    done = _verify(tmp_path, "sqlite://")
    assert done.returncode in (0, 1), done.stderr
    assert "note: --db" not in done.stderr
