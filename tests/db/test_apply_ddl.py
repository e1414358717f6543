"""Every sample's full and changes-only DDL applied to real SQLite, PostgreSQL and MariaDB, each in
a throwaway database; twice where the script is meant to be re-runnable."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from advisor.emit.changes import Change
from advisor.emit.indexes import NameBook
from advisor.emit.migration import ddl_text
from advisor.emit.script import existing_index_statements, table_statements
from advisor.emit.target import resolve_target
from advisor.engines.database import open_database, split_sql
from advisor.recommend import planned_changes
from advisor.spec.load import load_spec
from advisor.spec.model import Spec
from tests.db.conftest import require

ROOT = Path(__file__).resolve().parents[2]
SPECS = [
    *sorted(p.relative_to(ROOT) for p in (ROOT / "samples").glob("*/patterns.yaml")),
    Path("tests/db/specs/mixed_case/patterns.yaml"),  # quoted names with capitals and a space
    Path("tests/emit/fixtures/patterns.yaml"),
]
# (engine whose server runs it, target dialect of the script, whether index statements re-run)
TARGETS = [("sqlite", "sqlite", True), ("postgres", "postgres", True), ("mariadb", "mysql", False)]
TARGETS += [("mariadb", "mariadb", True)]


@cache
def _planned(path: Path) -> tuple[Spec, tuple[Change, ...]]:
    spec = load_spec(ROOT / path)
    return spec, planned_changes(spec)[1]


def _rerunnable(statement: str, indexes_rerun: bool) -> bool:
    """Whether the script promises this statement can run twice (see its header and notes)."""
    head = statement.lstrip().upper()
    if head.startswith("ALTER TABLE"):
        return False  # a reference cycle's ADD CONSTRAINT: documented as not re-runnable
    return indexes_rerun or not head.startswith(("CREATE INDEX", "DROP INDEX", "CREATE UNIQUE INDEX"))


@pytest.mark.parametrize("path", SPECS, ids=[p.parent.name for p in SPECS])
@pytest.mark.parametrize(("engine", "dialect", "rerun"), TARGETS, ids=[f"{e}-{d}" for e, d, _ in TARGETS])
def test_full_schema_applies(path: Path, engine: str, dialect: str, rerun: bool) -> None:
    url = require(engine)
    spec, changes = _planned(path)
    target = resolve_target(dialect)
    statements = split_sql(ddl_text(spec, changes, target, False, True), target.dialect)
    assert any(s.upper().startswith("CREATE TABLE") for s in statements)
    with open_database(url) as db:
        for statement in statements:
            db.execute(statement)
        for statement in statements:
            if _rerunnable(statement, rerun):
                db.execute(statement)


@pytest.mark.parametrize("path", SPECS, ids=[p.parent.name for p in SPECS])
@pytest.mark.parametrize(("engine", "dialect", "rerun"), TARGETS, ids=[f"{e}-{d}" for e, d, _ in TARGETS])
def test_changes_only_applies_to_todays_schema(path: Path, engine: str, dialect: str, rerun: bool) -> None:
    url = require(engine)
    spec, changes = _planned(path)
    target = resolve_target(dialect)
    book = NameBook(target)
    today = [*table_statements(spec, target, book).statements]
    today += existing_index_statements(spec, target, book, False, {})[0].statements
    migration = split_sql(ddl_text(spec, changes, target, True, True), target.dialect)
    assert migration, "every sample recommends changes"
    with open_database(url) as db:
        for statement in today:
            db.execute(statement.sql.sql(dialect=target.dialect))
        for statement in migration:
            db.execute(statement)
        if rerun:
            for statement in migration:
                db.execute(statement)


def test_changes_only_applies_to_the_samples_own_schema_file() -> None:
    """The help desk's migration on top of its own schema.sql as MariaDB runs it, not our rendering
    of it: the index names it drops are the file's."""
    url = require("mariadb")
    path = Path("samples/saas_helpdesk/patterns.yaml")
    spec, changes = _planned(path)
    schema = split_sql((ROOT / path.parent / "schema.sql").read_text(), "mysql")
    migration = split_sql(ddl_text(spec, changes, resolve_target("mysql"), True, True), "mysql")
    assert any(s.startswith("DROP INDEX idx_tickets_tenant ON tickets") for s in migration)
    with open_database(url) as db:
        for statement in [*schema, *migration]:
            db.execute(statement)
