"""The catalog (data) and the code that implements rules must name the same ids."""

from advisor.catalog import load_catalog
from advisor.rules.base import implemented_rule_ids


def test_catalog_and_code_name_the_same_rules() -> None:
    catalog = set(load_catalog().ids)
    code = set(implemented_rule_ids())
    assert catalog - code == set(), f"documented but not implemented: {sorted(catalog - code)}"
    assert code - catalog == set(), f"implemented but not documented: {sorted(code - catalog)}"
