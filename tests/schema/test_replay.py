"""One replay: recommend's tables and lint's state come from the same operations and the same
:class:`~advisor.schema.state.Schema`, for every front end; renames and drops follow the engines."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.errors import AdvisorError
from advisor.schema.read import existing_schema
from advisor.spec.load import load_ddl
from advisor.spec.model import IndexKey, Table

FRONT_ENDS = ["postgres", "mysql", "sqlite"]


def _tables(tmp_path: Path, ddl: str, dialect: str) -> dict[str, Table]:
    (tmp_path / "schema.sql").write_text(ddl)
    return {t.name.lower(): t for t in load_ddl([tmp_path / "schema.sql"], dialect)}


@pytest.mark.parametrize("dialect", FRONT_ENDS)
def test_dropping_a_column_takes_its_index_key_and_check(tmp_path: Path, dialect: str) -> None:
    tables = _tables(
        tmp_path,
        """
        CREATE TABLE t (id int PRIMARY KEY, a int, b int, CHECK (a > 0), UNIQUE (b));
        CREATE INDEX t_a_b ON t (a, b);
        CREATE INDEX t_id ON t (id);
        ALTER TABLE t DROP COLUMN a;
        ALTER TABLE t DROP COLUMN b;
        """,
        dialect,
    )
    t = tables["t"]
    assert [c.name for c in t.columns] == ["id"]
    assert [ix.name for ix in t.indexes] == ["t_pkey", "t_id"]
    assert t.checks == ()


def test_a_renamed_column_is_renamed_in_predicates_checks_and_references(tmp_path: Path) -> None:
    tables = _tables(
        tmp_path,
        """
        CREATE TABLE users (id int PRIMARY KEY, state text CHECK (state <> ''));
        CREATE TABLE orders (id int PRIMARY KEY, user_id int REFERENCES users (id));
        CREATE INDEX users_live ON users (id) WHERE state = 'live';
        ALTER TABLE users RENAME COLUMN state TO status;
        ALTER TABLE users RENAME COLUMN id TO user_id;
        """,
        "postgres",
    )
    users, orders = tables["users"], tables["orders"]
    live = next(ix for ix in users.indexes if ix.name == "users_live")
    assert (live.keys, live.where) == ((IndexKey("user_id"),), "status = 'live'")
    assert [c.sql for c in users.checks] == ["status <> ''"]
    assert orders.column("user_id").references == ("users", "user_id")  # type: ignore[union-attr]


@pytest.mark.parametrize("dialect", ["postgres", "mysql"])
def test_a_renamed_table_keeps_its_place_its_keys_names_and_the_keys_pointing_at_it(
    tmp_path: Path, dialect: str
) -> None:
    rename = (
        "ALTER TABLE users RENAME TO accounts;"
        if dialect == "postgres"
        else "RENAME TABLE users TO accounts;"
    )
    tables = _tables(
        tmp_path,
        f"""
        CREATE TABLE users (id int PRIMARY KEY);
        CREATE TABLE orders (id int PRIMARY KEY, user_id int REFERENCES users (id));
        {rename}
        """,
        dialect,
    )
    assert list(tables) == ["accounts", "orders"]
    # PostgreSQL keeps a constraint's name when its table is renamed
    assert tables["accounts"].indexes[0].name == "users_pkey"
    assert tables["orders"].column("user_id").references == ("accounts", "id")  # type: ignore[union-attr]


def test_dropping_a_table_drops_the_foreign_keys_to_it(tmp_path: Path) -> None:
    tables = _tables(
        tmp_path,
        """
        CREATE TABLE users (id int PRIMARY KEY);
        CREATE TABLE orders (id int PRIMARY KEY, user_id int REFERENCES users (id));
        DROP TABLE users CASCADE;
        """,
        "postgres",
    )
    assert list(tables) == ["orders"] and tables["orders"].foreign_keys == ()


def test_unnamed_indexes_are_named_as_postgresql_names_them_and_can_be_dropped(tmp_path: Path) -> None:
    tables = _tables(
        tmp_path,
        """
        CREATE TABLE t (a int, b int);
        CREATE INDEX ON t (a);
        CREATE INDEX ON t (a);
        CREATE INDEX ON t (b);
        DROP INDEX t_a_idx;
        """,
        "postgres",
    )
    assert [ix.name for ix in tables["t"].indexes] == ["t_a_idx1", "t_b_idx"]


def test_postgresql_ddl_is_read_by_the_servers_own_parser(tmp_path: Path) -> None:
    """``ON ONLY`` (and anything else PostgreSQL accepts) reads as it does for lint's ``--schema``;
    sqlglot used to refuse it with exit 2."""
    ddl = "CREATE TABLE h (id int PRIMARY KEY, v int);\nCREATE INDEX h_v ON ONLY h (v);\n"
    tables = _tables(tmp_path, ddl, "postgres")
    assert [ix.name for ix in tables["h"].indexes] == ["h_pkey", "h_v"]
    lint_view = existing_schema([tmp_path / "schema.sql"], "postgres").tables["h"]
    assert [ix.name for ix in lint_view.indexes] == [None, "h_v"]


@pytest.mark.parametrize("dialect", FRONT_ENDS)
def test_recommend_and_lint_see_the_same_tables_and_indexes(tmp_path: Path, dialect: str) -> None:
    ddl = """
    CREATE TABLE a (id int PRIMARY KEY, x int, y int);
    CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a (id));
    CREATE INDEX a_x ON a (x);
    CREATE INDEX a_y ON a (y);
    DROP INDEX a_y;
    ALTER TABLE a ADD COLUMN z int;
    """
    if dialect == "mysql":
        ddl = ddl.replace("DROP INDEX a_y;", "DROP INDEX a_y ON a;")
    tables = _tables(tmp_path, ddl, dialect)
    state = existing_schema([tmp_path / "schema.sql"], dialect)
    assert list(tables) == list(state.tables)
    for name, table in tables.items():
        replayed = state.tables[name]
        assert [c.name for c in table.columns] == [c.name for c in replayed.columns.values()]
        declared = [ix.name for ix in table.indexes if ix.origin == "declared"]
        assert declared == [ix.name for ix in replayed.indexes if ix.constraint is None]


def test_quoted_names_keep_their_case_in_the_replayed_schema(tmp_path: Path) -> None:
    """PostgreSQL keeps ``"Orders"`` apart from ``orders`` (its parser folds only unquoted names),
    and so does the replayed schema lint reads; unquoted ``Orders`` is ``orders``."""
    ddl = (
        'CREATE TABLE "Orders" ("Id" int PRIMARY KEY);\n'
        "CREATE TABLE orders (id int PRIMARY KEY);\n"
        "ALTER TABLE Orders ADD COLUMN note text;\n"
        'CREATE INDEX "Orders_Id" ON "Orders" ("Id");\n'
    )
    (tmp_path / "schema.sql").write_text(ddl)
    state = existing_schema([tmp_path / "schema.sql"], "postgres")
    assert list(state.tables) == ["Orders", "orders"]
    assert list(state.tables["Orders"].columns) == ["Id"]
    assert list(state.tables["orders"].columns) == ["id", "note"]
    assert [ix.name or ix.implied_name for ix in state.tables["Orders"].indexes] == [
        "Orders_pkey",
        "Orders_Id",
    ]


def test_recommend_refuses_names_that_differ_only_in_case(tmp_path: Path) -> None:
    """A spec and its patterns name tables without quotes, so two tables that differ only in case
    cannot be told apart: an error naming both, not one table silently replacing the other."""
    (tmp_path / "schema.sql").write_text('CREATE TABLE "Orders" (id int);\nCREATE TABLE orders (id int);\n')
    with pytest.raises(AdvisorError, match="tables 'Orders' and 'orders' differ only in case") as caught:
        load_ddl([tmp_path / "schema.sql"], "postgres")
    assert caught.value.location is not None and caught.value.location.line == 2
    (tmp_path / "schema.sql").write_text('CREATE TABLE t ("Id" int, id int);\n')
    with pytest.raises(AdvisorError, match="columns 'Id' and 'id' differ only in case"):
        load_ddl([tmp_path / "schema.sql"], "postgres")


def test_postgresql_defaults_checks_and_predicates_are_cut_from_the_statement(tmp_path: Path) -> None:
    """PostgreSQL's parse tree says where an expression starts, not where it ends: the text is cut
    with the server's scanner, comments (even ones saying "default") and nesting included."""
    tables = _tables(
        tmp_path,
        """
        CREATE TABLE t (
          id int PRIMARY KEY,
          a int DEFAULT /* the default */ (1 + 2) * 3 NOT NULL CHECK ((a > 0) AND a < 100),
          b text DEFAULT 'x'::text,
          c timestamptz
        );
        ALTER TABLE t ALTER COLUMN c SET DEFAULT /* default */ now() + interval '1 day', ADD COLUMN d int;
        CREATE INDEX t_open ON t (a) WHERE (b <> 'x') AND c IS NOT NULL;
        """,
        "postgres",
    )
    t = tables["t"]
    assert [(c.name, c.default) for c in t.columns] == [
        ("id", None),
        ("a", "(1 + 2) * 3"),
        ("b", "CAST('x' AS TEXT)"),
        ("c", "CURRENT_TIMESTAMP + INTERVAL '1 DAY'"),
        ("d", None),
    ]
    assert [c.sql for c in t.checks] == ["(a > 0) AND a < 100"]
    assert next(ix.where for ix in t.indexes if ix.name == "t_open") == "(b <> 'x') AND c IS NOT NULL"
