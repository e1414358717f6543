"""Good input files load into the frozen model with the meaning DESIGN.md section 2 gives them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from advisor.spec.load import load_spec
from advisor.spec.model import Consistency, FrequencySource, FunctionalDependency, Index, IndexKey, Spec

Write = Callable[[str, str], Path]

DESIGN_SAMPLE = """
dialect: postgres                   # dialect of the SQL below and of the emitted DDL
workload:                           # optional, system-wide figures
  reads_per_sec: 100000
  writes_per_sec: 10000
budget:                             # optional limits for the index selection
  storage: 20GB
  max_indexes_per_table: 8
tables:                             # stats and anything not in the DDL; may define whole tables
  users:
    rows: 100000000
    columns:
      user_id: { type: bigint, primary_key: true }
      email: { type: varchar(255), unique: true, nullable: false, ndv: 100000000 }
      created_at: { type: timestamp }
    indexes:                        # indexes that exist already
      - { name: idx_created_at, columns: [created_at] }
  orders:
    rows: 3650000000
    growth_per_day: 10000000
    consistency: strict             # strict | eventual: feeds the normalization rules
    columns:
      order_id: { type: bigint, primary_key: true }
      user_id: { type: bigint, ndv: 100000000, references: users.user_id }
      status:  { type: varchar(20), ndv: 5, frequencies: { delivered: 0.9, pending: 0.02 } }
      created_at: { type: timestamp }
      user_email: { type: varchar(255) }  # a denormalized copy of users.email
    functional_dependencies: [ "user_id -> user_email" ]
  order_items:
    rows: 9000000000
    primary_key: [order_id, line_no]  # a composite key is given on the table
    columns:
      order_id: { type: bigint, references: orders.order_id }
      line_no: { type: smallint }
patterns:
  - name: recent_orders_of_user
    sql: SELECT order_id, total_amount FROM orders WHERE user_id = :uid ORDER BY created_at DESC LIMIT 20
    per_sec: 5000                    # or `per_day`, or a relative `weight`
  - name: place_order
    sql: INSERT INTO orders (user_id, status, total_amount, created_at) VALUES (:u, 'pending', :t, now())
    per_sec: 120
"""


@pytest.fixture
def sample(write: Write) -> Spec:
    return load_spec(write("patterns.yaml", DESIGN_SAMPLE))


def test_sample_top_level(sample: Spec) -> None:
    assert sample.dialect == "postgres"
    assert [t.name for t in sample.tables] == ["users", "orders", "order_items"]
    assert sample.budget.storage_bytes == 20 * 10**9
    assert sample.budget.max_indexes_per_table == 8
    assert sample.workload.reads_per_sec == 100000
    assert sample.workload.writes_per_sec == 10000


def test_sample_columns(sample: Spec) -> None:
    users = sample.table("USERS")
    assert users is not None and users.rows == 100_000_000 and users.line == 9
    email = users.column("email")
    assert email is not None
    assert (email.type, email.unique, email.nullable, email.ndv, email.line) == (
        "varchar(255)",
        True,
        False,
        10**8,
        13,
    )
    user_id = users.column("user_id")
    assert user_id is not None and user_id.primary_key and not user_id.nullable
    orders = sample.table("public.orders")
    assert orders is not None
    assert orders.consistency is Consistency.STRICT and orders.growth_per_day == 10_000_000
    status = orders.column("status")
    assert status is not None and status.frequency_of("pending") == 0.02
    fk = orders.column("user_id")
    assert fk is not None and fk.references == ("users", "user_id")
    assert orders.functional_dependencies == (FunctionalDependency(("user_id",), ("user_email",)),)


def test_sample_keys_and_implied_indexes(sample: Spec) -> None:
    users = sample.table("users")
    assert users is not None
    assert users.primary_key == ("user_id",)
    assert [(i.name, i.origin, i.unique, i.columns) for i in users.indexes] == [
        ("users_pkey", "primary_key", True, ("user_id",)),
        ("users_email_key", "unique", True, ("email",)),
        ("idx_created_at", "declared", False, ("created_at",)),
    ]
    items = sample.table("order_items")
    assert items is not None
    assert items.primary_key == ("order_id", "line_no")
    pkey = items.indexes[0]
    assert (pkey.name, pkey.origin, pkey.columns) == (
        "order_items_pkey",
        "primary_key",
        ("order_id", "line_no"),
    )
    assert all(not c.primary_key and not c.nullable for c in items.columns)


def test_sample_patterns(sample: Spec) -> None:
    first, second = sample.patterns
    assert (first.name, first.per_sec, first.source, first.line) == (
        "recent_orders_of_user",
        5000.0,
        FrequencySource.PER_SEC,
        35,
    )
    assert second.sql.startswith("INSERT INTO orders")


def test_defaults_for_a_minimal_file(write: Write) -> None:
    spec = load_spec(write("p.yaml", "tables:\n  t:\n    columns:\n      a:\n"))
    assert spec.dialect == "postgres" and spec.patterns == ()
    column = spec.tables[0].columns[0]
    assert (column.name, column.type, column.nullable, column.ndv) == ("a", "text", True, None)
    assert spec.tables[0].indexes == ()


@pytest.mark.parametrize(
    ("given", "dialect"),
    [("postgresql", "postgres"), ("MariaDB", "mysql"), ("sqlite", "sqlite"), ("mssql", "tsql")],
)
def test_dialect_aliases(write: Write, given: str, dialect: str) -> None:
    assert load_spec(write("p.yaml", f"dialect: {given}\n")).dialect == dialect


@pytest.mark.parametrize(
    ("storage", "expected"),
    [
        ("20GB", 20 * 10**9),
        ("512 MiB", 512 * 2**20),
        ("1.5TB", 1_500_000_000_000),
        ("1000", 1000),
        ("2e9", 2 * 10**9),
    ],
)
def test_storage_sizes(write: Write, storage: str, expected: int) -> None:
    spec = load_spec(write("p.yaml", f"budget:\n  storage: {storage}\n  max_write_overhead: 2.5\n"))
    assert spec.budget.storage_bytes == expected
    assert spec.budget.max_write_overhead == 2.5


def test_frequency_forms(write: Write) -> None:
    text = """
    patterns:
      - { name: a, sql: SELECT 1, per_sec: 2.5 }
      - { name: b, sql: SELECT 2, per_day: 172800 }
      - { name: c, sql: SELECT 3, weight: 7, description: nightly }
    """
    a, b, c = load_spec(write("p.yaml", text)).patterns
    assert (a.per_sec, a.source) == (2.5, FrequencySource.PER_SEC)
    assert (b.per_sec, b.source) == (2.0, FrequencySource.PER_DAY)
    assert (c.per_sec, c.source) == (7.0, FrequencySource.WEIGHT)


def test_index_key_forms(write: Write) -> None:
    text = """
    tables:
      t:
        columns: { a: {}, b: {}, c: {}, d: {} }
        indexes:
          - name: ix
            columns: [a, b DESC, { column: c, desc: true }, { column: d, order: ASC }]
            include: [c]
            where: "a > 0"
          - { columns: a, unique: true }
    """
    table = load_spec(write("p.yaml", text)).tables[0]
    ix, generated = table.indexes
    assert ix == Index(
        name="ix",
        table="t",
        keys=(IndexKey("a"), IndexKey("b", True), IndexKey("c", True), IndexKey("d")),
        include=("c",),
        where="a > 0",
        line=5,
    )
    assert (generated.name, generated.unique, generated.columns) == ("t_a_idx", True, ("a",))


def test_listed_constraint_index_is_not_counted_twice(write: Write) -> None:
    text = """
    tables:
      t:
        columns: { id: { primary_key: true }, email: { unique: true } }
        indexes:
          - { name: t_pkey, columns: [id], unique: true }
          - { name: t_email_uq, columns: [email], unique: true }
          - { name: t_email_plain, columns: [email] }
    """
    table = load_spec(write("p.yaml", text)).tables[0]
    assert [(i.name, i.origin) for i in table.indexes] == [
        ("t_pkey", "primary_key"),
        ("t_email_uq", "unique"),
        ("t_email_plain", "declared"),
    ]


def test_numbers_written_as_text_and_underscores(write: Write) -> None:
    text = """
    tables:
      t:
        rows: 1e9
        growth_per_day: 10_000
        columns: { a: { ndv: "1000" } }
    """
    table = load_spec(write("p.yaml", text)).tables[0]
    assert (table.rows, table.growth_per_day, table.columns[0].ndv) == (10**9, 10_000, 1000)


def test_frequency_keys_keep_their_text(write: Write) -> None:
    text = (
        "tables:\n  t:\n    columns:\n      flag: { frequencies: { true: 0.1, 1: 0.2, 2024-01-01: 0.3 } }\n"
    )
    column = load_spec(write("p.yaml", text)).tables[0].columns[0]
    assert column.frequencies == (("true", 0.1), ("1", 0.2), ("2024-01-01", 0.3))


def test_anchors_and_merge_keys(write: Write) -> None:
    text = """
    tables:
      t:
        columns:
          id: &key { type: bigint, nullable: false }
          other_id: { <<: *key, ndv: 10 }
    """
    table = load_spec(write("p.yaml", text)).tables[0]
    assert [(c.type, c.nullable, c.ndv) for c in table.columns] == [
        ("bigint", False, None),
        ("bigint", False, 10),
    ]


def test_frequencies_may_round_a_little_over_one(write: Write) -> None:
    text = "tables:\n  t:\n    columns:\n      s: { frequencies: { a: 0.333, b: 0.333, c: 0.3345 } }\n"
    assert load_spec(write("p.yaml", text)).tables[0].columns[0].frequency_of("c") == 0.3345


def test_schema_prefix_and_case_are_matched(write: Write) -> None:
    text = """
    tables:
      public.Users:
        columns: { Id: { primary_key: true } }
      orders:
        columns: { user_id: { references: USERS.ID } }
    """
    spec = load_spec(write("p.yaml", text))
    users = spec.table("users")
    assert users is not None and users.name == "Users" and users.primary_key == ("Id",)
    orders = spec.table("orders")
    assert orders is not None and orders.columns[0].references == ("users", "id")


def test_type_with_comma_in_flow_mapping(write: Write) -> None:
    text = "tables:\n  t:\n    columns:\n      total: { type: numeric(12,2), ndv: 3 }\n      x: { type: decimal(10, 4) }\n"
    table = load_spec(write("p.yaml", text)).tables[0]
    assert [(c.type, c.ndv) for c in table.columns] == [("numeric(12,2)", 3), ("decimal(10,4)", None)]
