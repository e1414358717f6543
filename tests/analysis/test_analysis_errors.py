"""What AnalysisError says for each kind of bad SQL."""

from __future__ import annotations

import pytest

from advisor.analysis.analyze import AnalysisError, analyze
from tests.analysis.analysis_support import SCHEMA, shape


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("SELECT totl FROM orders", "unknown column orders.totl (did you mean total_amount?)"),
        ("SELECT o.totl FROM orders o", "unknown column orders.totl (did you mean total_amount?)"),
        ("SELECT o.xyz FROM orders o", "unknown column orders.xyz"),
        (
            "SELECT emial FROM orders o JOIN users u ON true",
            "unknown column emial (did you mean users.email?)",
        ),
        ("SELECT * FROM ordrs", "unknown table ordrs (did you mean orders?)"),
        ("SELECT * FROM nothing_alike", "unknown table nothing_alike"),
        ("SELECT x.user_id FROM orders o", "unknown table or alias x in x.user_id"),
        (
            "SELECT orders.user_id FROM orders o",
            "unknown table or alias orders in orders.user_id (orders is aliased as o)",
        ),
        (
            "SELECT user_id FROM orders JOIN users ON orders.user_id = users.user_id",
            "ambiguous column user_id: both orders and users have it",
        ),
        (
            "SELECT created_at FROM orders o, users u",
            "ambiguous column created_at: both orders o and users u have it",
        ),
        (
            "SELECT * FROM orders JOIN orders ON true",
            "table name orders is used twice in one FROM: give one an alias",
        ),
        ("SELECT * FROM orders o JOIN users u USING (nope)", "unknown column users.nope"),
        ("INSERT INTO orders (totl) VALUES (1)", "unknown column orders.totl (did you mean total_amount?)"),
        ("INSERT INTO ordrs VALUES (1)", "unknown table ordrs (did you mean orders?)"),
        ("UPDATE orders SET nope = 1", "unknown column orders.nope"),
        ("DELETE FROM orders WHERE nope = 1", "unknown column orders.nope"),
        ("SELECT 1; SELECT 2", "expected one SQL statement, found 2"),
        ("", "no SQL statement"),
        (" ; ", "no SQL statement"),
        ("hello world", "not a SQL statement: alias expression"),
        ("SELEC 1", "the SQL does not parse: Invalid expression / Unexpected token (line 1, column 7)"),
        ("SELECT 'abc", "the SQL does not parse: Error tokenizing"),
        ("SELECT " + "(" * 3000 + "1" + ")" * 3000, "the SQL is nested too deeply to analyze"),
    ],
)
def test_messages(sql: str, message: str) -> None:
    with pytest.raises(AnalysisError) as caught:
        shape(sql)
    assert str(caught.value).startswith(message), str(caught.value)
    assert caught.value.message == str(caught.value)


def test_correlated_column_is_not_unknown() -> None:
    shape("SELECT 1 FROM users u WHERE EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.user_id)")


def test_select_alias_in_order_by_is_not_unknown() -> None:
    assert shape("SELECT count(*) AS n FROM orders GROUP BY status ORDER BY n").accesses


def test_unknown_dialect() -> None:
    with pytest.raises(AnalysisError, match="unknown SQL dialect 'nosuch'"):
        analyze("SELECT 1", "nosuch", SCHEMA)


def test_is_a_plain_exception() -> None:
    assert issubclass(AnalysisError, Exception)
    assert AnalysisError.__mro__[1] is Exception
