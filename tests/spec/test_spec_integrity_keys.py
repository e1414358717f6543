"""The keys the integrity rules read: ``null_frac``, ``check``, ``sensitive``, and whether a
reference is a constraint of the DDL. Good values load; bad ones name file, line and field."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from advisor.spec.load import load_spec

Write = Callable[[str, str], Path]
ErrorOf = Callable[[Path], str]

SPEC = """
tables:
  accounts:
    rows: 1000
    sensitive: true
    columns:
      id: { type: bigint, primary_key: true }
      balance: { type: "numeric(12,2)", check: "balance >= -1000", null_frac: 0 }
      note: { type: text, null_frac: 0.25 }
patterns: []
"""


def test_new_keys_reach_the_model(write: Write) -> None:
    spec = load_spec(write("p.yaml", SPEC))
    table = spec.table("accounts")
    assert table is not None and table.sensitive and not table.from_ddl
    balance, note = table.column("balance"), table.column("note")
    assert balance is not None and note is not None
    assert balance.checks == ("balance >= -1000",) and balance.null_frac == 0.0
    assert note.null_frac == 0.25 and note.checks == ()


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "      note: { type: text, null_frac: 1.5 }",
            "8: tables.accounts.columns.note.null_frac: must be a share of rows between 0 and 1",
        ),
        (
            "      note: { type: text, null_frac: lots }",
            "8: tables.accounts.columns.note.null_frac: must be a share",
        ),
        (
            "      note: { type: text, nullable: false, null_frac: 0.1 }",
            "8: tables.accounts.columns.note.nullable: the column is NOT NULL but null_frac says 0.1",
        ),
        ("      note: { type: text, check: '' }", "8: tables.accounts.columns.note.check: must not be empty"),
        (
            "      note: { type: text, chek: 'note <> ''''' }",
            "8: tables.accounts.columns.note.chek: unknown key 'chek' (did you mean 'check'?)",
        ),
    ],
)
def test_bad_column_values(write: Write, error_of: ErrorOf, line: str, expected: str) -> None:
    text = SPEC.replace("      note: { type: text, null_frac: 0.25 }", line)
    path = write("p.yaml", text)
    assert error_of(path).startswith(f"{path}:{expected}")


def test_null_frac_on_a_primary_key(write: Write, error_of: ErrorOf) -> None:
    path = write("p.yaml", SPEC.replace("primary_key: true }", "primary_key: true, null_frac: 0.5 }"))
    assert error_of(path).startswith(
        f"{path}:6: tables.accounts.columns.id.null_frac: a primary key column has no NULLs"
    )


def test_sensitive_must_be_a_boolean(write: Write, error_of: ErrorOf) -> None:
    path = write("p.yaml", SPEC.replace("sensitive: true", "sensitive: maybe"))
    assert error_of(path) == f"{path}:4: tables.accounts.sensitive: must be true or false"


def test_references_from_ddl_and_yaml(write: Write) -> None:
    write(
        "schema.sql",
        """
        CREATE TABLE users (id bigint PRIMARY KEY);
        CREATE TABLE orders (
            id bigint PRIMARY KEY,
            user_id bigint REFERENCES users (id),
            agent_id bigint,
            qty integer CHECK (qty > 0),
            CONSTRAINT total_ok CHECK (qty < 1000)
        );
        """,
    )
    path = write(
        "p.yaml",
        """
        schema: schema.sql
        tables:
          orders:
            columns:
              user_id: { references: users.id }
              agent_id: { references: users.id }
        patterns: []
        """,
    )
    orders = load_spec(path).table("orders")
    assert orders is not None and orders.from_ddl
    user_id, agent_id, qty = (orders.column(c) for c in ("user_id", "agent_id", "qty"))
    assert user_id is not None and user_id.foreign_key and user_id.references == ("users", "id")
    assert agent_id is not None and not agent_id.foreign_key and agent_id.references == ("users", "id")
    assert qty is not None and qty.checks == ("qty > 0", "qty < 1000")


def test_dropped_check_constraint_is_gone(write: Write) -> None:
    write(
        "schema.sql",
        """
        CREATE TABLE items (id bigint PRIMARY KEY, qty integer, CONSTRAINT qty_ok CHECK (qty >= 0));
        ALTER TABLE items DROP CONSTRAINT qty_ok;
        """,
    )
    path = write("p.yaml", "schema: schema.sql\npatterns: []\n")
    items = load_spec(path).table("items")
    assert items is not None
    qty = items.column("qty")
    assert qty is not None and qty.checks == ()


def test_check_must_be_a_condition(write: Write, error_of: ErrorOf) -> None:
    path = write("p.yaml", SPEC.replace('check: "balance >= -1000"', 'check: "balance >= ("'))
    assert error_of(path).startswith(f"{path}:7: tables.accounts.columns.balance.check: not a SQL expression")
