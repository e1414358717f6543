"""Joins: edges from ON, WHERE, USING, NATURAL and comma joins; per-table predicates and reads."""

from __future__ import annotations

from advisor.analysis.shape import JoinEdge, OrderKey, PredicateKind
from tests.analysis.analysis_support import shape


def test_join_with_on_and_where() -> None:
    result = shape(
        "SELECT u.user_id, u.email, o.order_id FROM users u JOIN orders o ON o.user_id = u.user_id "
        "WHERE u.created_at > now() - INTERVAL '7 days' AND o.status IN ('pending', 'processing') "
        "ORDER BY o.created_at LIMIT 50"
    )
    users, orders = result.accesses
    assert (users.table, users.alias, orders.table, orders.alias) == ("users", "u", "orders", "o")
    assert result.joins == (JoinEdge("orders", "user_id", "users", "user_id"),)
    assert [(p.column, p.kind, p.parameterized) for p in users.predicates] == [
        ("created_at", PredicateKind.RANGE, True)
    ]
    assert [(p.column, p.kind, p.values) for p in orders.predicates] == [
        ("status", PredicateKind.IN, ("pending", "processing"))
    ]
    assert users.referenced == {"user_id", "email", "created_at"}
    assert users.projected == {"user_id", "email"}
    assert orders.referenced == {"order_id", "user_id", "status", "created_at"}
    assert orders.projected == {"order_id"}
    assert result.order_by == (OrderKey("orders", "created_at"),)
    assert result.limit == 50


def test_unqualified_columns_resolve_to_the_table_that_has_them() -> None:
    users, orders = shape(
        "SELECT email, status FROM users JOIN orders ON orders.user_id = users.user_id WHERE email = :e"
    ).accesses
    assert users.projected == {"email"} and orders.projected == {"status"}
    assert users.predicates[0].column == "email"


def test_implicit_comma_join() -> None:
    result = shape(
        "SELECT a.order_id, sum(b.qty) FROM orders a, order_items b "
        "WHERE a.order_id = b.order_id AND a.created_at > '2024-01-01' GROUP BY a.order_id"
    )
    assert result.joins == (JoinEdge("orders", "order_id", "order_items", "order_id"),)
    assert [p.column for p in result.accesses[0].predicates] == ["created_at"]
    assert result.accesses[1].predicates == ()


def test_using_and_natural_join() -> None:
    using = shape("SELECT user_id, email FROM orders o JOIN users u USING (user_id) WHERE user_id = 3")
    assert using.joins == (JoinEdge("orders", "user_id", "users", "user_id"),)
    orders, users = using.accesses
    assert "user_id" in orders.referenced and "user_id" in users.referenced
    natural = shape("SELECT line_no FROM orders NATURAL JOIN order_items")
    assert natural.joins == (JoinEdge("orders", "order_id", "order_items", "order_id"),)


def test_outer_join_on_predicates_filter_only_the_joined_table() -> None:
    result = shape(
        "SELECT u.email FROM users u LEFT JOIN orders o "
        "ON o.user_id = u.user_id AND o.status = 'open' AND u.active"
    )
    users, orders = result.accesses
    assert users.predicates == ()  # u.active in a LEFT JOIN's ON filters nothing of u
    assert [p.column for p in orders.predicates] == ["status"]
    assert result.joins == (JoinEdge("orders", "user_id", "users", "user_id"),)


def test_inner_join_on_predicates_filter_any_table() -> None:
    users, _ = shape(
        "SELECT u.email FROM users u JOIN orders o ON o.user_id = u.user_id AND u.active"
    ).accesses
    assert [(p.column, p.values) for p in users.predicates] == [("active", (True,))]


def test_self_join_keeps_two_accesses() -> None:
    result = shape(
        "SELECT o1.order_id FROM orders o1 JOIN orders o2 ON o1.user_id = o2.user_id WHERE o2.order_id = 5"
    )
    first, second = result.accesses
    assert (first.alias, second.alias) == ("o1", "o2")
    assert first.predicates == () and second.predicates[0].column == "order_id"
    assert result.joins == (JoinEdge("orders", "user_id", "orders", "user_id"),)


def test_or_across_tables_marks_both() -> None:
    users, orders = shape(
        "SELECT 1 FROM users u JOIN orders o ON o.user_id = u.user_id WHERE u.active OR o.status = 'x'"
    ).accesses
    assert users.has_or and orders.has_or


def test_non_equality_between_columns_is_no_edge() -> None:
    result = shape(
        "SELECT 1 FROM users u JOIN orders o ON o.created_at > u.created_at AND o.user_id = u.user_id + 1"
    )
    assert result.joins == ()
    assert all(access.predicates == () for access in result.accesses)


def test_a_condition_in_every_branch_of_an_or_joins_and_filters() -> None:
    """``(a AND b) OR (a AND c)`` is ``a AND (b OR c)``: the join and the filter every branch
    repeats are the query's, and what differs between branches stays an OR."""
    result = shape(
        "SELECT o.order_id FROM users u, orders o WHERE (o.user_id = u.user_id AND o.status = 'new' "
        "AND u.name = 'FR') OR (o.user_id = u.user_id AND o.status = 'new' AND u.name = 'DE')"
    )
    users, orders = result.accesses
    assert result.joins == (JoinEdge("orders", "user_id", "users", "user_id"),)
    assert [(p.column, p.kind) for p in orders.predicates] == [("status", PredicateKind.EQ)]
    # the branches differ on one column: an IN of its values
    assert [(p.column, p.kind, p.values) for p in users.predicates] == [
        ("name", PredicateKind.IN, ("FR", "DE"))
    ]


def test_an_or_whose_branches_share_nothing_stays_an_or() -> None:
    users, orders = shape(
        "SELECT o.order_id FROM users u JOIN orders o ON o.user_id = u.user_id "
        "WHERE o.status = 'new' OR u.name = 'FR'"
    ).accesses
    assert users.has_or and orders.has_or
    assert not users.predicates and not orders.predicates
