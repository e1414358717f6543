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


def _claimed(model: tuple[float, float], planner: tuple[float, float]) -> PatternCheck:
    return PatternCheck(
        "by_requester", True, *planner, "Sort > Index Scan using old", "Index Scan using ix",
        model_cost_before=model[0], model_cost_after=model[1],
    )  # fmt: skip


def test_a_gain_far_below_the_models_is_its_own_outcome() -> None:
    """The model expected 33,282x, the planner finds 206x: "disagree", with both speed-ups."""
    apart = _claimed((290_222.17, 8.72), (1668.21, 8.09))
    result = _result(RecommendationCheck(1, "create", "tickets (requester)", "ix", (USED, apart)))
    assert result.ok  # the planner uses the index: a warning, not a failure
    text = TextVerifyFormatter().render(result)
    assert "   disagree by_requester" in text
    assert "the model expected it 33,282.4x cheaper, the planner finds it only 206.2x cheaper" in text
    assert "for by_requester it gains less than a 5th of the speed-up the model expected" in text
    data = json.loads(JsonVerifyFormatter().render(result))
    assert data["recommendations"][0]["disagree"] == ["by_requester"]
    assert data["recommendations"][0]["checks"][1]["model_cost_before"] == 290_222.17


def test_a_gain_near_or_above_the_models_is_plain_use() -> None:
    """Within 5x of the model's speed-up, or beyond it (the planner only confirms the advice), or
    without the model's figures: "used"."""
    for check in (
        _claimed((153.34, 21.47), (84.87, 20.71)),
        _claimed((118_575_469.0, 114_489.29), (112_503_787.6, 4116.34)),
        USED,
    ):
        text = TextVerifyFormatter().render(
            _result(RecommendationCheck(1, "create", "t (a)", "ix", (check,)))
        )
        assert f"   used     {check.pattern}" in text and "the model expected" not in text
        data = json.loads(
            JsonVerifyFormatter().render(_result(RecommendationCheck(1, "create", "t (a)", "ix", (check,))))
        )
        assert data["recommendations"][0]["disagree"] == []
