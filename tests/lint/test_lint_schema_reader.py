"""``--schema`` files are read by the same front end as the migrations linted after them: what
lints as a migration loads as a schema, and what cannot be read is one line naming its place."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PARTITIONED = (
    "CREATE TABLE h (id bigint PRIMARY KEY, v text, w text) PARTITION BY RANGE (id);\n"
    "CREATE INDEX h_v ON ONLY h (v);\n"
)


def _lint(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "advisor", "lint", "--dialect", "postgres", *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )


def test_a_file_that_lints_clean_loads_as_the_schema(tmp_path: Path) -> None:
    (tmp_path / "schema.sql").write_text(PARTITIONED)
    assert _lint(tmp_path, "schema.sql").returncode == 0
    (tmp_path / "next.sql").write_text("CREATE INDEX CONCURRENTLY h_w ON h (w);\n")
    done = _lint(tmp_path, "--schema", "schema.sql", "next.sql")
    # ON ONLY used to stop the run with exit 2 ("Expected table name but got ONLY"); the schema is
    # now read, so the partitioned table is known and the migration's real problem is found
    assert done.returncode == 1, done.stdout + done.stderr
    assert "MIG026" in done.stdout and "partitioned table h" in done.stdout


def test_the_schema_is_existing_tables_with_rows(tmp_path: Path) -> None:
    (tmp_path / "schema.sql").write_text("CREATE TABLE orders (id bigint PRIMARY KEY, note text);\n")
    (tmp_path / "next.sql").write_text("CREATE INDEX orders_note ON orders (note);\n")
    with_schema = _lint(tmp_path, "--schema", "schema.sql", "next.sql")
    assert with_schema.returncode == 1 and "MIG001" in with_schema.stdout, with_schema.stdout
    (tmp_path / "both.sql").write_text(
        (tmp_path / "schema.sql").read_text() + "CREATE INDEX i ON orders (note);\n"
    )
    # the same index on a table the linted file creates itself is on an empty table: no finding
    assert "MIG001" not in _lint(tmp_path, "both.sql").stdout


def test_a_schema_statement_that_cannot_be_read_names_its_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "schema.sql").write_text("CREATE TABLE a (id int);\nCREATE TABLEX b (id int);\n")
    (tmp_path / "next.sql").write_text("SELECT 1;\n")
    done = _lint(tmp_path, "--schema", "schema.sql", "next.sql")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        'advisor: error: schema.sql:2: cannot parse this statement: syntax error at or near "TABLEX"'
    ]


SPEC = """\
dialect: postgres
tables:
  users:
    rows: 1000000
    columns:
      id: {type: bigint}
      email: {type: character varying(20)}
    primary_key: [id]
patterns:
  - name: by_email
    sql: SELECT id FROM users WHERE email = $1
    per_sec: 10
"""


def test_a_spec_s_types_read_as_a_migration_s_columns(tmp_path: Path) -> None:
    (tmp_path / "patterns.yaml").write_text(SPEC)
    (tmp_path / "wider.sql").write_text("ALTER TABLE users ALTER COLUMN email TYPE varchar(40);\n")
    (tmp_path / "narrower.sql").write_text("ALTER TABLE users ALTER COLUMN email TYPE varchar(10);\n")
    wider = _lint(tmp_path, "--spec", "patterns.yaml", "wider.sql")
    assert wider.returncode == 0 and "MIG011" not in wider.stdout, wider.stdout + wider.stderr
    narrower = _lint(tmp_path, "--spec", "patterns.yaml", "narrower.sql")
    assert narrower.returncode == 1, narrower.stdout + narrower.stderr
    assert "MIG011" in narrower.stdout and "from varchar(20) to varchar(10)" in narrower.stdout
