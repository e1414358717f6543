"""The lint rules' registry and their catalog entries agree."""

from __future__ import annotations

from advisor.catalog import Family, load_catalog
from advisor.lint.checks.base import LINT_RULES, default_severities, load_lint_rules


def test_registry_severities_are_the_catalog_severities() -> None:
    catalog = load_catalog()
    defaults = default_severities()
    assert set(defaults) == {rule.id for rule in catalog.family(Family.MIG)}
    for rule_id, severity in defaults.items():
        assert catalog[rule_id].severity is severity, rule_id


def test_locking_rules_name_postgres_lock_levels() -> None:
    """A locking rule's explanation says which lock it takes, as the server names it."""
    catalog = load_catalog()
    locks = ("ACCESS EXCLUSIVE", "SHARE", "ROW EXCLUSIVE", "SHARE UPDATE EXCLUSIVE", "SHARE ROW EXCLUSIVE")
    load_lint_rules()
    for rule_id, rule in LINT_RULES.items():
        # MIG004 and MIG008 are about statements that fail, not about a lock
        if rule.check.__module__.endswith("checks.locking") and rule_id not in ("MIG004", "MIG008"):
            why = catalog[rule_id].why
            assert any(lock in why for lock in locks), rule_id


def test_opt_in_rules_say_so() -> None:
    catalog = load_catalog()
    load_lint_rules()
    for rule_id, rule in LINT_RULES.items():
        if not rule.enabled:
            assert "Off by default" in catalog[rule_id].what, rule_id
