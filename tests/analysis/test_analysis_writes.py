"""INSERT, UPDATE and DELETE: targets, written columns, rows, and the read part of the statement."""

from __future__ import annotations

from advisor.analysis.shape import JoinEdge, OrderKey, PredicateKind, StatementKind
from tests.analysis.analysis_support import SCHEMA, only_access, shape


def test_insert_values() -> None:
    result = shape(
        "INSERT INTO orders (user_id, status, total_amount, created_at) "
        "VALUES (:u, 'pending', :t, now()), (:u2, 'pending', :t2, now())"
    )
    assert result.kind is StatementKind.INSERT
    assert result.kind.writes
    assert result.target == "orders"
    assert result.set_columns == ("user_id", "status", "total_amount", "created_at")
    assert result.rows_written == 2
    assert result.accesses == ()


def test_insert_without_column_list_writes_every_column() -> None:
    result = shape("INSERT INTO order_items VALUES (1, 2, 3, 4)")
    assert set(result.set_columns) == SCHEMA["order_items"]
    assert result.rows_written == 1


def test_insert_select_is_a_subquery() -> None:
    result = shape(
        "INSERT INTO orders (order_id, status) SELECT order_id, 'x' FROM order_items WHERE qty > 1"
    )
    assert (result.target, result.set_columns, result.rows_written) == ("orders", ("order_id", "status"), 1)
    [select] = result.subqueries
    assert only_access(select).table == "order_items"


def test_insert_on_conflict_and_returning() -> None:
    result = shape(
        "INSERT INTO orders (order_id, status) VALUES (1, 'x') "
        "ON CONFLICT (order_id) DO UPDATE SET status = EXCLUDED.status RETURNING order_id"
    )
    assert (result.target, result.set_columns) == ("orders", ("order_id", "status"))


def test_insert_on_duplicate_key_in_mysql() -> None:
    result = shape(
        "INSERT INTO orders (order_id, status) VALUES (1, 'x') AS new "
        "ON DUPLICATE KEY UPDATE status = new.status, total_amount = VALUES(total_amount)",
        "mysql",
    )
    assert result.target == "orders"
    old_style = shape(
        "INSERT INTO orders (order_id, status) VALUES (?, ?) ON DUPLICATE KEY UPDATE status = VALUES(status)",
        "mysql",
    )
    assert old_style.rows_written == 1


def test_update() -> None:
    result = shape(
        "UPDATE orders SET status = 'shipped', total_amount = total_amount + 1 "
        "WHERE order_id = :id AND status = 'pending' RETURNING order_id"
    )
    assert result.kind is StatementKind.UPDATE
    assert (result.target, result.set_columns) == ("orders", ("status", "total_amount"))
    access = only_access(result)
    assert [(p.column, p.kind, p.values) for p in access.predicates] == [
        ("order_id", PredicateKind.EQ, ()),
        ("status", PredicateKind.EQ, ("pending",)),
    ]
    # total_amount is read by the SET expression; status only by the WHERE: SET targets don't count.
    assert access.referenced == {"order_id", "status", "total_amount"}
    assert access.projected == {"order_id"}


def test_update_targets_are_not_referenced() -> None:
    access = only_access(shape("UPDATE orders SET status = 'x' WHERE order_id = 1"))
    assert access.referenced == {"order_id"}


def test_update_from_other_tables() -> None:
    result = shape(
        "UPDATE orders o SET status = 'x' FROM users u WHERE u.user_id = o.user_id AND u.email = :e"
    )
    orders, users = result.accesses
    assert (orders.table, orders.alias, users.table) == ("orders", "o", "users")
    assert result.joins == (JoinEdge("users", "user_id", "orders", "user_id"),)
    assert [p.column for p in users.predicates] == ["email"]
    assert result.set_columns == ("status",)


def test_unqualified_set_column_is_the_targets_even_when_a_from_table_has_it() -> None:
    result = shape("UPDATE orders o SET created_at = now() FROM users u WHERE u.user_id = o.user_id")
    assert result.set_columns == ("created_at",)  # users has created_at too: not ambiguous here


def test_mysql_update_join_with_order_and_limit() -> None:
    result = shape(
        "UPDATE orders o JOIN users u ON u.user_id = o.user_id SET o.status = u.name "
        "WHERE u.email = ? ORDER BY o.created_at LIMIT 10",
        "mysql",
    )
    assert (result.target, result.set_columns) == ("orders", ("status",))
    assert result.joins == (JoinEdge("users", "user_id", "orders", "user_id"),)
    assert result.order_by == (OrderKey("orders", "created_at"),)
    assert result.limit == 10


def test_delete() -> None:
    result = shape("DELETE FROM orders WHERE deleted_at < now() - INTERVAL '30 days'")
    assert (result.kind, result.target) == (StatementKind.DELETE, "orders")
    [predicate] = only_access(result).predicates
    assert (predicate.column, predicate.kind, predicate.parameterized) == (
        "deleted_at",
        PredicateKind.RANGE,
        True,
    )


def test_delete_using_and_returning() -> None:
    result = shape(
        "DELETE FROM orders o USING users u WHERE u.user_id = o.user_id AND u.active RETURNING o.*"
    )
    orders, users = result.accesses
    assert result.target == "orders"
    assert orders.star and orders.projected == SCHEMA["orders"]
    assert [p.column for p in users.predicates] == ["active"]
    assert result.joins == (JoinEdge("users", "user_id", "orders", "user_id"),)


def test_mysql_multi_table_delete() -> None:
    result = shape("DELETE o FROM orders o JOIN users u ON u.user_id = o.user_id WHERE u.email = ?", "mysql")
    assert result.target == "orders"
    assert [access.table for access in result.accesses] == ["orders", "users"]


def test_delete_with_subquery() -> None:
    result = shape(
        "DELETE FROM order_items WHERE order_id IN (SELECT order_id FROM orders WHERE user_id = :u)"
    )
    assert only_access(result).predicates[0].kind is PredicateKind.IN
    assert only_access(result.subqueries[0]).table == "orders"


def test_write_inside_a_cte() -> None:
    result = shape(
        "WITH gone AS (DELETE FROM orders WHERE status = 'x' RETURNING user_id) SELECT count(*) FROM gone"
    )
    [delete] = result.subqueries
    assert (delete.kind, delete.target) == (StatementKind.DELETE, "orders")
