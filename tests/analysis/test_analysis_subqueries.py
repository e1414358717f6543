"""Nested query blocks: IN / EXISTS / scalar subqueries, derived tables, CTEs, UNION, LATERAL."""

from __future__ import annotations

from advisor.analysis.shape import ColumnRef, PredicateKind, StatementKind
from tests.analysis.analysis_support import SCHEMA, only_access, shape


def test_in_subquery() -> None:
    result = shape(
        "SELECT order_id FROM orders WHERE user_id IN (SELECT user_id FROM users WHERE email = :e)"
    )
    outer = only_access(result)
    [predicate] = outer.predicates
    assert (predicate.column, predicate.kind, predicate.parameterized, predicate.members) == (
        "user_id",
        PredicateKind.IN,
        True,
        1,
    )
    [inner] = result.subqueries
    assert inner.kind is StatementKind.SELECT
    users = only_access(inner)
    assert users.table == "users"
    assert [(p.column, p.kind) for p in users.predicates] == [("email", PredicateKind.EQ)]
    assert users.projected == {"user_id"}


def test_correlated_exists_is_a_parameterized_predicate_inside() -> None:
    result = shape(
        "SELECT o.order_id FROM orders o WHERE o.user_id = ? AND EXISTS "
        "(SELECT 1 FROM order_items i WHERE i.order_id = o.order_id AND i.qty > 3)"
    )
    outer = only_access(result)
    assert [p.column for p in outer.predicates] == ["user_id"]
    assert "order_id" in outer.referenced  # read to feed the subquery
    items = only_access(result.subqueries[0])
    assert [(p.column, p.kind, p.parameterized, p.values) for p in items.predicates] == [
        ("order_id", PredicateKind.EQ, True, ()),
        ("qty", PredicateKind.RANGE, False, (3,)),
    ]
    assert items.predicates[0].sql == "order_id = o.order_id"
    assert result.joins == () and result.subqueries[0].joins == ()


def test_correlated_reference_without_qualifier() -> None:
    result = shape(
        "SELECT email FROM users u WHERE EXISTS (SELECT 1 FROM order_items i WHERE i.qty = active)"
    )
    assert only_access(result.subqueries[0]).predicates[0].parameterized


def test_scalar_subquery_in_select_list_and_where() -> None:
    result = shape(
        "SELECT u.email, (SELECT count(*) FROM orders o WHERE o.user_id = u.user_id) AS n "
        "FROM users u WHERE u.created_at = (SELECT max(created_at) FROM users)"
    )
    users = only_access(result)
    assert users.predicates[0].kind is PredicateKind.EQ and users.predicates[0].parameterized
    assert [only_access(sub).table for sub in result.subqueries] == ["orders", "users"]


def test_derived_table_is_not_a_table_access() -> None:
    result = shape(
        "SELECT d.x, o.status FROM (SELECT user_id AS x FROM users WHERE email = :e) d "
        "JOIN orders o ON o.user_id = d.x WHERE d.x > 1 ORDER BY d.x"
    )
    assert [access.table for access in result.accesses] == ["orders"]
    assert result.joins == ()  # an edge needs two real tables
    assert result.order_by == ()
    assert only_access(result.subqueries[0]).table == "users"


def test_derived_table_columns_are_not_checked_against_the_schema() -> None:
    result = shape("SELECT d.anything FROM (SELECT * FROM orders) AS d")
    assert result.accesses == ()
    assert only_access(result.subqueries[0]).star


def test_cte() -> None:
    result = shape(
        "WITH recent AS (SELECT user_id, max(created_at) AS last FROM orders GROUP BY user_id) "
        "SELECT u.email FROM users u JOIN recent r ON r.user_id = u.user_id WHERE r.last < :cut"
    )
    assert [access.table for access in result.accesses] == ["users"]
    [cte] = result.subqueries
    assert only_access(cte).table == "orders"
    assert cte.group_by == (ColumnRef("orders", "user_id"),)


def test_cte_shadows_a_table_and_unqualified_columns_resolve_to_it() -> None:
    result = shape("WITH orders AS (SELECT 1 AS z) SELECT z FROM orders")
    assert result.accesses == ()


def test_recursive_cte() -> None:
    result = shape(
        "WITH RECURSIVE chain(id, parent) AS ("
        "  SELECT order_id, user_id FROM orders WHERE order_id = :start"
        "  UNION ALL SELECT o.order_id, o.user_id FROM orders o JOIN chain c ON o.user_id = c.id"
        ") SELECT id FROM chain"
    )
    assert result.accesses == ()
    [union] = result.subqueries
    first, second = union.subqueries
    assert [p.column for p in only_access(first).predicates] == ["order_id"]
    assert only_access(second).table == "orders"


def test_union_branches_are_subqueries() -> None:
    result = shape(
        "SELECT user_id FROM users UNION SELECT user_id FROM orders WHERE total_amount > 5 "
        "UNION SELECT order_id FROM order_items ORDER BY 1 LIMIT 3"
    )
    assert result.kind is StatementKind.SELECT
    assert result.accesses == ()
    assert [only_access(branch).table for branch in result.subqueries] == ["users", "orders", "order_items"]
    assert (result.limit, result.distinct, result.order_by) == (3, True, ())
    assert not shape("SELECT 1 FROM users UNION ALL SELECT 2 FROM orders").distinct


def test_lateral_sees_earlier_tables() -> None:
    result = shape(
        "SELECT u.email, l.order_id FROM users u, "
        "LATERAL (SELECT order_id FROM orders o WHERE o.user_id = u.user_id LIMIT 1) l"
    )
    [lateral] = result.subqueries
    assert only_access(lateral).predicates[0].parameterized
    assert lateral.limit == 1


def test_walk_visits_every_block() -> None:
    result = shape(
        "WITH a AS (SELECT user_id FROM users) SELECT * FROM orders "
        "WHERE user_id IN (SELECT user_id FROM a WHERE EXISTS (SELECT 1 FROM order_items))"
    )
    tables = [access.table for block in result.walk() for access in block.accesses]
    assert tables == ["orders", "users", "order_items"]  # this block, then the CTE, then nested ones
    assert only_access(result).referenced == SCHEMA["orders"]
