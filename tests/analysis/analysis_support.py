"""Shared schema and shortcuts for the analysis tests."""

from __future__ import annotations

from advisor.analysis.analyze import analyze
from advisor.analysis.shape import Predicate, QueryShape, TableAccess

SCHEMA: dict[str, frozenset[str]] = {
    "users": frozenset({"user_id", "email", "created_at", "name", "active"}),
    "orders": frozenset(
        {"order_id", "user_id", "status", "created_at", "total_amount", "user_email", "deleted_at", "data"}
    ),
    "order_items": frozenset({"order_id", "line_no", "qty", "price"}),
}


def shape(sql: str, dialect: str = "postgres") -> QueryShape:
    return analyze(sql, dialect, SCHEMA)


def only_access(result: QueryShape) -> TableAccess:
    assert len(result.accesses) == 1, result.accesses
    return result.accesses[0]


def only_predicate(sql: str, dialect: str = "postgres") -> Predicate:
    """The single predicate of a one-table, one-conjunct query."""
    access = only_access(shape(sql, dialect))
    assert len(access.predicates) == 1, access.predicates
    return access.predicates[0]
