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

    # a unique column whose distinct values the statistics give below the table's rows (a
    # stale count): the bound is the smaller of the two
    text = PROJECTS.replace("name: { type: text }", "code: { type: text, unique: true, ndv: 50 }")
    text = text.replace("references: projects.project_id", "references: projects.code")
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


TRACKER = """\
dialect: postgres
tables:
  tenants:
    rows: 10000
    columns:
      tenant_id: { type: bigint, primary_key: true }
  projects:
    rows: 200000
    columns:
      project_id: { type: bigint, primary_key: true }
      tenant_id: { type: bigint, ndv: 10000, references: tenants.tenant_id }
  issues:
    rows: 20000000
    columns:
      issue_id: { type: bigint, primary_key: true }
      tenant_id: { type: bigint, ndv: 10000, references: tenants.tenant_id }
      project_id: { type: bigint, ndv: 200000, references: projects.project_id }
      state: { type: varchar(20), ndv: 4, frequencies: { closed: 0.7, open: 0.2, review: 0.06, blocked: 0.04 } }
      updated_at: { type: timestamp }
patterns:
  - name: board
    sql: >-
      SELECT issue_id FROM issues WHERE tenant_id = :t AND project_id = :p AND state = 'open'
      ORDER BY updated_at DESC LIMIT 50
    per_sec: 200
"""

INDEPENDENT = 1 / 10_000 / 200_000 * 0.2
IMPLIED = 1 / 200_000 * 0.2


def _board_share(spec: Spec) -> float:
    from advisor.cost.models import TableModel
    from advisor.cost.physical import engine_for
    from advisor.recommend import analyze_patterns

    issues = spec.table("issues")
    assert issues is not None
    [access] = analyze_patterns(spec)["board"].accesses
    return TableModel(issues, engine_for("postgres")).share(access.predicates)


def test_declared_dependency_is_not_multiplied_in(tmp_path: Path) -> None:
    text = TRACKER.replace(", references: tenants.tenant_id }\n      project_id", " }\n      project_id")
    text = text.replace(
        "      updated_at: { type: timestamp }\n",
        '      updated_at: { type: timestamp }\n    functional_dependencies: ["project_id -> tenant_id"]\n',
    )
    spec = _spec(tmp_path, text)
    assert _board_share(spec) == pytest.approx(IMPLIED)


def test_foreign_key_hierarchy_implies_the_tenant(tmp_path: Path) -> None:
    spec = _spec(tmp_path, TRACKER)
    issues = spec.table("issues")
    assert issues is not None and [(fd.lhs, fd.rhs) for fd in issues.implied_dependencies] == [
        (("project_id",), ("tenant_id",))
    ]
    assert _board_share(spec) == pytest.approx(IMPLIED)


def test_unrelated_columns_stay_independent(tmp_path: Path) -> None:
    text = TRACKER.replace(
        "tenant_id: { type: bigint, ndv: 10000, references: tenants.tenant_id }\n  issues",
        "tenant_id: { type: bigint, ndv: 10000 }\n  issues",
    )
    spec = _spec(tmp_path, text)
    issues = spec.table("issues")
    assert issues is not None and issues.implied_dependencies == ()
    assert _board_share(spec) == pytest.approx(INDEPENDENT)


def test_report_says_which_equality_was_implied(tmp_path: Path) -> None:
    notes = recommend(_spec(tmp_path, TRACKER)).assumptions
    assert any(n.startswith("issues.tenant_id is fixed by project_id") for n in notes), notes


def test_composite_reference_keeps_at_least_one_parent_rows_share(tmp_path: Path) -> None:
    """history (h_c_w_id, h_c_d_id) REFERENCES district (100 rows): bound together, the pair
    matches a district's share of the rows, however the columns' own shares multiply."""
    (tmp_path / "schema.sql").write_text(
        "CREATE TABLE district (d_w_id int, d_id int, PRIMARY KEY (d_w_id, d_id));\n"
        "CREATE TABLE history (h_id bigint PRIMARY KEY, h_c_w_id int, h_c_d_id int, h_amount numeric(6,2),\n"
        "  FOREIGN KEY (h_c_w_id, h_c_d_id) REFERENCES district (d_w_id, d_id));\n"
    )
    spec = _spec(
        tmp_path,
        "dialect: postgres\nschema: schema.sql\ntables:\n  district: { rows: 100 }\n  history: { rows: 3000000 }\n"
        "patterns:\n  - name: of_district\n"
        '    sql: "SELECT h_amount FROM history WHERE h_c_w_id = :w AND h_c_d_id = :d"\n    per_sec: 1\n',
    )
    from advisor.cost.models import TableModel
    from advisor.cost.physical import engine_for
    from advisor.recommend import analyze_patterns

    history = spec.table("history")
    assert history is not None
    [access] = analyze_patterns(spec)["of_district"].accesses
    assert TableModel(history, engine_for("postgres")).share(access.predicates) == pytest.approx(1 / 100)
