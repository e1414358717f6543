"""``advisor recommend --format sarif``: the plan and the findings as a code scanning log, checked
against the JSON report of the same run and the lines of the patterns file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from advisor.catalog import load_catalog
from tests.cli.conftest import ROOT, run_advisor

SAMPLE = "samples/ecommerce/patterns.yaml"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def _sarif(*args: str, cwd: Path = ROOT) -> dict[str, Any]:
    done = run_advisor("recommend", *args, "--format", "sarif", cwd=cwd)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    data: dict[str, Any] = json.loads(done.stdout)
    return data


def _line_of(prefix: str, after: int = 0) -> int:
    """1-based line of the first line of the sample, past line ``after``, that starts with ``prefix``."""
    lines = (ROOT / SAMPLE).read_text().splitlines()
    return next(n for n, text in enumerate(lines, 1) if n > after and text.strip().startswith(prefix))


def _line(result: dict[str, Any]) -> int:
    line: int = result["locations"][0]["physicalLocation"]["region"]["startLine"]
    return line


def test_sarif_is_one_run_whose_results_name_its_rules() -> None:
    log = _sarif(SAMPLE)
    assert log["version"] == "2.1.0"
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    [run] = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "advisor"
    ids = [rule["id"] for rule in driver["rules"]]
    assert ids == sorted(set(ids))
    assert {r["ruleId"] for r in run["results"]} == set(ids)  # every rule listed is used, and only those
    catalog = load_catalog()
    for rule in driver["rules"]:
        doc = catalog[rule["id"]]
        assert rule["name"] == doc.name
        assert rule["shortDescription"]["text"] == doc.title
        assert rule["fullDescription"]["text"] == doc.what.strip()
        assert doc.why.strip() in rule["help"]["text"] and doc.fix.strip() in rule["help"]["text"]
        assert rule["defaultConfiguration"]["level"] == LEVELS[doc.severity.value]
    for result in run["results"]:
        assert ids[result["ruleIndex"]] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == SAMPLE
        assert location["region"]["startLine"] >= 1
    fingerprints = [next(iter(r["partialFingerprints"].values())) for r in run["results"]]
    assert len(set(fingerprints)) == len(fingerprints)


def test_sarif_holds_every_recommendation_and_finding_of_the_report() -> None:
    report = json.loads(run_advisor("recommend", SAMPLE, "--format", "json").stdout)
    results = _sarif(SAMPLE)["runs"][0]["results"]
    recs, findings = report["recommendations"], report["findings"]
    assert len(results) == len(recs) + len(findings)
    for rec, result in zip(recs, results[: len(recs)], strict=True):
        assert (result["ruleId"], result["level"]) == (rec["rules"][0], "note")
        assert rec["index"] in result["message"]["text"] and rec["ddl"] in result["message"]["text"]
    for finding, result in zip(findings, results[len(recs) :], strict=True):
        assert result["ruleId"] == finding["rule"]
        assert result["level"] == LEVELS[finding["severity"]]
        assert result["message"]["text"].startswith(f"{finding['message']}. Fix: {finding['fix']}")
        assert _line(result) == (finding["line"] or 1)


def test_sarif_points_at_the_lines_of_the_patterns_file() -> None:
    results = _sarif(SAMPLE)["runs"][0]["results"]
    by_start = {(r["ruleId"], r["message"]["text"].split(":")[0]): r for r in results}

    # The history index serves orders_of_user first: it points at that pattern.
    history = by_start[
        "COV001", "Create index orders (user_id, created_at DESC) INCLUDE (order_id, status, total_amount)"
    ]
    assert _line(history) == _line_of("- name: orders_of_user")
    assert (
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_orders_user_id_created_at" in history["message"]["text"]
    )

    # The redundant index points at its declaration.
    drop = by_start["IDX006", "Drop index orders (user_id)"]
    assert _line(drop) == _line_of("- { name: idx_orders_user_id")
    assert "DROP INDEX CONCURRENTLY IF EXISTS idx_orders_user_id;" in drop["message"]["text"]

    # An unbounded result is a warning at the pattern's SQL.
    [unbounded] = [r for r in results if r["ruleId"] == "QRY009"]
    assert unbounded["level"] == "warning"
    assert _line(unbounded) == _line_of("sql:", after=_line_of("- name: pending_orders_today"))
    assert unbounded["message"]["text"].startswith("pending_orders_today has no LIMIT")
    assert ". Fix: " in unbounded["message"]["text"]


def test_sarif_uri_is_relative_inside_the_current_folder_and_a_file_uri_outside(tmp_path: Path) -> None:
    absolute = str(ROOT / SAMPLE)
    inside = _sarif(absolute)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert inside["artifactLocation"]["uri"] == SAMPLE
    outside = _sarif(absolute, cwd=tmp_path)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert outside["artifactLocation"]["uri"] == (ROOT / SAMPLE).as_uri()


def test_sarif_output_rewrites_its_own_log_but_not_another_tools(tmp_path: Path) -> None:
    out = tmp_path / "plan.sarif"
    for _ in range(2):
        done = run_advisor("recommend", SAMPLE, "--format", "sarif", "--output", str(out))
        assert done.returncode == 0, done.stderr
    assert json.loads(out.read_text())["runs"][0]["tool"]["driver"]["name"] == "advisor"
    other = tmp_path / "other.sarif"
    foreign = json.dumps(
        {
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [{"tool": {"driver": {"name": "othertool"}}, "results": []}],
        },
        indent=2,
    )
    other.write_text(foreign)
    done = run_advisor("recommend", SAMPLE, "--format", "sarif", "--output", str(other))
    assert done.returncode == 2
    assert "not an earlier advisor report" in done.stderr
    assert other.read_text() == foreign


def test_a_drop_of_an_index_from_the_ddl_points_at_its_table_in_the_patterns_file() -> None:
    # saas_helpdesk declares idx_tickets_tenant in schema.sql: lines there are not lines of the
    # patterns file, so the result points at the table's entry in patterns.yaml instead.
    sample = ROOT / "samples/saas_helpdesk/patterns.yaml"
    results = _sarif(str(sample.relative_to(ROOT)))["runs"][0]["results"]
    [drop] = [
        r
        for r in results
        if "DROP INDEX" in r["message"]["text"] and "idx_tickets_tenant" in r["message"]["text"]
    ]
    lines = sample.read_text().splitlines()
    assert lines[_line(drop) - 1] == "  tickets:"
    assert all(1 <= _line(r) <= len(lines) for r in results)
