"""On random tables with random dependencies and rows that satisfy them, the NRM migration runs
on SQLite and loses nothing: joining the tables it leaves gives back exactly the original rows."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from advisor.design.dependencies import Dependency, candidate_keys, ordered
from advisor.recommend import recommend
from advisor.spec.load import load_spec

NAMES = "abcde"


def _repair(rows: list[list[int]], fds: list[tuple[list[int], list[int]]]) -> bool:
    """Make ``rows`` satisfy ``fds`` (the first row of each left-side value wins); False when
    that does not settle within a few rounds."""
    for _ in range(10):
        changed = False
        for lhs, rhs in fds:
            seen: dict[tuple[int, ...], list[int]] = {}
            for row in rows:
                key = tuple(row[i] for i in lhs)
                if key not in seen:
                    seen[key] = [row[i] for i in rhs]
                    continue
                for i, value in zip(rhs, seen[key], strict=True):
                    if row[i] != value:
                        row[i], changed = value, True
        if not changed:
            return True
    return False


@st.composite
def cases(draw: st.DrawFn) -> tuple[int, list[tuple[list[int], list[int]]], list[list[int]]]:
    width = draw(st.integers(3, 5))
    index = st.integers(0, width - 1)
    fds = draw(
        st.lists(
            st.tuples(
                st.lists(index, min_size=1, max_size=2, unique=True),
                st.lists(index, min_size=1, max_size=2, unique=True),
            ),
            min_size=1,
            max_size=3,
        )
    )
    rows = draw(
        st.lists(st.lists(st.integers(0, 3), min_size=width, max_size=width), min_size=4, max_size=20)
    )
    return width, fds, rows


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cases(), st.booleans())
def test_migration_is_lossless_on_sqlite(
    tmp_path: Path, case: tuple[int, list[tuple[list[int], list[int]]], list[list[int]]], keyed: bool
) -> None:
    width, fds, rows = case
    fds = [(lhs, [i for i in rhs if i not in lhs]) for lhs, rhs in fds]
    fds = [(lhs, rhs) for lhs, rhs in fds if rhs]
    assume(fds and _repair(rows, fds))
    columns = NAMES[:width]
    # Half the tables declare a primary key: the smallest candidate key (checked against brute
    # force in test_dependency_properties).
    dependencies = [Dependency.of((columns[i] for i in lhs), (columns[i] for i in rhs)) for lhs, rhs in fds]
    key = ordered(candidate_keys(columns, dependencies, columns)[0], columns) if keyed else ()
    spec: dict[str, Any] = {
        "dialect": "sqlite",
        "tables": {
            "r": {
                "rows": len(rows),
                "columns": {c: {"type": "integer", "nullable": False} for c in columns},
                **({"primary_key": list(key)} if key else {}),
                "functional_dependencies": [
                    ", ".join(columns[i] for i in lhs) + " -> " + ", ".join(columns[i] for i in rhs)
                    for lhs, rhs in fds
                ],
            }
        },
        "patterns": [{"name": "p", "sql": f"SELECT {columns[0]} FROM r", "per_sec": 1}],
    }
    path = tmp_path / "patterns.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    ddl = [f.ddl for f in recommend(load_spec(path)).findings if f.rule in ("NRM001", "NRM002") and f.ddl]
    assume(ddl)
    db = sqlite3.connect(":memory:")
    primary = f", PRIMARY KEY ({', '.join(key)})" if key else ""
    db.execute(f"CREATE TABLE r ({', '.join(f'{c} INTEGER NOT NULL' for c in columns)}{primary})")
    rows = [list(r) for r in {tuple(r) for r in rows}] if key else rows
    assume(not key or len({tuple(r[columns.index(k)] for k in key) for r in rows}) == len(rows))
    db.executemany(f"INSERT INTO r VALUES ({', '.join('?' for _ in columns)})", rows)
    before = sorted(set(map(tuple, rows)))
    db.executescript(ddl[0])
    tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    joined = " NATURAL JOIN ".join(tables)
    after = sorted(set(db.execute(f"SELECT {', '.join(columns)} FROM {joined}").fetchall()))
    assert after == before, ddl[0]
