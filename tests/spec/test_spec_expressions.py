"""``default``, ``check`` and an index's ``where`` are exactly one expression of their kind, or
refused at their line; what is kept is re-emitted from the parsed tree, comments dropped."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from advisor.emit.migration import ddl_text
from advisor.emit.target import resolve_target
from advisor.recommend import planned_changes
from advisor.spec.load import load_spec

Write = Callable[[str, str], Path]
ErrorOf = Callable[[Path], str]

SPEC = """\
dialect: {dialect}
tables:
  accounts:
    columns:
      id: {{ type: bigint, primary_key: true }}
      status: {{ type: varchar(20), {key}: {value} }}
      balance: {{ type: int }}
    indexes:
      - {{ name: ix_open, columns: [id], {where} }}
"""


def _spec(write: Write, key: str = "nullable", value: str = "true", where: str = "unique: false") -> Path:
    return write("p.yaml", SPEC.format(dialect="postgres", key=key, value=value, where=where))


@pytest.mark.parametrize(
    ("key", "value", "reason"),
    [
        ("default", '"1; DROP TABLE precious; SELECT 1"', "holds 3 statements"),
        ("default", "\"'a'); DROP TABLE precious; --\"", "not a SQL expression"),
        ("default", '"(SELECT max(id) FROM accounts)"', "holds a query"),
        ("default", "pending", "refers to the column 'pending'"),
        ("default", '":p"', "holds a parameter"),
        ("default", '"DROP TABLE precious"', "not one SQL expression"),
        ("check", '"balance > 0; DROP TABLE precious"', "holds 2 statements"),
        ("check", '"balance > (SELECT 1)"', "holds a query"),
        ("check", '"balance + 1"', "is not a condition"),
        ("check", '"count(*) > 1"', "holds"),
        ("check", '"accounts.balance > 0"', "without a table"),
        ("check", '"nope > 0"', "'nope', which is not a column"),
    ],
)
def test_a_column_expression_that_is_not_one_of_its_kind_is_refused_at_its_line(
    write: Write, error_of: ErrorOf, key: str, value: str, reason: str
) -> None:
    path = _spec(write, key, value)
    message = error_of(path)
    assert message.startswith(f"{path}:6: tables.accounts.columns.status.{key}: "), message
    assert reason in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("where", "reason"),
    [
        ("\"status = 'open'; DROP TABLE precious\"", "holds 2 statements"),
        ('"status IN (SELECT 1)"', "holds a query"),
        ('"balance"', None),
        ('"balance + 1"', "is not a condition"),
        ('"missing = 1"', "'missing' is not a column of table 'accounts'"),
    ],
)
def test_an_index_predicate_is_one_condition_on_the_tables_columns(
    write: Write, error_of: ErrorOf, where: str, reason: str | None
) -> None:
    path = _spec(write, where=f"where: {where}")
    if reason is None:
        assert load_spec(path).tables[0].indexes[-1].where == "balance"
        return
    message = error_of(path)
    assert message.startswith(f"{path}:9: tables.accounts.indexes[0].where: "), message
    assert reason in message


def test_what_is_kept_is_rebuilt_from_the_tree_without_comments(write: Write) -> None:
    path = _spec(write, "default", "\"'open' /* x */ -- y\"", "where: \"status <> 'x' -- DROP\"")
    table = load_spec(path).tables[0]
    status = table.column("status")
    assert status is not None and status.default == "'open'"
    assert table.indexes[-1].where == "status <> 'x'"


def test_the_schema_files_expressions_are_held_to_the_same_rule(write: Write, error_of: ErrorOf) -> None:
    write("schema.sql", "CREATE TABLE t (\n  id int,\n  n int CHECK (n > (SELECT 1))\n);\n")
    path = write("p.yaml", "dialect: postgres\nschema: schema.sql\n")
    message = error_of(path)
    assert message.startswith(f"{path.parent / 'schema.sql'}:3: CHECK holds a query"), message


def test_a_refused_default_never_reaches_the_database(write: Write, error_of: ErrorOf) -> None:
    """The old output, ``DEFAULT (1; DROP TABLE precious; SELECT 1)``, dropped the table when the
    script ran with ``mariadb --force``; now the input is refused, and a good default applies."""
    path = _spec(write, "default", '"1; DROP TABLE precious; SELECT 1"')
    assert "holds 3 statements" in error_of(path)
    good = write(
        "good.yaml", SPEC.format(dialect="sqlite", key="default", value="\"'open'\"", where="unique: false")
    )
    spec = load_spec(good)
    script = ddl_text(spec, planned_changes(spec)[1], resolve_target("sqlite"), False, True)
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE precious (x INT)")
    db.executescript(script)
    db.execute("INSERT INTO accounts (id, balance) VALUES (1, 2)")
    assert db.execute("SELECT status FROM accounts").fetchone() == ("open",)
    assert {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")} == {
        "precious",
        "accounts",
    }
