"""No input file may make ``load_spec`` raise anything but ``AdvisorError``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.errors import AdvisorError
from advisor.spec.load import load_spec
from advisor.spec.model import Spec

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

KEYS = [
    "dialect", "schema", "workload", "budget", "tables", "patterns", "reads_per_sec", "writes_per_sec",
    "storage", "max_indexes_per_table", "max_write_overhead", "rows", "growth_per_day", "consistency",
    "primary_key", "columns", "indexes", "functional_dependencies", "type", "ndv", "frequencies", "unique",
    "nullable", "references", "name", "include", "where", "desc", "order", "column", "sql", "per_sec",
    "per_day", "weight", "description", "orders", "users", "id", "a", "<<",
]  # fmt: skip
NAMES = st.sampled_from(["id", "a", "b", "Orders", "orders", "users", "users.id", "orders.a", "", "x y"])

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    NAMES,
    st.sampled_from(
        ["postgres", "mysql", "20GB", "1e9", "a -> b", "a, b -> id", "strict", "a DESC", "schema.sql"]
    ),
)
structures = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | NAMES | st.text(max_size=6), inner, max_size=5)
    ),
    max_leaves=30,
)

column = st.fixed_dictionaries(
    {},
    optional={
        "type": st.sampled_from(["bigint", "text", "varchar(10)", 5]),
        "ndv": st.sampled_from([1, 5, 0, -1, 10**30, "1e3", True]),
        "frequencies": st.dictionaries(st.text(max_size=3), st.floats(0, 1.2), max_size=3),
        "primary_key": st.booleans(),
        "unique": st.booleans(),
        "nullable": st.booleans(),
        "references": NAMES,
    },
)
index = st.fixed_dictionaries(
    {"columns": st.lists(NAMES | st.sampled_from(["a DESC", "id asc"]), max_size=3)},
    optional={"name": NAMES, "unique": st.booleans(), "include": st.lists(NAMES, max_size=2), "where": NAMES},
)
table = st.fixed_dictionaries(
    {},
    optional={
        "rows": st.sampled_from([0, 3, 100, -5]),
        "primary_key": st.lists(NAMES, max_size=2),
        "columns": st.dictionaries(NAMES, column | st.none(), max_size=4),
        "indexes": st.lists(index, max_size=3),
        "functional_dependencies": st.lists(
            st.sampled_from(["a -> b", "id -> a", "->", "a,,b -> c"]), max_size=2
        ),
        "consistency": st.sampled_from(["strict", "eventual", "STRICT", "loose"]),
    },
)
pattern = st.fixed_dictionaries(
    {"name": NAMES, "sql": st.sampled_from(["SELECT 1", "", "  "])},
    optional={"per_sec": st.floats(-1, 10), "per_day": st.integers(0, 10), "weight": st.just(1)},
)
near_valid = st.fixed_dictionaries(
    {
        "tables": st.dictionaries(NAMES, table | st.none(), max_size=3),
        "patterns": st.lists(pattern, max_size=3),
    },
    optional={
        "dialect": st.sampled_from(["postgres", "mysql", "sqlite", "nope"]),
        "schema": st.just("schema.sql"),
    },
)

DDL_PARTS = [
    "CREATE TABLE a (id int PRIMARY KEY, b text UNIQUE)", "CREATE TABLE b (id int, a_id int REFERENCES a (id))",
    "CREATE TABLE IF NOT EXISTS a (x int)", "CREATE TABLE c (id int, PRIMARY KEY (id, nope))",
    "CREATE INDEX ON a (b DESC) WHERE id > 0", "CREATE UNIQUE INDEX i ON b (a_id) INCLUDE (id)",
    "CREATE INDEX j ON nope (x)", "ALTER TABLE a ADD COLUMN c int", "ALTER TABLE a DROP COLUMN b",
    "ALTER TABLE a RENAME COLUMN id TO key", "ALTER TABLE b RENAME TO bb", "ALTER TABLE a ADD PRIMARY KEY (c)",
    "ALTER TABLE b ADD CONSTRAINT f FOREIGN KEY (id) REFERENCES a", "ALTER TABLE a DROP CONSTRAINT a_pkey",
    "ALTER INDEX i RENAME TO k", "DROP TABLE a", "DROP INDEX IF EXISTS i", "DROP TABLE IF EXISTS b, c",
    "INSERT INTO a VALUES (1)", "CREATE TABLE d AS SELECT 1", "CREATE TABLE (", "ALTER TABLE", "'unterminated",
    "RENAME TABLE a TO z", "ALTER TABLE a MODIFY COLUMN c bigint", "CREATE TABLE e (LIKE a)", "$$",
]  # fmt: skip
ddl = st.lists(st.sampled_from(DDL_PARTS) | st.text(max_size=15), max_size=8).map(";\n".join)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def _load(path: Path) -> Spec | None:
    try:
        return load_spec(path)
    except AdvisorError as exc:
        assert str(exc).startswith(str(path.parent)) or str(exc).startswith(str(path))
        return None


@FUZZ
@given(raw=st.binary(max_size=200))
def test_arbitrary_bytes(folder: Path, raw: bytes) -> None:
    path = folder / "bytes.yaml"
    path.write_bytes(raw)
    _load(path)


@FUZZ
@given(text=st.text(alphabet=st.sampled_from(list("ab:-[]{}&*!|>'\"#,? \n\t0.%@`")), max_size=80))
def test_arbitrary_yaml_like_text(folder: Path, text: str) -> None:
    path = folder / "text.yaml"
    path.write_text(text, encoding="utf-8")
    _load(path)


@FUZZ
@given(data=structures)
def test_arbitrary_structures(folder: Path, data: Any) -> None:
    path = folder / "structure.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    _load(path)


@FUZZ
@given(data=near_valid, schema=ddl)
def test_near_valid_specs_and_ddl(folder: Path, data: dict[str, Any], schema: str) -> None:
    (folder / "schema.sql").write_text(schema, encoding="utf-8")
    path = folder / "near.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    _load(path)
