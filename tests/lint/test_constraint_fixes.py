"""MIG007's fix matches the constraint: a unique key or primary key can be built concurrently and
attached USING INDEX; an exclusion constraint cannot, and the fix must not say it can."""

from __future__ import annotations

from advisor.lint.engine import Options, lint
from advisor.schema.source import Source


def _fix(sql: str) -> str:
    found = [f for f in lint([Source("m.sql", sql)], Options()) if f.rule == "MIG007"]
    assert len(found) == 1, found
    return found[0].fix


def test_a_unique_constraint_is_attached_from_a_concurrent_index() -> None:
    fix = _fix("ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);\n")
    assert "CREATE UNIQUE INDEX CONCURRENTLY" in fix and "UNIQUE USING INDEX" in fix


def test_an_exclusion_constraint_is_never_told_to_use_an_index() -> None:
    fix = _fix(
        "ALTER TABLE bookings ADD CONSTRAINT no_overlap EXCLUDE USING gist (room WITH =, during WITH &&);\n"
    )
    assert "USING INDEX" not in fix and "CONCURRENTLY" not in fix
    assert "maintenance window" in fix and "lock_timeout" in fix
