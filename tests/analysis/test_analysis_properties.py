"""No input crashes the analysis: it returns a consistent shape or raises AnalysisError."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.analysis.analyze import AnalysisError, analyze
from advisor.analysis.shape import PredicateKind, QueryShape
from tests.analysis.analysis_sqlgen import SCHEMA, statement

DIALECTS = st.sampled_from(["postgres", "mysql", "sqlite"])
PROFILE = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

TOKENS = [
    "SELECT", "*", "FROM", "WHERE", "AND", "OR", "NOT", "IN", "(", ")", ",", "=", "<", ">=", "<>", "LIKE",
    "ILIKE", "'a%'", "'%x'", "1", "-2.5", "NULL", "IS", "BETWEEN", "JOIN", "LEFT", "ON", "USING", "GROUP BY",
    "ORDER BY", "DESC", "LIMIT", "OFFSET", "UNION", "WITH", "AS", "orders", "users", "o", "u", "o.user_id",
    "u.user_id", "user_id", "status", "count(*)", "lower(email)", "now()", ":p", "?", "$1", "%s", "%(n)s",
    "?1", "@x", "INSERT INTO", "VALUES", "UPDATE", "SET", "DELETE", "RETURNING", "EXISTS", "ANY",
    "ARRAY[1, 2]", "CASE", "WHEN", "THEN", "END", "DISTINCT", "HAVING", "ON CONFLICT", "DO NOTHING",
    "INTERVAL '1 day'", "::date", "(SELECT user_id FROM users)", "LATERAL", "NATURAL JOIN", "$$x$$",
    "--c\n", "/*c*/", ";", "||", "+", "`x`", '"Q"', "e'\\''", "[1:2]",
]  # fmt: skip


def check(sql: str, dialect: str) -> None:
    try:
        result = analyze(sql, dialect, SCHEMA)
    except AnalysisError as error:
        assert str(error)
        return
    assert isinstance(result, QueryShape)
    for block in result.walk():
        tables = {access.table for access in block.accesses}
        for access in block.accesses:
            columns = SCHEMA[access.table]
            assert access.projected <= access.referenced <= columns
            for predicate in access.predicates:
                assert predicate.table == access.table and predicate.column in columns
                assert predicate.sql
                assert (predicate.kind is PredicateKind.NOT_SARGABLE) == bool(predicate.reason)
        for edge in block.joins:
            assert {edge.left_table, edge.right_table} <= tables
        keys = [(key.table, key.column) for key in block.order_by]
        keys += [(ref.table, ref.column) for ref in block.group_by]
        for table, column in keys:
            assert table in tables and column in SCHEMA[table]
        if block.target is not None:
            assert block.target in SCHEMA and set(block.set_columns) <= SCHEMA[block.target]


@PROFILE
@given(st.text(max_size=200), DIALECTS)
def test_random_text(sql: str, dialect: str) -> None:
    check(sql, dialect)


@PROFILE
@given(
    st.text(alphabet="SELCTFROMWHERAND*()'\"`$?:%,.;=<>!-+/ \n0123456789abcuxo@#[]\\", max_size=120), DIALECTS
)
def test_random_sql_characters(sql: str, dialect: str) -> None:
    check(sql, dialect)


@PROFILE
@given(st.lists(st.sampled_from(TOKENS), max_size=30).map(" ".join), DIALECTS)
def test_token_soup(sql: str, dialect: str) -> None:
    check(sql, dialect)


@st.composite
def generated(draw: st.DrawFn) -> str:
    depth = draw(st.integers(min_value=0, max_value=2))
    return statement(lambda options: draw(st.sampled_from(options)), depth)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(generated(), DIALECTS)
def test_generated_statements(sql: str, dialect: str) -> None:
    check(sql, dialect)


def test_generated_statements_mostly_analyze() -> None:
    """The generator is useful only if most statements get through: guard against its drift."""
    import random

    rng = random.Random(7)
    outcomes = []
    for _ in range(200):
        try:
            analyze(statement(rng.choice, 1), "postgres", SCHEMA)
            outcomes.append(True)
        except AnalysisError:
            outcomes.append(False)
    assert sum(outcomes) > 60
