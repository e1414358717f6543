"""Estimates that rest on more than one column's statistics: a reference's distinct values bounded
by its parent, declared functional dependencies and foreign-key hierarchies."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.recommend import recommend
from advisor.spec.load import load_spec
from advisor.spec.model import Spec

PROJECTS = """\
dialect: postgres
tables:
  projects:
    rows: 20000
    columns:
      project_id: { type: bigint, primary_key: true }
      name: { type: text }
  issues:
    rows: 2000000
    columns:
      issue_id: { type: bigint, primary_key: true }
      project_id: { type: bigint, references: projects.project_id }
      title: { type: text }
patterns:
  - { name: of_project, sql: "SELECT title FROM issues WHERE project_id = :p", per_sec: 10 }
"""


def _spec(tmp_path: Path, text: str) -> Spec:
    path = tmp_path / "patterns.yaml"
    path.write_text(text)
    return load_spec(path)


def test_reference_without_stats_has_no_more_values_than_its_parent(tmp_path: Path) -> None:
    from advisor.cost.selectivity import column_ndv

    spec = _spec(tmp_path, PROJECTS)
    issues = spec.table("issues")
    assert issues is not None
    column = issues.column("project_id")
    assert column is not None
    assert column_ndv(issues, column) == (20_000, True)
    notes = recommend(spec).assumptions
    assert (
        "issues.project_id ndv (no stats given; assumed 20,000: at most the 20,000 values of projects.project_id)"
        in notes
    )


def test_reference_bound_is_the_parent_columns_ndv(tmp_path: Path) -> None:
    from advisor.cost.selectivity import column_ndv

    text = PROJECTS.replace(
        "name: { type: text }", "code: { type: text, unique: true }\n      region: { type: text, ndv: 50 }"
    )
    text = text.replace("references: projects.project_id", "references: projects.region")
    spec = _spec(tmp_path, text)
    issues = spec.table("issues")
    assert issues is not None and (column := issues.column("project_id")) is not None
    assert column_ndv(issues, column) == (50, True)


@pytest.mark.parametrize("parent_rows", [20_000_000, None])
def test_a_large_or_unknown_parent_leaves_the_default(tmp_path: Path, parent_rows: int | None) -> None:
    from advisor.cost.selectivity import column_ndv

    rows = f"    rows: {parent_rows}\n" if parent_rows else ""
    spec = _spec(tmp_path, PROJECTS.replace("    rows: 20000\n", rows))
    issues = spec.table("issues")
    assert issues is not None and (column := issues.column("project_id")) is not None
    assert column_ndv(issues, column) == (200_000, True)
