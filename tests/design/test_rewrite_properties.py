"""Random conditions and rows on SQLite: a rewritten condition selects exactly the rows the
original does, NULLs included."""

from __future__ import annotations

import sqlite3

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlglot import exp

from advisor.rewrite.queries import keyset, or_to_union
from advisor.rewrite.render import parse, render
from advisor.rewrite.sargable import unwrap

ROWS = st.lists(
    st.tuples(*(st.one_of(st.none(), st.integers(-5, 5)) for _ in range(3))), min_size=0, max_size=25
)
OPS = ["=", "<", "<=", ">", ">="]


def _db(rows: list[tuple[int | None, ...]]) -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (a INTEGER, b INTEGER, c INTEGER)")
    db.executemany("INSERT INTO t VALUES (?, ?, ?)", rows)
    return db


@settings(max_examples=200, deadline=None)
@given(
    ROWS,
    st.sampled_from(["+", "-", "*"]),
    st.integers(-3, 3),
    st.sampled_from(OPS),
    st.integers(-8, 8),
    st.booleans(),
)
def test_arithmetic_moved_off_the_column(
    rows: list[tuple[int | None, ...]], arith: str, k: int, op: str, v: int, flipped: bool
) -> None:
    condition = f"{v} {op} a {arith} {k}" if flipped else f"a {arith} {k} {op} {v}"
    rewritten = unwrap(exp.condition(condition, dialect="sqlite"))
    if rewritten is None:
        assert arith == "*" and k <= 0  # only a non-positive factor is refused
        return
    db = _db(rows)
    original = sorted(db.execute(f"SELECT rowid FROM t WHERE {condition}").fetchall())
    new = sorted(db.execute(f"SELECT rowid FROM t WHERE {render(rewritten, 'sqlite')}").fetchall())
    assert new == original, render(rewritten, "sqlite")


@settings(max_examples=200, deadline=None)
@given(
    ROWS,
    st.lists(
        st.tuples(st.sampled_from("abc"), st.sampled_from(OPS), st.integers(-3, 3)), min_size=2, max_size=3
    ),
    st.sampled_from(["", "c IS NOT NULL AND ", "b > 0 AND "]),
)
def test_or_to_union_returns_the_same_rows(
    rows: list[tuple[int | None, ...]], branches: list[tuple[str, str, int]], prefix: str
) -> None:
    disjunction = " OR ".join(f"{col} {op} {v}" for col, op, v in branches)
    sql = f"SELECT a, b, c FROM t WHERE {prefix}({disjunction})"
    tree = or_to_union(parse(sql, "sqlite"))  # type: ignore[arg-type]
    assert tree is not None
    db = _db(rows)
    assert sorted(db.execute(render(tree, "sqlite")).fetchall(), key=repr) == sorted(
        db.execute(sql).fetchall(), key=repr
    )


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.integers(0, 4), min_size=0, max_size=30),
    st.integers(1, 4),
    st.booleans(),
)
def test_keyset_pages_walk_the_same_rows_as_offset_pages(
    keys: list[int], size: int, descending: bool
) -> None:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, k INTEGER NOT NULL)")
    db.executemany("INSERT INTO t VALUES (?, ?)", list(enumerate(keys)))
    direction = " DESC" if descending else ""
    offset_sql = f"SELECT id, k FROM t ORDER BY k{direction}, id{direction} LIMIT {size} OFFSET 1000"
    tree = keyset(parse(offset_sql, "sqlite"), ["k"], ["id"])  # type: ignore[arg-type]
    assert tree is not None
    walked: list[tuple[int, int]] = db.execute(
        f"SELECT id, k FROM t ORDER BY k{direction}, id{direction} LIMIT {size}"
    ).fetchall()
    page = walked
    while len(page) == size:
        last_id, last_k = page[-1]
        values = {"last_k": last_k, "last_id": last_id}
        bound = tree.copy()
        for placeholder in list(bound.find_all(exp.Placeholder)):
            placeholder.replace(exp.Literal.number(values[placeholder.name]))
        page = db.execute(render(bound, "sqlite")).fetchall()
        walked += page
    assert walked == db.execute(f"SELECT id, k FROM t ORDER BY k{direction}, id{direction}").fetchall()
