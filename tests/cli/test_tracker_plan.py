"""Equality columns ordered so that prefixes serve other patterns: on a tracker-like spec the
board (ORDER BY ... LIMIT) and "my issues" get indexes that share their leading columns, so the
open count needs none of its own."""

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


def test_equality_columns_ordered_for_sharing_need_no_index_for_the_open_count() -> None:
    plan = _plan()
    # the board keeps its order columns, and every index leads with (tenant_id, state), so the
    # open count is served by a prefix instead of an index of its own
    assert plan["issues (tenant_id, state, project_id, updated_at DESC)"][0] == "board"
    assert len(plan) == 2, plan
    assert all(index.startswith("issues (tenant_id, state, ") for index in plan), plan
    assert any("open_count" in served for served in plan.values()), plan


def test_the_order_columns_stay_although_independence_estimates_a_fraction_of_a_row() -> None:
    # tenant, project and state multiply to 0.005 rows: a seek-only index looks as good, yet the
    # pattern reads in updated_at order, so the index that keeps the order is the one proposed
    seek_only = {"tenant_id", "state", "project_id"}
    for index in _plan():
        keys = {k.split()[0] for k in index.split("(", 1)[1].split(")", 1)[0].split(", ")}
        assert keys != seek_only, index
