"""Equality columns ordered so that prefixes serve other patterns: on a tracker-like spec one
index serves the board (ORDER BY ... LIMIT) and, by its prefix, the open count."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import run_advisor

SPEC = Path(__file__).parent / "specs" / "tracker.yaml"


def _plan() -> dict[str, list[str]]:
    done = run_advisor("recommend", str(SPEC), "--format", "json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    return {
        r["index"]: sorted(s["pattern"] for s in r["serves"])
        for r in report["recommendations"]
        if r["action"] == "create"
    }


def test_one_index_ordered_for_sharing_serves_the_board_and_the_open_count() -> None:
    plan = _plan()
    assert plan["issues (tenant_id, state, project_id, updated_at DESC)"] == ["board", "open_count"]


def test_the_order_columns_stay_although_independence_estimates_a_fraction_of_a_row() -> None:
    # tenant, project and state multiply to 0.005 rows: a seek-only index looks as good, yet the
    # pattern reads in updated_at order, so the index that keeps the order is the one proposed
    seek_only = {"tenant_id", "state", "project_id"}
    for index in _plan():
        keys = {k.split()[0] for k in index.split("(", 1)[1].split(")", 1)[0].split(", ")}
        assert keys != seek_only, index
