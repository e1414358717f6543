"""``advisor introspect`` on the real PostgreSQL: a throwaway database with a schema and rows,
ANALYZE, introspect; the spec is recommended on and its DDL builds the schema again in a fresh
database. Without a server these skip (fail under ADVISOR_REQUIRE_DB=1)."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from advisor.errors import AdvisorError
from advisor.introspect.workload import Statement
from advisor.spec.load import load_spec
from tests.cli.conftest import run_advisor
from tests.db.conftest import require

SCHEMA = """
CREATE TYPE order_status AS ENUM ('new', 'paid', 'shipped', 'it''s');
CREATE DOMAIN positive_amount AS numeric(12,2) CHECK (VALUE >= 0);
CREATE TABLE users (
  user_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email text NOT NULL UNIQUE,
  country char(2),
  created_at timestamptz NOT NULL DEFAULT now(),
  "Weird Name" int
);
CREATE TABLE products (
  product_id serial PRIMARY KEY,
  sku varchar(20) NOT NULL CONSTRAINT products_sku_key UNIQUE,
  price positive_amount NOT NULL,
  tags text[]
);
CREATE TABLE orders (
  order_id bigserial PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users ON DELETE CASCADE,
  status order_status NOT NULL DEFAULT 'new',
  total numeric(12,2) NOT NULL CHECK (total >= 0),
  discount numeric(12,2) CHECK (discount >= 0 AND discount <= total),
  note text,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (note <> '')
);
CREATE TABLE order_items (
  order_id bigint NOT NULL REFERENCES orders,
  line int NOT NULL,
  product_id int NOT NULL REFERENCES products ON UPDATE RESTRICT,
  quantity int NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (order_id, line)
);
CREATE TABLE shipments (
  order_id bigint NOT NULL,
  line int NOT NULL,
  shipped_on date,
  total_cents bigint GENERATED ALWAYS AS (42) STORED,
  FOREIGN KEY (order_id, line) REFERENCES order_items
);
CREATE TABLE audit_log (id bigint PRIMARY KEY, said text);
CREATE INDEX orders_user_created ON orders (user_id, created_at DESC) INCLUDE (total);
CREATE INDEX orders_pending ON orders (created_at) WHERE status = 'new';
CREATE INDEX users_lower_email ON users (lower(email));
CREATE INDEX products_tags ON products USING gin (tags);
CREATE UNIQUE INDEX users_country_email ON users (country, email);
INSERT INTO users (email, country, created_at)
  SELECT 'u' || g || '@x.org', (ARRAY['DE', 'FR', 'US', 'US', 'US'])[1 + g % 5], now() - g * interval '1 minute'
  FROM generate_series(1, 5000) g;
INSERT INTO products (sku, price, tags) SELECT 'sku' || g, g % 100, ARRAY['a', 'b'] FROM generate_series(1, 300) g;
INSERT INTO orders (user_id, status, total, note, created_at)
  SELECT 1 + g % 5000, (ARRAY['new', 'paid', 'shipped', 'shipped']::order_status[])[1 + g % 4], g % 1000,
         CASE WHEN g % 10 = 0 THEN 'gift' END, now() - g * interval '10 seconds'
  FROM generate_series(1, 20000) g;
INSERT INTO order_items SELECT o, l, 1 + (o * l) % 300, 1 + l FROM generate_series(1, 20000) o, generate_series(1, 2) l;
"""


def _swap_db(url: str, database: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{database}"))


class Server:
    """Throwaway databases on the test server, all dropped at the end."""

    def __init__(self, url: str) -> None:
        import psycopg

        self.url = url
        self.admin = psycopg.connect(url, autocommit=True)
        self.made: list[str] = []

    def create(self, sql: str = "") -> str:
        import psycopg

        name = f"advisor_introspect_{uuid.uuid4().hex[:10]}"
        self.admin.execute(f"CREATE DATABASE {name}")
        self.made.append(name)
        if sql:
            with psycopg.connect(_swap_db(self.url, name), autocommit=True) as conn:
                conn.execute(sql)  # type: ignore[arg-type]
                conn.execute("VACUUM ANALYZE")
        return name

    def connect(self, name: str) -> Any:
        import psycopg

        return psycopg.connect(_swap_db(self.url, name), autocommit=True)

    def close(self) -> None:
        for name in self.made:
            self.admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        self.admin.close()


@pytest.fixture
def server() -> Iterator[Server]:
    made = Server(require("postgres"))
    try:
        yield made
    finally:
        made.close()


@pytest.fixture
def shop(server: Server) -> str:
    return _swap_db(server.url, server.create(SCHEMA))


def test_round_trip(server: Server, shop: str, tmp_path: Path) -> None:
    out = tmp_path / "spec.yaml"
    done = run_advisor("introspect", shop, "-o", str(out))
    assert done.returncode == 0, done.stderr
    text = out.read_text()
    assert "rows: 20000                         # pg_class.reltuples, analyzed " in text
    assert "all_visible: 1.0                    # relallvisible " in text
    assert "ndv: 5000                       # pg_stats.n_distinct -0.25 x rows" in text
    assert "frequencies: {shipped: 0.5, new: 0.25, paid: 0.25}" in text
    assert "# pg_stats.histogram_bounds (100 buckets)" in text
    assert "correlation: -1.0               # pg_stats.correlation" in text
    assert "type: bigserial                 # bigint GENERATED ALWAYS AS IDENTITY" in text
    assert "type: serial                    # integer DEFAULT nextval(" in text
    assert "type: \"enum('new', 'paid', 'shipped', 'it''s')\"  # enum type order_status" in text
    assert 'type: "numeric(12,2)"           # domain positive_amount' in text
    assert "default: \"'new'\"" in text
    assert 'check: "(discount >= CAST(0 AS DECIMAL)) AND (discount <= total)"' in text
    assert "references: users.user_id       # constraint orders_user_id_fkey" in text
    assert "on_delete: cascade" in text and "on_update: restrict" in text
    assert "unique: true                    # constraint products_sku_key" in text
    assert "where: \"status = 'new'\"" in text
    assert re.search(r"\n        scans: \d+ +# pg_stat_user_indexes\.idx_scan since ", text)
    assert "columns: [user_id, created_at DESC]\n        include: [total]" in text
    assert "columns: [country, email]\n        unique: true" in text
    assert "# index products_tags left out (a gin index" in text
    assert "# index users_lower_email left out (an expression index" in text
    assert (
        "# foreign key shipments_order_id_line_fkey left out: the spec format has no composite references"
        in text
    )
    assert "# generated always as (42) stored: written as a plain column" in text
    # pg_stat_statements is not installed in a fresh database: the note says how to enable it
    assert "pg_stat_statements is not installed in database" in done.stderr
    assert "shared_preload_libraries = 'pg_stat_statements'" in done.stderr
    assert "CREATE EXTENSION pg_stat_statements" in done.stderr
    assert "patterns: []" in text and "# patterns:" in text

    assert run_advisor("recommend", str(out)).returncode == 0
    ddl = run_advisor("ddl", str(out), "--no-concurrently")
    assert ddl.returncode == 0, ddl.stderr
    fresh = server.create()
    with server.connect(fresh) as conn:
        conn.execute(ddl.stdout)
        tables = {r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
        indexes = {r[0] for r in conn.execute("SELECT indexname FROM pg_indexes WHERE schemaname = 'public'")}
    assert tables == {"users", "products", "orders", "order_items", "shipments", "audit_log"}
    assert {"orders_user_created", "orders_pending", "users_country_email"} <= indexes
    # and the rebuilt database introspects to the same schema
    again = run_advisor("introspect", _swap_db(server.url, fresh))
    assert again.returncode == 0, again.stderr
    # (advisor ddl writes the enum as varchar with a CHECK, and names in lower case)
    assert _declarations(again.stdout, tmp_path) == _declarations(text, tmp_path)


def _declarations(text: str, folder: Path) -> dict[str, object]:
    """The schema a spec declares: per table its columns (and whether nullable), primary key,
    foreign keys and indexes; names lower-cased, as advisor ddl writes them."""
    path = folder / f"spec{len(list(folder.iterdir()))}.yaml"
    path.write_text(text)
    out: dict[str, object] = {}
    for table in load_spec(path).tables:
        out[table.name] = (
            [(c.name.lower(), c.nullable, c.unique) for c in table.columns],
            table.primary_key,
            sorted(
                (fk.columns, fk.ref_table, fk.ref_columns, fk.on_delete, fk.on_update)
                for fk in table.foreign_keys
            ),
            sorted((i.name, i.keys, i.include, i.unique, i.where is not None) for i in table.indexes),
        )
    return out


def test_include_exclude_and_schema(server: Server, tmp_path: Path) -> None:
    name = server.create(
        "CREATE TABLE parent (id int PRIMARY KEY); CREATE SCHEMA shop; "
        "CREATE TABLE shop.items (id int PRIMARY KEY, parent_id int REFERENCES public.parent, n int); "
        "CREATE TABLE shop.other (id int PRIMARY KEY, item_id int REFERENCES shop.items); "
        "INSERT INTO shop.items SELECT g, NULL, g % 7 FROM generate_series(1, 1000) g;"
    )
    url = _swap_db(server.url, name)
    done = run_advisor("introspect", url, "--schema", "shop")
    assert done.returncode == 0, done.stderr
    assert "  items:" in done.stdout and "  other:" in done.stdout and "parent:" not in done.stdout
    assert "foreign key items_parent_id_fkey left out: it references another schema's" in done.stdout
    assert "ndv: 7 " in done.stdout
    done = run_advisor("introspect", url, "--schema", "shop", "--exclude", "it*")
    assert "  items:" not in done.stdout
    assert (
        "foreign key other_item_id_fkey left out: it references a table left out by --include" in done.stdout
    )
    done = run_advisor("introspect", url, "--schema", "nope")
    assert (
        done.returncode == 2
        and done.stderr == f"advisor: error: --schema: database {name} has no schema 'nope'\n"
    )


def test_installed_but_not_loaded(server: Server) -> None:
    name = server.create("CREATE TABLE t (id int PRIMARY KEY)")
    with server.connect(name) as conn:
        loaded = "pg_stat_statements" in str(conn.execute("SHOW shared_preload_libraries").fetchone())
        try:
            conn.execute("CREATE EXTENSION pg_stat_statements")
        except Exception as exc:
            pytest.skip(f"the pg_stat_statements extension is not available on this server: {exc}")
    if loaded:
        pytest.skip("pg_stat_statements is loaded on this server: test_workload covers it")
    done = run_advisor("introspect", _swap_db(server.url, name))
    assert done.returncode == 0, done.stderr
    assert "pg_stat_statements is installed but not loaded" in done.stderr
    assert "CREATE EXTENSION" not in done.stderr
    assert "patterns: []" in done.stdout


def test_workload(server: Server) -> None:
    name = server.create(
        "CREATE TABLE t (id int PRIMARY KEY, a int); INSERT INTO t SELECT g, g % 10 FROM generate_series(1, 100) g"
    )
    with server.connect(name) as conn:
        preload = str(conn.execute("SHOW shared_preload_libraries").fetchone())
        if "pg_stat_statements" not in preload:
            reason = (
                "pg_stat_statements is not in shared_preload_libraries on this server (it needs a restart; "
                ".ci/run sets it); tests/introspect/test_workload.py covers the reader"
            )
            if os.environ.get("ADVISOR_REQUIRE_DB") == "1":
                pytest.fail(reason)
            pytest.skip(reason)
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        conn.execute("SELECT pg_stat_statements_reset()")
        for n in range(20):
            conn.execute("SELECT id FROM t WHERE a = %s", (n,))
    done = run_advisor("introspect", _swap_db(server.url, name))
    assert done.returncode == 0, done.stderr
    patterns = yaml.safe_load(done.stdout)["patterns"]
    recorded = [p for p in patterns if p["sql"] == "SELECT id FROM t WHERE a = $1"]
    assert recorded and recorded[0]["per_sec"] > 0, patterns
    # marked as recorded: a statement the analysis cannot read is then a finding, not an error
    assert recorded[0]["origin"] == "pg_stat_statements"


def test_unreachable_and_bad_credentials_are_one_line_without_the_password() -> None:
    from urllib.parse import urlsplit

    server = urlsplit(require("postgres"))
    where = f"{server.hostname}:{server.port or 5432}"
    for bad in (
        f"postgresql://postgres:s3cret-pw@{server.hostname}:1/test",
        f"postgresql://nobody_at_all:s3cret-pw@{where}/test",
        f"postgresql://postgres:s3cret-pw@{where}/no_such_database_here",
    ):
        done = run_advisor("introspect", bad)
        assert done.returncode == 2
        assert done.stderr.startswith("advisor: error: cannot connect to PostgreSQL at postgresql://")
        assert (
            done.stderr.count("\n") == 1 and "s3cret-pw" not in done.stderr and "Traceback" not in done.stderr
        )


def test_missing_privilege_is_one_line(server: Server) -> None:
    name = server.create("CREATE TABLE t (id int PRIMARY KEY)")
    role = f"advisor_introspect_{uuid.uuid4().hex[:8]}"
    server.admin.execute(f"CREATE ROLE {role} LOGIN")
    try:
        server.admin.execute(f"REVOKE CONNECT ON DATABASE {name} FROM PUBLIC")
        url = _swap_db(server.url, name).replace("postgres@", f"{role}@", 1)
        if role not in url:
            pytest.skip("ADVISOR_TEST_POSTGRES_URL does not name the user as postgres@")
        done = run_advisor("introspect", url)
        assert done.returncode == 2
        assert "permission denied for database" in done.stderr and done.stderr.count("\n") == 1
    finally:
        server.admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        server.admin.execute(f"DROP ROLE IF EXISTS {role}")


def test_the_transaction_is_read_only(server: Server, shop: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever the reader sent, the server would refuse a write: the transaction is READ ONLY."""
    from advisor.engines.url import parse_db_url
    from advisor.introspect import postgres
    from advisor.introspect.model import Options
    from advisor.introspect.postgres import introspect_postgres

    def write(self: Any) -> Any:
        self.conn.execute("INSERT INTO audit_log VALUES (1, 'written')")
        raise AssertionError("the write went through")

    monkeypatch.setattr(postgres._Reader, "read", write)
    with pytest.raises(AdvisorError, match="read-only transaction"):
        introspect_postgres(parse_db_url(shop), Options())
    with server.connect(shop.rsplit("/", 1)[1]) as conn:
        assert conn.execute("SELECT count(*) FROM audit_log").fetchone() == (0,)


def test_the_workload_queries_run_on_the_server(server: Server) -> None:
    """The pg_stat_statements queries, on stand-ins of its two views (the extension cannot be
    loaded without a restart here): this database's rows only, summed over roles, and the time
    since the statistics were reset."""
    from advisor.introspect.model import Options
    from advisor.introspect.postgres import _Reader, read_only
    from advisor.introspect.postgres_workload import read_statements, window

    name = server.create(
        "CREATE TABLE t (id int PRIMARY KEY, a int); CREATE SCHEMA fake; "
        "CREATE TABLE fake.pg_stat_statements (userid oid, dbid oid, queryid int8, query text, calls int8); "
        "INSERT INTO fake.pg_stat_statements SELECT r, d.oid, 7, 'SELECT id FROM t WHERE a = $1', 10 * r "
        "  FROM pg_database d, generate_series(1, 2) r WHERE d.datname = current_database(); "
        "INSERT INTO fake.pg_stat_statements VALUES (1, 0, 8, 'SELECT 1 FROM elsewhere', 99); "
        "CREATE TABLE fake.pg_stat_statements_info (dealloc int8, stats_reset timestamptz); "
        "INSERT INTO fake.pg_stat_statements_info VALUES (0, now() - interval '1 hour')"
    )
    with server.connect(name) as conn, read_only(conn):
        reader = _Reader(conn, Options())
        assert read_statements(reader.fetch, '"fake"') == [Statement("SELECT id FROM t WHERE a = $1", 30, 7)]
        seconds = window(conn, reader.fetch, '"fake"')
        assert seconds is not None and 3590 < seconds < 3700


def test_a_recorded_workload_is_advised_on(shop: str, tmp_path: Path) -> None:
    """The introspected schema with patterns as pg_stat_statements records them ($1 parameters,
    calls since the reset): recommend reads the spec and proposes an index for the hot lookup."""
    from dataclasses import replace

    from advisor.engines.url import parse_db_url
    from advisor.introspect.model import Options
    from advisor.introspect.postgres import introspect_postgres
    from advisor.introspect.run import spec_text
    from advisor.introspect.workload import read_workload

    catalog = introspect_postgres(parse_db_url(shop), Options())
    schema = {t.name: {c.name.lower() for c in t.columns} for t in catalog.tables}
    rows = [
        Statement(
            "SELECT order_id, note FROM orders WHERE total = $1 ORDER BY created_at DESC LIMIT $2", 360000, 1
        ),
        Statement("SELECT email FROM users WHERE user_id = $1", 720000, 2),
        Statement("UPDATE orders SET status = $1 WHERE order_id = $2", 3600, 3),
        Statement("COMMIT", 900000, 4),
    ]
    workload = read_workload(rows, 3600.0, schema)
    path = tmp_path / "spec.yaml"
    path.write_text(spec_text(replace(catalog, patterns=workload.patterns)))
    done = run_advisor("recommend", str(path))
    assert done.returncode == 0, done.stderr
    assert "create  orders (total" in done.stdout


def test_progress_names_each_stage(shop: str) -> None:
    from advisor.introspect.model import Options
    from advisor.introspect.run import introspect

    stages: list[str] = []
    introspect(shop, Options(progress=stages.append))
    assert stages[0].startswith("reading the columns of ") and stages[0].endswith(" tables")
    assert stages[1:] == [
        "reading constraints and indexes",
        "reading statistics (pg_stats)",
        "reading the workload (pg_stat_statements)",
    ]
