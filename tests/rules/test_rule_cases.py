"""Runs every case in ``tests/rules/cases/<RULE>.yml`` through the real pipeline.

A case file has a ``base`` spec (the contract format) and named ``cases``; each case adds or
overrides top-level keys (``tables`` are merged table by table) and says whether the rule must
``fire`` or ``pass``, or that it must ``reject`` a candidate (turn it down, with the reason, and
recommend nothing under that label). Optional ``index`` names the exact index a firing case must
recommend, create or drop, or a rejecting case must turn down, as the report labels it. Optional
``count`` is how many times a firing case must fire: a finding is made once, not once per query
block that repeats its condition. A ``ddl``
key (in the base or a case) is written to ``schema.sql`` next to the spec and read through
``schema:``, for rules about DDL-defined tables.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from advisor.explain.result import Result
from advisor.recommend import recommend
from advisor.spec.load import load_spec

CASES = Path(__file__).parent / "cases"
LINT_CASES = Path(__file__).parents[1] / "lint" / "cases"
"""The migration linter's rules (family MIG) have their cases there, run by tests/lint."""


def _load_cases() -> list[Any]:
    params = []
    for path in sorted(CASES.glob("*.yml")):
        doc = yaml.safe_load(path.read_text())
        for case in doc["cases"]:
            params.append(
                pytest.param(doc["rule"], doc.get("base", {}), case, id=f"{doc['rule']}-{case['name']}")
            )
    return params


def _merge(base: dict[str, Any], case: dict[str, Any]) -> dict[str, Any]:
    spec = copy.deepcopy(base)
    for key, value in case.items():
        if key in ("name", "expect", "index", "count", "description", "ddl"):
            continue
        if key == "tables":
            spec.setdefault("tables", {}).update(copy.deepcopy(value))
        else:
            spec[key] = copy.deepcopy(value)
    return spec


def fired(result: Result, rule: str) -> list[str]:
    """Labels of everything ``rule`` produced: recommendations, findings and rejections."""
    out = [r.index for r in result.recommendations if rule in r.rules]
    out += [f.subject for f in result.findings if f.rule == rule]
    out += [r.index for r in result.rejected if r.rule == rule]
    return out


@pytest.mark.parametrize(("rule", "base", "case"), _load_cases())
def test_rule_case(rule: str, base: dict[str, Any], case: dict[str, Any], tmp_path: Path) -> None:
    spec_file = tmp_path / "patterns.yaml"
    spec = _merge(base, case)
    ddl = case.get("ddl", spec.pop("ddl", None))
    if ddl is not None:
        (tmp_path / "schema.sql").write_text(ddl)
        spec["schema"] = "schema.sql"
    spec_file.write_text(yaml.safe_dump(spec, sort_keys=False))
    result = recommend(load_spec(spec_file))
    hits = fired(result, rule)
    if case["expect"] == "reject":
        turned_down = [r.index for r in result.rejected if r.rule == rule]
        assert case["index"] in turned_down, f"{rule} turned down {turned_down}"
        assert case["index"] not in [r.index for r in result.recommendations]
        return
    if case["expect"] == "fire":
        assert hits, f"{rule} did not fire; recommendations: {[r.index for r in result.recommendations]}"
        if "index" in case:
            assert case["index"] in hits, f"{rule} produced {hits}"
        if "count" in case:
            assert len(hits) == case["count"], f"{rule} produced {hits}"
    else:
        assert case["expect"] == "pass"
        assert not hits, f"{rule} fired on {hits}"


def test_every_catalog_rule_has_cases() -> None:
    from advisor.catalog import Family, load_catalog

    catalog = load_catalog()
    lint_ids = {rule.id for rule in catalog.family(Family.MIG)}
    assert set(catalog.ids) - lint_ids <= {p.stem for p in CASES.glob("*.yml")}
    assert lint_ids <= {p.stem for p in LINT_CASES.glob("*.yml")}
    for path in [*CASES.glob("*.yml"), *LINT_CASES.glob("*.yml")]:
        expects = {c["expect"] for c in yaml.safe_load(path.read_text())["cases"]}
        assert {"fire", "pass"} <= expects <= {"fire", "pass", "reject"}, (
            f"{path.name} needs a firing and a passing case"
        )
