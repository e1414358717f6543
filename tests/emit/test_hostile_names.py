"""Names and text from the input cannot become SQL of their own: comments stay one line, and
identifiers are built as identifiers, never re-parsed (a quote in a name used to crash ``ddl``
and ``recommend``, a ``;`` split a statement in two)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlglot
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlglot import exp

from advisor.emit.comment import comment
from advisor.emit.constraints import add_check, add_foreign_key, add_primary_key, set_column
from advisor.emit.partition import PERIODS, partition_ddl
from advisor.emit.tables import ColumnSpec, add_column, drop_column
from advisor.oneline import one_line
from advisor.spec.model import Column, Table
from tests.cli.conftest import run_advisor

LINE_ENDS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
HOSTILE = ['a"b', "a'b", "a;b", "a--b", "a/*b", "a`b", "a#b", "t; DROP TABLE precious; --", "a\nb"]
DIALECTS = ["postgres", "mysql", "sqlite"]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(LINE_ENDS)))
def test_a_comment_is_one_line_whatever_it_echoes(text: str) -> None:
    line = comment(text)
    assert line.startswith("-- ")
    assert not any(end in line for end in LINE_ENDS)
    assert len(line.splitlines()) == 1
    assert one_line(text) == text or not text.isprintable()


def _only_statement(sql: str, dialect: str) -> exp.Expr:
    statements = [s for s in sqlglot.parse(sql.rstrip(";"), read=dialect) if s is not None]
    assert len(statements) == 1, sql
    return statements[0]


@pytest.mark.parametrize("dialect", ["postgres", "mysql"])  # SQLite has no ALTER ... CONSTRAINT
@pytest.mark.parametrize("name", HOSTILE)
def test_constraint_ddl_keeps_the_table_name_whole(name: str, dialect: str) -> None:
    fixes = [
        add_check(name, "c_nonnegative", exp.column("qty") >= 0, dialect),
        add_foreign_key(name, "fk", "user_id", name, "id", dialect),
        add_primary_key(name, ("id",), dialect),
        set_column(name, "note", "text", False, dialect, True),
    ]
    for sql in fixes:
        statement = _only_statement(sql, dialect)
        assert isinstance(statement, exp.Alter)
        assert statement.this.name == name


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("name", HOSTILE)
def test_column_ddl_keeps_the_names_whole(name: str, dialect: str) -> None:
    for sql in (
        add_column(name, ColumnSpec(name, "int"), dialect).sql(dialect),
        drop_column(name, name).sql(dialect),
    ):
        statement = _only_statement(sql, dialect)
        assert statement.this.name == name


@pytest.mark.parametrize("dialect", ["postgres", "mysql"])
@pytest.mark.parametrize("name", HOSTILE)
def test_partition_ddl_keeps_the_table_name_whole(name: str, dialect: str) -> None:
    table = Table(name, (Column("id", "bigint", nullable=False), Column("at", "date")), primary_key=("id",))
    ddl = partition_ddl(table, "at", PERIODS[1], dialect, 1)
    assert ddl is not None
    statements = [s for s in sqlglot.parse(ddl, read=dialect) if s is not None]
    assert len(statements) == ddl.count(";\n") + 1
    tables = {t.name for s in statements for t in s.find_all(exp.Table)}
    assert tables <= {name, f"{name}_partitioned", *(f"{name}_{t}" for t in _suffixes(ddl, name))}


def _suffixes(ddl: str, name: str) -> list[str]:
    """The date suffixes of the partitions' names (``2026_11``)."""
    import re

    return re.findall(r"_(\d{4}_\d{2})", ddl)


def _spec(tmp_path: Path, table: str, column: str) -> Path:
    path = tmp_path / "patterns.yaml"
    quoted_table, quoted_column = (f'"{n.replace(chr(34), chr(34) * 2)}"' for n in (table, column))
    spec = {
        "dialect": "sqlite",
        "tables": {
            table: {
                "rows": 100_000,
                "columns": {
                    "id": {"type": "bigint"},
                    "code": {"type": "int", "unique": True, "nullable": False},
                    column: {"type": "int", "ndv": 1000},
                    "quantity": {"type": "int"},
                },
            }
        },
        "patterns": [
            {
                "name": "by_value",
                "sql": f"SELECT id FROM {quoted_table} WHERE {quoted_column} = 5",
                "per_sec": 100,
            }
        ],
    }
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    return path


def test_a_line_end_in_a_literal_cannot_end_the_comment_that_echoes_it(tmp_path: Path) -> None:
    """The partial index's comment echoes the pattern's literal; run as sqlite3 runs a script."""
    literal = "x\nDROP TABLE precious; --"
    columns = {
        "id": {"type": "bigint", "primary_key": True},
        "c": {"type": "text", "ndv": 50, "frequencies": {literal: 0.01}},
        "v": {"type": "int", "ndv": 100_000},
    }
    sql = "SELECT id FROM t WHERE c = '" + literal + "' AND v = :v"
    spec = {"dialect": "sqlite", "tables": {"t": {"rows": 1_000_000, "columns": columns}}}
    spec["patterns"] = [{"name": "p", "sql": sql, "per_sec": 100}]
    path = tmp_path / "patterns.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    done = run_advisor("ddl", str(path))
    assert done.returncode == 0, done.stderr
    comment = next(line for line in done.stdout.splitlines() if line.startswith("-- #1 "))
    assert "PAR001" in comment and comment.endswith("WHERE c = 'x\\nDROP TABLE precious; --'")
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE precious (x INT)")
    db.executescript(done.stdout)
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == {"precious", "t"}


@pytest.mark.parametrize("name", ["c\nDROP TABLE precious; --", "a\rb", "a\u2028b", "a\x00b", "a\u202eb"])
def test_a_name_with_a_line_end_or_control_character_is_refused_at_its_line(
    tmp_path: Path, name: str
) -> None:
    path = _spec(tmp_path, "t", name)
    done = run_advisor("ddl", str(path))
    assert done.returncode == 2 and done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and "names must be printable" in lines[0], done.stderr
    assert f"{path}:" in lines[0]


@pytest.mark.parametrize("name", ['a"b', "a'b", "a`b", "a;b"])
def test_a_quote_in_a_table_name_is_no_traceback(tmp_path: Path, name: str) -> None:
    """The integrity rules' fixes (no primary key, a quantity without CHECK) name the table."""
    path = _spec(tmp_path, name, "v")
    for args in (("ddl",), ("recommend", "--format", "markdown"), ("recommend", "--format", "text")):
        done = run_advisor(*args, str(path))
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr


@pytest.mark.parametrize("where", ["/proc/x", "/proc", "/sys/x", "missing/x"])
def test_output_that_cannot_be_written_is_one_line(tmp_path: Path, where: str) -> None:
    path = _spec(tmp_path, "t", "v")
    done = run_advisor("ddl", str(path), "--output", where, cwd=tmp_path)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "--output" in lines[0], done.stderr
