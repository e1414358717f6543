"""Single-table SELECTs: predicates of every kind, projections, ORDER BY, LIMIT, GROUP BY, DISTINCT."""

from __future__ import annotations

import pytest

from advisor.analysis.shape import (
    ColumnRef,
    OrderKey,
    Predicate,
    PredicateKind,
    QueryShape,
    StatementKind,
    TableAccess,
)
from tests.analysis.analysis_support import SCHEMA, only_access, only_predicate, shape

EQ, IN, RANGE = PredicateKind.EQ, PredicateKind.IN, PredicateKind.RANGE
LIKE_PREFIX, NOT_SARGABLE = PredicateKind.LIKE_PREFIX, PredicateKind.NOT_SARGABLE


def test_the_design_example() -> None:
    result = shape(
        "SELECT order_id, total_amount FROM orders WHERE user_id = :uid ORDER BY created_at DESC LIMIT 20"
    )
    assert result == QueryShape(
        kind=StatementKind.SELECT,
        accesses=(
            TableAccess(
                table="orders",
                alias=None,
                predicates=(Predicate("orders", "user_id", EQ, parameterized=True, sql="user_id = %(uid)s"),),
                referenced=frozenset({"order_id", "total_amount", "user_id", "created_at"}),
                projected=frozenset({"order_id", "total_amount"}),
            ),
        ),
        order_by=(OrderKey("orders", "created_at", descending=True),),
        limit=20,
        has_limit=True,
    )


@pytest.mark.parametrize(
    ("condition", "kind", "values", "parameterized", "sql"),
    [
        ("status = 'pending'", EQ, ("pending",), False, "status = 'pending'"),
        ("'pending' = status", EQ, ("pending",), False, "'pending' = status"),
        ("total_amount = -2.5", EQ, (-2.5,), False, "total_amount = -2.5"),
        ("status = :s", EQ, (), True, "status = %(s)s"),
        ("deleted_at IS NULL", EQ, (None,), False, "deleted_at IS NULL"),
        ("deleted_at IS NOT NULL", RANGE, (), False, "deleted_at IS NOT NULL"),
        ("status <=> 'x'", EQ, ("x",), False, "status IS NOT DISTINCT FROM 'x'"),
        ("created_at > '2024-01-01'", RANGE, ("2024-01-01",), False, "created_at > '2024-01-01'"),
        ("created_at::date >= '2024-01-01'", NOT_SARGABLE, ("2024-01-01",), False, None),
        ("'2024-01-01' < created_at", RANGE, ("2024-01-01",), False, "'2024-01-01' < created_at"),
        ("created_at <= $1", RANGE, (), True, "created_at <= $1"),
        ("created_at > now()", RANGE, (), True, "created_at > CURRENT_TIMESTAMP"),
        (
            "created_at > CURRENT_DATE - INTERVAL '1 day'",
            RANGE,
            (),
            True,
            "created_at > CURRENT_DATE - INTERVAL '1 DAY'",
        ),
        (
            "created_at > DATE '2024-01-01'",
            RANGE,
            ("2024-01-01",),
            False,
            "created_at > CAST('2024-01-01' AS DATE)",
        ),
        ("total_amount BETWEEN 10 AND 100", RANGE, (10, 100), False, "total_amount BETWEEN 10 AND 100"),
        ("total_amount BETWEEN 10 AND :hi", RANGE, (10,), True, "total_amount BETWEEN 10 AND %(hi)s"),
        ("user_email LIKE 'abc%'", LIKE_PREFIX, ("abc%",), False, "user_email LIKE 'abc%'"),
        ("user_email LIKE :q || '%'", LIKE_PREFIX, (), True, "user_email LIKE %(q)s || '%'"),
        ("data", EQ, (True,), False, "data"),
        ("NOT data", EQ, (False,), False, "NOT data"),
    ],
)
def test_sargable_predicates(
    condition: str, kind: PredicateKind, values: tuple[object, ...], parameterized: bool, sql: str | None
) -> None:
    predicate = only_predicate(f"SELECT order_id FROM orders WHERE {condition}")
    column = predicate.column
    assert (predicate.table, predicate.kind, predicate.values, predicate.parameterized) == (
        "orders",
        kind,
        values,
        parameterized,
    )
    assert column in condition
    if sql is not None:
        assert predicate.sql == sql


@pytest.mark.parametrize(
    ("condition", "column", "reason"),
    [
        ("LOWER(user_email) = :e", "user_email", "function LOWER() on the column"),
        ("DATE(created_at) = :d", "created_at", "function DATE() on the column"),
        ("date_trunc('day', created_at) = :d", "created_at", "function DATE_TRUNC() on the column"),
        ("my_udf(status) = 1", "status", "function MY_UDF() on the column"),
        ("CAST(created_at AS DATE) = :d", "created_at", "CAST on the column"),
        ("total_amount * 2 > 100", "total_amount", "arithmetic on the column"),
        ("total_amount + 1 = :x", "total_amount", "arithmetic on the column"),
        ("status || 'x' = 'ax'", "status", "concatenation on the column"),
        ("status <> 'cancelled'", "status", "<> comparison"),
        ("status != 'cancelled'", "status", "<> comparison"),
        ("status NOT IN ('a', 'b')", "status", "NOT IN"),
        ("total_amount NOT BETWEEN 1 AND 2", "total_amount", "NOT BETWEEN"),
        ("user_email LIKE '%@example.com'", "user_email", "LIKE pattern starts with a wildcard"),
        ("user_email LIKE '_bc'", "user_email", "LIKE pattern starts with a wildcard"),
        ("user_email NOT LIKE 'abc%'", "user_email", "NOT LIKE"),
        ("user_email ILIKE 'abc%'", "user_email", "ILIKE (case-insensitive match)"),
        ("user_email LIKE :pattern", "user_email", "LIKE pattern known only at run time"),
        ("user_email ~ '^a'", "user_email", "regular expression match"),
        ("NOT (status = 'a')", "status", "negated condition"),
    ],
)
def test_not_sargable_predicates(condition: str, column: str, reason: str) -> None:
    predicate = only_predicate(f"SELECT order_id FROM orders WHERE {condition}")
    assert (predicate.column, predicate.kind, predicate.reason) == (column, NOT_SARGABLE, reason)


def test_function_on_column_keeps_the_compared_value() -> None:
    predicate = only_predicate("SELECT order_id FROM orders WHERE LOWER(user_email) = 'a@b.c'")
    assert predicate.values == ("a@b.c",)
    assert predicate.sql == "LOWER(user_email) = 'a@b.c'"
    assert only_predicate("SELECT order_id FROM orders WHERE LOWER(user_email) = ?").parameterized


def test_mysql_date_function_is_named_as_written() -> None:
    predicate = only_predicate("SELECT order_id FROM orders WHERE DATE(created_at) = ?", "mysql")
    assert predicate.reason == "function DATE() on the column"
    assert predicate.sql == "DATE(created_at) = ?"


@pytest.mark.parametrize(
    ("condition", "members", "values", "parameterized", "sql"),
    [
        (
            "status IN ('pending', 'processing')",
            2,
            ("pending", "processing"),
            False,
            "status IN ('pending', 'processing')",
        ),
        ("status IN ('a', :b, 'c')", 3, ("a", "c"), True, "status IN ('a', %(b)s, 'c')"),
        ("status IN (:list)", 1, (), True, "status IN (%(list)s)"),
        ("status = ANY(:arr)", 1, (), True, "status = ANY(%(arr)s)"),
        ("status = ANY(ARRAY['a', 'b'])", 2, ("a", "b"), False, "status = ANY(ARRAY['a', 'b'])"),
        ("status = 'a' OR status = 'b'", 2, ("a", "b"), False, "status IN ('a', 'b')"),
        (
            "(status = 'a' OR 'b' = status) OR status IN ('c')",
            3,
            ("a", "b", "c"),
            False,
            "status IN ('a', 'b', 'c')",
        ),
        ("status = :x OR status = 'y'", 2, ("y",), True, "status IN (%(x)s, 'y')"),
    ],
)
def test_in_predicates(
    condition: str, members: int, values: tuple[object, ...], parameterized: bool, sql: str
) -> None:
    predicate = only_predicate(f"SELECT order_id FROM orders WHERE {condition}")
    assert (predicate.column, predicate.kind, predicate.members) == ("status", IN, members)
    assert (predicate.values, predicate.parameterized, predicate.sql) == (values, parameterized, sql)


def test_constant_in_predicate_is_a_partial_index_candidate() -> None:
    predicate = only_predicate("SELECT o.order_id FROM orders o WHERE o.status IN ('pending', 'processing')")
    assert predicate.constant
    assert predicate.sql == "status IN ('pending', 'processing')"  # qualifier dropped


def test_or_over_different_columns_sets_has_or() -> None:
    access = only_access(shape("SELECT order_id FROM orders WHERE user_id = 1 OR status = 'x'"))
    assert access.has_or
    assert access.predicates == ()
    optional_filter = only_access(shape("SELECT order_id FROM orders WHERE (:s IS NULL OR status = :s)"))
    assert optional_filter.has_or
    ranges = only_access(shape("SELECT order_id FROM orders WHERE total_amount < 1 OR total_amount > 9"))
    assert ranges.has_or


def test_or_besides_other_conjuncts() -> None:
    access = only_access(
        shape("SELECT order_id FROM orders WHERE user_id = :u AND (status = 'a' OR status = 'b')")
    )
    assert [(p.column, p.kind) for p in access.predicates] == [("user_id", EQ), ("status", IN)]
    assert not access.has_or


def test_row_comparisons() -> None:
    access = only_access(
        shape(
            "SELECT order_id FROM orders WHERE (user_id, status) = (1, 'a') "
            "AND (created_at, order_id) < (:c, :o) AND (user_id, status) IN ((1, 'a'), (2, 'b'))"
        )
    )
    summary = [(p.column, p.kind, p.values, p.members) for p in access.predicates]
    assert summary == [
        ("user_id", EQ, (1,), 1),
        ("status", EQ, ("a",), 1),
        ("created_at", RANGE, (), 1),  # keyset pagination: a range on the first column only
        ("user_id", IN, (1, 2), 2),
        ("status", IN, ("a", "b"), 2),
    ]


def test_value_between_two_columns() -> None:
    access = only_access(shape("SELECT order_id FROM orders WHERE :at BETWEEN created_at AND deleted_at"))
    assert [(p.column, p.kind, p.parameterized, p.sql) for p in access.predicates] == [
        ("created_at", RANGE, True, "created_at <= %(at)s"),
        ("deleted_at", RANGE, True, "deleted_at >= %(at)s"),
    ]


def test_comparisons_without_a_single_column_yield_nothing() -> None:
    access = only_access(
        shape("SELECT order_id FROM orders WHERE 1 = 1 AND :p IS NULL AND created_at > deleted_at")
    )
    assert access.predicates == ()
    assert access.referenced == {"order_id", "created_at", "deleted_at"}


def test_select_star_references_every_column() -> None:
    access = only_access(shape("SELECT * FROM orders WHERE order_id = 1"))
    assert access.star
    assert access.referenced == SCHEMA["orders"]
    assert access.projected == SCHEMA["orders"]
    qualified = only_access(shape("SELECT o.* FROM orders o"))
    assert qualified.star and qualified.projected == SCHEMA["orders"]
    counted = only_access(shape("SELECT count(*) FROM orders WHERE status = 'x'"))
    assert not counted.star
    assert counted.referenced == {"status"}


def test_projected_includes_columns_inside_expressions() -> None:
    access = only_access(shape("SELECT lower(user_email) AS e, total_amount * 2 FROM orders"))
    assert access.projected == {"user_email", "total_amount"}


def test_order_by_alias_and_position() -> None:
    by_alias = shape("SELECT created_at AS ts, order_id FROM orders ORDER BY ts DESC, 2")
    assert by_alias.order_by == (
        OrderKey("orders", "created_at", descending=True),
        OrderKey("orders", "order_id"),
    )


def test_order_by_an_expression_drops_all_keys() -> None:
    assert shape("SELECT order_id FROM orders ORDER BY created_at, lower(status)").order_by == ()
    assert shape("SELECT count(*) AS n FROM orders ORDER BY n").order_by == ()


def test_group_by_and_having() -> None:
    result = shape(
        "SELECT status, count(*) FROM orders WHERE created_at >= $1 GROUP BY status HAVING sum(total_amount) > 10"
    )
    assert result.group_by == (ColumnRef("orders", "status"),)
    assert only_access(result).referenced == {"status", "created_at", "total_amount"}
    assert shape("SELECT user_id, status FROM orders GROUP BY 2, 1").group_by == (
        ColumnRef("orders", "status"),
        ColumnRef("orders", "user_id"),
    )


@pytest.mark.parametrize(
    ("tail", "dialect", "has_limit", "limit", "offset"),
    [
        ("LIMIT 10 OFFSET 20", "postgres", True, 10, 20),
        ("LIMIT :n OFFSET :o", "postgres", True, None, None),
        ("LIMIT ALL", "postgres", False, None, None),
        ("OFFSET 5 ROWS FETCH FIRST 3 ROWS ONLY", "postgres", True, 3, 5),
        ("FETCH FIRST ROW ONLY", "postgres", True, 1, None),
        ("LIMIT 5, 10", "mysql", True, 10, 5),
        ("LIMIT ?", "mysql", True, None, None),
        ("LIMIT 7", "sqlite", True, 7, None),
    ],
)
def test_limit_and_offset(
    tail: str, dialect: str, has_limit: bool, limit: int | None, offset: int | None
) -> None:
    result = shape(f"SELECT order_id FROM orders {tail}", dialect)
    assert (result.has_limit, result.limit, result.offset) == (has_limit, limit, offset)


def test_top_in_tsql() -> None:
    result = shape("SELECT TOP 5 order_id FROM orders", "tsql")
    assert (result.has_limit, result.limit) == (True, 5)


def test_distinct() -> None:
    assert shape("SELECT DISTINCT user_id FROM orders").distinct
    assert shape("SELECT DISTINCT ON (user_id) user_id, created_at FROM orders").distinct
    assert not shape("SELECT user_id FROM orders").distinct


def test_identifiers_are_case_insensitive() -> None:
    result = shape('SELECT "Order_ID" FROM public."Orders" AS "O" WHERE "O".Status = \'x\'')
    access = only_access(result)
    assert (access.table, access.alias) == ("orders", "o")
    assert access.projected == {"order_id"}
    assert access.predicates[0].column == "status"


def test_select_without_tables() -> None:
    assert shape("SELECT 1").accesses == ()
    assert shape("SELECT :x, now()").kind is StatementKind.SELECT


def test_schema_collections_may_be_lists() -> None:
    from advisor.analysis.analyze import analyze

    result = analyze("SELECT b FROM t WHERE a = 1", "sqlite", {"t": ["a", "b"]})
    assert only_access(result).predicates[0].values == (1,)


def test_other_statements() -> None:
    assert shape("CREATE INDEX i ON orders (user_id)").kind is StatementKind.OTHER
    assert shape("VACUUM orders").kind is StatementKind.OTHER
