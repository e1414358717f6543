"""``schema:`` DDL import: tables, keys and indexes replayed statement by statement, then ``tables:``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from advisor.schema.files import migration_files, natural_key
from advisor.spec.load import load_ddl, load_spec
from advisor.spec.model import ExactName, IndexKey, Spec, Table

Write = Callable[[str, str], Path]


def _spec(write: Write, ddl: str, yaml: str = "", dialect: str = "postgres") -> Spec:
    write("schema.sql", ddl)
    return load_spec(write("p.yaml", f"dialect: {dialect}\nschema: schema.sql\n{yaml}"))


def _table(spec: Spec, name: str) -> Table:
    table = spec.table(name)
    assert table is not None, name
    return table


POSTGRES = """
BEGIN;
SET search_path = public;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TABLE users (
  user_id bigserial PRIMARY KEY,
  email character varying(255) NOT NULL UNIQUE,
  created_at timestamp with time zone DEFAULT now()
);
CREATE TABLE public.orders (
  order_id bigint NOT NULL,
  user_id bigint NOT NULL REFERENCES users (user_id),
  status varchar(20),
  total numeric(12,2) CHECK (total >= 0),
  created_at timestamp,
  CONSTRAINT orders_pk PRIMARY KEY (order_id),
  UNIQUE (user_id, created_at)
);
CREATE TABLE order_items (
  order_id bigint,
  line_no smallint,
  sku text,
  PRIMARY KEY (order_id, line_no),
  FOREIGN KEY (order_id) REFERENCES orders
);
-- a function body with semicolons inside is one statement
CREATE FUNCTION touch() RETURNS trigger AS $$ BEGIN NEW.created_at = now(); RETURN NEW; END; $$ LANGUAGE plpgsql;
CREATE INDEX orders_user_idx ON orders (user_id, created_at DESC) INCLUDE (total) WHERE status <> 'deleted';
CREATE UNIQUE INDEX CONCURRENTLY ON order_items (sku);
CREATE INDEX orders_lower_status ON orders (lower(status));
CREATE INDEX orders_status_gin ON orders USING gin (status);
INSERT INTO users (email) VALUES ('a@example.com');
COMMENT ON TABLE orders IS 'orders; one per checkout';
GRANT SELECT ON orders TO reporting;
CREATE VIEW recent AS SELECT * FROM orders;
COMMIT;
"""


def test_create_table_columns_and_types(write: Write) -> None:
    orders = _table(_spec(write, POSTGRES), "orders")
    assert [(c.name, c.type, c.nullable) for c in orders.columns] == [
        ("order_id", "bigint", False),
        ("user_id", "bigint", False),
        ("status", "varchar(20)", True),
        ("total", "decimal(12, 2)", True),
        ("created_at", "timestamp", True),
    ]
    assert all(c.line is None for c in orders.columns)


def test_keys_from_ddl(write: Write) -> None:
    spec = _spec(write, POSTGRES)
    users, orders, items = (_table(spec, n) for n in ("users", "orders", "order_items"))
    assert users.primary_key == ("user_id",) and users.columns[0].primary_key
    assert users.column("email") == users.columns[1] and users.columns[1].unique
    assert orders.primary_key == ("order_id",)
    assert orders.columns[1].references == ("users", "user_id")
    assert items.primary_key == ("order_id", "line_no")
    # A foreign key without columns points at the referenced table's primary key.
    assert items.columns[0].references == ("orders", "order_id")
    assert [(i.name, i.origin, i.unique, i.columns) for i in orders.indexes[:2]] == [
        ("orders_pk", "primary_key", True, ("order_id",)),
        ("orders_user_id_created_at_key", "unique", True, ("user_id", "created_at")),
    ]
    assert [(i.name, i.origin) for i in users.indexes] == [
        ("users_pkey", "primary_key"),
        ("users_email_key", "unique"),
    ]


def test_create_index(write: Write) -> None:
    spec = _spec(write, POSTGRES)
    declared = [i for i in _table(spec, "orders").indexes if i.origin == "declared"]
    # The expression index and the GIN index cannot be represented and are left out.
    assert len(declared) == 1
    ix = declared[0]
    assert ix.keys == (IndexKey("user_id"), IndexKey("created_at", descending=True))
    assert (ix.name, ix.include, ix.where, ix.unique) == (
        "orders_user_idx",
        ("total",),
        "status <> 'deleted'",
        False,
    )
    unnamed = _table(spec, "order_items").indexes[-1]
    assert (unnamed.name, unnamed.unique, unnamed.columns) == ("order_items_sku_idx", True, ("sku",))


ALTERATIONS = """
CREATE TABLE users (id int PRIMARY KEY, email text);
CREATE TABLE orders (id int, user_id int, status text, note text);
CREATE INDEX orders_note_idx ON orders (note);
CREATE INDEX orders_open ON orders (user_id) WHERE status = 'open';
ALTER TABLE orders ADD COLUMN total numeric(10,2) NOT NULL, ADD COLUMN tmp int;
ALTER TABLE orders DROP COLUMN note;
ALTER TABLE orders DROP COLUMN IF EXISTS tmp;
ALTER TABLE ONLY orders ADD CONSTRAINT orders_pkey PRIMARY KEY (id);
ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;
ALTER TABLE users ADD CONSTRAINT users_email_uq UNIQUE (email);
ALTER TABLE users RENAME COLUMN id TO user_id;
ALTER TABLE orders RENAME COLUMN status TO state;
ALTER TABLE orders ALTER COLUMN user_id SET NOT NULL;
ALTER TABLE orders ALTER COLUMN user_id TYPE bigint;
ALTER TABLE users RENAME TO accounts;
ALTER TABLE orders OWNER TO app;
CREATE TABLE scratch (x int);
CREATE INDEX scratch_x ON scratch (x);
DROP TABLE scratch, nothing;
CREATE TABLE audit (id int, CONSTRAINT audit_key UNIQUE (id));
ALTER TABLE audit DROP CONSTRAINT audit_key;
CREATE INDEX audit_id ON audit (id);
ALTER INDEX audit_id RENAME TO audit_by_id;
CREATE INDEX audit_gone ON audit (id DESC);
DROP INDEX IF EXISTS audit_gone;
"""


def test_alter_table_and_drops(write: Write) -> None:
    spec = _spec(write, ALTERATIONS)
    assert [t.name for t in spec.tables] == ["accounts", "orders", "audit"]
    orders = _table(spec, "orders")
    assert [(c.name, c.type, c.nullable) for c in orders.columns] == [
        ("id", "int", False),
        ("user_id", "bigint", False),
        ("state", "text", True),
        ("total", "decimal(10, 2)", False),
    ]
    assert orders.primary_key == ("id",)
    # Renames are followed by foreign keys, and partial-index predicates are rewritten.
    assert orders.columns[1].references == ("accounts", "user_id")
    assert [(i.name, i.where) for i in orders.indexes] == [
        ("orders_pkey", None),
        ("orders_open", "state = 'open'"),
    ]
    accounts = _table(spec, "accounts")
    assert accounts.primary_key == ("user_id",)
    assert [(i.name, i.origin) for i in accounts.indexes] == [
        ("users_pkey", "primary_key"),
        ("users_email_uq", "unique"),
    ]
    audit = _table(spec, "audit")
    assert [i.name for i in audit.indexes] == ["audit_by_id"]
    assert not audit.columns[0].unique


def test_tables_enrich_and_override_ddl(write: Write) -> None:
    yaml = """
tables:
  orders:
    rows: 5000
    columns:
      status: { ndv: 3, frequencies: { open: 0.1 } }
      total: { type: "numeric(12,2)" }
      channel: { type: varchar(10), ndv: 4 }
    indexes:
      - { name: orders_user_idx, columns: [user_id] }
  events:
    columns:
      order_id: { type: bigint, references: orders.order_id }
"""
    spec = _spec(write, POSTGRES, yaml)
    orders = _table(spec, "orders")
    assert orders.rows == 5000 and orders.line == 5
    status = orders.column("status")
    assert status is not None and (status.type, status.ndv, status.line) == ("varchar(20)", 3, 8)
    total = orders.column("total")
    assert total is not None and total.type == "numeric(12,2)"
    assert [c.name for c in orders.columns][-1] == "channel"
    replaced = [i for i in orders.indexes if i.name == "orders_user_idx"]
    assert len(replaced) == 1 and replaced[0].columns == ("user_id",) and replaced[0].where is None
    events = _table(spec, "events")
    assert events.columns[0].references == ("orders", "order_id")


def test_tables_primary_key_overrides_ddl(write: Write) -> None:
    spec = _spec(
        write, "CREATE TABLE t (a int PRIMARY KEY, b int);", "tables:\n  t:\n    primary_key: [a, b]\n"
    )
    table = _table(spec, "t")
    assert table.primary_key == ("a", "b") and not table.columns[0].primary_key
    assert (table.indexes[0].name, table.indexes[0].columns) == ("t_pkey", ("a", "b"))


def test_migrations_folder_is_replayed_in_natural_order(write: Write) -> None:
    write("migrations/V1__init.sql", "CREATE TABLE users (id int PRIMARY KEY);")
    write("migrations/V2__email.sql", "ALTER TABLE users ADD COLUMN email text;")
    # V10 must run after V2 (plain string order would run it first and find no email column).
    write("migrations/V10__rename.sql", "ALTER TABLE users RENAME COLUMN email TO mail;")
    write("migrations/V10__rename.down.sql", "DROP TABLE users;")
    write("migrations/U10__rename.sql", "DROP TABLE users;")
    write("migrations/notes.txt", "DROP TABLE users;")
    write(
        "migrations/V11__dbmate_style.sql",
        "-- migrate:up\nALTER TABLE users ADD COLUMN age int;\n\n-- migrate:down\nDROP TABLE users;\n",
    )
    spec = load_spec(write("p.yaml", "schema: migrations\n"))
    assert [c.name for c in _table(spec, "users").columns] == ["id", "mail", "age"]


def test_migration_file_order(tmp_path: Path) -> None:
    for name in ["0010_c.sql", "0002_b.sql", "0001_a.up.sql", "0001_a.down.sql", "README.md"]:
        (tmp_path / name).write_text("")
    assert [p.name for p in migration_files(tmp_path)] == ["0001_a.up.sql", "0002_b.sql", "0010_c.sql"]
    assert sorted(["V1_10__x", "V1_9__y", "v1_2__z"], key=natural_key) == ["v1_2__z", "V1_9__y", "V1_10__x"]


def test_schema_list_of_files_relative_to_yaml(write: Write) -> None:
    write("conf/ddl/a.sql", "CREATE TABLE a (id int);")
    write("conf/ddl/b.sql", "CREATE TABLE b (a_id int REFERENCES a (id));")
    spec = load_spec(write("conf/p.yaml", "schema: [ddl/a.sql, ddl/b.sql]\n"))
    assert [t.name for t in spec.tables] == ["a", "b"]


MYSQL = """
CREATE TABLE `users` (
  `id` int unsigned NOT NULL AUTO_INCREMENT,
  `email` varchar(255) CHARACTER SET utf8mb4 NOT NULL,
  `name` varchar(100),
  `bio` text,
  PRIMARY KEY (`id`),
  UNIQUE KEY `uk_email` (`email`),
  KEY `idx_name` (`name`(20), `id` DESC),
  FULLTEXT KEY `ft_bio` (`bio`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
ALTER TABLE users ADD INDEX idx_email_name (email, name);
ALTER TABLE users MODIFY COLUMN name varchar(200) NOT NULL;
ALTER TABLE users CHANGE COLUMN bio about text;
RENAME TABLE users TO members;
"""


def test_mysql_ddl(write: Write) -> None:
    spec = _spec(write, MYSQL, dialect="mariadb")
    assert spec.dialect == "mysql"
    members = _table(spec, "members")
    assert [(c.name, c.type, c.nullable) for c in members.columns] == [
        ("id", "int unsigned", False),
        ("email", "varchar(255)", False),
        ("name", "varchar(200)", False),
        ("about", "text", True),
    ]
    assert [(i.name, i.origin, i.columns) for i in members.indexes] == [
        ("users_pkey", "primary_key", ("id",)),  # constraint names stay on rename
        ("uk_email", "unique", ("email",)),
        ("idx_name", "declared", ("name", "id")),
        ("idx_email_name", "declared", ("email", "name")),
    ]
    assert members.indexes[2].keys[1].descending


def test_sqlite_ddl(write: Write) -> None:
    ddl = "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, loose, name TEXT UNIQUE);"
    table = _table(_spec(write, ddl, dialect="sqlite"), "t")
    assert [(c.name, c.type, c.primary_key, c.unique) for c in table.columns] == [
        ("id", "integer", True, False),
        ("loose", "text", False, False),
        ("name", "text", False, True),
    ]


def test_load_ddl_without_yaml(write: Write) -> None:
    path = write("schema.sql", "CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE b (id int);\n")
    tables = load_ddl([path], "PostgreSQL")
    assert [(t.name, t.primary_key) for t in tables] == [("a", ("id",)), ("b", ())]


def test_defaults_checks_identity_and_reference_actions(write: Write) -> None:
    spec = _spec(
        write,
        """
        CREATE TABLE a (id bigserial PRIMARY KEY, n int DEFAULT 1, m int GENERATED BY DEFAULT AS IDENTITY);
        CREATE TABLE b (
          id int PRIMARY KEY,
          a_id bigint REFERENCES a (id) ON DELETE CASCADE,
          qty int CHECK (qty > 0),
          note text DEFAULT 'x',
          CONSTRAINT b_note_short CHECK (length(note) < 100)
        );
        ALTER TABLE a ALTER COLUMN n SET DEFAULT 2;
        ALTER TABLE b ALTER COLUMN note DROP DEFAULT;
        ALTER TABLE b RENAME COLUMN qty TO quantity;
        ALTER TABLE b DROP CONSTRAINT b_note_short;
        """,
    )
    a, b = _table(spec, "a"), _table(spec, "b")
    assert [(c.name, c.default, c.identity) for c in a.columns] == [
        ("id", None, False),  # a SERIAL type: its sequence is the type's, not a constraint
        ("n", "2", False),
        ("m", None, True),
    ]
    note = b.column("note")
    assert note is not None and note.default is None
    assert [c.sql for c in b.checks] == ["quantity > 0"]
    assert [(fk.columns, fk.ref_table, fk.on_delete) for fk in b.foreign_keys] == [
        (("a_id",), "a", "CASCADE")
    ]


def test_yaml_references_on_a_ddl_table_are_join_hints_not_constraints(write: Write) -> None:
    spec = _spec(
        write,
        "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (id int PRIMARY KEY, p_id int,"
        " q_id int REFERENCES p (id) ON DELETE SET NULL);",
        "tables:\n  c:\n    columns:\n      p_id: { references: p.id }\n      q_id: { references: p.id }\n",
    )
    by_column = {fk.columns: fk for fk in _table(spec, "c").foreign_keys}
    assert by_column[("p_id",)].constraint is False
    assert by_column[("q_id",)].constraint is True and by_column[("q_id",)].on_delete == "SET NULL"


def test_names_the_engine_keeps_as_spelled_are_exact(write: Write) -> None:
    """On PostgreSQL a quoted name with capitals keeps its spelling (an ``ExactName``), through a
    rename and ``tables:`` statistics; an unquoted one folds to lower case, as the server's parser
    folds it, and a quoted lower-case one stays as it is.
    On MySQL a table name with capitals is kept (its file name), a column name never."""
    ddl = """
    CREATE TABLE "Orders" ("Id" bigint PRIMARY KEY, "Customer Id" bigint, Total numeric, "note" text);
    CREATE TABLE Plain (id bigint);
    ALTER TABLE "Orders" RENAME COLUMN "note" TO "Note";
    CREATE INDEX "Orders_Customer" ON "Orders" ("Customer Id");
    """
    spec = _spec(write, ddl, "tables:\n  orders:\n    rows: 1000\n")
    orders = _table(spec, "orders")
    assert isinstance(orders.name, ExactName) and orders.name == "Orders" and orders.rows == 1000
    exact = {c.name: isinstance(c.name, ExactName) for c in orders.columns}
    assert exact == {"Id": True, "Customer Id": True, "total": False, "Note": True}
    assert orders.primary_key == ("Id",) and isinstance(orders.primary_key[0], ExactName)
    index = next(ix for ix in orders.indexes if ix.origin == "declared")
    assert isinstance(index.name, ExactName) and isinstance(index.keys[0].column, ExactName)
    assert not isinstance(_table(spec, "plain").name, ExactName)

    mysql = _spec(write, "CREATE TABLE `Orders` (`Id` bigint PRIMARY KEY, Total int);", dialect="mysql")
    table = _table(mysql, "orders")
    assert isinstance(table.name, ExactName)
    assert not any(isinstance(c.name, ExactName) for c in table.columns)
