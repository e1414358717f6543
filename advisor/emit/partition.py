"""Range partitioning by time as DDL, built as sqlglot expressions for the dialects that have it.

PostgreSQL gets a new partitioned table (an existing table cannot be turned into one in place)
and its first partitions; MySQL and MariaDB get ``ALTER TABLE ... PARTITION BY RANGE``, which
rebuilds the table. Other dialects get no DDL: the caller says so.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

from sqlglot import exp
from sqlglot.errors import ParseError

from advisor.cost.design import IndexDesign
from advisor.dialects import dialect as facts_of
from advisor.emit.ddl import create_index, to_sql
from advisor.emit.names import column_node, name_node, table_node
from advisor.spec.model import Table


@dataclass(frozen=True)
class Period:
    """A partition's span of time; ``days`` is its nominal length (a month is 30 days)."""

    name: str
    days: int


PERIODS = (Period("year", 365), Period("month", 30), Period("week", 7), Period("day", 1))
"""Coarsest first: partitioning takes the coarsest period whose partitions stay small enough."""


def today() -> date:
    """The current UTC date, or the one ``SOURCE_DATE_EPOCH`` fixes for reproducible output."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC).date()
    return datetime.now(UTC).date()


def period_start(day: date, period: Period) -> date:
    """The first day of the partition holding ``day``.

    >>> period_start(date(2026, 11, 29), PERIODS[1]), period_start(date(2026, 11, 29), PERIODS[2])
    (datetime.date(2026, 11, 1), datetime.date(2026, 11, 23))
    """
    if period.name == "year":
        return day.replace(month=1, day=1)
    if period.name == "month":
        return day.replace(day=1)
    if period.name == "week":
        return day - timedelta(days=day.weekday())
    return day


def next_start(start: date, period: Period) -> date:
    """The first day of the partition after the one starting on ``start``.

    >>> next_start(date(2026, 12, 1), PERIODS[1])
    datetime.date(2027, 1, 1)
    """
    if period.name == "year":
        return start.replace(year=start.year + 1)
    if period.name == "month":
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start + timedelta(days=period.days)


def partition_name(table: str, start: date, period: Period) -> str:
    """``orders_2026_11`` for a month, ``orders_2026_11_23`` for a week or a day, ``orders_2026``."""
    if period.name == "year":
        return f"{table}_{start:%Y}"
    if period.name == "month":
        return f"{table}_{start:%Y_%m}"
    return f"{table}_{start:%Y_%m_%d}"


def bounds(first: date, period: Period, count: int) -> list[tuple[date, date]]:
    """``count`` consecutive partitions from the one holding ``first``."""
    out, start = [], period_start(first, period)
    for _ in range(count):
        end = next_start(start, period)
        out.append((start, end))
        start = end
    return out


def partition_ddl(
    table: Table,
    column: str,
    period: Period,
    dialect: str,
    count: int = 2,
    indexes: Sequence[IndexDesign] = (),
) -> str | None:
    """Statements that partition ``table`` by RANGE on ``column``, with ``count`` partitions from
    today's; ``None`` for a dialect sqlglot cannot express it in. On PostgreSQL the new table
    also gets ``indexes`` (an index on a partitioned table is created on every partition);
    MySQL's ALTER keeps the table's own.

    >>> from advisor.spec.model import Column
    >>> t = Table("events", (Column("id", "bigint", nullable=False), Column("at", "timestamp")),
    ...           primary_key=("id",))
    >>> print(partition_ddl(t, "at", PERIODS[1], "postgres", 1))  # doctest: +ELLIPSIS
    CREATE TABLE events_partitioned (id BIGINT NOT NULL, at TIMESTAMP, PRIMARY KEY (id, at)) PARTITION BY RANGE(at);
    CREATE TABLE events_... PARTITION OF events_partitioned FOR VALUES FROM ('...') TO ('...');
    """
    parts = bounds(today(), period, count)
    partitioning = facts_of(dialect).partitioning
    how = partitioning.how if partitioning is not None else None
    if how == "new_table":
        statements = _postgres(table, column, period, parts, dialect)
        statements += [
            create_index(
                replace(d, table=f"{table.name}_partitioned", name=None, origin="proposed"),
                dialect,
                concurrently=False,  # not supported on a partitioned table; the new table is empty
            )
            for d in partitionable(indexes, column)
        ]
        return "\n".join(to_sql(e, dialect) for e in statements)
    if how == "alter":
        statements = [_mysql(table, column, period, parts)]
        if table.primary_key and column not in table.primary_key:
            statements.insert(0, _mysql_key(table, column))
        return "\n".join(to_sql(e, dialect) for e in statements)
    return None


def _mysql_key(table: Table, column: str) -> exp.Alter:
    """Every unique key of a partitioned InnoDB table must contain the partition column."""
    key = exp.PrimaryKey(expressions=[name_node(c) for c in (*table.primary_key, column)])
    return exp.Alter(
        this=table_node(table.name),
        kind="TABLE",
        actions=[exp.DropPrimaryKey(), exp.AddConstraint(expressions=[key])],
    )


def partitionable(indexes: Sequence[IndexDesign], column: str) -> list[IndexDesign]:
    """The indexes a partitioned table can have: not the primary key (declared with the table),
    and no unique index without the partition column (the engines cannot enforce it).

    >>> from advisor.spec.model import IndexKey
    >>> ix = [IndexDesign("t", (IndexKey("a"),), unique=True), IndexDesign("t", (IndexKey("b"),))]
    >>> [d.columns for d in partitionable(ix, "at")]
    [('b',)]
    """
    return [d for d in indexes if d.origin != "primary_key" and not (d.unique and column not in d.columns)]


def _data_type(sql_type: str, dialect: str) -> exp.DataType:
    try:
        return exp.DataType.build(sql_type, dialect=dialect)
    except (ParseError, ValueError):
        return exp.DataType.build(sql_type, udt=True)


def _postgres(
    table: Table, column: str, period: Period, parts: list[tuple[date, date]], dialect: str
) -> list[exp.Expr]:
    parent = f"{table.name}_partitioned"
    columns: list[exp.Expr] = []
    for col in table.columns:
        constraints = [] if col.nullable else [exp.ColumnConstraint(kind=exp.NotNullColumnConstraint())]
        columns.append(
            exp.ColumnDef(
                this=name_node(col.name),
                kind=_data_type(col.type, dialect),
                constraints=constraints,
            )
        )
    if table.primary_key:
        # a unique key of a partitioned table must contain the partition key
        key = list(table.primary_key) + ([column] if column not in table.primary_key else [])
        columns.append(exp.PrimaryKey(expressions=[name_node(c) for c in key]))
    create = exp.Create(
        this=exp.Schema(this=table_node(parent), expressions=columns),
        kind="TABLE",
        properties=exp.Properties(
            expressions=[
                exp.PartitionedByProperty(this=exp.Anonymous(this="RANGE", expressions=[column_node(column)]))
            ]
        ),
    )
    out: list[exp.Expr] = [create]
    for start, end in parts:
        spec = exp.PartitionBoundSpec(
            from_expressions=[exp.Literal.string(start.isoformat())],
            to_expressions=[exp.Literal.string(end.isoformat())],
        )
        out.append(
            exp.Create(
                this=table_node(partition_name(table.name, start, period)),
                kind="TABLE",
                properties=exp.Properties(
                    expressions=[exp.PartitionedOfProperty(this=table_node(parent), expression=spec)]
                ),
            )
        )
    return out


def _mysql(table: Table, column: str, period: Period, parts: list[tuple[date, date]]) -> exp.Alter:
    col = table.column(column)
    # TO_DAYS takes DATE and DATETIME; a TIMESTAMP column may only be partitioned by UNIX_TIMESTAMP
    func = "UNIX_TIMESTAMP" if col is not None and col.type.startswith("timestamp") else "TO_DAYS"
    ranges = [
        exp.Partition(
            expressions=[
                exp.PartitionRange(
                    this=exp.to_identifier("p" + partition_name("", start, period).lstrip("_")),
                    expressions=[exp.Anonymous(this=func, expressions=[exp.Literal.string(end.isoformat())])],
                )
            ]
        )
        for start, end in parts
    ]
    ranges.append(
        exp.Partition(
            expressions=[
                exp.PartitionRange(this=exp.to_identifier("pmax"), expressions=[exp.var("MAXVALUE")])
            ]
        )
    )
    prop = exp.PartitionByRangeProperty(
        partition_expressions=[exp.Anonymous(this=func, expressions=[column_node(column)])],
        create_expressions=ranges,
    )
    return exp.Alter(this=table_node(table.name), kind="TABLE", actions=[], options=[prop])
