"""The samples and the benchmark's generated spec are consistent inputs.

This checks the contract from the outside, independently of ``advisor.spec``: every SQL parses in
the spec's dialect, every table and column a pattern names exists (in ``tables:`` or in the DDL of
``schema:``), references point at existing columns, and the statistics are plausible.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import sqlglot
import yaml
from sqlglot import exp

from tests.scale_spec import load_scale

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "samples").glob("*/patterns.yaml"))


@dataclass
class Schema:
    """Column names per lower-cased table name, merged from DDL and ``tables:``."""

    columns: dict[str, set[str]] = field(default_factory=dict)

    def add(self, table: str, column: str) -> None:
        self.columns.setdefault(table.lower(), set()).add(column.lower())

    def has(self, table: str, column: str) -> bool:
        return column.lower() in self.columns.get(table.lower(), set())


def _ddl_schema(path: Path, dialect: str) -> Schema:
    schema = Schema()
    for statement in sqlglot.parse(path.read_text(encoding="utf-8"), read=dialect):
        assert isinstance(statement, exp.Create), f"{path}: only CREATE TABLE expected"
        target = statement.this
        assert isinstance(target, exp.Schema)
        name = target.this.name
        for definition in target.expressions:
            if isinstance(definition, exp.ColumnDef):
                schema.add(name, definition.name)
        schema.columns.setdefault(name.lower(), set())
    return schema


def check_spec(path: Path) -> list[str]:
    """Problems found in the spec at ``path``; empty when it is consistent."""
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    dialect = data["dialect"]
    schema = _ddl_schema(path.parent / data["schema"], dialect) if "schema" in data else Schema()
    problems: list[str] = []
    for table, info in (data.get("tables") or {}).items():
        defined = table.lower() in schema.columns
        for column, props in (info.get("columns") or {}).items():
            if not defined and "type" not in props:
                problems.append(f"{table}.{column}: no type and no DDL")
            schema.add(table, column)
    for table, info in (data.get("tables") or {}).items():
        if not isinstance(info.get("rows"), int) or info["rows"] <= 0:
            problems.append(f"{table}: rows missing or not positive")
        for column, props in (info.get("columns") or {}).items():
            problems += _check_column(schema, f"{table}.{column}", props)
        for index in info.get("indexes") or []:
            problems += [
                f"{table}: index {index['name']} on unknown {c}"
                for c in index["columns"]
                if not schema.has(table, c)
            ]
    names: set[str] = set()
    for pattern in data["patterns"]:
        name = pattern["name"]
        if name in names:
            problems.append(f"pattern {name}: duplicate name")
        names.add(name)
        rates = [key for key in ("per_sec", "per_day", "weight") if key in pattern]
        if len(rates) != 1 or pattern[rates[0]] <= 0:
            problems.append(f"pattern {name}: needs exactly one positive per_sec, per_day or weight")
        problems += [f"pattern {name}: {p}" for p in _check_sql(schema, pattern["sql"], dialect)]
    return problems


def _check_column(schema: Schema, where: str, props: dict[str, Any]) -> list[str]:
    problems = []
    reference = props.get("references")
    if reference is not None:
        table, _, column = reference.partition(".")
        if not schema.has(table, column):
            problems.append(f"{where}: references unknown {reference}")
    frequencies = props.get("frequencies") or {}
    if sum(frequencies.values()) > 1.0 + 1e-9:
        problems.append(f"{where}: frequencies add up to more than 1")
    if "ndv" in props and len(frequencies) > props["ndv"]:
        problems.append(f"{where}: more frequencies than distinct values")
    return problems


def _check_sql(schema: Schema, sql: str, dialect: str) -> list[str]:
    statement = sqlglot.parse_one(sql, read=dialect)
    aliases: dict[str, str] = {}
    for table in statement.find_all(exp.Table):
        if table.name.lower() not in schema.columns:
            return [f"unknown table {table.name}"]
        aliases[table.alias_or_name.lower()] = table.name
    problems = []
    if isinstance(statement, exp.Insert) and isinstance(statement.this, exp.Schema):
        target = statement.this.this.name
        problems += [
            f"unknown column {target}.{i.name}"
            for i in statement.this.expressions
            if not schema.has(target, i.name)
        ]
    for column in statement.find_all(exp.Column):
        if column.table:
            owner = aliases.get(column.table.lower())
            if owner is None or not schema.has(owner, column.name):
                problems.append(f"unknown column {column.sql()}")
        elif not any(schema.has(table, column.name) for table in aliases.values()):
            problems.append(f"unknown column {column.name}")
    return problems


def test_there_are_samples() -> None:
    assert len(SAMPLES) >= 2


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.parent.name)
def test_sample_is_consistent(path: Path) -> None:
    assert check_spec(path) == []


def test_checker_finds_problems(tmp_path: Path) -> None:
    bad = tmp_path / "patterns.yaml"
    bad.write_text(
        "dialect: postgres\n"
        "tables:\n  t:\n    rows: 10\n    columns:\n      a: {type: int, references: u.id}\n"
        "patterns:\n  - {name: p, sql: SELECT b FROM t, per_sec: 1}\n",
        encoding="utf-8",
    )
    assert check_spec(bad) == ["t.a: references unknown u.id", "pattern p: unknown column b"]


@pytest.mark.parametrize("dialect", ["postgres", "mysql"])
def test_generated_benchmark_spec_is_consistent(tmp_path: Path, dialect: str) -> None:
    scale = load_scale()
    path = tmp_path / "patterns.yaml"
    scale.write_spec(scale.generate_spec(40, 600, seed=3, dialect=dialect), path)
    assert check_spec(path) == []
    # Deterministic: the same arguments give the same file.
    again = tmp_path / "again.yaml"
    scale.write_spec(scale.generate_spec(40, 600, seed=3, dialect=dialect), again)
    assert again.read_bytes() == path.read_bytes()
    shapes = {pattern["name"].rsplit("_", 2)[0] for pattern in yaml.safe_load(path.read_text())["patterns"]}
    assert len(shapes) >= 10


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.parent.name)
def test_sample_loads_with_the_spec_loader(path: Path) -> None:
    load = pytest.importorskip("advisor.spec.load")
    spec = load.load_spec(path)
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert len(spec.patterns) == len(raw["patterns"])
    assert {t.name for t in spec.tables} >= set(raw["tables"])


def test_generated_benchmark_spec_loads_with_the_spec_loader(tmp_path: Path) -> None:
    load = pytest.importorskip("advisor.spec.load")
    scale = load_scale()
    path = tmp_path / "patterns.yaml"
    scale.write_spec(scale.generate_spec(30, 300, seed=5), path)
    spec = load.load_spec(path)
    assert (len(spec.tables), len(spec.patterns)) == (30, 300)


def test_report_does_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    """String hashes change from one process to the next: no set order may reach the report."""
    scale = load_scale()
    path = tmp_path / "patterns.yaml"
    scale.write_spec(scale.generate_spec(40, 500, seed=11), path)
    reports = []
    for seed in ("1", "2"):
        done = subprocess.run(
            [sys.executable, "-m", "advisor", "recommend", str(path), "--format", "json"],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        reports.append(done.stdout)
    assert reports[0] == reports[1]
