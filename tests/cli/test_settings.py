"""``[tool.advisor.recommend]`` (or ``[recommend]`` in advisor.toml) turns rules off and sets
severities and thresholds, for recommend as for ddl; a wrong rule or threshold is one line, exit 2."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from tests.cli.conftest import ROOT, run_advisor

SAMPLE = ROOT / "samples" / "ecommerce" / "patterns.yaml"


def _report(folder: Path, config: str | None, name: str = "pyproject.toml") -> dict[str, Any]:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(SAMPLE, folder / "patterns.yaml")
    if config is not None:
        (folder / name).write_text(config, encoding="utf-8")
    done = run_advisor("recommend", "patterns.yaml", "--format", "json", cwd=folder)
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _rules(report: dict[str, Any]) -> set[str]:
    return {f["rule"] for f in report["findings"]}


def test_ignore_and_severity_change_the_findings(tmp_path: Path) -> None:
    plain = _report(tmp_path / "plain", None)
    assert {"QRY009", "IDX004"} <= _rules(plain)
    assert {f["severity"] for f in plain["findings"] if f["rule"] == "IDX004"} == {"info"}
    config = '[tool.advisor.recommend]\nignore = ["QRY009"]\nseverity = { IDX004 = "warning" }\n'
    tuned = _report(tmp_path / "tuned", config)
    assert "QRY009" not in _rules(tuned)
    assert {f["severity"] for f in tuned["findings"] if f["rule"] == "IDX004"} == {"warning"}
    assert [r["index"] for r in tuned["recommendations"]] == [r["index"] for r in plain["recommendations"]]


def test_a_threshold_changes_the_plan(tmp_path: Path) -> None:
    plain = _report(tmp_path / "plain", None)
    assert any(r["action"] == "create" for r in plain["recommendations"])
    # no index saves 10^15 page reads a second per GB: nothing is created
    strict = _report(
        tmp_path / "strict",
        "[recommend]\nthresholds = { IDX001 = { min_benefit_per_gb = 1e15 } }\n",
        "advisor.toml",
    )
    assert not [r for r in strict["recommendations"] if r["action"] == "create"]
    assert any("under 1,000,000,000,000,000 per GB" in r["reason"] for r in strict["rejected"])


def test_ignoring_a_candidate_rule_removes_what_it_proposes(tmp_path: Path) -> None:
    tuned = _report(tmp_path / "tuned", '[tool.advisor.recommend]\nignore = ["COV001"]\n')
    assert not [r for r in tuned["recommendations"] if "INCLUDE" in r["index"]]
    assert not [r for r in tuned["rejected"] if r["rule"] == "COV001"]


def test_bad_settings_are_one_line_naming_file_and_field(tmp_path: Path) -> None:
    shutil.copy(SAMPLE, tmp_path / "patterns.yaml")
    config = tmp_path / "pyproject.toml"
    cases = {
        '[tool.advisor.recommend]\nignore = ["IDX0099"]\n': "tool.advisor.recommend.ignore: unknown rule 'IDX0099'",
        "[tool.advisor.recommend]\nthresholds = { COV001 = { max_share = 0.3 } }\n": (
            "tool.advisor.recommend.thresholds.COV001.max_share: COV001 has no threshold 'max_share' "
            "(it has: max_extra_columns, max_table_share)"
        ),
        '[tool.advisor.recommend]\nseverity = { IDX004 = "loud" }\n': "tool.advisor.recommend.severity.IDX004:",
        "[tool.advisor.recommend]\nverbose = true\n": "tool.advisor.recommend.verbose:",
    }
    for text, expected in cases.items():
        config.write_text(text, encoding="utf-8")
        for command in ("recommend", "ddl"):
            done = run_advisor(command, "patterns.yaml", cwd=tmp_path)
            assert done.returncode == 2, (text, done.stdout)
            lines = done.stderr.strip().splitlines()
            assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
            assert lines[0].startswith(f"advisor: error: {config}:"), lines[0]
            assert expected in lines[0], lines[0]
