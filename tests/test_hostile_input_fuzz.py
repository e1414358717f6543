"""Hostile names, literals and expressions cannot make ``advisor ddl`` produce SQL the input did not
ask for. Names, string literals, defaults and checks are drawn with quotes, line ends (``\\n``,
``\\r``, U+2028...), semicolons and comment markers; the script is run on SQLite the way
``sqlite3`` runs a file, over a database that holds a ``precious`` table. Either the input is
refused (exit 2, one line, no traceback), or the database then holds exactly the tables, columns
and indexes the spec names, and ``precious`` is still there."""

from __future__ import annotations

import contextlib
import io
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.cli import main

FUZZ = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
HOSTILE = ['"', "'", "`", ";", "--", "/*", "*/", "#", "\n", "\r", "\u2028", "\u2029", "\x85", "\x0b", " "]
PAYLOADS = ["DROP TABLE precious", "CREATE TABLE evil (x)", "); DROP TABLE precious; --", "\\! ls", "'); --"]

words = st.sampled_from(["id", "name", "Total", "user", "order", "évé", "a b", "x1"])
fragments = st.one_of(st.sampled_from(HOSTILE), st.sampled_from(PAYLOADS), words)
names = st.lists(fragments, min_size=1, max_size=4).map("".join).filter(lambda n: n.strip() and "." not in n)
literals = st.lists(fragments, min_size=0, max_size=4).map("".join)
defaults = st.one_of(
    st.integers(-5, 5),
    literals.map(lambda s: "'" + s.replace("'", "''") + "'"),
    st.lists(fragments, min_size=1, max_size=3).map(lambda parts: "1" + "".join(parts)),
)


_OWN_LINE_STARTS = ("--", "CREATE ", "ALTER ", "DROP ", "  ", ")")


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass(frozen=True)
class Case:
    table: str
    column: str
    value: str
    default: object
    check: str | None
    index: str

    def spec(self) -> dict[str, Any]:
        column: dict[str, Any] = {"type": "text", "ndv": 50, "frequencies": {self.value: 0.01}}
        column["default"] = self.default
        if self.check is not None:
            column["check"] = self.check
        pattern = f"SELECT id FROM {_quoted(self.table)} WHERE {_quoted(self.column)} = '{self.value.replace(chr(39), chr(39) * 2)}'"
        return {
            "dialect": "sqlite",
            "tables": {
                self.table: {
                    "rows": 100_000,
                    "columns": {"id": {"type": "bigint", "primary_key": True}, self.column: column},
                    "indexes": [{"name": self.index, "columns": ["id", {"column": self.column}]}],
                }
            },
            "patterns": [{"name": "lookup", "sql": pattern, "per_sec": 100}],
        }


@st.composite
def cases(draw: st.DrawFn) -> Case:
    table, column = draw(names), draw(names.filter(lambda n: n.lower() != "id"))
    check = draw(
        st.none() | st.lists(fragments, max_size=3).map(lambda p: f"{_quoted(column)} <> ''" + "".join(p))
    )
    return Case(table, column, draw(literals), draw(defaults), check, draw(names))


def _run(*args: str) -> tuple[int, str, str]:
    """``advisor ARGS`` in this process: exit code, standard output, standard error."""
    out, err = io.StringIO(), io.StringIO()
    argv = sys.argv
    sys.argv = ["advisor", *args]
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            main()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    finally:
        sys.argv = argv
    return code, out.getvalue(), err.getvalue()


def _objects(db: sqlite3.Connection) -> tuple[dict[str, list[str]], dict[str, tuple[str, list[str]]]]:
    """Tables with their columns, and indexes with their table and columns."""
    tables = {
        name: [row[1] for row in db.execute("SELECT * FROM pragma_table_info(?)", (name,))]
        for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    indexes = {
        name: (table, [row[2] for row in db.execute("SELECT * FROM pragma_index_info(?)", (name,))])
        for name, table in db.execute("SELECT name, tbl_name FROM sqlite_master WHERE type = 'index'")
    }
    return tables, indexes


def _check_refusal(code: int, out: str, err: str) -> None:
    assert code == 2 and out == "", (code, err)
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("advisor: error: "), err


@FUZZ
@given(case=cases())
def test_hostile_input_creates_exactly_what_the_spec_names(tmp_path: Path, case: Case) -> None:
    path = tmp_path / "patterns.yaml"
    path.write_text(yaml.safe_dump(case.spec(), allow_unicode=False, sort_keys=False), encoding="utf-8")
    code, out, err = _run("ddl", str(path))
    if code != 0:
        _check_refusal(code, out, err)
        return
    assert err == ""
    # every line is the tool's: a comment, a statement it starts, or a column of one (a literal
    # holding a line break is spelled with char() on SQLite)
    for line in out.splitlines():
        assert line == "" or line.startswith(_OWN_LINE_STARTS), line
        assert not line.lstrip().startswith(tuple(PAYLOADS)), line
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE precious (x INT)")
    db.executescript(out)
    tables, indexes = _objects(db)
    assert tables == {"precious": ["x"], case.table: ["id", case.column]}
    # the declared index, under its own name unless that is the table's (one namespace in SQLite)
    declared = [name for name, (_, columns) in indexes.items() if columns == ["id", case.column]]
    assert case.index in declared or (case.index == case.table and declared)
    for table, columns in indexes.values():
        assert table == case.table and set(columns) <= {"id", case.column}
    assert not list(db.execute("SELECT name FROM sqlite_master WHERE type IN ('view', 'trigger')"))
    for args in (
        ("ddl", "--changes-only"),
        ("recommend", "--format", "markdown"),
        ("recommend", "--format", "text"),
    ):
        code, out, err = _run(*args, str(path))
        assert code == 0 and "Traceback" not in err, err
