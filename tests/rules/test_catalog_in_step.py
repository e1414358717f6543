"""The catalog (data) and the code that implements rules must name the same ids."""

from advisor.catalog import load_catalog
from advisor.findings.registry import DESIGN_RULES, PIPELINE_IDS, REVIEW_IDS
from advisor.lint.checks.base import lint_rule_ids
from advisor.rules.registry import CANDIDATE_RULES


def test_catalog_and_code_name_the_same_rules() -> None:
    catalog = set(load_catalog().ids)
    registered = {rule_id for rule_id, _ in (*CANDIDATE_RULES, *DESIGN_RULES)}
    code = registered | REVIEW_IDS | PIPELINE_IDS | lint_rule_ids()
    assert catalog - code == set(), f"documented but not implemented: {sorted(catalog - code)}"
    assert code - catalog == set(), f"implemented but not documented: {sorted(code - catalog)}"
