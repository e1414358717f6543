"""Weighted patterns get rates from the workload's totals, by kind; without a total they stay
relative and the report says so; a total the rated patterns already use up is an input error."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.errors import AdvisorError
from advisor.explain.result import Result
from advisor.recommend import recommend
from advisor.spec.load import load_spec

TABLES = """\
dialect: postgres
tables:
  events:
    rows: 50000000
    columns:
      id: { type: bigint, primary_key: true }
      account_id: { type: bigint, ndv: 100000 }
      kind: { type: varchar(20), ndv: 12 }
      created_at: { type: timestamp }
"""
PATTERNS = """\
patterns:
  - { name: by_account, sql: "SELECT id, kind FROM events WHERE account_id = :a", weight: 3 }
  - { name: by_id, sql: "SELECT kind FROM events WHERE id = :id", weight: 1 }
  - { name: health, sql: "SELECT 1 FROM events WHERE id = 1", per_sec: 200 }
  - { name: log_event, sql: "INSERT INTO events (account_id, kind, created_at) VALUES (:a, :k, now())", weight: 5 }
"""


def _run(tmp_path: Path, workload: str) -> Result:
    path = tmp_path / "patterns.yaml"
    path.write_text(TABLES + workload + PATTERNS)
    return recommend(load_spec(path))


def _rates(result: Result) -> dict[str, float]:
    return {s.pattern: s.per_sec for r in result.recommendations for s in r.serves}


def test_reads_total_is_shared_by_weight_after_rated_patterns(tmp_path: Path) -> None:
    result = _run(tmp_path, "workload: { reads_per_sec: 10200, writes_per_sec: 50 }\n")
    # 10,200 reads/s less the 200/s of `health` leave 10,000/s: 3/4 to by_account
    assert _rates(result)["by_account"] == pytest.approx(7500)
    assert any("10,000/s of workload.reads_per_sec" in a for a in result.assumptions)
    assert any("50/s of workload.writes_per_sec" in a for a in result.assumptions)
    assert not any("relative" in a for a in result.assumptions)


def test_writes_weigh_on_the_index_through_their_own_total(tmp_path: Path) -> None:
    light = _run(tmp_path, "workload: { reads_per_sec: 10200, writes_per_sec: 50 }\n")
    heavy = _run(tmp_path, "workload: { reads_per_sec: 10200, writes_per_sec: 5000 }\n")
    (ix_light,) = [r for r in light.recommendations if r.action == "create"]
    (ix_heavy,) = [r for r in heavy.recommendations if r.action == "create"]
    assert ix_heavy.write_pages_per_sec == pytest.approx(100 * ix_light.write_pages_per_sec)


def test_without_totals_weights_stay_relative_and_are_named(tmp_path: Path) -> None:
    result = _run(tmp_path, "")
    assert _rates(result)["by_account"] == 3
    assert any(
        a.startswith("read pattern weights are relative (no workload.reads_per_sec)")
        for a in result.assumptions
    )
    assert any(a.startswith("write pattern weights are relative") for a in result.assumptions)


def test_only_the_kind_with_a_total_is_scaled(tmp_path: Path) -> None:
    result = _run(tmp_path, "workload: { writes_per_sec: 80 }\n")
    assert _rates(result)["by_account"] == 3
    assert any(a.startswith("read pattern weights are relative") for a in result.assumptions)
    assert any("80/s of workload.writes_per_sec" in a for a in result.assumptions)


def test_total_used_up_by_rated_patterns_is_an_error_at_its_line(tmp_path: Path) -> None:
    with pytest.raises(AdvisorError) as err:
        _run(tmp_path, "workload:\n  writes_per_sec: 10\n  reads_per_sec: 150\n")
    path = tmp_path / "patterns.yaml"
    assert str(err.value) == (
        f"{path}:12: workload.reads_per_sec: 150 reads/s leave nothing for the 2 weighted read "
        "pattern(s): the per_sec / per_day read patterns already add up to 200/s"
    )
