"""``advisor recommend --summary``, ``--select`` and ``--ignore``, run as a user runs them."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from tests.cli.conftest import ROOT, run_advisor

SAMPLE = "samples/ecommerce/patterns.yaml"


def _json(*args: str, cwd: Path = ROOT) -> dict[str, Any]:
    done = run_advisor(
        "recommend", SAMPLE if cwd == ROOT else str(ROOT / SAMPLE), "-f", "json", *args, cwd=cwd
    )
    assert done.returncode == 0, done.stderr
    data: dict[str, Any] = json.loads(done.stdout)
    return data


def test_summary_is_the_plan_and_the_count_per_severity() -> None:
    counts = Counter(f["severity"] for f in _json()["findings"])
    expected = " · ".join(f"{counts[s]} {s}" for s in ("error", "warning", "info"))
    done = run_advisor("recommend", SAMPLE, "--summary")
    assert done.returncode == 0, done.stderr
    assert "#  action  index" in done.stdout
    assert done.stdout.endswith(f"\nFindings: {expected}\n")
    for detail in ("Considered and rejected", "Architect's checklist", "CREATE INDEX", "Capacity", "IDX004"):
        assert detail not in done.stdout


def test_summary_in_markdown() -> None:
    done = run_advisor("recommend", SAMPLE, "--summary", "--format", "markdown")
    assert done.returncode == 0, done.stderr
    assert "| # | action | index |" in done.stdout
    assert "\n**Findings**: 0 error · " in done.stdout
    assert "\n## " not in done.stdout


def test_summary_of_json_is_refused() -> None:
    done = run_advisor("recommend", SAMPLE, "--summary", "--format", "json")
    assert done.returncode == 2
    assert done.stderr == "advisor: error: --summary is for the text and markdown formats, not json\n"


def test_ignore_takes_ids_and_families_comma_separated() -> None:
    rules = {f["rule"] for f in _json()["findings"]}
    assert {"QRY009", "CAP001", "IDX004"} <= rules
    left = {f["rule"] for f in _json("--ignore", "qry,CAP001", "--ignore", "IDX004")["findings"]}
    assert left == rules - {"QRY009", "CAP001", "IDX004"}


def test_select_runs_only_the_named_rules() -> None:
    data = _json("--select", "IDX,QRY009")
    assert {f["rule"] for f in data["findings"]} == {"IDX004", "QRY009"}
    assert all(rule.startswith("IDX") for rec in data["recommendations"] for rule in rec["rules"])


def test_command_line_adds_to_the_configuration(tmp_path: Path) -> None:
    (tmp_path / "advisor.toml").write_text('[recommend]\nignore = ["QRY009"]\n')
    rules = {f["rule"] for f in _json("--ignore", "CAP", cwd=tmp_path)["findings"]}
    assert "QRY009" not in rules
    assert not any(rule.startswith("CAP") for rule in rules)
    assert "IDX004" in rules


def test_unknown_rule_is_one_line() -> None:
    done = run_advisor("recommend", SAMPLE, "--select", "IDX01")
    assert done.returncode == 2
    assert done.stderr == (
        "advisor: error: --select: unknown rule 'IDX01' (did you mean IDX001 or IDX009?); `advisor rules` lists them\n"
    )


def test_lint_takes_families_and_lists_too() -> None:
    folder = "tests/lint/migrations/dangerous"
    assert run_advisor("lint", folder).returncode == 1
    quiet = run_advisor("lint", folder, "--ignore", "MIG")
    assert (quiet.returncode, quiet.stdout.count("MIG0")) == (0, 0)
    some = run_advisor("lint", folder, "--format", "gcc", "--ignore", "MIG001,mig002")
    assert some.stdout.count("[MIG0") > 0
    assert "[MIG001]" not in some.stdout and "[MIG002]" not in some.stdout
