"""MySQL-family rule claims checked on a real MariaDB server through the mysql client.

MIG052: appending ENUM members is instant, inserting one in the middle needs a table copy.
MIG051: MariaDB 10.5+ creates a foreign key for a column-level REFERENCES (so the rule is quiet
there). MIG050: LOCK=NONE makes the server refuse a change it can only do by copying. Without a
reachable server these tests skip, unless ADVISOR_REQUIRE_DB=1.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator

import pytest

from advisor.lint.engine import Options, lint
from advisor.schema.read import existing_schema
from advisor.schema.source import Source

CLIENT = ["-h", "127.0.0.1", "-u", "root", "--batch", "--skip-column-names"]


def _mysql(database: str, sql: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["mysql", *CLIENT, database], input=sql, capture_output=True, text=True, timeout=60, check=False
    )


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    def unavailable(reason: str) -> None:
        if os.environ.get("ADVISOR_REQUIRE_DB") == "1":
            pytest.fail(f"MariaDB is required (ADVISOR_REQUIRE_DB=1): {reason}")
        pytest.skip(reason)

    if shutil.which("mysql") is None:
        unavailable("the mysql client is not installed")
    probe = _mysql("test", "SELECT 1;")
    if probe.returncode != 0:
        unavailable(f"MariaDB at 127.0.0.1:3306 is not reachable: {probe.stderr.strip()}")
    name = f"advisor_lint_{uuid.uuid4().hex[:10]}"
    _mysql("test", f"CREATE DATABASE {name};")
    try:
        yield name
    finally:
        _mysql("test", f"DROP DATABASE IF EXISTS {name};")


SCHEMA = "CREATE TABLE orders (id BIGINT PRIMARY KEY, status ENUM('pending', 'paid', 'shipped') NOT NULL);\n"


def _findings(tmp_path: object, sql: str) -> list[str]:
    from pathlib import Path

    folder = Path(str(tmp_path))
    (folder / "schema.sql").write_text(SCHEMA)
    schema = existing_schema([folder / "schema.sql"], "mariadb")
    return [f.rule for f in lint([Source("m.sql", sql)], Options(dialect="mariadb"), schema)]


def test_enum_append_is_instant_and_insert_copies(database: str, tmp_path: object) -> None:
    setup = f"DROP TABLE IF EXISTS orders;\n{SCHEMA}INSERT INTO orders VALUES (1, 'paid');\n"
    append = "ALTER TABLE orders MODIFY status ENUM('pending', 'paid', 'shipped', 'refunded') NOT NULL"
    insert = "ALTER TABLE orders MODIFY status ENUM('pending', 'authorized', 'paid', 'shipped') NOT NULL"
    assert "MIG052" not in _findings(tmp_path, append + ";")
    assert "MIG052" in _findings(tmp_path, insert + ";")
    assert _mysql(database, setup + append + ", ALGORITHM=INSTANT;").returncode == 0
    refused = _mysql(database, setup + insert + ", ALGORITHM=INSTANT;")
    assert refused.returncode != 0 and "ALGORITHM=INSTANT is not supported" in refused.stderr


def test_lock_none_refuses_a_copying_change(database: str) -> None:
    setup = f"DROP TABLE IF EXISTS orders;\n{SCHEMA}"
    change = "ALTER TABLE orders MODIFY status VARCHAR(20) NOT NULL"
    refused = _mysql(database, setup + change + ", LOCK=NONE;")
    assert refused.returncode != 0 and "LOCK=NONE is not supported" in refused.stderr
    found = lint([Source("m.sql", change + ", ALGORITHM=COPY;")], Options(dialect="mariadb"))
    assert "MIG050" in {f.rule for f in found}


def test_mariadb_honours_inline_references(database: str) -> None:
    sql = (
        "DROP TABLE IF EXISTS items, parents;\n"
        "CREATE TABLE parents (id BIGINT PRIMARY KEY);\n"
        "CREATE TABLE items (id BIGINT PRIMARY KEY, parent_id BIGINT REFERENCES parents (id));\n"
        "SELECT COUNT(*) FROM information_schema.REFERENTIAL_CONSTRAINTS\n"
        f"WHERE CONSTRAINT_SCHEMA = '{database}' AND TABLE_NAME = 'items';\n"
    )
    done = _mysql(database, sql)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "1"
    assert "MIG051" not in {f.rule for f in lint([Source("m.sql", sql)], Options(dialect="mariadb"))}
    assert "MIG051" in {f.rule for f in lint([Source("m.sql", sql)], Options(dialect="mysql"))}


ONLINE_DDL = {
    "add_column": "ADD COLUMN c INT",
    "add_column_expression_default": "ADD COLUMN c INT DEFAULT (a + 1)",
    "add_column_auto_increment": "ADD COLUMN c INT NOT NULL AUTO_INCREMENT, ADD UNIQUE KEY (c)",
    "add_column_stored": "ADD COLUMN c INT AS (a + 1) STORED",
    "add_column_virtual": "ADD COLUMN c INT AS (a + 1) VIRTUAL",
    "drop_column": "DROP COLUMN e",
    "rename_column": "RENAME COLUMN e TO e2",
    "set_default": "ALTER COLUMN e SET DEFAULT 3",
    "add_index": "ADD INDEX ie (e)",
    "add_unique": "ADD UNIQUE KEY ue (e)",
    "add_primary_key": "DROP PRIMARY KEY, ADD PRIMARY KEY (id, a)",
    "drop_primary_key": "DROP PRIMARY KEY",
    "add_foreign_key": "ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES p (id)",
    "add_check": "ADD CONSTRAINT ck CHECK (a > 0)",
    "add_fulltext_index": "ADD FULLTEXT INDEX ft (s)",
    "add_spatial_index": "ADD SPATIAL INDEX sp (g)",
    "convert_charset": "CONVERT TO CHARACTER SET latin1",
    "modify_type": "MODIFY a BIGINT",
    "extend_varchar": "MODIFY s VARCHAR(60)",
    "extend_varchar_length_bytes": "MODIFY s VARCHAR(300)",
}
TYPE_CHANGES = {"modify_type", "extend_varchar", "extend_varchar_length_bytes"}
"""Reported by MIG011, which knows the old type from the schema; the others by MIG053."""
ONLINE_SETUP = (
    "DROP TABLE IF EXISTS t, p;\nCREATE TABLE p (id INT PRIMARY KEY);\nINSERT INTO p VALUES (1), (2);\n"
    "CREATE TABLE t (id INT PRIMARY KEY, a INT, e INT, s VARCHAR(10), g POINT NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n"
    "INSERT INTO t VALUES (1, 1, 1, 'x', POINT(1, 1)), (2, 2, 2, 'y', POINT(2, 2));\n"
)
FASTER = {"COPY": "INPLACE", "INPLACE": "NOCOPY", "NOCOPY": "INSTANT"}
WEAKER = {"EXCLUSIVE": "SHARED", "SHARED": "NONE"}


def _server_version(database: str) -> tuple[int, ...]:
    from advisor.lint.config import parse_version

    done = _mysql(database, "SELECT VERSION();")
    return parse_version(done.stdout.strip().split("-")[0])


@pytest.mark.parametrize("operation", sorted(ONLINE_DDL))
def test_online_ddl_table_matches_what_mariadb_accepts(
    database: str, operation: str, tmp_path: object
) -> None:
    """MIG053's table for this server: the ALTER with the algorithm and lock the table gives is
    accepted; asking for a faster algorithm or a weaker lock is refused; and the rule fires
    exactly when the operation copies the table or blocks writes (or always reports it)."""
    from advisor.lint.online_ddl import behaviour

    target = _server_version(database)
    found = behaviour(operation, "mariadb", target)
    assert found is not None
    alter = f"ALTER TABLE t {ONLINE_DDL[operation]}"
    done = _mysql(database, f"{ONLINE_SETUP}{alter}, ALGORITHM={found.algorithm}, LOCK={found.lock};\n")
    assert done.returncode == 0, done.stderr
    if found.algorithm in FASTER:
        faster = _mysql(database, f"{ONLINE_SETUP}{alter}, ALGORITHM={FASTER[found.algorithm]};\n")
        assert faster.returncode != 0 and "is not supported" in faster.stderr, faster.stderr
    if found.lock in WEAKER:
        weaker = _mysql(database, f"{ONLINE_SETUP}{alter}, LOCK={WEAKER[found.lock]};\n")
        assert weaker.returncode != 0 and "is not supported" in weaker.stderr, weaker.stderr
    from pathlib import Path

    table = ONLINE_SETUP.split("\n")[3].replace(", g POINT NOT NULL", "")  # the DDL reader has no POINT
    (Path(str(tmp_path)) / "t.sql").write_text(table + "\n")
    schema = existing_schema([Path(str(tmp_path)) / "t.sql"], "mariadb")
    options = Options(dialect="mariadb", target_version=target)
    rule = "MIG011" if operation in TYPE_CHANGES else "MIG053"
    hits = [f for f in lint([Source("m.sql", alter + ";\n")], options, schema) if f.rule == rule]
    assert bool(hits) == (not found.online or found.always), hits


def test_foreign_key_without_checks_is_added_in_place(database: str) -> None:
    sql = "SET foreign_key_checks = 0;\nALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES p (id)"
    options = Options(dialect="mariadb", target_version=_server_version(database))
    assert not [f for f in lint([Source("m.sql", sql + ";\n")], options) if f.rule == "MIG053"]
    done = _mysql(database, f"{ONLINE_SETUP}{sql}, ALGORITHM=INPLACE, LOCK=NONE;\n")
    assert done.returncode == 0, done.stderr
    checked = _mysql(database, f"{ONLINE_SETUP}{sql.split(chr(10))[1]}, ALGORITHM=INPLACE;\n")
    assert checked.returncode != 0 and "is not supported" in checked.stderr, checked.stderr
