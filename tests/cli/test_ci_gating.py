"""Exit codes for CI: ``recommend --fail-on``, ``lint --exit-zero``, an empty migrations folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.conftest import run_advisor

SAMPLE = "samples/ecommerce/patterns.yaml"  # one warning (QRY009), info findings, no error
DANGEROUS = "tests/lint/migrations/dangerous"  # errors and warnings


@pytest.mark.parametrize(
    ("fail_on", "code"), [("error", 0), ("warning", 1), ("info", 1), ("never", 0), (None, 0)]
)
def test_recommend_fails_on_findings_at_or_above(fail_on: str | None, code: int) -> None:
    severities = {
        f["severity"] for f in json.loads(run_advisor("recommend", SAMPLE, "-f", "json").stdout)["findings"]
    }
    assert severities == {"warning", "info"}
    done = run_advisor("recommend", SAMPLE, "--summary", *(["--fail-on", fail_on] if fail_on else []))
    assert done.returncode == code, done.stderr
    assert "#  action  index" in done.stdout, "the report is printed whatever the exit status"


def test_recommend_fail_on_with_ignore_and_output(tmp_path: Path) -> None:
    quiet = run_advisor("recommend", SAMPLE, "--fail-on", "warning", "--ignore", "QRY009")
    assert quiet.returncode == 0, quiet.stderr
    out = tmp_path / "report.sarif"
    failed = run_advisor("recommend", SAMPLE, "-f", "sarif", "-o", str(out), "--fail-on", "warning")
    assert failed.returncode == 1 and failed.stderr == ""
    assert json.loads(out.read_text())["runs"], "the report is written before the exit status says it failed"


def test_recommend_fail_on_rejects_other_values() -> None:
    done = run_advisor("recommend", SAMPLE, "--fail-on", "sometimes")
    assert done.returncode == 2
    assert "sometimes" in done.stderr


def test_lint_exit_zero_reports_and_passes() -> None:
    failing = run_advisor("lint", DANGEROUS)
    assert failing.returncode == 1
    passing = run_advisor("lint", DANGEROUS, "--exit-zero")
    assert passing.returncode == 0
    assert passing.stdout == failing.stdout
    bad = run_advisor("lint", DANGEROUS, "--exit-zero", "--dialect", "oracle")
    assert bad.returncode == 2, "input errors are not findings"


def test_lint_of_an_empty_folder_is_a_note(tmp_path: Path) -> None:
    (tmp_path / "migrations").mkdir()
    done = run_advisor("lint", str(tmp_path / "migrations"))
    assert done.returncode == 0
    assert (
        done.stderr == f"advisor: note: {tmp_path / 'migrations'}: no .sql migration files in this folder\n"
    )
    assert done.stdout == "no findings in 0 files\n"
    beside = run_advisor("lint", str(tmp_path / "migrations"), DANGEROUS)
    assert beside.returncode == 1 and "MIG001" in beside.stdout
    missing = run_advisor("lint", str(tmp_path / "nope"))
    assert missing.returncode == 2, "a folder that does not exist is still an error"
