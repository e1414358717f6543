"""The CLI on every bundled sample, compared with reviewed snapshots.

Set ADVISOR_UPDATE_SNAPSHOTS=1 to rewrite them after a deliberate change, then review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.cli.conftest import ROOT, run_advisor

SAMPLES = sorted(p.relative_to(ROOT) for p in (ROOT / "samples").glob("*/patterns.yaml"))
SNAPSHOTS = Path(__file__).parent / "snapshots"


def _check(name: str, text: str) -> None:
    path = SNAPSHOTS / name
    if os.environ.get("ADVISOR_UPDATE_SNAPSHOTS"):
        path.write_text(text)
    assert path.exists(), f"no snapshot {name}; run with ADVISOR_UPDATE_SNAPSHOTS=1 and review it"
    assert text == path.read_text()


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.parent.name for p in SAMPLES])
@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_recommend_matches_snapshot(sample: Path, fmt: str) -> None:
    done = run_advisor("recommend", str(sample), "--format", fmt)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    _check(
        f"{sample.parent.name}.{fmt}.{'txt' if fmt == 'text' else 'md' if fmt == 'markdown' else 'json'}",
        done.stdout,
    )


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.parent.name for p in SAMPLES])
def test_ddl_changes_only_matches_snapshot(sample: Path) -> None:
    done = run_advisor("ddl", str(sample), "--changes-only")
    assert done.returncode == 0, done.stderr
    _check(f"{sample.parent.name}.changes.sql", done.stdout)


def test_json_report_is_versioned_and_complete() -> None:
    done = run_advisor("recommend", "samples/ecommerce/patterns.yaml", "--format", "json")
    data = json.loads(done.stdout)
    assert data["version"] == 1
    assert next(iter(data)) == "version"
    rec = data["recommendations"][0]
    for key in (
        "number",
        "action",
        "index",
        "ddl",
        "rules",
        "reason",
        "serves",
        "benefit",
        "size_bytes",
        "write_pages_per_sec",
    ):
        assert key in rec
    assert {"pattern", "per_sec", "cost_before", "cost_after", "plan"} <= set(rec["serves"][0])
    assert data["assumptions"], "the sample leaves some statistics out; the report must say what it assumed"
