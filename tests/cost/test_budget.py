"""The budget keys bound the selection, and what they turn down is reported with the reason."""

from __future__ import annotations

from pathlib import Path

import yaml

from advisor.recommend import recommend
from advisor.spec.load import load_spec

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "ecommerce" / "patterns.yaml"


def _plan(tmp_path: Path, budget: dict[str, object]) -> tuple[list[str], list[tuple[str, str]], float]:
    spec = yaml.safe_load(SAMPLE.read_text())
    spec["budget"] = budget
    path = tmp_path / "patterns.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    result = recommend(load_spec(path))
    created = [r.index for r in result.recommendations if r.action == "create"]
    sizes = sum(r.size_bytes for r in result.recommendations if r.action == "create")
    return created, [(r.index, r.reason) for r in result.rejected], sizes


def test_no_budget_takes_every_index_that_pays(tmp_path: Path) -> None:
    created, _, _ = _plan(tmp_path, {})
    assert len(created) == 6


def test_storage_budget_keeps_the_total_under_it(tmp_path: Path) -> None:
    created, rejected, size = _plan(tmp_path, {"storage": "250GB"})
    assert size <= 250e9
    assert 0 < len(created) < 6
    assert any("storage budget" in reason for _, reason in rejected)


def test_max_indexes_per_table_counts_existing_ones(tmp_path: Path) -> None:
    created, rejected, _ = _plan(tmp_path, {"max_indexes_per_table": 2})
    assert not [c for c in created if c.startswith("orders ")][1:]  # pkey + at most one more on orders
    assert any("max_indexes_per_table 2" in reason for _, reason in rejected)


def test_write_budget_refuses_indexes_that_add_too_many_page_writes(tmp_path: Path) -> None:
    spec = yaml.safe_load(SAMPLE.read_text())
    spec["budget"] = {"max_write_overhead": 400}
    path = tmp_path / "patterns.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    result = recommend(load_spec(path))
    # a new orders index adds 466 page writes/s; one that replaces idx_orders_user_id adds none
    assert result.totals.write_pages_per_sec <= 400
    assert any("write budget" in r.reason for r in result.rejected)
    assert any(r.action == "drop" for r in result.recommendations)
