"""No pattern SQL, however odd, may crash the pipeline: a Result or an AdvisorError, nothing else."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.errors import AdvisorError
from advisor.recommend import recommend
from advisor.spec.load import load_spec

TABLES = {
    "orders": {
        "rows": 5_000_000,
        "growth_per_day": 10_000,
        "columns": {
            "order_id": {"type": "bigint", "primary_key": True},
            "user_id": {"type": "bigint", "ndv": 100_000, "references": "users.user_id"},
            "status": {"type": "varchar(20)", "ndv": 3, "frequencies": {"open": 0.1, "done": 0.85}},
            "created_at": {"type": "timestamp"},
        },
        # exercises the normalization rules on every generated workload
        "functional_dependencies": ["user_id -> status"],
    },
    "users": {
        "rows": 100_000,
        "columns": {"user_id": {"type": "bigint", "primary_key": True}, "email": {"type": "text"}},
    },
}
COLUMNS = [
    "order_id",
    "user_id",
    "status",
    "created_at",
    "o.user_id",
    "u.email",
    "nope",
    "DATE(created_at)",
    "user_id + 1",
]
VALUES = [
    ":p",
    "?",
    "$1",
    "%(x)s",
    "'open'",
    "42",
    "NULL",
    "now()",
    "CURRENT_DATE - INTERVAL '3 days'",
    "(SELECT 1)",
    "(SELECT email FROM users)",
]
OPS = ["=", "<", ">=", "<>", "LIKE", "IN", "NOT IN", "IS", "BETWEEN"]


@st.composite
def predicates(draw: st.DrawFn) -> str:
    col, op, val = draw(st.sampled_from(COLUMNS)), draw(st.sampled_from(OPS)), draw(st.sampled_from(VALUES))
    if op == "IN":
        return f"{col} IN ({val}, {draw(st.sampled_from(VALUES))})"
    if op == "NOT IN":
        return f"{col} NOT IN {val if val.startswith('(') else f'({val})'}"
    if op == "BETWEEN":
        return f"{col} BETWEEN {val} AND {draw(st.sampled_from(VALUES))}"
    return f"{col} {op} {val}"


@st.composite
def statements(draw: st.DrawFn) -> str:
    where = f" {draw(st.sampled_from(['AND', 'OR']))} ".join(
        draw(st.lists(predicates(), min_size=1, max_size=3))
    )
    kind = draw(st.sampled_from(["select", "join", "update", "delete", "insert", "junk"]))
    if kind == "select":
        order = draw(
            st.sampled_from(
                ["", " ORDER BY created_at DESC", " ORDER BY 1", " ORDER BY nope", " ORDER BY random()"]
            )
        )
        limit = draw(st.sampled_from(["", " LIMIT 10", " LIMIT :n", " LIMIT 5 OFFSET 100000"]))
        return f"SELECT {draw(st.sampled_from(['*', 'order_id', 'count(*)', 'DISTINCT status']))} FROM orders WHERE {where}{order}{limit}"
    if kind == "join":
        return f"SELECT u.email FROM orders o JOIN users u ON u.user_id = o.user_id WHERE {where}"
    if kind == "update":
        return f"UPDATE orders SET status = 'done' WHERE {where}"
    if kind == "delete":
        return f"DELETE FROM orders WHERE {where}"
    if kind == "insert":
        return "INSERT INTO orders (order_id, user_id, status) VALUES (:a, :b, 'open'), (:c, :d, 'open')"
    return draw(st.text(max_size=60))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    sqls=st.lists(statements(), min_size=1, max_size=4),
    dialect=st.sampled_from(["postgres", "mysql", "sqlite"]),
)
def test_recommend_never_crashes(tmp_path: Path, sqls: list[str], dialect: str) -> None:
    spec = {
        "dialect": dialect,
        "tables": TABLES,
        "patterns": [{"name": f"p{i}", "sql": sql, "per_sec": 1 + i} for i, sql in enumerate(sqls)],
    }
    path = tmp_path / "patterns.yaml"
    path.write_text(yaml.safe_dump(spec))
    try:
        result = recommend(load_spec(path))
    except AdvisorError as exc:
        assert str(exc)
        return
    assert result.patterns == len(sqls)
    assert all(r.ddl.endswith(";") for r in result.recommendations)
