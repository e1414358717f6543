"""Boolean ``frequencies``: every spelling of a truth value, in the file and in the SQL, is one
value, so a partial index on the rare value is small and none is built on the common one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from advisor.analysis.analyze import analyze
from advisor.cost.design import IndexDesign
from advisor.cost.models import TableModel, model_index
from advisor.cost.physical import engine_for
from advisor.cost.selectivity import estimate
from advisor.spec.load import load_spec
from advisor.spec.model import IndexKey
from tests.cli.conftest import run_advisor

SPEC = """\
dialect: postgres
tables:
  posts:
    rows: 10000000
    columns:
      post_id: {{ type: bigint, primary_key: true }}
      author_id: {{ type: bigint, ndv: 100000 }}
      deleted: {{ type: boolean, ndv: 2, frequencies: {{ {key}: 0.99 }} }}
patterns:
  - {{ name: rare, sql: "SELECT post_id FROM posts WHERE author_id = :a AND {rare}", per_sec: 50 }}
  - {{ name: common, sql: "SELECT post_id FROM posts WHERE author_id = :a AND {common}", per_sec: 50 }}
"""

SPELLINGS = [
    ('"false"', "deleted = TRUE", "deleted = FALSE"),
    ("false", "deleted IS TRUE", "NOT deleted"),  # YAML reads the key as a boolean
    ("'f'", "deleted", "deleted IS FALSE"),
    ("0", "deleted = 't'", "deleted = 'f'"),
    ("no", "deleted = TRUE", "deleted = false"),
]


def _spec(tmp_path: Path, key: str, rare: str, common: str) -> Path:
    path = tmp_path / "patterns.yaml"
    path.write_text(SPEC.format(key=key, rare=rare, common=common))
    return path


@pytest.mark.parametrize(("key", "rare", "common"), SPELLINGS)
def test_estimates_read_every_spelling_as_one_value(tmp_path: Path, key: str, rare: str, common: str) -> None:
    spec = load_spec(_spec(tmp_path, key, rare, common))
    table = spec.tables[0]
    schema = {"posts": {c.name for c in table.columns}}
    for where, share in ((rare, 0.01), (common, 0.99)):
        shape = analyze(f"SELECT post_id FROM posts WHERE {where}", "postgres", schema)
        [pred] = shape.accesses[0].predicates
        assert estimate(table, pred).share == pytest.approx(share), where


@pytest.mark.parametrize(("key", "rare", "common"), SPELLINGS[:3])
def test_partial_index_on_the_rare_value_is_small(tmp_path: Path, key: str, rare: str, common: str) -> None:
    path = _spec(tmp_path, key, rare, common)
    done = run_advisor("recommend", str(path), "--format", "json")
    assert done.returncode == 0, done.stderr
    recs = json.loads(done.stdout)["recommendations"]
    partial = {r["index"]: r for r in recs if " WHERE " in r["index"]}
    tm = TableModel(load_spec(path).tables[0], engine_for("postgres"))
    for rec in partial.values():
        where = rec["index"].split(" WHERE ", 1)[1]
        full = IndexDesign("posts", (IndexKey("author_id"),), ("deleted", "post_id"))
        share = rec["size_bytes"] / model_index(tm, full).size_bytes
        if any(rec["serves"][i]["pattern"] == "rare" for i in range(len(rec["serves"]))):
            assert share < 0.02, (where, share)
        else:  # a partial index on the common value holds nearly every row
            assert share > 0.9, (where, share)
    assert any(s["pattern"] == "rare" for r in partial.values() for s in r["serves"]), recs


@pytest.mark.parametrize(
    ("index_where", "usable", "unusable"),
    [
        ("deleted", ["deleted = TRUE", "deleted = 't'", "deleted"], ["deleted IS TRUE", "NOT deleted"]),
        ("deleted IS TRUE", ["deleted IS TRUE"], ["deleted", "deleted = TRUE"]),
        ("NOT deleted", ["deleted = FALSE", "deleted = 'f'", "NOT deleted"], ["deleted IS FALSE"]),
    ],
)
def test_partial_index_matches_as_postgresql_does(
    tmp_path: Path, index_where: str, usable: list[str], unusable: list[str]
) -> None:
    """PostgreSQL folds ``= TRUE`` and ``= 't'`` into ``deleted`` but keeps ``IS TRUE`` apart
    (checked with EXPLAIN on PostgreSQL 15): a partial index serves the queries it would."""
    from advisor.recommend import existing_indexes

    text = SPEC.format(key="false", rare="deleted", common="NOT deleted")
    text = text.replace(
        "patterns:",
        f'    indexes:\n      - {{ name: p, columns: [author_id], where: "{index_where}" }}\npatterns:',
    )
    path = tmp_path / "patterns.yaml"
    path.write_text(text)
    spec = load_spec(path)
    [where] = [d.where for d in existing_indexes(spec)["posts"] if d.where is not None]
    schema = {"posts": {c.name for c in spec.tables[0].columns}}
    for sql, expected in [*((u, True) for u in usable), *((u, False) for u in unusable)]:
        shape = analyze(f"SELECT post_id FROM posts WHERE {sql}", "postgres", schema)
        [pred] = shape.accesses[0].predicates
        assert where.implied_by(pred.column, tuple(str(v) for v in pred.values)) is expected, sql
