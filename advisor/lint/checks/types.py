"""Type and key choices that are cheap to get right in a new column and expensive to change later."""

from __future__ import annotations

import re
from collections.abc import Iterator

from advisor.catalog.fixes import fix_line
from advisor.catalog.model import Severity
from advisor.lint.checks.base import MYSQL, POSTGRES, Hit, LintContext, rule
from advisor.schema.ops import (
    AddColumn,
    AlterColumnType,
    ConstraintKind,
    CreateIndex,
    CreateTable,
    Loc,
    LongIdentifier,
    Op,
    Rename,
    TypeRef,
)

_COLUMN_OPS = (CreateTable, AddColumn, AlterColumnType)


def typed_columns(op: Op) -> Iterator[tuple[str, TypeRef, Loc]]:
    """(column, type, location) for each column a statement defines or retypes."""
    if isinstance(op, CreateTable):
        for column in op.columns:
            if column.type is not None:
                yield column.name, column.type, column.loc
    elif isinstance(op, AddColumn) and op.column.type is not None:
        yield op.column.name, op.column.type, op.column.loc
    elif isinstance(op, AlterColumnType) and op.type is not None:
        yield op.column, op.type, op.loc


def _where(op: Op) -> str:
    table = getattr(op, "table", "")
    return f"{table}." if table else ""


_KEY_LIMITS = {
    "integer": "2,147,483,647",
    "int": "2,147,483,647",
    "serial": "2,147,483,647",
    "integer unsigned": "4,294,967,295",
    "mediumint": "8,388,607",
    "mediumint unsigned": "16,777,215",
    "smallint": "32,767",
    "smallserial": "32,767",
    "smallint unsigned": "65,535",
    "tinyint": "127",
    "tinyint unsigned": "255",
}
"""The last value of each key type narrower than 64 bits."""


@rule("MIG030", CreateTable, AddColumn, dialects=POSTGRES | MYSQL)
def int_primary_key(op: CreateTable | AddColumn, ctx: LintContext) -> Iterator[Hit]:
    columns = op.columns if isinstance(op, CreateTable) else (op.column,)
    keys = {c.name.lower() for c in columns if c.primary_key}
    if isinstance(op, CreateTable):
        for con in op.constraints:
            if con.kind is ConstraintKind.PRIMARY_KEY and len(con.columns) == 1:
                keys.add(con.columns[0].lower())
    for column in columns:
        type_ = column.type
        if column.name.lower() not in keys or type_ is None or type_.name not in _KEY_LIMITS:
            continue
        limit = _KEY_LIMITS[type_.name]
        yield Hit(
            column.loc,
            f"primary key {_where(op)}{column.name} is {type_}: it runs out at {limit}, and widening "
            "it later rewrites the table and every referencing one",
            fix_line("MIG030"),
        )


@rule("MIG031", *_COLUMN_OPS, dialects=POSTGRES, severity=Severity.INFO)
def serial_column(op: Op, ctx: LintContext) -> Iterator[Hit]:
    for name, type_, loc in typed_columns(op):
        if type_.name in ("serial", "bigserial", "smallserial"):
            wanted = "bigint" if type_.name != "smallserial" else "smallint"
            yield Hit(
                loc,
                f"{_where(op)}{name} is {type_.name}: its sequence is a separate object with its own "
                "owner and grants, and plain INSERTs can collide with it",
                f"Use {wanted} GENERATED ALWAYS AS IDENTITY (PostgreSQL 10+).",
            )


@rule("MIG032", *_COLUMN_OPS, dialects=POSTGRES, severity=Severity.INFO)
def varchar_length(op: Op, ctx: LintContext) -> Iterator[Hit]:
    for name, type_, loc in typed_columns(op):
        if type_.name == "varchar" and type_.args:
            yield Hit(
                loc,
                f"{_where(op)}{name} is {type_}: the limit is no faster than text, and raising it "
                "later needs an ALTER TABLE on a live table",
                fix_line("MIG032"),
            )


@rule("MIG033", *_COLUMN_OPS, dialects=POSTGRES)
def char_column(op: Op, ctx: LintContext) -> Iterator[Hit]:
    for name, type_, loc in typed_columns(op):
        if type_.name == "char":
            yield Hit(
                loc,
                f"{_where(op)}{name} is {type_}: values are padded with spaces, which changes "
                "comparisons and lengths, and it is no faster than text",
                fix_line("MIG033"),
            )


@rule("MIG034", *_COLUMN_OPS, dialects=POSTGRES)
def timestamp_without_time_zone(op: Op, ctx: LintContext) -> Iterator[Hit]:
    for name, type_, loc in typed_columns(op):
        if type_.name == "timestamp":
            yield Hit(
                loc,
                f"{_where(op)}{name} is timestamp without time zone: the value does not say which "
                "zone it is in, so clients in other zones read a different instant",
                fix_line("MIG034"),
            )


@rule("MIG035", *_COLUMN_OPS, dialects=POSTGRES)
def json_column(op: Op, ctx: LintContext) -> Iterator[Hit]:
    for name, type_, loc in typed_columns(op):
        if type_.name == "json":
            yield Hit(
                loc,
                f"{_where(op)}{name} is json: it has no equality operator, so SELECT DISTINCT, UNION "
                "and GROUP BY on it fail, it cannot be indexed with GIN, and it is re-parsed on every access",
                fix_line("MIG035"),
            )


_MONEY_NAME = re.compile(r"price|amount|cost|total|balance|fee|salary|money|payment|revenue|tax")
_NOT_MONEY = re.compile(r"rate|ratio|percent|pct|count|weight|score|factor|share")
"""Names that hold a ratio or a count even next to a money word (``tax_rate``, ``total_count``)."""
_FLOATS = {"real", "double precision", "float", "double", "float4", "float8"}


@rule("MIG036", *_COLUMN_OPS)
def money_as_float(op: Op, ctx: LintContext) -> Iterator[Hit]:
    for name, type_, loc in typed_columns(op):
        lowered = name.lower()
        if type_.name in _FLOATS and _MONEY_NAME.search(lowered) and not _NOT_MONEY.search(lowered):
            yield Hit(
                loc,
                f"{_where(op)}{name} holds money in {type_}: binary floating point cannot store "
                "0.10 exactly, so sums drift by fractions of a cent",
                fix_line("MIG036", "floating point"),
            )
        elif type_.name == "money" and ctx.facts.locale_money:
            yield Hit(
                loc,
                f"{_where(op)}{name} is money: its output and parsing follow the server's lc_monetary "
                "locale, and it stores no currency",
                fix_line("MIG036", "money"),
            )


def _names(op: Op) -> Iterator[tuple[str, Loc]]:
    if isinstance(op, CreateTable):
        yield op.table.split(".")[-1], op.loc
        for column in op.columns:
            yield column.name, column.loc
        for con in op.constraints:
            if con.name:
                yield con.name, op.loc
    elif isinstance(op, AddColumn):
        yield op.column.name, op.column.loc
    elif isinstance(op, CreateIndex) and op.name:
        yield op.name, op.loc
    elif isinstance(op, Rename):
        yield op.new, op.loc


@rule(
    "MIG037",
    CreateTable,
    AddColumn,
    CreateIndex,
    Rename,
    LongIdentifier,
    dialects=POSTGRES | MYSQL,
    severity=Severity.ERROR,
)
def identifier_too_long(op: Op, ctx: LintContext) -> Iterator[Hit]:
    facts = ctx.facts
    limit, unit = facts.name_limit, facts.name_unit
    # PostgreSQL's parser has cut long names already; its front end reports them as LongIdentifier
    names = [(op.name, op.loc)] if isinstance(op, LongIdentifier) else list(_names(op))
    for name, loc in names:
        size = len(name.encode("utf-8")) if unit == "bytes" else len(name)
        if size <= limit:
            continue
        effect = (
            f"{facts.label} silently truncates it to {limit} {unit}, so two long names can collide and "
            "later migrations naming it in full miss it"
            if facts.long_names == "truncated"
            else f"{ctx.dialect} rejects it"
        )
        yield Hit(
            loc,
            f"identifier {name} is {size} long, over the limit of {limit}: {effect}",
            f"Choose a name of at most {limit} {unit}.",
        )
