"""The pre-commit hook and the GitHub Action call the command as it exists."""

from __future__ import annotations

from pathlib import Path

import yaml

from advisor.lint.formats import FORMATTERS

ROOT = Path(__file__).resolve().parents[2]


def test_pre_commit_hook_runs_advisor_lint_on_sql_files() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    (hook,) = hooks
    assert hook["id"] == "advisor-lint"
    assert hook["entry"] == "advisor lint"
    assert hook["types"] == ["sql"]


def test_action_writes_and_uploads_sarif() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    steps = action["runs"]["steps"]
    lint = next(step for step in steps if step.get("id") == "lint")
    assert '"$advisor" lint' in lint["run"] and "--format sarif > advisor-lint.sarif" in lint["run"]
    assert "format=github" in lint["run"]
    upload = next(step for step in steps if "upload-sarif" in step.get("uses", ""))
    assert upload["with"]["sarif_file"] == "advisor-lint.sarif"
    assert {"sarif", "github"} <= set(FORMATTERS)
