"""Index configurations costed by PostgreSQL's planner with HypoPG's hypothetical indexes.

A configuration's cost is the sum of the planner's EXPLAIN (no ANALYZE) total costs over the
patterns, with the configuration's indexes created by ``hypopg_create_index`` beside the real
primary keys; sizes are ``hypopg_relation_size``. A query's cost depends only on the indexes of
the tables it reads, so the planner is asked once per (query, those indexes): the count of such
questions is what a what-if search pays, and what the table reports as planner calls.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlglot
from sqlglot import exp

if TYPE_CHECKING:
    import psycopg


@dataclass(frozen=True, order=True)
class Ix:
    """A B-tree index: key columns with their direction, INCLUDE columns, optional predicate."""

    table: str
    keys: tuple[tuple[str, bool], ...]
    """``(column, descending)``."""
    include: tuple[str, ...] = ()
    where: str | None = None

    @classmethod
    def on(cls, table: str, *columns: str) -> Ix:
        """Ascending keys on ``columns``.

        >>> Ix.on("t", "a", "b").label()
        't (a, b)'
        """
        return cls(table, tuple((c, False) for c in columns))

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(c for c, _ in self.keys)

    def widened(self, column: str) -> Ix:
        """This index with ``column`` appended to its keys."""
        return Ix(self.table, (*self.keys, (column, False)), self.include, self.where)

    def label(self) -> str:
        """``t (a, b DESC) INCLUDE (c) WHERE ...``, as advisor's reports write indexes."""
        text = f"{self.table} ({', '.join(c + (' DESC' if d else '') for c, d in self.keys)})"
        if self.include:
            text += f" INCLUDE ({', '.join(self.include)})"
        return text + (f" WHERE {self.where}" if self.where else "")

    def sql(self) -> str:
        """The unnamed ``CREATE INDEX`` HypoPG takes.

        >>> Ix("t", (("a", True),), ("b",), "c = 1").sql()
        'CREATE INDEX ON t (a DESC) INCLUDE (b) WHERE c = 1'
        """
        return "CREATE INDEX ON " + self.label()


def indexes_in_script(script: str) -> list[tuple[Ix, str]]:
    """Each ``CREATE INDEX`` of a SQL script, in order, as the index it makes and its name
    (CONCURRENTLY and IF NOT EXISTS play no part); other statements are passed over.

    >>> [(ix.label(), name) for ix, name in indexes_in_script(
    ...     "-- two\\nCREATE INDEX CONCURRENTLY IF NOT EXISTS ix ON t(a DESC, b) INCLUDE (c);"
    ...     "CREATE TABLE u (x int); CREATE INDEX ix2 ON u (x) WHERE x > 0;"
    ... )]
    [('t (a DESC, b) INCLUDE (c)', 'ix'), ('u (x) WHERE x > 0', 'ix2')]
    """
    import pglast
    from pglast import ast, enums
    from pglast.stream import RawStream

    out = []
    for raw in pglast.parse_sql(script):
        stmt = raw.stmt
        if not isinstance(stmt, ast.IndexStmt) or stmt.relation is None:
            continue
        keys = tuple((str(e.name), e.ordering == enums.SortByDir.SORTBY_DESC) for e in stmt.indexParams or ())
        include = tuple(str(e.name) for e in stmt.indexIncludingParams or ())
        where = RawStream()(stmt.whereClause) if stmt.whereClause is not None else None
        out.append((Ix(str(stmt.relation.relname), keys, include, where), str(stmt.idxname or "")))
    return out


def redundancy(plan: list[Ix], names: list[str] | None = None) -> list[list[str]]:
    """For each index of ``plan``, what makes it redundant against another of the plan: the same
    keys, or keys that lead the other's (the other serves every lookup it does); and a name
    shared with another statement (``IF NOT EXISTS`` then silently skips it).

    >>> a, b, c = Ix.on("t", "a"), Ix("t", (("a", False),), ("x",)), Ix.on("t", "a", "b")
    >>> redundancy([a, b, c], ["ix_a", "ix_a", "ix_ab"])
    [['same keys as #2', 'keys lead #3', 'name of #2'], ['same keys as #1', 'keys lead #3', 'name of #1'], []]
    """
    out: list[list[str]] = []
    for i, ix in enumerate(plan):
        flags: list[str] = []
        for j, other in enumerate(plan):
            if i == j or other.table != ix.table or other.where != ix.where:
                continue
            if other.columns == ix.columns:
                flags.append(f"same keys as #{j + 1}")
            elif other.columns[: len(ix.columns)] == ix.columns:
                flags.append(f"keys lead #{j + 1}")
        if names is not None:
            flags += [f"name of #{j + 1}" for j, name in enumerate(names) if j != i and name == names[i]]
        out.append(flags)
    return out


def query_columns(sql: str, owner: Mapping[str, str]) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """(predicate columns, all referenced columns) of ``sql`` as ``(table, column)``: predicate
    columns are those in a WHERE or a JOIN's ON, in any block. ``owner`` maps each column name
    to its table (TPC-H's column names are unique across tables).

    >>> owner = {"a_x": "a", "a_y": "a", "b_x": "b"}
    >>> sorted(query_columns("SELECT a_y FROM a JOIN b ON a_x = b_x WHERE a_y > 1", owner)[0])
    [('a', 'a_x'), ('a', 'a_y'), ('b', 'b_x')]
    """
    tree = sqlglot.parse_one(sql, read="postgres")
    predicates: set[tuple[str, str]] = set()
    for clause in [*tree.find_all(exp.Where), *(j.args.get("on") for j in tree.find_all(exp.Join))]:
        if clause is None:
            continue
        predicates |= {(owner[c.name], c.name) for c in clause.find_all(exp.Column) if c.name in owner}
    referenced = {(owner[c.name], c.name) for c in tree.find_all(exp.Column) if c.name in owner}
    return predicates, referenced


def query_tables(sql: str, tables: Iterable[str]) -> frozenset[str]:
    """The tables of ``tables`` that ``sql`` reads (a CTE's name is not one of them).

    >>> sorted(query_tables("WITH r AS (SELECT 1 FROM a) SELECT * FROM r, b", ["a", "b", "c"]))
    ['a', 'b']
    """
    known = set(tables)
    return frozenset(
        t.name for t in sqlglot.parse_one(sql, read="postgres").find_all(exp.Table) if t.name in known
    )


@dataclass
class Planner:
    """EXPLAIN under hypothetical indexes, each (query, relevant indexes) asked once."""

    conn: psycopg.Connection[tuple[Any, ...]]
    queries: Mapping[str, str]
    tables_of: Mapping[str, frozenset[str]]
    """The tables each query reads."""
    memo: dict[tuple[str, frozenset[Ix]], float]
    sizes: dict[Ix, int]
    present: dict[Ix, int]
    """The hypothetical indexes that exist now, with their OIDs."""
    explains: int = 0

    @classmethod
    def start(
        cls,
        conn: psycopg.Connection[tuple[Any, ...]],
        queries: Mapping[str, str],
        tables_of: Mapping[str, frozenset[str]],
    ) -> Planner:
        conn.execute("SELECT hypopg_reset()")
        return cls(conn, queries, tables_of, {}, {}, {})

    def _create(self, ix: Ix) -> int:
        row = self.conn.execute("SELECT indexrelid FROM hypopg_create_index(%s)", (ix.sql(),)).fetchone()
        assert row is not None
        self.present[ix] = int(row[0])
        return int(row[0])

    def sync(self, config: Iterable[Ix]) -> None:
        """Make the hypothetical indexes exactly ``config``."""
        wanted = set(config)
        for ix in [i for i in self.present if i not in wanted]:
            self.conn.execute("SELECT hypopg_drop_index(%s)", (self.present.pop(ix),))
        for ix in sorted(wanted - set(self.present)):
            self._create(ix)

    def size(self, ix: Ix) -> int:
        """HypoPG's size estimate of ``ix``, in bytes."""
        if ix not in self.sizes:
            oid = self.present.get(ix) or self._create(ix)
            row = self.conn.execute("SELECT hypopg_relation_size(%s)", (oid,)).fetchone()
            self.sizes[ix] = int(row[0]) if row is not None else 0
        return self.sizes[ix]

    def key(self, name: str, config: Iterable[Ix]) -> tuple[str, frozenset[Ix]]:
        tables = self.tables_of[name]
        return name, frozenset(ix for ix in config if ix.table in tables)

    def cost(
        self, name: str, config: frozenset[Ix], asked: set[tuple[str, frozenset[Ix]]] | None = None
    ) -> float:
        """The planner's total cost of query ``name`` under ``config``; ``asked`` collects the
        distinct questions a search put, for its count of planner calls."""
        key = self.key(name, config)
        if asked is not None:
            asked.add(key)
        if key not in self.memo:
            self.sync(config)
            row = self.conn.execute("EXPLAIN (FORMAT JSON) " + self.queries[name]).fetchone()
            assert row is not None
            self.memo[key] = float(row[0][0]["Plan"]["Total Cost"])
            self.explains += 1
        return self.memo[key]

    def costs(
        self, config: frozenset[Ix], asked: set[tuple[str, frozenset[Ix]]] | None = None
    ) -> dict[str, float]:
        return {name: self.cost(name, config, asked) for name in self.queries}
