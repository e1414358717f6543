"""The QRY findings carry the rewritten statement, in the pattern's dialect and placeholder style,
wherever the condition sits (top level, subquery, UPDATE or DELETE)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from advisor.recommend import recommend
from advisor.spec.load import load_spec

TABLES: dict[str, Any] = {
    "events": {
        "rows": 5000000,
        "columns": {
            "event_id": {"type": "bigint", "primary_key": True},
            "user_id": {"type": "bigint", "ndv": 100000, "references": "users.user_id"},
            "kind": {"type": "varchar(20)", "ndv": 20},
            "created_at": {"type": "timestamp", "nullable": False},
        },
        "indexes": [{"name": "ix_events_created", "columns": ["created_at"]}],
    },
    "users": {
        "rows": 100000,
        "columns": {
            "user_id": {"type": "bigint", "primary_key": True},
            "name": {"type": "text"},
            "manager_id": {"type": "bigint"},
        },
    },
}


def fix_of(tmp_path: Path, dialect: str, sql: str, rule: str) -> str:
    spec = {"dialect": dialect, "tables": TABLES, "patterns": [{"name": "p", "sql": sql, "per_sec": 1}]}
    path = tmp_path / "patterns.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    (finding,) = [f for f in recommend(load_spec(path)).findings if f.rule == rule]
    return finding.fix


@pytest.mark.parametrize(
    ("dialect", "sql", "rule", "rewrite"),
    [
        (
            "postgres",
            "DELETE FROM events WHERE DATE(created_at) = :day",
            "QRY002",
            "DELETE FROM events WHERE created_at >= :day AND created_at < (CAST(:day AS DATE) + INTERVAL '1 DAY')",
        ),
        (
            "mysql",
            "SELECT name FROM users WHERE user_id IN (SELECT user_id FROM events WHERE YEAR(created_at) = 2024)",
            "QRY002",
            "SELECT name FROM users WHERE user_id IN (SELECT user_id FROM events WHERE "
            "created_at >= '2024-01-01' AND created_at < '2025-01-01')",
        ),
        (
            "postgres",
            "UPDATE events SET kind = 'x' WHERE user_id NOT IN (SELECT manager_id FROM users)",
            "QRY007",
            "UPDATE events SET kind = 'x' WHERE NOT EXISTS(SELECT 1 FROM users WHERE users.manager_id = events.user_id)",
        ),
        (
            "mysql",
            "SELECT event_id FROM events WHERE kind = 7",
            "QRY003",
            "SELECT event_id FROM events WHERE kind = '7'",
        ),
        (
            "postgres",
            "SELECT event_id, kind FROM events ORDER BY created_at LIMIT 20 OFFSET 10000",
            "QRY006",
            "SELECT event_id, kind FROM events WHERE (created_at, event_id) > (:last_created_at, :last_event_id) "
            "ORDER BY created_at, event_id LIMIT 20",
        ),
    ],
)
def test_rewrite_in_the_fix(tmp_path: Path, dialect: str, sql: str, rule: str, rewrite: str) -> None:
    fix = fix_of(tmp_path, dialect, sql, rule)
    assert f"rewrite as: {rewrite}" in fix


def test_repeated_positional_parameters_are_flagged(tmp_path: Path) -> None:
    fix = fix_of(tmp_path, "sqlite", "SELECT event_id FROM events WHERE DATE(created_at) = ?", "QRY002")
    assert "created_at >= ? AND created_at < DATE(DATE(?), '1 DAY')" in fix
    assert "it repeats positional parameters" in fix
    named = fix_of(tmp_path, "sqlite", "SELECT event_id FROM events WHERE DATE(created_at) = :d", "QRY002")
    assert "repeats" not in named


def test_keyset_on_a_nullable_column_warns_about_nulls(tmp_path: Path) -> None:
    fix = fix_of(
        tmp_path, "postgres", "SELECT event_id FROM events ORDER BY kind LIMIT 10 OFFSET 5000", "QRY006"
    )
    assert "WHERE (kind, event_id) > (:last_kind, :last_event_id)" in fix
    assert "kind can be NULL and the comparison skips NULL rows" in fix
