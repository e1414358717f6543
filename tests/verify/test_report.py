"""The verify report: a verdict per recommendation and pattern, IGNORED ones with the plan chosen."""

from __future__ import annotations

import json

from advisor.verify.report import JsonVerifyFormatter, TextVerifyFormatter
from advisor.verify.result import PatternCheck, RecommendationCheck, Verification


def _result(*recs: RecommendationCheck) -> Verification:
    return Verification(
        "p.yaml", "PostgreSQL 15.4 (throwaway database)", "real indexes", "PostgreSQL cost units", 1000,
        {"orders": 1000}, recs, ("ins: an INSERT, which no index serves",),
    )  # fmt: skip


USED = PatternCheck("by_user", True, 120.5, 8.25, "Seq Scan on orders", "Index Scan using ix on orders")
IGNORED = PatternCheck("by_day", False, 50.0, 50.0, "Seq Scan on orders", "Seq Scan on orders")


def test_ignored_recommendations_fail_with_the_plan_the_planner_chose() -> None:
    result = _result(
        RecommendationCheck(1, "create", "orders (user_id)", "ix", (USED,)),
        RecommendationCheck(2, "create", "orders (day)", "ix2", (IGNORED,)),
    )
    assert not result.ok
    text = TextVerifyFormatter().render(result)
    assert "   used     by_user                          cost 120.50 → 8.25" in text
    assert "   IGNORED  by_day" in text and "after:  Seq Scan on orders" in text
    assert "IGNORED by the planner: #2 (by_day)." in text
    data = json.loads(JsonVerifyFormatter().render(result))
    assert data["ok"] is False and data["recommendations"][1]["ignored"] == ["by_day"]


def test_an_expected_exception_is_explained_and_passes() -> None:
    expected = PatternCheck(**{**IGNORED.__dict__, "expected": "MySQL has no partial indexes"})
    result = _result(RecommendationCheck(1, "create", "orders (day) WHERE x", "ix", (expected,)))
    assert result.ok
    text = TextVerifyFormatter().render(result)
    assert "   expected by_day" in text and "expected: MySQL has no partial indexes" in text
    assert text.rstrip().endswith("(1 expected exception, explained above).")


def test_an_index_read_at_no_gain_is_its_own_outcome() -> None:
    """The planner reads the index but its cost hardly moves (84.87 → 84.62): "no gain", not "used"."""
    idle = PatternCheck(
        "by_status", True, 84.87, 84.62, "Seq Scan on orders", "Index Scan using ix on orders"
    )
    result = _result(RecommendationCheck(1, "create", "orders (status)", "ix", (USED, idle)))
    assert result.ok
    text = TextVerifyFormatter().render(result)
    assert "   no gain  by_status                        cost 84.87 → 84.62" in text
    assert "   used     by_user" in text
    assert "its cost falls by less than 5%" in text
    assert "for by_status it reads the index at no gain" in text
    data = json.loads(JsonVerifyFormatter().render(result))
    assert data["recommendations"][0]["no_gain"] == ["by_status"]
