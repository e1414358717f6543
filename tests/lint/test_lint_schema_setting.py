"""``schema`` in the lint settings: the schema before the files linted, for a pre-commit hook that
passes only the staged files. A folder holding a linted file counts only up to it, so a staged
migration is never compared with itself or with what comes after it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


def _project(tmp_path: Path, setting: bool) -> Path:
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "V1__init.sql").write_text(
        "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);\n"
        "CREATE INDEX orders_user ON orders (user_id);\n"
    )
    (folder / "V2__more.sql").write_text("CREATE INDEX CONCURRENTLY orders_user_again ON orders (user_id);\n")
    if setting:
        (tmp_path / "advisor.toml").write_text('[lint]\nschema = ["migrations"]\n')
    return folder


def _lint(tmp_path: Path, *files: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "advisor", "lint", *files],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )


def test_a_staged_migration_is_checked_against_the_earlier_ones(tmp_path: Path) -> None:
    _project(tmp_path, setting=True)
    done = _lint(tmp_path, "migrations/V2__more.sql")
    assert done.returncode == 1 and "MIG041" in done.stdout, done.stdout + done.stderr


def test_without_the_setting_the_staged_file_stands_alone(tmp_path: Path) -> None:
    _project(tmp_path, setting=False)
    done = _lint(tmp_path, "migrations/V2__more.sql")
    assert done.returncode == 0 and "MIG041" not in done.stdout


@pytest.mark.parametrize(
    "files", [["migrations/V1__init.sql"], ["migrations/V1__init.sql", "migrations/V2__more.sql"]]
)
def test_the_schema_stops_before_the_first_linted_file(tmp_path: Path, files: list[str]) -> None:
    _project(tmp_path, setting=True)
    done = _lint(tmp_path, *files)
    # V1 is not replayed before itself (its table and index would exist twice); V2's duplicate is
    # found once, against V1, when both are linted
    assert "already exists" not in done.stdout
    assert done.stdout.count("MIG041") == (1 if len(files) == 2 else 0), done.stdout
