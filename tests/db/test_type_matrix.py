"""Every type of the input format, for every engine: a table with the type as a column (with a
default where one fits), a key on it and an index on it, applied on the real SQLite, PostgreSQL and
MariaDB the way their clients run a script. Each either applies, or ``advisor ddl`` refuses the
input with one line that says why; the engine never refuses what advisor wrote."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from sqlglot import exp

from advisor.emit.migration import ddl_text
from advisor.emit.target import resolve_target
from advisor.emit.type_families import VOCABULARY
from advisor.emit.types import parse_type
from advisor.errors import AdvisorError
from advisor.recommend import planned_changes
from advisor.spec.load import load_spec
from tests.db.conftest import Run

DT = exp.DataType.Type
SOURCES = ("postgres", "mysql")

_DEFAULTS: dict[exp.DType, object] = {
    **dict.fromkeys([DT.SMALLINT, DT.INT, DT.BIGINT, DT.TINYINT, DT.MEDIUMINT, DT.UTINYINT], 7),
    **dict.fromkeys([DT.USMALLINT, DT.UMEDIUMINT, DT.UINT, DT.UBIGINT, DT.MONEY], 7),
    **dict.fromkeys([DT.DECIMAL, DT.UDECIMAL, DT.DOUBLE, DT.UDOUBLE, DT.FLOAT], 1.5),
    DT.BOOLEAN: True,
    **dict.fromkeys([DT.CHAR, DT.NCHAR, DT.VARCHAR, DT.NVARCHAR, DT.TEXT, DT.TINYTEXT], "'x'"),
    **dict.fromkeys([DT.MEDIUMTEXT, DT.LONGTEXT], "'x'"),
    DT.DATE: "'2024-01-31'",
    DT.TIME: "'12:30:00'",
    **dict.fromkeys([DT.TIMESTAMP, DT.TIMESTAMPTZ, DT.DATETIME], "now()"),
    DT.UUID: "'00000000-0000-0000-0000-000000000000'",
    DT.JSON: "'{}'",
    DT.JSONB: "'{}'",
    DT.INET: "'10.0.0.1'",
    DT.ENUM: "'a'",
}


def _default(type_text: str, source: str) -> object | None:
    dtype = parse_type(type_text, source)
    if dtype.this == DT.USERDEFINED:
        return 2024 if str(dtype.args.get("kind")).lower() == "year" else None
    if dtype.this in (DT.SERIAL, DT.BIGSERIAL, DT.SMALLSERIAL):
        return None
    return _DEFAULTS.get(dtype.this)


def _spec(tmp_path: Path, number: int, type_text: str, source: str) -> Path:
    """Two tables: ``v`` with a default and an index, and ``v`` as a primary key."""
    column: dict[str, object] = {"type": type_text}
    default = _default(type_text, source)
    if default is not None:
        column["default"] = default
    spec = {
        "dialect": source,
        "tables": {
            f"t{number}": {
                "columns": {"id": {"type": "bigint", "primary_key": True}, "v": column},
                "indexes": [{"name": f"ix_t{number}_v", "columns": ["v"]}],
            },
            f"k{number}": {"columns": {"v": {"type": type_text, "primary_key": True}}},
        },
    }
    path = tmp_path / f"types_{number}.yaml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    return path


def _script(path: Path, dialect: str) -> str | None:
    """The DDL for ``dialect``, or ``None`` when advisor refuses the input (with one line)."""
    spec = load_spec(path)
    try:
        return ddl_text(spec, planned_changes(spec)[1], resolve_target(dialect), False, False)
    except AdvisorError as exc:
        assert "\n" not in str(exc) and str(exc).strip()
        return None


def _matrix(tmp_path: Path, source: str, dialect: str, apply: Callable[[str], object]) -> None:
    refused, failed = [], []
    for number, type_text in enumerate(VOCABULARY):
        script = _script(_spec(tmp_path, number, type_text, source), dialect)
        if script is None:
            refused.append(type_text)
            continue
        try:
            apply(script)
        except (AssertionError, sqlite3.Error) as exc:
            failed.append(f"{type_text}: {str(exc).splitlines()[0]}")
    assert not failed, "\n".join(failed)
    assert len(refused) < len(VOCABULARY) / 4, refused


@pytest.mark.parametrize("source", SOURCES)
def test_every_type_applies_on_sqlite_or_is_refused(tmp_path: Path, source: str) -> None:
    db = sqlite3.connect(":memory:")
    _matrix(tmp_path, source, "sqlite", db.executescript)


@pytest.mark.parametrize("source", SOURCES)
def test_every_type_applies_on_postgres_or_is_refused(tmp_path: Path, source: str, postgres: Run) -> None:
    _matrix(tmp_path, source, "postgres", postgres)


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("dialect", ["mysql", "mariadb"])
def test_every_type_applies_on_mariadb_or_is_refused(
    tmp_path: Path, source: str, dialect: str, mariadb: Run
) -> None:
    _matrix(tmp_path, source, dialect, mariadb)
