"""The architect's checklist ends every report, in every format, marked from the spec."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import run_advisor

ITEMS = [
    "indexes",
    "constraints",
    "monitoring",
    "backups",
    "replication",
    "partitioning",
    "connection pooling",
    "EXPLAIN review",
    "migration plan",
    "disaster recovery",
]


def _report(path: str, fmt: str = "json") -> Any:
    done = run_advisor("recommend", path, "--format", fmt)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout) if fmt == "json" else done.stdout


@pytest.fixture(scope="module")
def ecommerce() -> dict[str, Any]:
    result: dict[str, Any] = _report("samples/ecommerce/patterns.yaml")
    return result


def test_ten_items_in_order(ecommerce: dict[str, Any]) -> None:
    assert [c["item"] for c in ecommerce["checklist"]] == ITEMS


def test_items_are_marked_from_declarations_and_findings(ecommerce: dict[str, Any]) -> None:
    items = {c["item"]: c for c in ecommerce["checklist"]}
    # declared in the sample's operations section
    assert items["backups"]["status"] == "ok" and "WAL archiving" in items["backups"]["detail"]
    assert items["migration plan"]["status"] == "ok"
    # derived from the plan and the findings
    assert items["indexes"]["status"] == "todo" and "6 to create, 1 to drop" in items["indexes"]["detail"]
    assert items["constraints"]["status"] == "todo" and "INT003" in items["constraints"]["rules"]
    assert items["partitioning"]["status"] == "todo" and items["partitioning"]["rules"] == ["CAP002"]
    assert "orders" in items["partitioning"]["detail"]
    assert items["replication"]["status"] == "todo" and items["replication"]["rules"] == ["CAP004"]
    # not declared: unknown, with the exact key to declare
    for item, key in [
        ("monitoring", "operations.monitoring"),
        ("connection pooling", "operations.connection_pooling"),
        ("EXPLAIN review", "operations.explain_review"),
        ("disaster recovery", "operations.disaster_recovery"),
    ]:
        assert items[item]["status"] == "unknown"
        assert items[item]["key"] == key


def test_declared_false_is_work_to_do() -> None:
    items = {c["item"]: c for c in _report("samples/saas_helpdesk/patterns.yaml")["checklist"]}
    assert items["connection pooling"]["status"] == "todo"
    assert items["connection pooling"]["detail"].startswith("declared absent")
    assert items["monitoring"]["status"] == "ok" and items["replication"]["status"] == "ok"


def test_nothing_to_partition_is_ok_without_a_declaration(tmp_path: Path) -> None:
    spec = tmp_path / "patterns.yaml"
    spec.write_text(
        textwrap.dedent(
            """
            tables:
              t:
                rows: 1000
                columns:
                  id: { type: bigint, primary_key: true }
            patterns:
              - { name: one, sql: "SELECT id FROM t WHERE id = :i", per_sec: 1 }
            """
        )
    )
    items = {c["item"]: c for c in _report(str(spec))["checklist"]}
    assert items["partitioning"]["status"] == "ok"
    assert items["replication"]["status"] == "unknown"
    assert items["indexes"]["status"] == "ok" and items["constraints"]["status"] == "ok"


@pytest.mark.parametrize(
    ("fmt", "heading"), [("text", "Architect's checklist"), ("markdown", "## Architect's checklist")]
)
def test_checklist_ends_the_report(fmt: str, heading: str) -> None:
    text = _report("samples/ecommerce/patterns.yaml", fmt)
    tail = text[text.index(heading) :]
    for later in ("Findings", "Capacity", "Assum", "rejected"):  # nothing follows the checklist
        assert later not in tail
    for item in ITEMS:
        assert item in tail
    assert "operations.disaster_recovery" in tail
