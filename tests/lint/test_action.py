"""The GitHub Action's lint step, run by bash as the runner runs it (a stand-in ``advisor`` in the
virtual environment it installs): inputs reach the script through the environment, so a value
holding ``;`` or ``$(...)`` stays a value; an input error uploads nothing; findings are shown once."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
ACTION = yaml.safe_load((ROOT / "action.yml").read_text())


def _step(step_id: str) -> dict[str, Any]:
    return next(s for s in ACTION["runs"]["steps"] if s.get("id") == step_id)


def _run_lint(
    tmp_path: Path, paths: str, upload: str = "true"
) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    venv_bin = tmp_path / "runner" / "advisor-venv" / "bin"
    venv_bin.mkdir(parents=True)
    wrapper = venv_bin / "advisor"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m advisor "$@"\n')
    wrapper.chmod(0o755)
    output = tmp_path / "github_output"
    output.write_text("")
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "RUNNER_TEMP": str(tmp_path / "runner"),
        "GITHUB_OUTPUT": str(output),
        "ADVISOR_PATHS": paths,
        "ADVISOR_DIALECT": "postgres",
        "ADVISOR_FAIL_ON": "warning",
        "ADVISOR_ARGS": "",
        "ADVISOR_UPLOAD": upload,
    }
    done = subprocess.run(
        ["bash", "-e", "-c", _step("lint")["run"]],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    outputs = dict(line.split("=", 1) for line in output.read_text().splitlines() if "=" in line)
    return done, outputs


def _migrations(tmp_path: Path) -> Path:
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "V1__orders.sql").write_text("CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);\n")
    (folder / "V2__index.sql").write_text("CREATE INDEX orders_user ON orders (user_id);\n")
    return folder


def test_no_input_is_pasted_into_a_script() -> None:
    for step in ACTION["runs"]["steps"]:
        assert not re.search(r"\$\{\{", step.get("run", "")), step.get("name")
    assert not any("setup-python" in step.get("uses", "") for step in ACTION["runs"]["steps"])
    assert set(ACTION["outputs"]) == {"status", "sarif-file"}


def test_a_hostile_input_stays_a_value(tmp_path: Path) -> None:
    _migrations(tmp_path)
    done, outputs = _run_lint(tmp_path, "migrations; touch pwned $(touch pwned2)")
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "pwned").exists() and not (tmp_path / "pwned2").exists()
    assert outputs["status"] == "2"  # 'migrations;' is no path: refused, one line
    assert "advisor: error:" in done.stderr


def test_findings_are_written_as_sarif_and_shown_once(tmp_path: Path) -> None:
    _migrations(tmp_path)
    done, outputs = _run_lint(tmp_path, "migrations")
    assert done.returncode == 0, done.stderr
    assert outputs["status"] == "1" and outputs["sarif-file"] == "advisor-lint.sarif"
    sarif = (tmp_path / "advisor-lint.sarif").read_text()
    assert '"version": "2.1.0"' in sarif and "MIG" in sarif
    # uploaded to code scanning: the log gets text, not workflow annotations as well
    assert "::warning" not in done.stdout and "::error" not in done.stdout
    second = tmp_path / "second"
    second.mkdir()
    _migrations(second)
    done, _ = _run_lint(second, "migrations", upload="false")
    assert "::warning" in done.stdout or "::error" in done.stdout
