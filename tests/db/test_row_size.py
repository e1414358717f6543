"""MySQL's and MariaDB's row-size limit, checked against the real MariaDB: advisor refuses, with
one line, the tables the server would refuse ("Row size too large"), and writes the others."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from advisor.emit.row_size import row_problem
from advisor.emit.target import resolve_target
from advisor.emit.types import target_type
from tests.db.conftest import Run


def _spec(columns: dict[str, str]) -> dict[str, object]:
    table = {"rows": 1000, "columns": {"id": {"type": "bigint", "primary_key": True}}}
    table["columns"].update({name: {"type": kind} for name, kind in columns.items()})  # type: ignore[attr-defined]
    return {
        "dialect": "mysql",
        "tables": {"wide": table},
        "patterns": [{"name": "one", "sql": "SELECT id FROM wide WHERE id = ?", "per_sec": 1}],
    }


def _ddl(tmp_path: Path, columns: dict[str, str]) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "patterns.yaml"
    path.write_text(yaml.safe_dump(_spec(columns)))
    return subprocess.run(
        [sys.executable, "-m", "advisor", "ddl", str(path), "--dialect", "mariadb"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _accepted(mariadb: Run, columns: dict[str, str]) -> bool:
    body = ", ".join(["id bigint PRIMARY KEY", *(f"{name} {kind}" for name, kind in columns.items())])
    try:
        mariadb(f"CREATE TABLE probe ({body}) DEFAULT CHARSET=utf8mb4;\nDROP TABLE probe;\n")
    except AssertionError as exc:
        assert "Row size too large" in str(exc), exc
        return False
    return True


def _cases() -> list[dict[str, str]]:
    rng = random.Random(7)
    kinds = ["varchar({})", "char({})", "decimal(30,10)", "bigint", "text", "date", "varbinary({})"]
    out = [
        {"a": "varchar(6000)", "b": "varchar(6000)", "c": "varchar(6000)"},
        {"a": "varchar(8000)", "b": "varchar(8190)"},
    ]
    for _ in range(10):
        columns = {}
        for n in range(rng.randint(2, 6)):
            kind = rng.choice(kinds)
            size = (
                rng.choice([10, 200, 2000, 4000, 6000])
                if kind.startswith("char") is False
                else rng.randint(1, 255)
            )
            columns[f"c{n}"] = kind.format(size)
        out.append(columns)
    return out


@pytest.mark.parametrize("columns", _cases(), ids=lambda c: "_".join(c.values()))
def test_advisor_refuses_exactly_the_tables_mariadb_refuses(
    tmp_path: Path, mariadb: Run, columns: dict[str, str]
) -> None:
    server_says = _accepted(mariadb, columns)
    types = {
        name: target_type(kind, "mysql", resolve_target("mariadb").dialect) for name, kind in columns.items()
    }
    types["id"] = target_type("bigint", "mysql", "mysql")
    assert (row_problem(types) is None) == server_says, (columns, row_problem(types))
    done = _ddl(tmp_path, columns)
    if server_says:
        assert done.returncode == 0, done.stderr
        mariadb(done.stdout)
    else:
        assert done.returncode == 2 and done.stdout == "", done.stderr
        assert len(done.stderr.splitlines()) == 1 and "65,535" in done.stderr, done.stderr
