"""The QRY rewrites return the same rows as the statements they replace, on SQLite (always) and
PostgreSQL and MariaDB (through their clients; skipped without a server, failing under
ADVISOR_REQUIRE_DB=1). NOT IN is the exception by design: with a NULL in the subquery the
original returns nothing and the rewrite returns the intended rows."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import uuid
from collections.abc import Callable, Iterator

import pytest
from sqlglot import exp

from advisor.rewrite.queries import join_lookup, keyset, materialize, not_exists, or_to_union, retype_literals
from advisor.rewrite.render import conjuncts, parse, render, where_of, with_where
from advisor.rewrite.sargable import unwrap

SETUP = """
CREATE TABLE orders (order_id integer PRIMARY KEY, user_id integer, email varchar(50), phone varchar(20),
                     total integer, created_at timestamp NOT NULL);
INSERT INTO orders VALUES
  (1, 10, 'a@x', NULL, 40, '2024-03-01 23:59:59'),
  (2, 10, NULL, '555', 55, '2024-03-02 00:00:00'),
  (3, 20, 'b@x', '555', 60, '2024-03-02 12:30:00'),
  (4, NULL, 'c@x', '777', 35, '2024-03-02 23:59:59.5'),
  (5, 30, 'a@x', NULL, 90, '2024-03-03 00:00:00'),
  (6, 30, NULL, NULL, 10, '2023-12-31 23:00:00');
CREATE TABLE users (user_id integer PRIMARY KEY, referred_by integer);
INSERT INTO users VALUES (10, NULL), (20, 10), (30, 20), (40, 30);
"""

Runner = Callable[[str], list[str]]


def _sqlite() -> Iterator[Runner]:
    db = sqlite3.connect(":memory:")
    db.executescript(SETUP)
    yield lambda sql: sorted("|".join("" if v is None else str(v) for v in row) for row in db.execute(sql))


def _client(base: list[str], create: list[str], drop: list[str], name: str) -> Iterator[Runner]:
    subprocess.run([*create], check=True, capture_output=True)
    try:

        def run(sql: str) -> list[str]:
            out = subprocess.run([*base, name], input=sql, capture_output=True, text=True, timeout=60)
            assert out.returncode == 0, out.stderr
            return sorted(line.replace("\t", "|").replace("NULL", "") for line in out.stdout.splitlines())

        run(SETUP)
        yield run
    finally:
        subprocess.run(drop, capture_output=True)


def _unreachable(what: str) -> None:
    if os.environ.get("ADVISOR_REQUIRE_DB") == "1":
        pytest.fail(f"{what} is not reachable and ADVISOR_REQUIRE_DB=1")
    pytest.skip(f"{what} is not reachable")


@pytest.fixture(params=["sqlite", "postgres", "mysql"])
def engine(request: pytest.FixtureRequest) -> Iterator[tuple[str, Runner]]:
    dialect = request.param
    name = f"advisor_rw_{uuid.uuid4().hex[:8]}"
    if dialect == "sqlite":
        yield from ((dialect, r) for r in _sqlite())
    elif dialect == "postgres":
        base = ["psql", "-X", "-q", "-h", "127.0.0.1", "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-At", "-d"]
        if (
            not shutil.which("psql")
            or subprocess.run([*base, "test", "-c", "SELECT 1"], capture_output=True).returncode
        ):
            _unreachable("PostgreSQL at 127.0.0.1:5432")
        create = [*base, "test", "-c", f"CREATE DATABASE {name}"]
        drop = [*base, "test", "-c", f"DROP DATABASE IF EXISTS {name}"]
        yield from ((dialect, r) for r in _client(base, create, drop, name))
    else:
        base = ["mariadb", "-h", "127.0.0.1", "-P", "3306", "-u", "root", "-N", "-B"]
        if (
            not shutil.which("mariadb")
            or subprocess.run([*base, "-e", "SELECT 1"], capture_output=True).returncode
        ):
            _unreachable("MariaDB at 127.0.0.1:3306")
        create = [*base, "-e", f"CREATE DATABASE {name}"]
        drop = [*base, "-e", f"DROP DATABASE IF EXISTS {name}"]
        yield from ((dialect, r) for r in _client(base, create, drop, name))


def _unwrapped(sql: str, dialect: str) -> str:
    tree = parse(sql, dialect)
    assert tree is not None
    parts = conjuncts(where_of(tree))
    new = [unwrap(p) or p for p in parts]
    assert new != parts, "nothing was rewritten"
    return render(with_where(tree, new), dialect)


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT order_id FROM orders WHERE DATE(created_at) = '2024-03-02'",
        "SELECT order_id FROM orders WHERE DATE(created_at) > '2024-03-01'",
        "SELECT order_id FROM orders WHERE DATE(created_at) <= '2024-03-02'",
        "SELECT order_id FROM orders WHERE YEAR(created_at) = 2024",
        "SELECT order_id FROM orders WHERE total + 10 > 60",
        "SELECT order_id FROM orders WHERE total - 5 <= 50",
        "SELECT order_id FROM orders WHERE total * 2 >= 91",
    ],
)
def test_sargable_rewrites_keep_the_rows(engine: tuple[str, Runner], sql: str) -> None:
    dialect, run = engine
    if "YEAR(" in sql and dialect == "sqlite":
        pytest.skip("SQLite has no YEAR() function")
    original = render(parse(sql, "mysql"), dialect)  # the test SQL is written in MySQL's spelling
    rewritten = _unwrapped(original, dialect)
    assert run(original) == run(rewritten), rewritten
    assert run(original), "the case should return rows"


def test_or_to_union_keeps_rows_and_nulls(engine: tuple[str, Runner]) -> None:
    dialect, run = engine
    sql = "SELECT order_id, email FROM orders WHERE email = 'a@x' OR phone = '555'"
    tree = or_to_union(parse(sql, dialect))  # type: ignore[arg-type]
    assert tree is not None
    assert run(sql) == run(render(tree, dialect))


def test_keyset_page_equals_the_offset_page(engine: tuple[str, Runner]) -> None:
    dialect, run = engine
    base = (
        "SELECT order_id, user_id FROM orders WHERE user_id IS NOT NULL ORDER BY user_id DESC, order_id DESC"
    )
    first_page = run(base + " LIMIT 2")
    tree = keyset(parse(base + " LIMIT 2 OFFSET 2", dialect), ["user_id"], ["order_id"])  # type: ignore[arg-type]
    assert tree is not None
    # The last row of page one, in ORDER BY user_id DESC, order_id DESC.
    ordered = sorted(first_page, key=lambda r: (-int(r.split("|")[1]), -int(r.split("|")[0])))
    last_id, last_user = ordered[-1].split("|")
    bound = tree.transform(
        lambda n: (
            exp.Literal.number(last_user if n.name == "last_user_id" else last_id)
            if isinstance(n, exp.Placeholder)
            else n
        )
    )
    assert run(render(bound, dialect)) == run(base + " LIMIT 2 OFFSET 2")


def test_not_exists_returns_what_not_in_meant(engine: tuple[str, Runner]) -> None:
    dialect, run = engine
    sql = "SELECT user_id FROM users AS u WHERE u.user_id NOT IN (SELECT referred_by FROM users)"
    tree = not_exists(parse(sql, dialect), {"users": {"user_id", "referred_by"}})  # type: ignore[arg-type]
    assert tree is not None
    assert run(sql) == []  # the NULL referred_by of user 10 empties NOT IN
    assert run(render(tree, dialect)) == ["40"]  # nobody was referred by user 40


def test_retyped_literal_matches(engine: tuple[str, Runner]) -> None:
    dialect, run = engine
    sql = "SELECT order_id FROM orders WHERE phone = 555"
    tree = retype_literals(parse(sql, dialect), "phone", numeric=False)  # type: ignore[arg-type]
    assert tree is not None
    assert run(render(tree, dialect)) == ["2", "3"]


def test_materialized_view_serves_the_join(engine: tuple[str, Runner]) -> None:
    dialect, run = engine
    if dialect != "postgres":
        pytest.skip("materialized views are PostgreSQL's")
    sql = (
        "SELECT o.order_id, u.referred_by FROM orders AS o JOIN users AS u ON u.user_id = o.user_id "
        "WHERE o.user_id = :uid"
    )
    view = materialize(parse(sql, dialect), "mv_orders_referrer")  # type: ignore[arg-type]
    assert view is not None
    run(render(view, dialect) + ";")
    bound = sql.replace(":uid", "30")
    assert run("SELECT o_order_id, u_referred_by FROM mv_orders_referrer WHERE o_user_id = 30") == run(bound)
    assert run(bound) == ["5|20", "6|20"]


def test_n_plus_one_join_keeps_every_listed_row(engine: tuple[str, Runner]) -> None:
    dialect, run = engine
    listing = "SELECT o.order_id, o.user_id FROM orders AS o WHERE o.total > 30"
    tree = join_lookup(
        parse(listing, dialect), exp.column("user_id", table="o"), "users", "user_id", ["referred_by"]
    )  # type: ignore[arg-type]
    assert tree is not None
    joined = run(render(tree, dialect))
    # Order 4 has no user: it stays, with an empty referrer, as the per-row lookup would leave it.
    assert joined == ["1|10|", "2|10|", "3|20|10", "4||", "5|30|20"]
    assert [row.rsplit("|", 1)[0] for row in joined] == run(listing)
