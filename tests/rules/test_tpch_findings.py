"""The findings on TPC-H's spec (written from PostgreSQL's pg_stats) are ones a DBA would keep: no
false alarms the rules used to raise there, and each finding once."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from advisor.explain.result import Result
from advisor.recommend import recommend
from advisor.spec.load import load_spec

TPCH = Path(__file__).parents[1] / "cost" / "specs" / "tpch_sf1.yaml"


@pytest.fixture(scope="module")
def result() -> Result:
    return recommend(load_spec(TPCH))


def _subjects(result: Result, rule: str) -> list[str]:
    return [f.subject for f in result.findings if f.rule == rule]


def test_no_select_star_in_exists(result: Result) -> None:
    # q04 and q21 use SELECT * only inside EXISTS, which reads no column
    assert not {"q04", "q21"} & set(_subjects(result, "QRY001"))


def test_distinct_free_text_is_no_natural_key(result: Result) -> None:
    free_text = {
        "supplier.s_comment",
        "supplier.s_address",
        "supplier.s_phone",
        "supplier.s_name",
        "partsupp.ps_comment",
        "customer.c_address",
        "customer.c_phone",
        "customer.c_name",
        "part.p_name",
    }
    assert not free_text & set(_subjects(result, "INT005"))


def test_each_finding_once(result: Result) -> None:
    repeated = Counter((f.rule, f.subject, f.message) for f in result.findings)
    assert [k for k, n in repeated.items() if n > 1] == []
    assert _subjects(result, "QRY002").count("q22") <= 1
    assert _subjects(result, "IDX009").count("q11") <= 1


def test_no_stay_normalized_on_a_read_only_workload(result: Result) -> None:
    # nothing writes TPC-H's tables and none declares a consistency: only deep joins are advice
    advice = [f for f in result.findings if f.rule == "NRM004"]
    assert not [f.subject for f in advice if "stay normalized" in f.message]
    assert {f.subject for f in advice} == {"q05", "q07", "q08", "q09"}
