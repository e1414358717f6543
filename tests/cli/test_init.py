"""``advisor init``: a starter spec that loads as it is, from nothing or from a schema's DDL,
and never replaces a file."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from advisor.spec import input as spec_input
from tests.cli.conftest import run_advisor

DDL = """\
CREATE TABLE users (user_id bigint PRIMARY KEY, email varchar(255) NOT NULL UNIQUE, "Country" char(2));
CREATE TABLE "order" (
  order_id bigserial PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users (user_id),
  status text,
  created_at timestamp
);
CREATE TABLE line (order_id bigint, line_no int, qty int, PRIMARY KEY (order_id, line_no));
CREATE INDEX order_user ON "order" (user_id);
"""


def _input_keys() -> set[str]:
    """Every key of the input format: the fields of the input models, as the YAML spells them."""
    keys: set[str] = set()
    for value in vars(spec_input).values():
        if (
            isinstance(value, type)
            and issubclass(value, spec_input.InputModel)
            and value is not spec_input.InputModel
        ):
            keys |= {info.alias or name for name, info in value.model_fields.items()}
    return keys


def _first_line(text: str, key: str) -> str | None:
    """The first line that shows ``key`` as a key, live or in a comment."""
    pattern = re.compile(rf"(^|[\s{{#-]){re.escape(key)}:")
    return next((line for line in text.splitlines() if pattern.search(line)), None)


def test_the_example_shows_every_key_and_loads(tmp_path: Path) -> None:
    done = run_advisor("init", "-o", "patterns.yaml", cwd=tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    text = (tmp_path / "patterns.yaml").read_text(encoding="utf-8")
    # each key once, as a key (a comment may show it where a live value would not fit)
    first = {key: _first_line(text, key) for key in _input_keys()}
    assert {key for key, line in first.items() if line is None} == set()
    # and where it first appears, a comment says what it means
    assert {key for key, line in first.items() if line is not None and "#" not in line} == set()
    ran = run_advisor("recommend", "patterns.yaml", cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr


def test_without_output_it_prints_the_same_text(tmp_path: Path) -> None:
    done = run_advisor("init", cwd=tmp_path)
    assert done.returncode == 0
    assert "tables:" in done.stdout
    assert list(tmp_path.iterdir()) == []
    assert isinstance(yaml.safe_load(done.stdout), dict)


def test_from_ddl_lists_the_tables_and_loads(tmp_path: Path) -> None:
    (tmp_path / "db").mkdir()
    (tmp_path / "db" / "schema.sql").write_text(DDL, encoding="utf-8")
    (tmp_path / "spec").mkdir()
    done = run_advisor("init", "--from", "db/schema.sql", "-o", "spec/patterns.yaml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    text = (tmp_path / "spec" / "patterns.yaml").read_text(encoding="utf-8")
    doc = yaml.safe_load(text)
    # the DDL is named relative to the spec, as schema: entries are read
    assert doc["schema"] == ["../db/schema.sql"]
    assert list(doc["tables"]) == ["users", "order", "line"]
    assert list(doc["tables"]["users"]["columns"]) == ["user_id", "email", "Country"]
    # rows and ndv are left to fill in, as comments that show how
    assert "# rows: 0" in text and 'count(DISTINCT "Country") FROM users' in text
    assert [p["name"] for p in doc["patterns"]] == ["users_by_key", "order_by_key", "line_by_key"]
    ran = run_advisor("recommend", "spec/patterns.yaml", cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert "3 tables · 3 patterns" in ran.stdout


def test_from_ddl_on_mysql_loads(tmp_path: Path) -> None:
    (tmp_path / "schema.sql").write_text(
        "CREATE TABLE `order` (id INT PRIMARY KEY, `group` INT, note TEXT);\n", encoding="utf-8"
    )
    done = run_advisor("init", "--from", "schema.sql", "-d", "mysql", "-o", "p.yaml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "FROM `order` WHERE id = ?" in (tmp_path / "p.yaml").read_text(encoding="utf-8")
    ran = run_advisor("recommend", "p.yaml", cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr


def test_it_never_replaces_a_file(tmp_path: Path) -> None:
    target = tmp_path / "patterns.yaml"
    target.write_text("mine\n", encoding="utf-8")
    done = run_advisor("init", "-o", "patterns.yaml", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "already exists" in done.stderr
    assert target.read_text(encoding="utf-8") == "mine\n"
    # not even one it wrote itself: the starter is meant to be edited
    run_advisor("init", "-o", "other.yaml", cwd=tmp_path)
    again = run_advisor("init", "-o", "other.yaml", cwd=tmp_path)
    assert again.returncode == 2


def test_a_missing_ddl_file_is_one_line(tmp_path: Path) -> None:
    done = run_advisor("init", "--from", "nope.sql", "-o", "p.yaml", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "nope.sql" in done.stderr
    assert not (tmp_path / "p.yaml").exists()
