"""The shipped catalog loads, holds exactly the rules the engine implements, and is consistent."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest

from advisor.catalog import RECOMMEND_FAMILIES, Catalog, Family, Severity, load_catalog
from advisor.catalog import load as loader

# The rule ids and their documented defaults; the rules package implements these ids.
EXPECTED: dict[str, tuple[Severity, dict[str, float]]] = {
    "IDX001": (
        Severity.WARNING,
        {"min_scan_cost_per_sec": 100, "min_cost_reduction": 0.5, "min_benefit_per_gb": 10},
    ),
    "IDX002": (Severity.WARNING, {"min_sorted_rows": 1000}),
    "IDX003": (Severity.WARNING, {"min_table_rows": 10000}),
    "IDX004": (Severity.INFO, {}),
    "IDX005": (Severity.WARNING, {}),
    "IDX006": (Severity.WARNING, {}),
    "IDX007": (Severity.INFO, {"max_selectivity": 0.05}),
    "IDX008": (Severity.INFO, {"min_writes_per_sec": 1}),
    "IDX009": (Severity.WARNING, {"min_cost_per_sec": 1000}),
    "COV001": (Severity.INFO, {"max_table_share": 0.2, "max_extra_columns": 4}),
    "PAR001": (Severity.INFO, {"max_share": 0.1}),
    "CAP001": (Severity.INFO, {"min_total_bytes": 50e9, "usual_index_share": 0.3}),
    "CAP002": (
        Severity.INFO,
        {"min_table_bytes": 100e9, "max_partition_bytes": 100e9, "min_filtering_patterns": 1},
    ),
    "CAP003": (Severity.INFO, {"min_table_bytes": 1e12, "min_ndv": 10000, "min_traffic_share": 0.5}),
    "CAP004": (Severity.INFO, {"min_read_write_ratio": 10, "min_reads_per_sec": 1000}),
    "CAP005": (
        Severity.INFO,
        {"min_per_sec": 100, "min_reads_per_row_per_hour": 1, "min_read_write_ratio": 10},
    ),
    "CAP006": (Severity.INFO, {"min_write_share": 0.5, "min_rows_per_sec": 500}),
    "INT001": (Severity.WARNING, {}),
    "INT002": (Severity.INFO, {}),
    "INT003": (Severity.INFO, {}),
    "INT004": (Severity.INFO, {}),
    "INT005": (Severity.INFO, {"min_rows": 1000}),
    "INT006": (Severity.ERROR, {}),
    "INT007": (Severity.WARNING, {}),
    "INT008": (Severity.INFO, {}),
    "NRM001": (Severity.WARNING, {}),
    "NRM002": (Severity.INFO, {}),
    "NRM003": (Severity.INFO, {}),
    "NRM004": (Severity.INFO, {"min_read_write_ratio": 100, "max_join_depth": 3, "min_per_sec": 1}),
    "QRY001": (Severity.INFO, {"min_columns": 10}),
    "QRY002": (Severity.WARNING, {"min_table_rows": 10000}),
    "QRY003": (Severity.WARNING, {}),
    "QRY004": (Severity.WARNING, {"min_table_rows": 10000}),
    "QRY005": (Severity.INFO, {"min_table_rows": 10000}),
    "QRY006": (Severity.WARNING, {"max_offset": 1000}),
    "QRY007": (Severity.WARNING, {}),
    "QRY008": (Severity.WARNING, {"min_table_rows": 10000}),
    "QRY009": (Severity.WARNING, {"max_rows": 10000, "page_size": 1000}),
    "QRY010": (Severity.WARNING, {"min_multiple": 2, "min_rows_share": 0.25}),
    "QRY011": (Severity.WARNING, {}),
}

NAMES = {
    "IDX001": "composite-index-order",
    "IDX002": "order-by-limit",
    "IDX003": "foreign-key-index",
    "IDX004": "existing-index-serves",
    "IDX005": "duplicate-index",
    "IDX006": "prefix-redundant-index",
    "IDX007": "low-cardinality-index",
    "IDX008": "unused-index",
    "IDX009": "scan-left",
    "COV001": "covering-index",
    "PAR001": "partial-index",
    "CAP001": "size-and-growth",
    "CAP002": "partition-by-time",
    "CAP003": "shard-key",
    "CAP004": "read-replicas",
    "CAP005": "cache-candidate",
    "CAP006": "lsm-storage",
    "INT001": "missing-primary-key",
    "INT002": "reference-without-foreign-key",
    "INT003": "non-negative-check",
    "INT004": "not-null-from-stats",
    "INT005": "unique-natural-key",
    "INT006": "money-in-float",
    "INT007": "optimistic-locking",
    "INT008": "audit-trail",
    "NRM001": "below-third-normal-form",
    "NRM002": "not-boyce-codd",
    "NRM003": "duplicated-column",
    "NRM004": "denormalize-hot-join",
    "QRY001": "select-star",
    "QRY002": "function-on-indexed-column",
    "QRY003": "implicit-type-conversion",
    "QRY004": "leading-wildcard-like",
    "QRY005": "or-across-columns",
    "QRY006": "deep-offset",
    "QRY007": "not-in-nullable-subquery",
    "QRY008": "order-by-random",
    "QRY009": "unbounded-read",
    "QRY010": "n-plus-one",
    "QRY011": "pattern-not-analyzed",
}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def test_ids_are_exactly_the_implemented_set(catalog: Catalog) -> None:
    from advisor.lint.checks.base import lint_rule_ids

    # the migration linter's rules (MIG) are checked against its registry
    lint_ids = {rule.id for rule in catalog.family(Family.MIG)}
    assert set(catalog.ids) - lint_ids == set(EXPECTED)
    assert lint_ids == set(lint_rule_ids())
    assert len(catalog) == len(EXPECTED) + len(lint_ids)


def test_catalog_order_is_family_then_id(catalog: Catalog) -> None:
    families = list(Family)
    assert list(catalog.ids) == sorted(catalog.ids, key=lambda i: (families.index(Family(i[:3])), i))
    assert catalog.ids[0] == "IDX001"


@pytest.mark.parametrize("rule_id", sorted(EXPECTED))
def test_rule_fields(catalog: Catalog, rule_id: str) -> None:
    rule = catalog[rule_id]
    severity, defaults = EXPECTED[rule_id]
    assert rule.name == NAMES[rule_id]
    assert rule.severity is severity
    assert rule.defaults == defaults
    assert rule.family is Family(rule_id[:3])
    for text in (rule.title, rule.what, rule.why, rule.fix, rule.example.bad, rule.example.good):
        assert text.strip()
    for item in rule.thresholds:
        assert item.description.strip()
        # Prose refers to thresholds by their configuration name; an unknown name is a typo.
    for word in re.findall(r"`([a-z]+(?:_[a-z]+)+)`", rule.what + rule.why + rule.fix):
        if word.startswith(("min_", "max_")):
            assert word in rule.defaults, f"{rule_id} mentions unknown threshold {word}"


@pytest.mark.parametrize("rule_id", sorted(EXPECTED))
def test_index_examples_show_ddl(catalog: Catalog, rule_id: str) -> None:
    good = catalog[rule_id].example.good.upper()
    # the point of IDX004 is that no DDL is needed; capacity advice is often a setting, not DDL
    if rule_id != "IDX004" and rule_id[:3] in ("IDX", "COV", "PAR"):
        assert "CREATE" in good or "DROP" in good
    assert good != catalog[rule_id].example.bad.upper()


def test_lookup_by_id_or_name(catalog: Catalog) -> None:
    assert catalog.get("idx002") is catalog.get("order-by-limit") is catalog["IDX002"]
    assert catalog.get("IDX999") is None
    assert "PAR001" in catalog and "nope" not in catalog
    with pytest.raises(KeyError):
        catalog["IDX999"]
    assert catalog.suggest("IDX0011")[0] == "IDX001"
    assert catalog.suggest("order-by-limt")[0] == "IDX002"  # order-by-random is close too
    assert [r.id for r in catalog.family(Family.COV)] == ["COV001"]


def test_shipped_catalog_is_cached() -> None:
    assert load_catalog() is load_catalog()
    assert load_catalog(families=RECOMMEND_FAMILIES) is load_catalog(families=RECOMMEND_FAMILIES)


def test_recommend_families_are_the_design_rules(catalog: Catalog) -> None:
    design = load_catalog(families=RECOMMEND_FAMILIES)
    assert set(design.ids) == set(EXPECTED)
    assert [design[rule_id] for rule_id in design.ids] == [catalog[rule_id] for rule_id in design.ids]


def test_checkout_falls_back_to_top_level_rules() -> None:
    if (resources.files("advisor") / "_catalog").is_dir():
        pytest.skip("advisor is imported from an installed wheel")
    directory = loader.default_directory()
    assert Path(str(directory)) == Path(__file__).resolve().parents[2] / "rules"


def test_packaged_catalog_is_preferred(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # An installed wheel holds the data at advisor/_catalog (hatch force-include).
    (tmp_path / "_catalog").mkdir()
    monkeypatch.setattr("advisor.catalog.files.resources.files", lambda package: tmp_path)
    assert Path(str(loader.default_directory())) == tmp_path / "_catalog"


def test_loader_is_not_imported_by_the_package() -> None:
    import subprocess
    import sys

    code = "import sys, advisor.catalog; print('advisor.catalog.load' in sys.modules, 'yaml' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
