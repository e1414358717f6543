"""The Markdown report's Mermaid ER diagram is well-formed: every line belongs to Mermaid's
erDiagram grammar, entities are defined before they are related, and odd names come out safe."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from advisor.explain.result import SchemaColumn, SchemaTable
from advisor.report.mermaid import er_diagram
from tests.cli.conftest import run_advisor

WORD = r"[A-Za-z][A-Za-z0-9_]*"
TYPE = r"[A-Za-z][A-Za-z0-9_()\[\]-]*"
KEYS = r"(?:PK|FK|UK)(?:, (?:PK|FK|UK))*"
COMMENT = r'"[^"\n]*"'
ENTITY = re.compile(rf"^    ({WORD}) \{{$")
ATTRIBUTE = re.compile(rf"^        ({TYPE}) ({WORD})(?: {KEYS})?(?: {COMMENT})?$")
RELATION = re.compile(rf"^    ({WORD}) (\|o|\|\|)--(o\||o\{{) ({WORD}) : {COMMENT}$")


def diagram_of(markdown: str) -> list[str]:
    start = markdown.index("```mermaid\n")
    end = markdown.index("\n```", start + 3)
    return markdown[start : end + 4].splitlines()


def check_well_formed(lines: list[str]) -> tuple[dict[str, list[str]], list[tuple[str, str, str]]]:
    """Parse the block line by line against the grammar; entities to attribute names, relations."""
    assert lines[0] == "```mermaid" and lines[1] == "erDiagram" and lines[-1] == "```"
    entities: dict[str, list[str]] = {}
    relations: list[tuple[str, str, str]] = []
    current: str | None = None
    for line in lines[2:-1]:
        if current is not None:
            if line == "    }":
                current = None
                continue
            match = ATTRIBUTE.match(line)
            assert match, f"not an attribute line: {line!r}"
            assert match.group(2) not in entities[current], f"duplicate attribute in {current}: {line!r}"
            entities[current].append(match.group(2))
            continue
        entity = ENTITY.match(line)
        if entity:
            assert entity.group(1) not in entities, f"entity defined twice: {line!r}"
            current = entity.group(1)
            entities[current] = []
            continue
        relation = RELATION.match(line)
        assert relation, f"not an entity or relationship line: {line!r}"
        relations.append((relation.group(1), relation.group(3), relation.group(4)))
    assert current is None, "an entity block is not closed"
    for parent, _, child in relations:
        assert parent in entities and child in entities
    return entities, relations


def test_ecommerce_diagram() -> None:
    done = run_advisor("recommend", "samples/ecommerce/patterns.yaml", "--format", "markdown")
    assert done.returncode == 0, done.stderr
    entities, relations = check_well_formed(diagram_of(done.stdout))
    assert set(entities) == {"users", "products", "orders", "order_items"}
    assert "ix_orders_user_id_created_at" in entities["orders"]
    assert "ix_order_items_order_id" in entities["order_items"]
    assert ("users", "o{", "orders") in relations  # NOT NULL user_id: exactly one user, many orders
    assert ("orders", "o{", "order_items") in relations
    assert '        bigint user_id FK "references users.user_id, not null"' in done.stdout
    assert "        varchar(255) email UK" in done.stdout


def test_helpdesk_diagram_from_ddl() -> None:
    done = run_advisor("recommend", "samples/saas_helpdesk/patterns.yaml", "--format", "markdown")
    assert done.returncode == 0, done.stderr
    entities, relations = check_well_formed(diagram_of(done.stdout))
    assert len(entities) == 5
    assert ("agents", "o{", "tickets") in relations  # assignee_id is nullable: |o on the agents side
    assert any(line.startswith("    agents |o--o{ tickets") for line in diagram_of(done.stdout))


def test_odd_names_come_out_safe() -> None:
    tables = (
        SchemaTable(
            "Order Items",
            (
                SchemaColumn("2nd-line", "numeric(12,2)", False, False, True, None),
                SchemaColumn("id", "double precision", True, True, False, None),
                SchemaColumn('say "hi"', "", False, False, True, "order-items.id"),
            ),
            (),
            ("Order Items (id)",),
            ("ix order items",),
        ),
        SchemaTable("order-items", (SchemaColumn("id", "bigint", True, True, False, None),), (), ()),
        SchemaTable("order_items", (SchemaColumn("id", "bigint", True, True, False, None),), (), ()),
    )
    entities, relations = check_well_formed(er_diagram(tables))
    assert set(entities) == {"Order_Items", "order_items", "order_items_2"}
    assert entities["Order_Items"] == ["t_2nd_line", "id", "say_hi", "ix_order_items"]
    assert relations == [("order_items", "o{", "Order_Items")]


def test_spec_with_spaces_in_names(tmp_path: Path) -> None:
    spec = tmp_path / "patterns.yaml"
    spec.write_text(
        textwrap.dedent(
            """
            tables:
              "Customer Accounts":
                rows: 10000
                columns:
                  "Account Id": { type: bigint, primary_key: true }
                  "e-mail": { type: "varchar(255)", unique: true }
              invoices:
                rows: 50000
                columns:
                  id: { type: bigint, primary_key: true }
                  account: { type: bigint, references: "Customer Accounts.Account Id" }
            patterns: []
            """
        )
    )
    done = run_advisor("recommend", str(spec), "--format", "markdown")
    assert done.returncode == 0, done.stderr
    entities, relations = check_well_formed(diagram_of(done.stdout))
    assert set(entities) == {"Customer_Accounts", "invoices"}
    assert relations == [("Customer_Accounts", "o{", "invoices")]


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_diagram_only_in_markdown(fmt: str) -> None:
    done = run_advisor("recommend", "samples/ecommerce/patterns.yaml", "--format", fmt)
    assert "erDiagram" not in done.stdout


def test_json_carries_the_schema() -> None:
    import json

    done = run_advisor("recommend", "samples/ecommerce/patterns.yaml", "--format", "json")
    data = json.loads(done.stdout)
    orders = next(t for t in data["schema"] if t["name"] == "orders")
    user_id = next(c for c in orders["columns"] if c["name"] == "user_id")
    assert user_id == {
        "name": "user_id",
        "type": "bigint",
        "primary_key": False,
        "unique": False,
        "nullable": False,
        "references": "users.user_id",
    }
    assert "ix_orders_user_id_created_at" in orders["recommended_names"]
    assert len(orders["recommended"]) == len(orders["recommended_names"]) == 3
    assert "orders (user_id)" not in orders["indexes"]  # dropped by the plan
