"""The rules run in the order ``advisor.rules.registry`` and ``advisor.findings.registry`` write down, each id and function once."""

from __future__ import annotations

from advisor.catalog.load import load_catalog
from advisor.findings.registry import DESIGN_RULES, REVIEW_IDS
from advisor.rules.registry import CANDIDATE_RULES


def test_each_rule_is_registered_once_with_its_own_function() -> None:
    entries = [*CANDIDATE_RULES, *DESIGN_RULES]
    ids = [rule_id for rule_id, _ in entries]
    functions = [rule for _, rule in entries]
    assert len(ids) == len(set(ids))
    assert len(functions) == len(set(functions))


def test_the_proposing_candidate_rules_run_before_the_refining_and_judging_ones() -> None:
    order = [rule_id for rule_id, _ in CANDIDATE_RULES]
    proposing = ("IDX001", "IDX002", "IDX003")
    assert order[:3] == list(proposing)
    assert order.index("PAR001") < order.index("COV001") < order.index("IDX007") < order.index("IDX004")


def test_every_registered_id_is_in_the_catalog() -> None:
    catalog = load_catalog()
    for rule_id in {rule_id for rule_id, _ in (*CANDIDATE_RULES, *DESIGN_RULES)} | REVIEW_IDS:
        assert catalog.require(rule_id).id == rule_id
