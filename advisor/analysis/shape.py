"""What the analysis stage knows about one access pattern: a typed summary of its SQL.

The cost model and the rules read only these records, never the SQL or the AST.
Table names are the real (lower-cased) table names, aliases already resolved.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class StatementKind(StrEnum):
    SELECT = "select"
    INSERT = "insert"
    UPDATE = "update"
    DELETE = "delete"
    OTHER = "other"

    @property
    def writes(self) -> bool:
        return self in (StatementKind.INSERT, StatementKind.UPDATE, StatementKind.DELETE)


class PredicateKind(StrEnum):
    EQ = "eq"
    """``col = value``; also ``col IS NULL``."""
    IN = "in"
    """``col IN (v1, v2, ...)``; ``members`` counts the list."""
    RANGE = "range"
    """``<``, ``<=``, ``>``, ``>=``, ``BETWEEN``."""
    LIKE_PREFIX = "like_prefix"
    """``col LIKE 'abc%'``: a range scan on a B-tree."""
    NOT_SARGABLE = "not_sargable"
    """A condition on the column an index on it cannot serve: function on the column, ``<>``,
    leading-wildcard ``LIKE``, ``NOT IN``, arithmetic; ``reason`` says which."""


Literal = str | int | float | bool | None


@dataclass(frozen=True)
class Predicate:
    """One conjunct of a WHERE (or ON) clause that restricts a single column of one table."""

    table: str
    column: str
    kind: PredicateKind
    values: tuple[Literal, ...] = ()
    """The literal values compared with, when the SQL spells them out (for ``frequencies``)."""
    parameterized: bool = False
    """Compared with a placeholder (``:uid``, ``$1``, ``?``, ``%(x)s``) or an outer column."""
    members: int = 1
    """Number of members of an IN list (1 for other kinds)."""
    sql: str = ""
    """The conjunct as SQL in the pattern's dialect, column unqualified: usable as a partial
    index's WHERE when the predicate is constant (``status IN ('pending', 'processing')``)."""
    reason: str = ""
    """For ``NOT_SARGABLE``: why, in a few words (``function LOWER() on the column``)."""

    def __hash__(self) -> int:
        # cached: predicates key the cost model's estimate memo, asked on every costing of an
        # index, and the generated method hashes the kind's enum member in Python each time
        known: int | None = self.__dict__.get("_hash")
        if known is None:
            fields = (
                self.table,
                self.column,
                self.kind,
                self.values,
                self.parameterized,
                self.members,
                self.sql,
                self.reason,
            )
            known = self.__dict__["_hash"] = hash(fields)
        return known

    @property
    def constant(self) -> bool:
        """True when the predicate compares with literals only (no placeholder, no column)."""
        return bool(self.values) and not self.parameterized


@dataclass(frozen=True)
class JoinEdge:
    """``left_table.left_column = right_table.right_column`` from a JOIN ... ON or a WHERE."""

    left_table: str
    left_column: str
    right_table: str
    right_column: str


@dataclass(frozen=True)
class ColumnRef:
    table: str
    column: str


@dataclass(frozen=True)
class OrderKey:
    table: str
    column: str
    descending: bool = False


@dataclass(frozen=True)
class TableAccess:
    """One table as one query block uses it."""

    table: str
    alias: str | None
    predicates: tuple[Predicate, ...] = ()
    """Top-level AND-ed conditions on this table's columns only."""
    referenced: frozenset[str] = frozenset()
    """Every column of this table the query block reads anywhere (select list, WHERE, JOIN,
    GROUP BY, ORDER BY, HAVING); for UPDATE also the SET columns' targets are not counted here."""
    projected: frozenset[str] = frozenset()
    """Columns in the select list (or RETURNING)."""
    star: bool = False
    """``SELECT *`` or ``alias.*`` over this table; never in the query of an EXISTS, which reads
    no column."""
    has_or: bool = False
    """An OR in the WHERE mixes this table's columns, so no single index range serves it."""


@dataclass(frozen=True)
class QueryShape:
    """The typed summary of one statement (or one nested query block)."""

    kind: StatementKind
    accesses: tuple[TableAccess, ...] = ()
    joins: tuple[JoinEdge, ...] = ()
    group_by: tuple[ColumnRef, ...] = ()
    order_by: tuple[OrderKey, ...] = ()
    limit: int | None = None
    """The LIMIT when it is a literal number."""
    has_limit: bool = False
    """A LIMIT (or FETCH FIRST / TOP) is present, literal or placeholder."""
    offset: int | None = None
    distinct: bool = False
    target: str | None = None
    """The table written by INSERT / UPDATE / DELETE."""
    set_columns: tuple[str, ...] = ()
    """Columns assigned by UPDATE ... SET (or INSERT's column list)."""
    rows_written: int = 1
    """Rows inserted per execution (multi-row VALUES), 1 otherwise."""
    subqueries: tuple[QueryShape, ...] = ()
    """Nested query blocks (subqueries, CTEs, INSERT ... SELECT), analyzed the same way;
    correlated outer columns appear there as parameterized predicates."""

    def access(self, table: str) -> TableAccess | None:
        for acc in self.accesses:
            if acc.table == table:
                return acc
        return None

    def walk(self) -> tuple[QueryShape, ...]:
        """This block followed by all nested blocks, depth first."""
        out: list[QueryShape] = [self]
        for sub in self.subqueries:
            out.extend(sub.walk())
        return tuple(out)

    def tables(self) -> frozenset[str]:
        """Every table this statement's blocks read (not the one an INSERT writes).

        >>> inner = QueryShape(StatementKind.SELECT, (TableAccess("b", None),))
        >>> sorted(QueryShape(StatementKind.SELECT, (TableAccess("a", None),), subqueries=(inner,)).tables())
        ['a', 'b']
        """
        return frozenset(acc.table for block in self.walk() for acc in block.accesses)
