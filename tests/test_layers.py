"""The stages only look down: pyproject.toml's layers contract holds for the package, and it
fails on an import that looks up."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    """import-linter on the package found first in ``cwd``, with the contract in its pyproject."""
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    code = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(no_cache=True))"
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True)


def test_every_stage_imports_only_the_stages_below_it() -> None:
    run = _lint_imports(ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 kept, 0 broken" in run.stdout


def test_an_import_that_looks_up_breaks_the_contract(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "advisor", tmp_path / "advisor", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    rules_base = tmp_path / "advisor" / "rules" / "base.py"
    rules_base.write_text(rules_base.read_text() + "\nfrom advisor.selection.select import Plan\n")
    run = _lint_imports(tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "advisor.rules.base -> advisor.selection.select" in run.stdout
