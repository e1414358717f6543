"""What an engine would refuse is refused at the input line instead, with the reason: types it has
no translation for, keys it cannot build, defaults the type cannot hold, foreign keys to a column
that is not a key. What can be translated is (``tests/db/test_type_matrix.py`` applies them)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from advisor.emit.migration import ddl_text
from advisor.emit.target import resolve_target
from advisor.emit.type_families import VOCABULARY, WRITTEN
from advisor.emit.types import parse_type, target_type
from advisor.errors import AdvisorError
from advisor.recommend import planned_changes
from advisor.spec.load import load_spec


def _write(tmp_path: Path, columns: dict[str, object], **table: object) -> Path:
    spec = {"dialect": "postgres", "tables": {"t": {"columns": columns, **table}}}
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return path


def _line(path: Path, key: str, after: str = "") -> int:
    """The line of the YAML mapping key ``key`` (the first after the key ``after``)."""
    lines = path.read_text().splitlines()
    start = next(n for n, line in enumerate(lines) if line.strip().startswith(f"{after}:")) if after else 0
    return next(n + 1 for n, line in enumerate(lines) if n >= start and line.strip().startswith(f"{key}:"))


def _ddl(path: Path, dialect: str) -> str:
    spec = load_spec(path)
    return ddl_text(spec, planned_changes(spec)[1], resolve_target(dialect), False, False)


def _refusal(path: Path, dialect: str) -> str:
    with pytest.raises(AdvisorError) as caught:
        _ddl(path, dialect)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(str(path))
    return message


def test_the_vocabulary_spells_every_type_family_that_is_written() -> None:
    spelled = {parse_type(text, d).this for text in VOCABULARY for d in ("postgres", "mysql")}
    assert WRITTEN - spelled == set()


@pytest.mark.parametrize(
    ("type_text", "dialect", "written"),
    [
        ("bytea", "mysql", "LONGBLOB"),
        ("varbinary(16)", "postgres", "BYTEA"),
        ("longblob", "postgres", "BYTEA"),
        ("jsonb", "mysql", "JSON"),
        ("int[]", "mysql", "JSON"),
        ("int[]", "sqlite", "TEXT"),
        ("inet", "mysql", "VARCHAR(43)"),
        ("uuid", "mysql", "CHAR(36)"),
        ("year", "postgres", "SMALLINT"),
        ("mediumint", "postgres", "INT"),
        ("money", "mysql", "DECIMAL(19, 4)"),
        ("enum('a','bb')", "postgres", "VARCHAR(2)"),
    ],
)
def test_types_the_engine_lacks_are_translated(type_text: str, dialect: str, written: str) -> None:
    assert target_type(type_text, "postgres", dialect).sql(dialect) == written


@pytest.mark.parametrize(
    ("type_text", "dialect", "reason"),
    [
        ("interval", "mysql", "no interval type"),
        ("tsvector", "mysql", "no full-text document type"),
        ("set('a','b')", "postgres", "not a built-in type"),
        ("citext", "postgres", "not a built-in type"),
        ("zzz); DROP TABLE precious; --", "sqlite", "not one column type"),
        ("numeric(70,2)", "mysql", "at most 65 digits"),
    ],
)
def test_types_the_engine_cannot_hold_are_refused_at_their_line(
    tmp_path: Path, type_text: str, dialect: str, reason: str
) -> None:
    path = _write(tmp_path, {"id": {"type": "bigint", "primary_key": True}, "v": {"type": type_text}})
    message = _refusal(path, dialect)
    assert f"{path}:{_line(path, 'v')}: tables.t.columns.v.type: " in message and reason in message


def test_an_enum_elsewhere_is_text_kept_to_its_values_by_a_check(tmp_path: Path) -> None:
    path = _write(tmp_path, {"id": {"type": "bigint", "primary_key": True}, "v": {"type": "enum('a','b')"}})
    assert "v VARCHAR(1) CHECK (v IN ('a', 'b'))" in _ddl(path, "postgres")
    assert "v ENUM('a', 'b')" in _ddl(path, "mysql")


@pytest.mark.parametrize(
    ("type_text", "dialect"), [("json", "mysql"), ("jsonb", "mysql"), ("json", "postgres")]
)
def test_a_key_on_a_column_the_engine_cannot_index_is_refused(
    tmp_path: Path, type_text: str, dialect: str
) -> None:
    path = _write(tmp_path, {"doc": {"type": type_text, "primary_key": True}})
    assert "cannot build this key" in _refusal(path, dialect)
    assert "PRIMARY KEY" in _ddl(path, "sqlite")


@pytest.mark.parametrize(
    ("column", "reason"),
    [
        ({"type": "int", "default": "'abc'"}, "'abc' is not a number"),
        ({"type": "smallint", "default": 99999}, "out of the range of SMALLINT"),
        ({"type": "varchar(3)", "default": "'abcd'"}, "longer than 3 characters"),
        ({"type": "date", "default": "'yesterday'"}, "is not a date"),
        ({"type": "boolean", "default": "'maybe'"}, "is not TRUE or FALSE"),
        ({"type": "int", "default": "now()"}, "is no value for a INT column"),
        ({"type": "uuid", "default": "'42'"}, "is not a valid uuid"),
        ({"type": "int", "nullable": False, "default": "NULL"}, "NULL cannot be the default"),
    ],
)
def test_a_default_the_type_cannot_hold_is_refused_at_its_column(
    tmp_path: Path, column: dict[str, object], reason: str
) -> None:
    path = _write(tmp_path, {"id": {"type": "bigint", "primary_key": True}, "v": column})
    message = _refusal(path, "sqlite")
    assert f"{path}:{_line(path, 'v')}: tables.t.columns.v.default: " in message and reason in message


def test_a_foreign_key_to_a_column_that_is_no_key_is_refused(tmp_path: Path) -> None:
    spec = {
        "tables": {
            "users": {"columns": {"id": {"type": "bigint", "primary_key": True}, "email": {"type": "text"}}},
            "orders": {
                "columns": {"id": {"type": "bigint"}, "email": {"type": "text", "references": "users.email"}}
            },
        }
    }
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    with pytest.raises(AdvisorError) as caught:
        load_spec(path)
    assert str(caught.value).startswith(
        f"{path}:{_line(path, 'references')}: tables.orders.columns.email.references: references users.email"
    )
    assert "neither the primary key nor unique" in str(caught.value)
    spec["tables"]["users"]["columns"]["email"]["unique"] = True  # type: ignore[index]
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    assert "REFERENCES users (email)" in _ddl(path, "postgres")


@pytest.mark.parametrize(
    ("column", "dialect", "reason"),
    [
        ("é" * 32, "postgres", "only 63 bytes"),
        ("x" * 65, "mysql", "up to 64 characters"),
        ("total ", "mysql", "ends in a space"),
    ],
)
def test_a_name_the_engine_would_refuse_or_cut_is_refused_at_its_line(
    tmp_path: Path, column: str, dialect: str, reason: str
) -> None:
    path = _write(tmp_path, {"id": {"type": "bigint", "primary_key": True}, column: {"type": "int"}})
    message = _refusal(path, dialect)
    assert f"tables.t.columns.{column}: " in message and reason in message
    assert f"{column} INTEGER" in _ddl(path, "sqlite") or f'"{column}" INTEGER' in _ddl(path, "sqlite")


@pytest.mark.parametrize(("child", "dialect"), [("date", "postgres"), ("int", "mysql"), ("text", "postgres")])
def test_a_foreign_key_between_types_the_engine_cannot_compare_is_refused(
    tmp_path: Path, child: str, dialect: str
) -> None:
    spec = {
        "tables": {
            "users": {"columns": {"id": {"type": "bigint", "primary_key": True}}},
            "orders": {
                "columns": {"id": {"type": "bigint"}, "user_id": {"type": child, "references": "users.id"}}
            },
        }
    }
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    message = _refusal(path, dialect)
    assert (
        f":{_line(path, 'user_id')}: tables.orders.columns.user_id.references: cannot reference users.id"
        in message
    )
    assert "REFERENCES users (id)" in _ddl(path, "sqlite")
    spec["tables"]["orders"]["columns"]["user_id"]["type"] = "bigint"  # type: ignore[index]
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    assert "REFERENCES users (id)" in _ddl(path, dialect)


@pytest.mark.parametrize("dialect", ["postgres", "sqlite"])
def test_a_mysql_set_is_text_elsewhere(dialect: str) -> None:
    assert target_type("set('a','b')", "mysql", dialect).sql(dialect) == "TEXT"
    assert target_type("set('a','b')", "mysql", "mysql").sql("mysql") == "SET('a', 'b')"
