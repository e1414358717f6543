"""Names declared quoted with capitals or a space keep their spelling in everything advisor
writes: the report's DDL, ``advisor ddl`` for each engine, the generated index names plain."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import ROOT, run_advisor

SPEC = "tests/db/specs/mixed_case/patterns.yaml"


def _statements(*args: str) -> list[str]:
    done = run_advisor(*args)
    assert done.returncode == 0, done.stderr
    return [line for line in done.stdout.splitlines() if line and not line.startswith("--")]


def test_ddl_spells_quoted_names_as_declared_on_postgres() -> None:
    out = "\n".join(_statements("ddl", SPEC))
    assert 'CREATE TABLE IF NOT EXISTS "Orders" ("Id" BIGINT NOT NULL, "Customer Id" BIGINT NOT NULL' in out
    assert 'REFERENCES "Customers" ("Id")' in out
    assert 'CREATE INDEX CONCURRENTLY IF NOT EXISTS "Orders_ByStatus" ON "Orders"("Status");' in out
    assert 'CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_orders_customer_id ON "Orders"("Customer Id");' in out
    assert "region VARCHAR(20)" in out and '"region"' not in out  # a plain name stays plain
    assert '"orders"' not in out and '"customer id"' not in out


def test_ddl_spells_them_for_mysql_and_in_the_report() -> None:
    mysql = "\n".join(_statements("ddl", SPEC, "--dialect", "mysql", "--changes-only"))
    assert "CREATE INDEX ix_orders_customer_id ON `Orders`(`Customer Id`);" in mysql
    report = run_advisor("recommend", SPEC, "--format", "json")
    assert report.returncode == 0, report.stderr
    assert 'ON \\"Orders\\"(\\"Customer Id\\");' in report.stdout


def test_the_fixes_of_query_rules_spell_them_as_declared(tmp_path: Path) -> None:
    """The expression index of QRY002 and the first page of QRY009 name "Orders" and its columns as
    the DDL declares them."""
    (tmp_path / "schema.sql").write_text((ROOT / "tests/db/specs/mixed_case/schema.sql").read_text())
    spec = tmp_path / "p.yaml"
    spec.write_text(
        "dialect: postgres\nschema: schema.sql\ntables:\n  Orders:\n    rows: 1000000\npatterns:\n"
        '  - name: all_recent\n    sql: SELECT "Id", total FROM "Orders" WHERE "createdAt" >= :since\n    per_sec: 5\n'
        '  - name: by_status_text\n    sql: SELECT "Id" FROM "Orders" WHERE lower("Status") = :s\n    per_sec: 5\n'
    )
    done = run_advisor("recommend", str(spec), "--format", "json")
    assert done.returncode == 0, done.stderr
    findings = {f["rule"]: f for f in json.loads(done.stdout)["findings"]}
    index = findings["QRY002"]["ddl"]
    assert index == 'CREATE INDEX IF NOT EXISTS ix_orders_status_expr ON "Orders"((LOWER("Status")));'
    first_page = findings["QRY009"]["fix"].split("first page: ")[1]
    assert first_page.endswith('WHERE "createdAt" >= :since ORDER BY "Id" LIMIT 1000')


def test_applying_the_plan_then_planning_again_recommends_nothing(tmp_path: Path) -> None:
    """The full DDL (tables, kept and recommended indexes) as the schema: the indexes declared on
    "Customer Id" and "createdAt" serve the patterns, so nothing more is recommended."""
    ddl = run_advisor("ddl", SPEC)
    assert ddl.returncode == 0, ddl.stderr
    (tmp_path / "schema.sql").write_text(ddl.stdout)
    (tmp_path / "p.yaml").write_text((ROOT / SPEC).read_text())
    again = run_advisor("recommend", str(tmp_path / "p.yaml"), "--format", "json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["recommendations"] == []
