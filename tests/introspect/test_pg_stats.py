"""pg_stats rows made consistent with what the spec checks, whatever state the statistics are in."""

from __future__ import annotations

from advisor.introspect.model import ColumnFacts, wanted
from advisor.introspect.postgres_common import portable
from advisor.introspect.postgres_statistics import _column_stats

TEXT = ColumnFacts("c", "text")


def test_a_negative_n_distinct_is_a_share_of_the_rows() -> None:
    column = _column_stats(TEXT, 1000, 0.1, -0.25, (), None, 0.5, False, False)
    assert (column.ndv, column.null_frac, column.correlation) == (250, 0.1, 0.5)
    assert column.note("ndv") == "pg_stats.n_distinct -0.25 x rows"


def test_stale_statistics_never_contradict_the_rows() -> None:
    mcv = tuple((f"v{n}", 0.1) for n in range(5))
    # reltuples fell below what the last ANALYZE saw: ndv stays within the rows, and the common
    # values it cannot all hold are left out rather than contradicting it
    column = _column_stats(TEXT, 3, 0.0, 40.0, mcv, None, None, False, False)
    assert column.ndv == 3 and column.frequencies == ()
    assert _column_stats(TEXT, 0, 0.0, 40.0, mcv, None, None, False, False).ndv is None
    assert _column_stats(TEXT, None, 0.0, 40.0, mcv, None, None, False, False).ndv == 40


def test_not_null_columns_get_no_null_frac() -> None:
    column = _column_stats(
        ColumnFacts("c", "int", nullable=False), 10, 0.0, -1.0, (), None, None, True, False
    )
    assert column.null_frac is None and column.ndv == 10


def test_histograms_the_spec_cannot_take_are_left_out() -> None:
    def bounds(values: list[str], numeric: bool) -> object:
        return _column_stats(TEXT, 100, 0.0, 10.0, (), values, None, numeric, False).histogram

    assert bounds(["1", "5", "9"], True) == (1, 5, 9)
    assert bounds(["1", "NaN"], True) == ()
    assert bounds(["-Infinity", "1"], True) == ()
    assert bounds(["", "b", "c"], False) == ()
    assert bounds(["a"], False) == ()
    assert bounds(["00123", "1e3"], False) == ("00123", "1e3")  # text stays text


def test_padded_char_values_lose_their_padding() -> None:
    column = _column_stats(
        TEXT, 100, 0.0, 2.0, (("DE  ", 0.5), ("US  ", 0.5)), ["a ", "b "], None, False, True
    )
    assert column.frequencies == (("DE", 0.5), ("US", 0.5)) and column.histogram == ("a", "b")


def test_expressions_lose_casts_to_the_databases_own_types() -> None:
    assert portable("(status = ANY (ARRAY['a'::order_status, 'b'::order_status]))", "check") == (
        "status = ANY(ARRAY['a', 'b'])"
    )
    assert portable("'x'::character varying", "default") == "CAST('x' AS VARCHAR)"


def test_globs() -> None:
    assert wanted("orders_2024", ["orders_*"], ["*_2023"])
    assert not wanted("orders_2023", ["orders_*"], ["*_2023"])
