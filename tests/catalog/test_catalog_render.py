"""Rendered docs carry every section, and docs/rules.md matches the catalog."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from advisor.catalog import Catalog, RuleDoc, load_catalog
from advisor.catalog.model import language
from advisor.catalog.render import (
    SECTIONS,
    CatalogRow,
    render_catalog_table,
    render_rule_markdown,
    render_rule_text,
)

ROOT = Path(__file__).resolve().parents[2]
RULES = list(load_catalog())


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_rule_docs", ROOT / "scripts" / "gen_rule_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_text_has_every_section(rule: RuleDoc) -> None:
    text = render_rule_text(rule)
    lines = text.splitlines()
    assert lines[0].startswith(f"{rule.id} {rule.name} ({rule.severity.value}")
    positions = [lines.index(title) for title in SECTIONS]
    assert positions == sorted(positions), "sections out of order"
    for item in rule.thresholds:
        assert f"{item.name} = {item.default}" in text
    if not rule.thresholds:
        assert lines[lines.index("Thresholds") + 1].strip() == "none"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_text_keeps_examples_verbatim_and_wraps_prose(rule: RuleDoc) -> None:
    text = render_rule_text(rule, width=88)
    for line in rule.example.bad.splitlines() + rule.example.good.splitlines():
        assert line.rstrip() in text
    prose_end = text.index("Example\n")
    assert all(len(line) <= 88 for line in text[:prose_end].splitlines())
    assert "\n" not in render_rule_text(rule, width=None).split("What it does\n  ")[1].split("\n\n")[0]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_markdown_has_every_section(rule: RuleDoc) -> None:
    markdown = render_rule_markdown(rule, level=2)
    assert markdown.startswith(f"## {rule.id}: {rule.name}\n")
    for title in SECTIONS:
        assert f"\n### {title}\n" in markdown
    fences = [f"```{language(text)}" for text in (rule.example.bad, rule.example.good)]
    assert [line for line in markdown.splitlines() if line.startswith("```") and line != "```"] == fences


def test_catalog_table_rows() -> None:
    rows = render_catalog_table(load_catalog())
    assert rows[0] == CatalogRow("IDX001", "warning", load_catalog()["IDX001"].title)
    assert [row.id for row in rows] == list(load_catalog().ids)


def test_docs_rules_md_is_up_to_date() -> None:
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == _script().generate(), "run: python scripts/gen_rule_docs.py"


def test_docs_rules_md_documents_every_rule_fully() -> None:
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    catalog: Catalog = load_catalog()
    chunks = committed.split("\n### ")[1:]
    assert [chunk.split(":", 1)[0] for chunk in chunks] == list(catalog.ids)
    for chunk in chunks:
        for title in SECTIONS:
            assert f"\n#### {title}\n" in chunk


def test_script_check_mode(capsys: pytest.CaptureFixture[str]) -> None:
    assert _script().main(["--check"]) == 0
