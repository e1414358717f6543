"""Full-schema and changes-only DDL per engine, read back with sqlglot (the real engines run it in
tests/db)."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlglot
from sqlglot import exp

from advisor.dialects import known_dialects
from advisor.emit.changes import Change
from advisor.emit.script import changes_only, full_schema
from advisor.emit.target import resolve_target
from advisor.recommend import planned_changes
from advisor.spec.load import load_spec
from advisor.spec.model import Spec
from tests.cli.conftest import run_advisor

Planned = tuple[Spec, tuple[Change, ...]]
FIXTURE = Path(__file__).parent / "fixtures" / "patterns.yaml"


@pytest.fixture(scope="module")
def planned() -> Planned:
    spec = load_spec(FIXTURE)
    return spec, planned_changes(spec)[1]


def _script(planned: Planned, dialect: str, **kw: bool) -> list[exp.Expr]:
    spec, changes = planned
    target = resolve_target(dialect)
    build = changes_only if kw.pop("changes", False) else full_schema
    text = build(spec, changes, target, kw.get("concurrently", True)).statements()
    return [sqlglot.parse_one(s, read=target.dialect) for s in text]


def _creates(statements: list[exp.Expr], kind: str) -> list[exp.Create]:
    return [s for s in statements if isinstance(s, exp.Create) and s.args.get("kind") == kind]


@pytest.mark.parametrize("dialect", ["postgres", "mysql", "sqlite"])
def test_tables_come_after_the_tables_they_reference(planned: Planned, dialect: str) -> None:
    tables = [c.this.this.name for c in _creates(_script(planned, dialect), "TABLE")]
    assert tables.index("user") < tables.index("order") < tables.index("order_line")


def test_a_reference_cycle_is_closed_by_alter_table(planned: Planned) -> None:
    statements = _script(planned, "postgres")
    alters = [s for s in statements if isinstance(s, exp.Alter)]
    assert [a.this.name for a in alters] == ["user"]
    assert "ON DELETE SET NULL" in alters[0].sql("postgres")
    # SQLite checks references only at run time and cannot ADD CONSTRAINT: the cycle stays inline.
    assert not [s for s in _script(planned, "sqlite") if isinstance(s, exp.Alter)]


def test_constraints_survive_the_translation(planned: Planned) -> None:
    by_name = {c.this.this.name: c for c in _creates(_script(planned, "mysql"), "TABLE")}
    line = by_name["order_line"].sql("mysql")
    assert "PRIMARY KEY (order_id, line_no)" in line
    assert "ON DELETE CASCADE ON UPDATE RESTRICT" in line
    order = by_name["order"].sql("mysql")
    assert "DEFAULT 'pending'" in order and "CHECK (status IN ('pending', 'paid', 'shipped'))" in order
    user = by_name["user"].sql("mysql")
    assert "AUTO_INCREMENT" in user and "CONSTRAINT user_email_length CHECK" in user
    assert "DEFAULT CURRENT_TIMESTAMP" in user


def test_reserved_names_are_quoted_and_plain_ones_are_not(planned: Planned) -> None:
    pg = "\n".join(s.sql("postgres") for s in _script(planned, "postgres"))
    assert 'CREATE TABLE IF NOT EXISTS "order"' in pg and "order_line (" in pg
    assert '"order_line"' not in pg
    my = "\n".join(s.sql("mysql") for s in _script(planned, "mysql"))
    assert "CREATE TABLE IF NOT EXISTS `user`" in my


def test_index_features_follow_the_engine(planned: Planned) -> None:
    spec, changes = planned
    pg = full_schema(spec, changes, resolve_target("postgres"), True).render()
    assert 'CREATE INDEX CONCURRENTLY IF NOT EXISTS order_status_open_idx ON "order"(status) WHERE' in pg
    plain = full_schema(spec, changes, resolve_target("postgres"), False).render()
    assert "CONCURRENTLY" not in plain
    my = full_schema(spec, changes, resolve_target("mysql"), True).render()
    assert "MySQL has no partial indexes: this is the full index" in my
    assert "CREATE INDEX order_status_open_idx ON `order`(status);" in my
    assert "order_line(note(255))" in my  # a TEXT key needs a prefix length on MySQL
    maria = full_schema(spec, changes, resolve_target("mariadb"), True).render()
    assert "IF NOT EXISTS order_line_note_idx ON order_line(note(255))" in maria
    lite = full_schema(spec, changes, resolve_target("sqlite"), True).render()
    assert "WHERE status = 'pending'" in lite and "CONCURRENTLY" not in lite


@pytest.mark.parametrize(("dialect", "limit"), [("postgres", 63), ("mysql", 64)])
def test_index_names_fit_the_engine_and_stay_stable(planned: Planned, dialect: str, limit: int) -> None:
    names = [c.this.name for c in _creates(_script(planned, dialect), "INDEX")]
    assert all(len(n.encode()) <= limit for n in names)
    long = [n for n in names if n.startswith("ix_order_line_items")]
    assert len(long) == 1 and long[0][-9] == "_"
    assert [c.this.name for c in _creates(_script(planned, dialect), "INDEX")] == names


def test_covering_columns_become_trailing_keys_without_include() -> None:
    spec = load_spec(Path("samples/ecommerce/patterns.yaml"))
    changes = planned_changes(spec)[1]
    pg = changes_only(spec, changes, resolve_target("postgres"), True).render()
    lite = changes_only(spec, changes, resolve_target("sqlite"), True).render()
    assert "ON orders(user_id, created_at DESC) INCLUDE (order_id, status, total_amount)" in pg
    assert "ON orders(user_id, created_at DESC, order_id, status, total_amount)" in lite
    assert "SQLite has no INCLUDE" in lite


def test_ddl_cli_writes_the_full_schema_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "schema.sql"
    done = run_advisor("ddl", str(FIXTURE), "--dialect", "sqlite", "--output", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    text = out.read_text()
    assert text.startswith("-- advisor: full schema with the recommended indexes for patterns.yaml (sqlite")
    assert "CREATE TABLE IF NOT EXISTS" in text


def test_ddl_help_labels_untested_dialects() -> None:
    done = run_advisor("ddl", "--help")
    assert "untested" in done.stdout
    untested = run_advisor("ddl", str(FIXTURE), "--dialect", "duckdb")
    assert untested.returncode == 0, untested.stderr
    assert "generated by sqlglot but untested on a real engine" in untested.stdout


def test_ddl_output_rewrites_its_own_file_but_never_the_schema(tmp_path: Path) -> None:
    out = tmp_path / "schema.sql"
    for _ in range(2):
        done = run_advisor("ddl", str(FIXTURE), "--output", str(out))
        assert done.returncode == 0, done.stderr
    schema = FIXTURE.parent / "schema.sql"
    before = schema.read_text()
    refused = run_advisor("ddl", str(FIXTURE), "--output", str(schema))
    assert refused.returncode == 2
    assert "is not an earlier advisor report" in refused.stderr
    assert schema.read_text() == before


def _spec(tmp_path: Path, columns: str) -> Path:
    path = tmp_path / "patterns.yaml"
    path.write_text(
        "dialect: postgres\n"
        "tables:\n"
        "  parent:\n"
        "    columns:\n"
        "      id: { type: bigint, primary_key: true }\n"
        "  child:\n"
        "    columns:\n"
        "      id: { type: bigint, primary_key: true }\n" + columns + "patterns: []\n"
    )
    return path


def test_yaml_gives_defaults_checks_and_reference_actions(tmp_path: Path) -> None:
    path = _spec(
        tmp_path,
        "      parent_id: { type: bigint, references: parent.id, on_delete: Set Null }\n"
        "      state: { type: text, default: \"'new'\", check: \"state <> ''\" }\n"
        "      made_at: { type: timestamp, default: now() }\n"
        "      tries: { type: integer, default: 0 }\n",
    )
    spec = load_spec(path)
    text = full_schema(spec, (), resolve_target("mysql"), True).render()
    assert "state TEXT DEFAULT ('new')" in text  # MySQL 8 takes only an expression default on TEXT
    assert "CHECK (state <> '')" in text
    assert "made_at DATETIME DEFAULT CURRENT_TIMESTAMP" in text
    assert "tries INT DEFAULT 0" in text
    assert "REFERENCES parent (id) ON DELETE SET NULL" in text


def test_a_default_that_is_not_sql_names_its_line(tmp_path: Path) -> None:
    path = _spec(tmp_path, '      state: { type: text, default: "\'unclosed" }\n')
    done = run_advisor("ddl", str(path))
    assert done.returncode == 2
    assert done.stderr.startswith(f"advisor: error: {path}:9: tables.child.columns.state.default: not a SQL")


def test_a_reference_action_needs_a_reference(tmp_path: Path) -> None:
    path = _spec(tmp_path, "      parent_id: { type: bigint, on_delete: cascade }\n")
    done = run_advisor("ddl", str(path))
    assert done.returncode == 2
    assert done.stderr == (
        f"advisor: error: {path}:9: tables.child.columns.parent_id.on_delete: needs a foreign key: "
        "give references: table.column\n"
    )


def test_a_primary_key_keeps_the_name_its_ddl_chose(tmp_path: Path) -> None:
    (tmp_path / "s.sql").write_text(
        "CREATE TABLE o (id int, CONSTRAINT o_pk PRIMARY KEY (id)); CREATE TABLE p (id int PRIMARY KEY);"
    )
    (tmp_path / "p.yaml").write_text("dialect: postgres\nschema: s.sql\npatterns: []\n")
    spec = load_spec(tmp_path / "p.yaml")
    pg = full_schema(spec, (), resolve_target("postgres"), True).statements()
    assert pg[0].endswith("CONSTRAINT o_pk PRIMARY KEY (id))")
    assert pg[1].endswith(", PRIMARY KEY (id))")  # PostgreSQL's default name needs no spelling out
    my = full_schema(spec, (), resolve_target("mysql"), True).statements()
    assert my[0].endswith("(id INT NOT NULL, PRIMARY KEY (id))")  # MySQL calls every one PRIMARY


@pytest.mark.parametrize("dialect", known_dialects())
def test_every_sqlglot_dialect_gets_a_script_marked_as_tested_or_not(planned: Planned, dialect: str) -> None:
    spec, changes = planned
    target = resolve_target(dialect)
    text = (
        full_schema(spec, changes, target, True).render() + changes_only(spec, changes, target, True).render()
    )
    assert text.count("CREATE TABLE") == len(spec.tables)
    assert ("untested on a real engine" in text) is (dialect not in ("postgres", "mysql", "sqlite"))


@pytest.mark.parametrize("path", ["samples/ecommerce/patterns.yaml", "samples/saas_helpdesk/patterns.yaml"])
def test_ddl_writes_exactly_what_recommend_reports(path: str) -> None:
    from advisor.recommend import recommend

    spec = load_spec(Path(path))
    reported = recommend(spec).recommendations
    _, changes = planned_changes(spec)
    assert [(r.number, r.action, r.index, r.rules) for r in reported] == [
        (c.number, c.action, c.label, c.rules) for c in changes
    ]
    assert [r.ddl for r in reported if r.action == "create"] == [
        s.sql.sql(dialect=spec.dialect) + ";"
        for s in changes_only(spec, changes, resolve_target(spec.dialect), True).sections[0].statements
        if s.sql.key == "create"
    ]
