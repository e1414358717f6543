"""The DDL the integrity rules propose runs on the real engines, after the schema it fixes."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from advisor.recommend import recommend
from advisor.spec.load import load_spec
from tests.db.conftest import Run

SCHEMA = """
CREATE TABLE agents (agent_id bigint PRIMARY KEY, name varchar(100) NOT NULL);
CREATE TABLE tickets (
    ticket_id bigint PRIMARY KEY,
    assignee_id bigint,
    price numeric(10,2),
    quantity integer,
    total_amount double precision,
    external_ref varchar(40),
    opened_at timestamp
);
CREATE TABLE page_views (view_ref varchar(40) NOT NULL UNIQUE, viewed_at timestamp);
"""

SPEC = """
dialect: {dialect}
schema: schema.sql
tables:
  agents: {{ rows: 2000 }}
  page_views: {{ rows: 100000 }}
  tickets:
    rows: 1000000
    sensitive: true
    columns:
      assignee_id: {{ references: agents.agent_id }}
      external_ref: {{ ndv: 1000000 }}
      opened_at: {{ null_frac: 0 }}
patterns:
  - {{ name: ticket, sql: "SELECT price FROM tickets WHERE ticket_id = :t", per_sec: 10 }}
"""

RULES = {"INT001", "INT002", "INT003", "INT004", "INT005", "INT006", "INT008"}


def _fixes(tmp_path: Path, dialect: str) -> list[tuple[str, str]]:
    (tmp_path / "schema.sql").write_text(SCHEMA)
    spec_file = tmp_path / "patterns.yaml"
    spec_file.write_text(textwrap.dedent(SPEC.format(dialect=dialect)))
    result = recommend(load_spec(spec_file))
    fixes = [(f.rule, f.ddl) for f in result.findings if f.rule.startswith("INT") and f.ddl]
    assert {rule for rule, _ in fixes} == RULES
    return fixes


@pytest.mark.parametrize("dialect", ["postgres"])
def test_postgres_accepts_every_integrity_fix(postgres: Run, tmp_path: Path, dialect: str) -> None:
    postgres(SCHEMA)
    for _, ddl in _fixes(tmp_path, dialect):
        postgres(ddl)
    constraints = postgres(
        "SELECT conname FROM pg_constraint WHERE conrelid = 'tickets'::regclass ORDER BY 1;"
    )
    assert "tickets_assignee_id_fkey" in constraints
    assert "tickets_price_nonnegative" in constraints and "tickets_quantity_nonnegative" in constraints
    kind = postgres(
        "SELECT data_type FROM information_schema.columns WHERE table_name = 'tickets' AND column_name = 'total_amount';"
    )
    assert kind.strip() == "numeric"
    nullable = postgres(
        "SELECT is_nullable FROM information_schema.columns WHERE table_name = 'tickets' AND column_name = 'opened_at';"
    )
    assert nullable.strip() == "NO"


def test_mariadb_accepts_every_integrity_fix(mariadb: Run, tmp_path: Path) -> None:
    mariadb(SCHEMA.replace("double precision", "double"))
    for _, ddl in _fixes(tmp_path, "mysql"):
        mariadb(ddl)
    kind = mariadb(
        "SELECT data_type FROM information_schema.columns WHERE table_schema = DATABASE() "
        "AND table_name = 'tickets' AND column_name = 'total_amount';"
    )
    assert kind.strip() == "decimal"


def test_reserved_names_are_quoted_for_postgres(postgres: Run) -> None:
    from sqlglot import exp

    from advisor.cost.design import IndexDesign
    from advisor.emit.constraints import add_check, set_column
    from advisor.emit.ddl import create_index, to_sql
    from advisor.spec.model import IndexKey

    postgres('CREATE TABLE "order" (id bigint PRIMARY KEY, "user" bigint, amount numeric(12,2));')
    postgres(add_check("order", "order_amount_nonnegative", exp.column("amount") >= 0, "postgres"))
    postgres(set_column("order", "user", "bigint", False, "postgres", False))
    postgres(to_sql(create_index(IndexDesign("order", (IndexKey("user"),)), "postgres"), "postgres"))
    nullable = postgres(
        "SELECT is_nullable FROM information_schema.columns WHERE table_name = 'order' AND column_name = 'user';"
    )
    assert nullable.strip() == "NO"
