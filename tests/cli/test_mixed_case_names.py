"""Names declared quoted with capitals or a space keep their spelling in everything advisor
writes: the report's DDL, ``advisor ddl`` for each engine, the generated index names plain."""

from __future__ import annotations

from tests.cli.conftest import run_advisor

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
