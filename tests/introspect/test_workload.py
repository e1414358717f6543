"""pg_stat_statements rows to patterns, without a server: what is kept, what is left out and why,
and the rates."""

from __future__ import annotations

import pytest

from advisor.introspect.workload import HIDDEN, MARKER, Statement, read_workload

SCHEMA = {
    "orders": {"order_id", "user_id", "status", "created_at"},
    "users": {"user_id", "email"},
}


def _rows() -> list[Statement]:
    return [
        Statement(
            "SELECT order_id FROM orders WHERE user_id = $1 ORDER BY created_at DESC LIMIT $2", 7200, 1
        ),
        Statement("UPDATE orders SET status = $1 WHERE order_id = $2", 360, 2),
        Statement("INSERT INTO orders (user_id, status) VALUES ($1, $2)", 180, 3),
        Statement(
            "SELECT o.order_id, u.email FROM orders o JOIN users u USING (user_id) WHERE o.status = $1", 36, 4
        ),
        Statement("SELECT * FROM pg_class WHERE relname = $1", 900, 5),
        Statement("SELECT table_name FROM information_schema.tables", 900, 6),
        Statement(f"SELECT /* {MARKER} */ reltuples FROM pg_class", 5, 7),
        Statement("SELECT * FROM other_schema.thing WHERE id = $1", 50, 8),
        Statement("BEGIN", 9000, 9),
        Statement("SET application_name = $1", 10, 10),
        Statement("VACUUM orders", 2, 11),
        Statement(HIDDEN, 10, 12),
        Statement("SELECT $1", 3000, 13),
        Statement("SELECT count(*) FROM orders WHERE status IN ($1, $2)", 1, 14),
    ]


def test_kept_statements_become_patterns_with_rates_over_the_window() -> None:
    found = read_workload(_rows(), 3600.0, SCHEMA, min_calls=2)
    assert [(p.name, p.per_sec) for p in found.patterns] == [
        ("select_orders", 2.0),
        ("update_orders", 0.1),
        ("insert_orders", 0.05),
        ("select_orders_2", 0.01),
    ]
    first = found.patterns[0]
    # the parameters stay placeholders, as the spec accepts them
    assert first.sql.endswith("LIMIT $2")
    assert first.note == "pg_stat_statements queryid 1: 7200 calls in 60 min"
    assert {p.origin for p in found.patterns} == {"pg_stat_statements"}


def test_every_left_out_statement_is_counted_by_reason() -> None:
    found = read_workload(_rows(), 3600.0, SCHEMA, min_calls=2)
    assert dict(found.skipped) == {
        "utility statement": 3,
        "the tool's own": 1,
        "reads the catalog": 2,
        "reads no table": 1,
        "hidden from this role": 1,
        "fewer than 2 calls": 1,
        "not about the introspected tables": 1,
    }
    assert len(found.patterns) + sum(n for _, n in found.skipped) == len(_rows())


def test_top_keeps_the_most_called() -> None:
    found = read_workload(_rows(), 3600.0, SCHEMA, top=2)
    assert [p.name for p in found.patterns] == ["select_orders", "update_orders"]
    assert ("beyond --top 2", 3) in found.skipped


def test_without_a_reset_time_calls_are_weights() -> None:
    found = read_workload(_rows()[:2], None, SCHEMA)
    assert [(p.per_sec, p.weight) for p in found.patterns] == [(None, 7200.0), (None, 360.0)]
    assert "relative weight" in (found.patterns[0].note or "")


@pytest.mark.parametrize("seconds", [0.0, -5.0])
def test_a_window_of_no_time_is_no_rate(seconds: float) -> None:
    found = read_workload(_rows()[:1], seconds, SCHEMA)
    assert found.patterns[0].weight == 7200.0


def test_a_rare_statement_over_a_long_window_keeps_a_positive_rate() -> None:
    found = read_workload([Statement("SELECT email FROM users WHERE user_id = $1", 1)], 1e12, SCHEMA)
    assert found.patterns[0].per_sec is not None and found.patterns[0].per_sec > 0
