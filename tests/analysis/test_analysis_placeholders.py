"""Every placeholder style in every main dialect is a parameter, and literals stay untouched."""

from __future__ import annotations

import pytest

from advisor.analysis.placeholders import normalize_placeholders
from advisor.analysis.shape import PredicateKind
from tests.analysis.analysis_support import only_access, only_predicate, shape

STYLES = [":uid", "$1", "?", "%(uid)s", "%s", "?1", ":1", "$uid", "@uid"]
DIALECTS = ["postgres", "mysql", "sqlite"]


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("style", STYLES)
def test_each_style_is_a_parameter(style: str, dialect: str) -> None:
    predicate = only_predicate(f"SELECT order_id FROM orders WHERE user_id = {style}", dialect)
    assert (predicate.column, predicate.kind, predicate.parameterized, predicate.values) == (
        "user_id",
        PredicateKind.EQ,
        True,
        (),
    )


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("style", STYLES)
def test_each_style_in_limit_and_in_list(style: str, dialect: str) -> None:
    result = shape(f"SELECT order_id FROM orders WHERE status IN ({style}) LIMIT {style}", dialect)
    assert (result.has_limit, result.limit) == (True, None)
    [predicate] = only_access(result).predicates
    assert (predicate.kind, predicate.members, predicate.parameterized) == (PredicateKind.IN, 1, True)


@pytest.mark.parametrize("dialect", DIALECTS)
def test_placeholder_look_alikes_in_literals_and_comments_stay(dialect: str) -> None:
    sql = (
        "SELECT order_id FROM orders -- where a = %s\n"
        "WHERE user_email LIKE 'x%s' /* $1 */ AND status = '%(n)s' AND user_id = %s"
    )
    access = only_access(shape(sql, dialect))
    assert [(p.column, p.values, p.parameterized) for p in access.predicates] == [
        ("user_email", ("x%s",), False),
        ("status", ("%(n)s",), False),
        ("user_id", (), True),
    ]


def test_rewrites_keep_positions() -> None:
    sql = "SELECT * FROM t WHERE a = %(long_name)s AND b = $12"
    rewritten = normalize_placeholders(sql, "mysql")
    assert len(rewritten) == len(sql)
    assert rewritten == "SELECT * FROM t WHERE a = :long_name    AND b = ?  "


def test_postgres_keeps_its_native_styles() -> None:
    sql = "SELECT a::text FROM t WHERE a = $1 AND b = %(x)s AND c = arr[1:2] AND d = $$%s$$"
    assert normalize_placeholders(sql, "postgres") == sql


def test_postgres_dollar_quotes_and_escape_strings_are_skipped() -> None:
    sql = "SELECT * FROM t WHERE a = $$ ?1 $$ AND b = E'\\' ?1' AND c = ?1"
    assert normalize_placeholders(sql, "postgres") == sql[:-2] + "? "


def test_mysql_backslash_escapes_in_strings() -> None:
    sql = r"SELECT * FROM t WHERE a = 'it\'s %s' AND b = %s"
    assert normalize_placeholders(sql, "mysql") == r"SELECT * FROM t WHERE a = 'it\'s %s' AND b = ? "


def test_parse_error_position_points_into_the_original_text() -> None:
    from advisor.analysis.analyze import AnalysisError

    with pytest.raises(AnalysisError, match=r"line 1, column"):
        shape("SELECT order_id FROM orders WHERE user_id = %(uid)s AND AND", "mysql")
