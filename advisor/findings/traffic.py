"""Who reads and writes each table, and how often: what the capacity and integrity rules weigh."""

from __future__ import annotations

from dataclasses import dataclass

from advisor.analysis.shape import PredicateKind, StatementKind
from advisor.rules.context import Context
from advisor.spec.model import FrequencySource

TIME_TYPES = ("timestamp", "timestamptz", "datetime", "date", "datetime2", "datetimeoffset", "smalldatetime")


@dataclass(frozen=True)
class Traffic:
    reads: float
    """Executions per second of the read patterns that touch the table."""
    writes: float
    """Executions per second of the write patterns that target it."""
    rows_written: float
    """Rows inserted, updated or deleted per second (an UPDATE or DELETE counts one row)."""
    append_only: bool
    """It is inserted into, and otherwise only purged of old rows by a time range."""

    @property
    def write_share(self) -> float:
        """Rows written as a share of all operations on the table (reads count one each)."""
        total = self.reads + self.rows_written
        return self.rows_written / total if total else 0.0


def table_traffic(ctx: Context, table: str) -> Traffic:
    reads = writes = rows = 0.0
    in_place = False
    inserts = False
    for pattern in ctx.patterns_on.get(table, ()):
        shape = ctx.shapes[pattern.name]
        if shape.kind.writes and shape.target == table:
            writes += pattern.per_sec
            if shape.kind is StatementKind.INSERT:
                rows += pattern.per_sec * shape.rows_written
                inserts = True
            else:
                # a batched DELETE / UPDATE ... LIMIT n touches n rows; otherwise one is assumed
                rows += pattern.per_sec * (shape.limit or 1)
                in_place = in_place or purge_column(ctx, pattern.name, table) is None
        elif not shape.kind.writes:
            reads += pattern.per_sec
    return Traffic(reads, writes, rows, inserts and not in_place)


def purge_column(ctx: Context, name: str, table: str) -> str | None:
    """The time column by which pattern ``name`` deletes old rows of ``table`` (a retention job:
    ``DELETE ... WHERE created_at < :cutoff``), or ``None`` when it is not such a purge."""
    shape = ctx.shapes[name]
    if shape.kind is not StatementKind.DELETE or shape.target != table:
        return None
    acc = shape.access(table)
    tbl = ctx.models[table].table
    for pred in acc.predicates if acc is not None else ():
        col = tbl.column(pred.column)
        if pred.kind is PredicateKind.RANGE and col is not None and is_time_type(col.type):
            return col.name.lower()
    return None


def rates_known(ctx: Context) -> bool:
    """Whether pattern frequencies are rates; relative ``weight`` s say nothing about load."""
    return all(p.source is not FrequencySource.WEIGHT for p in ctx.spec.patterns)


def is_time_type(sql_type: str) -> bool:
    """Whether a column of ``sql_type`` holds points in time.

    >>> is_time_type("timestamp with time zone"), is_time_type("datetime(6)"), is_time_type("bigint")
    (True, True, False)
    """
    return sql_type.lower().split("(")[0].split()[0] in TIME_TYPES


def equality_columns(ctx: Context, name: str, table: str) -> set[str]:
    """Columns of ``table`` that pattern ``name`` pins to one value: ``=`` or a one-member IN with
    a parameter or literal, and a join column whose partner column is pinned that way
    (``JOIN items i ON i.order_id = o.order_id WHERE o.order_id = :id`` pins ``items.order_id``)."""
    out: set[str] = set()
    for block in ctx.shapes[name].walk():
        own = {
            (acc.table, pred.column)
            for acc in block.accesses
            for pred in acc.predicates
            if pred.kind is PredicateKind.EQ or (pred.kind is PredicateKind.IN and pred.members == 1)
        }
        out |= {col for t, col in own if t == table}
        for edge in block.joins:
            if edge.left_table == table and (edge.right_table, edge.right_column) in own:
                out.add(edge.left_column)
            if edge.right_table == table and (edge.left_table, edge.left_column) in own:
                out.add(edge.right_column)
    return out
