"""Every class of bad input gives one AdvisorError naming the file, the 1-based line and the field."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

Write = Callable[[str, str], Path]
ErrorOf = Callable[[Path], str]

BASE = """
tables:
  orders:
    rows: 100
    columns:
      id: { type: bigint, primary_key: true }
      status: { type: text, ndv: 5 }
patterns:
  - name: p
    sql: SELECT 1
    per_sec: 1
"""


def test_base_file_is_valid(write: Write) -> None:
    from advisor.spec.load import load_spec

    assert load_spec(write("p.yaml", BASE)).table("orders") is not None


# --- reading the file ---------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n"])
def test_empty_file(write: Write, error_of: ErrorOf, text: str) -> None:
    path = write("p.yaml", text)
    assert error_of(path) == f"{path}:1: the file is empty"


def test_top_level_not_a_mapping(write: Write, error_of: ErrorOf) -> None:
    path = write("p.yaml", "# a list\n- tables\n- patterns\n")
    assert error_of(path) == f"{path}:2: the top level must be a mapping of keys to values"


def test_yaml_syntax_error_names_the_problem_line(write: Write, error_of: ErrorOf) -> None:
    path = write("p.yaml", "tables:\n  orders:\n    rows: 1\n    columns: {a: 1\npatterns: []\n")
    message = error_of(path)
    assert message.startswith(f"{path}:5: YAML syntax error: ")


def test_tab_indentation_is_a_syntax_error(write: Write, error_of: ErrorOf) -> None:
    path = write("p.yaml", "tables:\n\torders: {}\n")
    assert error_of(path).startswith(f"{path}:2: YAML syntax error: ")


def test_two_documents(write: Write, error_of: ErrorOf) -> None:
    path = write("p.yaml", "dialect: postgres\n---\ndialect: mysql\n")
    assert error_of(path).startswith(f"{path}:2: YAML syntax error: ")


def test_missing_file(tmp_path: Path, error_of: ErrorOf) -> None:
    path = tmp_path / "nope.yaml"
    assert error_of(path) == f"{path}: no such file"


def test_directory_instead_of_file(tmp_path: Path, error_of: ErrorOf) -> None:
    assert error_of(tmp_path) == f"{tmp_path}: is a directory, expected a YAML file"


def test_not_utf8(tmp_path: Path, error_of: ErrorOf) -> None:
    path = tmp_path / "p.yaml"
    path.write_bytes(b"dialect: postgres\ntables:\n  caf\xe9: {}\n")
    assert error_of(path) == f"{path}:3: the file is not valid UTF-8"


def test_control_character(tmp_path: Path, error_of: ErrorOf) -> None:
    path = tmp_path / "p.yaml"
    path.write_bytes(b"dialect: postgres\npatterns: \x07\n")
    assert error_of(path).startswith(f"{path}:2: YAML syntax error: ")


def test_duplicate_key(write: Write, error_of: ErrorOf) -> None:
    path = write(
        "p.yaml", BASE.replace("      status: { type: text, ndv: 5 }", "      status: {}\n      status: {}")
    )
    assert error_of(path) == (
        f"{path}:7: tables.orders.columns.status: duplicate key 'status' (first given on line 6)"
    )


def test_duplicate_top_level_key(write: Write, error_of: ErrorOf) -> None:
    path = write("p.yaml", "dialect: postgres\ndialect: mysql\n")
    assert error_of(path) == f"{path}:2: dialect: duplicate key 'dialect' (first given on line 1)"


def test_python_tag_is_refused(write: Write, error_of: ErrorOf) -> None:
    path = write("p.yaml", 'dialect: postgres\npatterns: !!python/object/apply:os.system ["echo hi"]\n')
    assert error_of(path) == (
        f"{path}:2: patterns: unsupported YAML tag tag:yaml.org,2002:python/object/apply:os.system"
    )


def test_recursive_alias(write: Write, error_of: ErrorOf) -> None:
    path = write("p.yaml", "tables: &t\n  orders: *t\n")
    assert error_of(path) == f"{path}:1: tables: a YAML alias refers to a node that contains it"


def test_mapping_key_must_be_scalar(write: Write, error_of: ErrorOf) -> None:
    path = write("p.yaml", "tables:\n  ? [a, b]\n  : {}\n")
    assert error_of(path) == f"{path}:2: tables: a mapping key must be a plain value, not a list or mapping"


def test_invalid_explicit_int(write: Write, error_of: ErrorOf) -> None:
    path = write("p.yaml", "budget:\n  max_indexes_per_table: !!int eight\n")
    assert error_of(path) == f"{path}:2: budget.max_indexes_per_table: not a valid int: 'eight'"


# --- shape of the input (pydantic) ---------------------------------------------------------------


def test_unknown_key_suggests_the_closest(write: Write, error_of: ErrorOf) -> None:
    path = write("p.yaml", BASE.replace("ndv: 5", "nvd: 5"))
    assert (
        error_of(path)
        == f"{path}:6: tables.orders.columns.status.nvd: unknown key 'nvd' (did you mean 'ndv'?)"
    )


def test_unknown_top_level_key(write: Write, error_of: ErrorOf) -> None:
    path = write("p.yaml", "tabels: {}\n")
    assert error_of(path) == f"{path}:1: tabels: unknown key 'tabels' (did you mean 'tables'?)"


def test_unknown_key_without_close_match_lists_valid_keys(write: Write, error_of: ErrorOf) -> None:
    path = write("p.yaml", "workload:\n  zzz: 1\n")
    assert (
        error_of(path)
        == f"{path}:2: workload.zzz: unknown key 'zzz' (valid keys: reads_per_sec, writes_per_sec)"
    )


def test_bad_ndv(write: Write, error_of: ErrorOf) -> None:
    path = write("p.yaml", BASE.replace("ndv: 5", "ndv: -3"))
    assert error_of(path) == f"{path}:6: tables.orders.columns.status.ndv: must be a positive integer"


def test_fractional_rows(write: Write, error_of: ErrorOf) -> None:
    path = write("p.yaml", BASE.replace("rows: 100", "rows: 10.5"))
    assert error_of(path) == f"{path}:3: tables.orders.rows: must be a whole number >= 0"


def test_boolean_is_not_a_number(write: Write, error_of: ErrorOf) -> None:
    path = write("p.yaml", BASE.replace("rows: 100", "rows: yes"))
    assert error_of(path) == f"{path}:3: tables.orders.rows: must be a whole number >= 0"


def test_first_error_in_file_order_is_reported(write: Write, error_of: ErrorOf) -> None:
    text = BASE.replace("rows: 100", "rows: -1").replace("per_sec: 1", "per_sec: 0")
    path = write("p.yaml", "budget: {storage: lots}\n" + text.lstrip("\n"))
    assert error_of(path).startswith(f"{path}:1: budget.storage: ")


def test_bad_consistency(write: Write, error_of: ErrorOf) -> None:
    path = write("p.yaml", BASE.replace("rows: 100", "rows: 100\n    consistency: eventually"))
    assert error_of(path) == f"{path}:4: tables.orders.consistency: must be 'strict' or 'eventual'"


def test_columns_must_be_a_mapping(write: Write, error_of: ErrorOf) -> None:
    path = write("p.yaml", "tables:\n  orders:\n    columns: [id, status]\n")
    assert error_of(path) == f"{path}:3: tables.orders.columns: must be a mapping of keys to values"


def test_share_out_of_range(write: Write, error_of: ErrorOf) -> None:
    path = write("p.yaml", BASE.replace("ndv: 5", "ndv: 5, frequencies: { new: 1.5 }"))
    assert error_of(path) == (
        f"{path}:6: tables.orders.columns.status.frequencies.new: must be a share of rows between 0 and 1"
    )


def test_bad_dialect(write: Write, error_of: ErrorOf) -> None:
    path = write("p.yaml", "dialect: postgress\n")
    assert error_of(path) == f"{path}:1: dialect: unknown dialect 'postgress' (did you mean 'postgres'?)"


def test_bad_storage(write: Write, error_of: ErrorOf) -> None:
    path = write("p.yaml", "budget:\n  storage: 20 XB\n")
    assert error_of(path) == (
        f"{path}:2: budget.storage: must be a number of bytes or a size like '20GB', '512 MiB' or '1.5TB'"
    )


def test_bad_index_key_text(write: Write, error_of: ErrorOf) -> None:
    path = write(
        "p.yaml",
        BASE.replace("    columns:", "    indexes:\n      - columns: [status sideways]\n    columns:"),
    )
    assert error_of(path) == (
        f"{path}:5: tables.orders.indexes[0].columns[0]: must be 'column', 'column DESC' or {{column: ..., desc: true}}"
    )


def test_missing_sql(write: Write, error_of: ErrorOf) -> None:
    path = write("p.yaml", BASE.replace("    sql: SELECT 1\n", ""))
    assert error_of(path) == f"{path}:8: patterns[0].sql: is required"


def test_blank_sql(write: Write, error_of: ErrorOf) -> None:
    path = write("p.yaml", BASE.replace("sql: SELECT 1", "sql: '   '"))
    assert error_of(path) == f"{path}:9: patterns[0].sql: must not be empty"


def test_sql_must_be_text(write: Write, error_of: ErrorOf) -> None:
    path = write("p.yaml", BASE.replace("sql: SELECT 1", "sql: [SELECT 1]"))
    assert error_of(path) == f"{path}:9: patterns[0].sql: must be text"


# --- meaning (cross-field checks) ----------------------------------------------------------------


def test_ndv_above_rows(write: Write, error_of: ErrorOf) -> None:
    path = write("p.yaml", BASE.replace("ndv: 5", "ndv: 500"))
    assert error_of(path) == (
        f"{path}:6: tables.orders.columns.status.ndv: 500 distinct values is more than the table's 100 rows"
    )


def test_frequencies_above_one(write: Write, error_of: ErrorOf) -> None:
    path = write("p.yaml", BASE.replace("ndv: 5", "ndv: 5, frequencies: { a: 0.7, b: 0.5 }"))
    assert error_of(path) == (
        f"{path}:6: tables.orders.columns.status.frequencies: the shares add up to 1.2, more than 1 (all rows)"
    )


def test_more_frequencies_than_ndv(write: Write, error_of: ErrorOf) -> None:
    path = write("p.yaml", BASE.replace("ndv: 5", "ndv: 1, frequencies: { a: 0.5, b: 0.5 }"))
    assert (
        error_of(path) == f"{path}:6: tables.orders.columns.status.frequencies: lists 2 values but ndv is 1"
    )


def test_reference_to_unknown_table(write: Write, error_of: ErrorOf) -> None:
    path = write("p.yaml", BASE.replace("ndv: 5", "references: users.user_id"))
    assert error_of(path) == (
        f"{path}:6: tables.orders.columns.status.references: references table 'users', which is not defined"
    )


def test_reference_to_unknown_column(write: Write, error_of: ErrorOf) -> None:
    path = write("p.yaml", BASE.replace("ndv: 5", "references: orders.nope"))
    assert error_of(path) == (
        f"{path}:6: tables.orders.columns.status.references: "
        "references orders.nope, which is not a column of table 'orders'"
    )


def test_reference_without_dot(write: Write, error_of: ErrorOf) -> None:
    path = write("p.yaml", BASE.replace("ndv: 5", "references: orders"))
    assert error_of(path) == f"{path}:6: tables.orders.columns.status.references: must be 'table.column'"


def test_primary_key_column_missing(write: Write, error_of: ErrorOf) -> None:
    path = write("p.yaml", BASE.replace("rows: 100", "rows: 100\n    primary_key: [id, nope]"))
    assert (
        error_of(path) == f"{path}:4: tables.orders.primary_key[1]: 'nope' is not a column of table 'orders'"
    )


def test_two_columns_flagged_primary_key(write: Write, error_of: ErrorOf) -> None:
    path = write("p.yaml", BASE.replace("type: text, ndv: 5", "type: text, primary_key: true"))
    assert error_of(path) == (
        f"{path}:6: tables.orders.columns.status.primary_key: more than one column has primary_key: true; "
        "give a composite key as tables.orders.primary_key: [id, status]"
    )


def test_flagged_column_outside_table_primary_key(write: Write, error_of: ErrorOf) -> None:
    path = write("p.yaml", BASE.replace("rows: 100", "rows: 100\n    primary_key: status"))
    assert error_of(path) == (
        f"{path}:6: tables.orders.columns.id.primary_key: is not in the table's primary_key ['status']"
    )


def test_nullable_primary_key_column(write: Write, error_of: ErrorOf) -> None:
    path = write("p.yaml", BASE.replace("primary_key: true", "primary_key: true, nullable: true"))
    assert (
        error_of(path)
        == f"{path}:5: tables.orders.columns.id.nullable: a primary key column cannot be nullable"
    )


def test_index_column_missing(write: Write, error_of: ErrorOf) -> None:
    path = write(
        "p.yaml",
        BASE.replace("    columns:", "    indexes:\n      - columns: [status, nope DESC]\n    columns:"),
    )
    assert error_of(path) == (
        f"{path}:5: tables.orders.indexes[0].columns[1]: 'nope' is not a column of table 'orders'"
    )


def test_index_listed_twice(write: Write, error_of: ErrorOf) -> None:
    index = "      - { name: ix, columns: [status] }\n"
    path = write("p.yaml", BASE.replace("    columns:", "    indexes:\n" + index + index + "    columns:"))
    assert error_of(path) == f"{path}:6: tables.orders.indexes[1].name: index 'ix' is listed twice"


def test_malformed_functional_dependency(write: Write, error_of: ErrorOf) -> None:
    path = write("p.yaml", BASE.replace("rows: 100", "rows: 100\n    functional_dependencies: ['id status']"))
    assert error_of(path) == f"{path}:4: tables.orders.functional_dependencies[0]: must look like 'a, b -> c'"


def test_functional_dependency_unknown_column(write: Write, error_of: ErrorOf) -> None:
    path = write(
        "p.yaml", BASE.replace("rows: 100", "rows: 100\n    functional_dependencies: ['id -> nope']")
    )
    assert error_of(path) == (
        f"{path}:4: tables.orders.functional_dependencies[0]: 'nope' is not a column of table 'orders'"
    )


def test_table_without_columns(write: Write, error_of: ErrorOf) -> None:
    path = write("p.yaml", BASE.replace("patterns:", "  empty:\n    rows: 0\npatterns:"))
    assert error_of(path) == f"{path}:7: tables.empty: table 'empty' needs at least one column"


def test_table_given_twice_in_other_case(write: Write, error_of: ErrorOf) -> None:
    path = write("p.yaml", BASE.replace("patterns:", "  Orders: {}\npatterns:"))
    assert error_of(path) == f"{path}:7: tables.Orders: table 'Orders' is already given as 'orders'"


def test_duplicate_pattern_name(write: Write, error_of: ErrorOf) -> None:
    path = write("p.yaml", BASE + "  - { name: p, sql: SELECT 2, per_sec: 1 }\n")
    assert error_of(path) == f"{path}:11: patterns[1].name: pattern name 'p' is already used (line 8)"


def test_pattern_without_frequency(write: Write, error_of: ErrorOf) -> None:
    path = write("p.yaml", BASE.replace("    per_sec: 1\n", ""))
    assert error_of(path) == f"{path}:8: patterns[0]: needs a frequency: per_sec, per_day or weight"


def test_pattern_with_two_frequencies(write: Write, error_of: ErrorOf) -> None:
    path = write("p.yaml", BASE + "    per_day: 10\n")
    assert error_of(path) == (
        f"{path}:11: patterns[0].per_day: give only one of per_sec, per_day or weight (also has per_sec)"
    )


def test_non_positive_frequency(write: Write, error_of: ErrorOf) -> None:
    path = write("p.yaml", BASE.replace("per_sec: 1", "per_sec: 0"))
    assert error_of(path) == f"{path}:10: patterns[0].per_sec: must be a positive number"


# --- schema: DDL -----------------------------------------------------------------------------------


def test_schema_file_missing(write: Write, error_of: ErrorOf, tmp_path: Path) -> None:
    path = write("p.yaml", "schema: nope.sql\n")
    assert (
        error_of(path)
        == f"{path}:1: schema: schema file or folder 'nope.sql' not found (looked in {tmp_path})"
    )


def test_schema_folder_without_sql(write: Write, error_of: ErrorOf) -> None:
    write("migrations/readme.txt", "nothing here")
    path = write("p.yaml", "schema: [migrations]\n")
    assert error_of(path) == f"{path}:1: schema: no .sql files in folder 'migrations'"


def test_bad_statement_names_its_file_and_line(write: Write, error_of: ErrorOf) -> None:
    ddl = write(
        "schema.sql",
        """
        CREATE TABLE a (id int PRIMARY KEY);

        CREATE TABLE b (
          id int,
          PRIMARY KEY (id DESC
        );
        CREATE TABLE c (id int);
        """,
    )
    path = write("p.yaml", "schema: schema.sql\n")
    # PostgreSQL's parser names the place it stopped at, inside the statement
    assert error_of(path).startswith(f'{ddl}:5: cannot parse this statement: syntax error at or near "DESC"')


def test_unterminated_string_in_ddl(write: Write, error_of: ErrorOf) -> None:
    ddl = write("schema.sql", "CREATE TABLE a (id int);\nCOMMENT ON TABLE a IS 'oops;\n")
    path = write("p.yaml", "schema: schema.sql\n")
    assert error_of(path).startswith(f"{ddl}:2: cannot parse this statement: unterminated quoted string")


def test_ddl_foreign_key_to_unknown_table(write: Write, error_of: ErrorOf) -> None:
    ddl = write("schema.sql", "CREATE TABLE a (id int);\n\nCREATE TABLE b (a_id int REFERENCES nope (id));\n")
    path = write("p.yaml", "schema: schema.sql\n")
    assert error_of(path) == f"{ddl}:3: references table 'nope', which is not defined"


def test_ddl_primary_key_on_unknown_column(write: Write, error_of: ErrorOf) -> None:
    ddl = write("schema.sql", "CREATE TABLE a (id int);\nALTER TABLE a ADD PRIMARY KEY (nope);\n")
    path = write("p.yaml", "schema: schema.sql\n")
    assert error_of(path) == f"{ddl}:2: primary key names 'nope', which is not a column of table 'a'"


def test_empty_table_name(write: Write, error_of: ErrorOf) -> None:
    path = write("p.yaml", "tables:\n  '':\n    columns: {a: {}}\n")
    assert error_of(path) == f"{path}:2: tables.: a table name must not be empty"


def test_empty_column_name(write: Write, error_of: ErrorOf) -> None:
    path = write("p.yaml", "tables:\n  t:\n    columns:\n      ' ': {}\n")
    assert error_of(path) == f"{path}:4: tables.t.columns. : a column name must not be empty"


def test_empty_primary_key(write: Write, error_of: ErrorOf) -> None:
    path = write("p.yaml", BASE.replace("rows: 100", "rows: 100\n    primary_key: []"))
    assert error_of(path) == f"{path}:4: tables.orders.primary_key: must not be empty"


def test_repeated_primary_key_column(write: Write, error_of: ErrorOf) -> None:
    path = write("p.yaml", BASE.replace("rows: 100", "rows: 100\n    primary_key: [id, ID]"))
    assert error_of(path) == f"{path}:4: tables.orders.primary_key[1]: 'id' is already in the key"


def test_index_key_desc_and_order_disagree(write: Write, error_of: ErrorOf) -> None:
    index = "    indexes:\n      - columns: [{ column: status, desc: true, order: asc }]\n"
    path = write("p.yaml", BASE.replace("    columns:", index + "    columns:"))
    assert error_of(path) == (
        f"{path}:5: tables.orders.indexes[0].columns[0]: 'desc' and 'order' disagree; give one of them"
    )
