"""The linter's claims, checked on a real PostgreSQL server through psql.

The safe migration set must apply cleanly; the statements the rules call failing must fail; and the
lock each locking rule names must be the lock the server takes (read from pg_locks inside a
transaction that is rolled back). Without a reachable server these tests skip, unless
ADVISOR_REQUIRE_DB=1 (as in CI), which makes them fail instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from advisor.lint.engine import Options, lint
from advisor.schema.source import Source, expand_paths

SAFE = Path(__file__).parent / "migrations" / "safe"
SERVER = ["-h", "127.0.0.1", "-U", "postgres", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1"]


def _psql(database: str, sql: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["psql", *SERVER, "-d", database], input=sql, capture_output=True, text=True, timeout=60, check=False
    )


def _unavailable(reason: str) -> None:
    if os.environ.get("ADVISOR_REQUIRE_DB") == "1":
        pytest.fail(f"PostgreSQL is required (ADVISOR_REQUIRE_DB=1): {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    if shutil.which("psql") is None:
        _unavailable("psql is not installed")
    probe = _psql("test", "SELECT 1;")
    if probe.returncode != 0:
        _unavailable(f"PostgreSQL at 127.0.0.1:5432 is not reachable: {probe.stderr.strip()}")
    name = f"advisor_lint_{uuid.uuid4().hex[:10]}"
    _psql("test", f"CREATE DATABASE {name};")
    try:
        yield name
    finally:
        _psql("test", f"DROP DATABASE IF EXISTS {name} WITH (FORCE);")


BASELINE = """
DROP TABLE IF EXISTS accounts, orders, users, ev CASCADE;
CREATE TABLE accounts (id bigint PRIMARY KEY, email text, balance integer);
INSERT INTO accounts SELECT n, 'user' || n || '@example.com', n FROM generate_series(1, 1000) AS n;
"""


def test_safe_set_lints_clean_and_applies(database: str) -> None:
    files = expand_paths([str(SAFE)])  # migration order, undo files left out
    assert not lint([Source(p.name, p.read_text()) for p in files], Options())
    assert _psql(database, BASELINE).returncode == 0
    for path in files:
        done = _psql(database, path.read_text())
        assert done.returncode == 0, f"{path.name}: {done.stderr}"


@pytest.mark.parametrize(
    ("rule", "sql", "error"),
    [
        (
            "MIG004",
            "BEGIN;\nCREATE INDEX CONCURRENTLY a_email ON accounts (email);\nCOMMIT;",
            "transaction block",
        ),
        ("MIG008", "ALTER TABLE accounts ADD COLUMN region text NOT NULL;", "contains null values"),
        (
            "MIG026",
            "CREATE TABLE ev (id bigint, at date) PARTITION BY RANGE (at);\n"
            "CREATE INDEX CONCURRENTLY ev_id ON ev (id);",
            "cannot create index on partitioned table",
        ),
        (
            "MIG027",
            "DROP TYPE IF EXISTS tier;\nCREATE TYPE tier AS ENUM ('basic');\nBEGIN;\n"
            "ALTER TYPE tier ADD VALUE 'premium';\nSELECT 'premium'::tier;\nCOMMIT;",
            "unsafe use of new value",
        ),
    ],
)
def test_statements_the_rules_call_failing_fail(database: str, rule: str, sql: str, error: str) -> None:
    found = lint([Source("m.sql", sql)], Options())
    assert rule in {f.rule for f in found}
    assert _psql(database, BASELINE).returncode == 0
    done = _psql(database, sql)
    assert done.returncode != 0 and error in done.stderr, done.stderr


LOCKS = [
    ("MIG001", "CREATE INDEX a_email ON accounts (email)", "ShareLock"),
    ("MIG002", "DROP INDEX accounts_pkey_copy", "AccessExclusiveLock"),
    ("MIG003", "REINDEX TABLE accounts", "ShareLock"),
    ("MIG005", "ALTER TABLE accounts ADD CONSTRAINT c CHECK (balance >= 0)", "AccessExclusiveLock"),
    ("MIG007", "ALTER TABLE accounts ADD CONSTRAINT u UNIQUE (email)", "AccessExclusiveLock"),
    ("MIG009", "ALTER TABLE accounts ALTER COLUMN email SET NOT NULL", "AccessExclusiveLock"),
    ("MIG010", "ALTER TABLE accounts ADD COLUMN token uuid DEFAULT gen_random_uuid()", "AccessExclusiveLock"),
    ("MIG011", "ALTER TABLE accounts ALTER COLUMN balance TYPE bigint", "AccessExclusiveLock"),
    ("MIG017", "TRUNCATE accounts", "AccessExclusiveLock"),
    ("MIG018", "CLUSTER accounts USING accounts_pkey", "AccessExclusiveLock"),
    ("MIG018", "ALTER TABLE accounts SET UNLOGGED", "AccessExclusiveLock"),
]


@pytest.mark.parametrize(
    ("rule", "sql", "lock"), LOCKS, ids=[f"{item[0]}-{n}" for n, item in enumerate(LOCKS)]
)
def test_locking_rules_name_the_lock_the_server_takes(database: str, rule: str, sql: str, lock: str) -> None:
    from advisor.catalog import load_catalog

    found = lint([Source("m.sql", sql + ";")], Options())
    assert rule in {f.rule for f in found}
    words = {"ShareLock": "SHARE lock", "AccessExclusiveLock": "ACCESS EXCLUSIVE"}[lock]
    assert words in load_catalog()[rule].why or words in " ".join(f.message for f in found)
    setup = BASELINE + "CREATE INDEX accounts_pkey_copy ON accounts (id);\n"
    assert _psql(database, setup).returncode == 0
    probe = (
        f"BEGIN;\n{sql};\n"
        "SELECT string_agg(DISTINCT mode, ',') FROM pg_locks\n"
        "WHERE pid = pg_backend_pid() AND locktype = 'relation' AND relation = 'accounts'::regclass;\n"
        "ROLLBACK;\n"
    )
    done = _psql(database, probe)
    assert done.returncode == 0, done.stderr
    assert lock in done.stdout.strip().split(","), done.stdout


def test_foreign_key_locks_both_tables_and_not_valid_validation_is_weaker(database: str) -> None:
    setup = (
        BASELINE
        + "CREATE TABLE owners (id bigint PRIMARY KEY);\nALTER TABLE accounts ADD COLUMN owner_id bigint;\n"
    )
    assert _psql(database, setup).returncode == 0
    modes = (
        "SELECT string_agg(c.relname || '=' || l.mode, ',' ORDER BY c.relname, l.mode) FROM pg_locks l\n"
        "JOIN pg_class c ON c.oid = l.relation WHERE l.pid = pg_backend_pid() AND c.relname IN ('accounts', 'owners');\n"
    )
    add = "ALTER TABLE accounts ADD CONSTRAINT fk FOREIGN KEY (owner_id) REFERENCES owners (id)"
    done = _psql(database, f"BEGIN;\n{add};\n{modes}ROLLBACK;\n")
    assert "accounts=ShareRowExclusiveLock" in done.stdout and "owners=ShareRowExclusiveLock" in done.stdout
    assert _psql(database, f"{add} NOT VALID;\n").returncode == 0
    done = _psql(database, f"BEGIN;\nALTER TABLE accounts VALIDATE CONSTRAINT fk;\n{modes}ROLLBACK;\n")
    assert "accounts=ShareUpdateExclusiveLock" in done.stdout, done.stdout
    assert "accounts=ShareRowExclusiveLock" not in done.stdout


def _relfilenode(table: str) -> str:
    return f"SELECT relfilenode FROM pg_class WHERE oid = '{table}'::regclass;\n"


def _rewritten(database: str, setup: str, sql: str, table: str) -> bool:
    """Whether running ``sql`` gave ``table`` a new data file: the server rewrote it."""
    done = _psql(database, setup + _relfilenode(table) + sql + _relfilenode(table))
    assert done.returncode == 0, done.stderr
    before, after = done.stdout.split()[-2:]
    return before != after


ZONES = "CREATE TABLE posts (id bigint PRIMARY KEY, published timestamp);\n" + (
    "INSERT INTO posts SELECT n, now() FROM generate_series(1, 100) AS n;\n"
)


@pytest.mark.parametrize(
    "sql",
    [
        "SET timezone = 'UTC';\nALTER TABLE posts ALTER COLUMN published TYPE timestamptz USING published;\n",
        "SET TIME ZONE 'Etc/UTC';\nALTER TABLE posts ALTER COLUMN published TYPE timestamptz;\n",
        "SET timezone = 'Europe/Paris';\nALTER TABLE posts ALTER COLUMN published TYPE timestamptz;\n",
        "SET timezone = 'UTC';\nALTER TABLE posts ALTER COLUMN published TYPE timestamptz\n"
        "    USING published + interval '1 hour';\n",
        "VACUUM (FULL FALSE) posts;\n",
        "VACUUM (FULL) posts;\n",
    ],
)
def test_rewrite_findings_match_the_data_file_the_server_writes(
    database: str, sql: str, tmp_path: Path
) -> None:
    """MIG011 and MIG018 fire exactly when the server writes a new copy of the table."""
    from advisor.schema.read import existing_schema

    (tmp_path / "schema.sql").write_text(ZONES)
    schema = existing_schema([tmp_path / "schema.sql"], "postgres")
    found = {f.rule for f in lint([Source("m.sql", sql)], Options(), schema)} & {"MIG011", "MIG018"}
    setup = "DROP TABLE IF EXISTS posts;\n" + ZONES
    assert bool(found) == _rewritten(database, setup, sql, "posts"), found


def test_partial_index_where_not_null_serves_the_foreign_key_check(database: str) -> None:
    """The referential check's ``col = $1`` implies ``col IS NOT NULL``: the planner uses the
    partial index for it even in a generic plan, so MIG040 does not fire."""
    setup = (
        "DROP TABLE IF EXISTS notes, parents;\n"
        "CREATE TABLE parents (id bigint PRIMARY KEY);\n"
        "CREATE TABLE notes (id bigint PRIMARY KEY, parent_id bigint REFERENCES parents (id));\n"
        "CREATE INDEX notes_parent_idx ON notes (parent_id) WHERE parent_id IS NOT NULL;\n"
    )
    assert not [f for f in lint([Source("m.sql", setup)], Options()) if f.rule == "MIG040"]
    rows = "INSERT INTO notes SELECT n, NULL FROM generate_series(1, 20000) AS n;\nANALYZE notes;\n"
    probe = (
        "SET plan_cache_mode = force_generic_plan;\n"
        "PREPARE ri (bigint) AS SELECT 1 FROM ONLY notes x WHERE $1 OPERATOR(pg_catalog.=) parent_id "
        "FOR KEY SHARE OF x;\nEXPLAIN (COSTS OFF) EXECUTE ri (1);\n"
    )
    done = _psql(database, setup + rows + probe)
    assert done.returncode == 0, done.stderr
    assert "notes_parent_idx" in done.stdout, done.stdout


def test_compatibility_view_keeps_the_old_name_readable_and_writable(database: str) -> None:
    sql = "ALTER TABLE customers RENAME TO clients;\nCREATE VIEW customers AS SELECT * FROM clients;\n"
    assert not [f for f in lint([Source("m.sql", sql)], Options()) if f.rule == "MIG015"]
    setup = "DROP VIEW IF EXISTS customers;\nDROP TABLE IF EXISTS customers, clients;\n"
    setup += "CREATE TABLE customers (id bigint PRIMARY KEY, name text);\n"
    use = "INSERT INTO customers VALUES (1, 'a');\nUPDATE customers SET name = 'b';\nSELECT name FROM clients;\n"
    done = _psql(database, setup + sql + use)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["b"]


FUNCTIONS = (
    "CREATE OR REPLACE FUNCTION f_inlined() RETURNS text LANGUAGE sql AS $$ SELECT 'x' || now() $$;\n"
    "CREATE OR REPLACE FUNCTION f_from() RETURNS text LANGUAGE sql AS $$ SELECT max(relname) FROM pg_class $$;\n"
    "CREATE OR REPLACE FUNCTION f_random() RETURNS text LANGUAGE sql RETURN random()::text;\n"
    "CREATE OR REPLACE FUNCTION f_plpgsql() RETURNS text LANGUAGE plpgsql AS $$ BEGIN RETURN 'x'; END $$;\n"
    "CREATE OR REPLACE FUNCTION f_stable() RETURNS text LANGUAGE plpgsql STABLE AS $$ BEGIN RETURN 'x'; END $$;\n"
    "CREATE OR REPLACE FUNCTION f_immutable() RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'x' $$;\n"
)
DEFAULTS = ["f_inlined()", "f_from()", "f_random()", "f_plpgsql()", "f_stable()", "f_immutable()"]


@pytest.mark.parametrize("default", [*DEFAULTS, "now()::text", "md5(random()::text)", "'x'"])
def test_volatile_default_finding_matches_the_rewrite(database: str, default: str, tmp_path: Path) -> None:
    """MIG010 fires on a default exactly when the server writes a new copy of the table: a function
    the migration creates without IMMUTABLE or STABLE is VOLATILE, and rewrites it, unless it is a
    SQL function the server inlines into a non-volatile expression."""
    from advisor.schema.read import existing_schema

    (tmp_path / "schema.sql").write_text(ZONES)
    schema = existing_schema([tmp_path / "schema.sql"], "postgres")
    sql = f"ALTER TABLE posts ADD COLUMN code text NOT NULL DEFAULT {default};\n"
    found = [f for f in lint([Source("m.sql", FUNCTIONS + sql)], Options(), schema) if f.rule == "MIG010"]
    setup = "DROP TABLE IF EXISTS posts;\n" + ZONES + FUNCTIONS
    assert bool(found) == _rewritten(database, setup, sql, "posts"), found


VIEWS = [
    "CREATE VIEW v AS SELECT o.id, l.id FROM orders o JOIN lines l ON l.order_id = o.id",
    "CREATE VIEW v AS SELECT count(*), count(DISTINCT o.user_id) FROM orders o",
    "CREATE VIEW v AS SELECT 1, 'a' UNION SELECT 2, 'b'",
    "CREATE VIEW v AS SELECT created_at::date, created_at FROM orders",
    "CREATE MATERIALIZED VIEW v AS SELECT id, user_id AS id FROM orders",
    "CREATE VIEW v AS SELECT created_at::date AS day, created_at, 1::int, 2 FROM orders",
    "CREATE VIEW v (a, b) AS SELECT id, id FROM orders",
    "CREATE VIEW v AS SELECT o.id AS order_id, l.* FROM orders o JOIN lines l ON l.order_id = o.id",
    "CREATE VIEW v AS SELECT lower(note), upper(note), coalesce(note, ''), CASE WHEN true THEN 1 END FROM orders",
    "CREATE VIEW v AS SELECT * FROM orders o JOIN lines l ON l.order_id = o.id",
    "CREATE VIEW v AS SELECT * FROM lines JOIN (SELECT id AS order_id FROM orders) x USING (order_id)",
    "CREATE VIEW v AS SELECT o.*, l.quantity FROM orders o JOIN lines l ON l.order_id = o.id",
]


@pytest.mark.parametrize("sql", VIEWS)
def test_duplicate_view_column_finding_matches_the_server(database: str, sql: str) -> None:
    """MIG044 fires exactly on the views PostgreSQL refuses for a repeated column name."""
    tables = (
        "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, note text, created_at timestamptz);\n"
        "CREATE TABLE lines (id bigint PRIMARY KEY, order_id bigint, quantity int);\n"
    )
    found = [f for f in lint([Source("m.sql", tables + sql + ";")], Options()) if f.rule == "MIG044"]
    setup = (
        "DROP VIEW IF EXISTS v;\nDROP MATERIALIZED VIEW IF EXISTS v;\nDROP TABLE IF EXISTS lines, orders;\n"
    )
    done = _psql(database, setup + tables + sql + ";\n")
    refused = done.returncode != 0
    assert not refused or "specified more than once" in done.stderr, done.stderr
    assert bool(found) == refused, (found, done.stderr)


def test_domain_constraint_locks_every_table_of_the_domain(database: str) -> None:
    """MIG029: ADD CONSTRAINT on a domain holds a SHARE lock on each table using it; NOT VALID does not."""
    add = "ALTER DOMAIN amount ADD CONSTRAINT positive CHECK (VALUE > 0)"
    assert [f.rule for f in lint([Source("m.sql", add + ";")], Options())] == ["MIG029"]
    assert not lint([Source("m.sql", add + " NOT VALID;")], Options())
    setup = (
        "DROP TABLE IF EXISTS pay_a, pay_b;\nDROP DOMAIN IF EXISTS amount;\nCREATE DOMAIN amount AS int;\n"
        "CREATE TABLE pay_a (id int, v amount);\nCREATE TABLE pay_b (id int, w amount);\n"
    )
    modes = (
        "SELECT string_agg(c.relname || '=' || l.mode, ',' ORDER BY c.relname) FROM pg_locks l\n"
        "JOIN pg_class c ON c.oid = l.relation WHERE l.pid = pg_backend_pid() AND c.relname LIKE 'pay_%';\n"
    )
    checked = _psql(database, f"{setup}BEGIN;\n{add};\n{modes}ROLLBACK;\n")
    assert checked.stdout.split() == ["pay_a=ShareLock,pay_b=ShareLock"], checked.stderr
    skipped = _psql(database, f"{setup}BEGIN;\n{add} NOT VALID;\n{modes}ROLLBACK;\n")
    assert skipped.returncode == 0 and skipped.stdout.split() == [], skipped.stdout


def test_json_column_refuses_distinct_union_and_group_by(database: str) -> None:
    sql = "CREATE TABLE docs (id bigint PRIMARY KEY, body json);\n"
    assert [f.rule for f in lint([Source("m.sql", sql)], Options())] == ["MIG035"]
    setup = "DROP TABLE IF EXISTS docs;\n" + sql + "INSERT INTO docs VALUES (1, '{}');\n"
    for query in (
        "SELECT DISTINCT body FROM docs",
        "SELECT body FROM docs UNION SELECT body FROM docs",
        "SELECT body FROM docs GROUP BY body",
    ):
        done = _psql(database, f"{setup}{query};\n")
        assert "could not identify an equality operator for type json" in done.stderr, query


def test_schema_rename_breaks_qualified_names(database: str) -> None:
    sql = "ALTER SCHEMA billing RENAME TO invoicing;\n"
    assert [f.rule for f in lint([Source("m.sql", sql)], Options())] == ["MIG028"]
    setup = "DROP SCHEMA IF EXISTS billing, invoicing CASCADE;\nCREATE SCHEMA billing;\n"
    setup += "CREATE TABLE billing.invoices (id bigint PRIMARY KEY);\n"
    done = _psql(database, setup + sql + "SELECT count(*) FROM billing.invoices;\n")
    assert 'relation "billing.invoices" does not exist' in done.stderr, done.stderr
    _psql(database, "DROP SCHEMA IF EXISTS invoicing CASCADE;\n")
