"""Column types of the spec's dialect, translated through sqlglot to the target's (the expressions
of defaults, checks and predicates are :mod:`advisor.emit.expressions`').

Every type is read as exactly one type of the spec's dialect, then written as a type the target
engine accepts, or refused with the reason (``TypeRefusedError``): the tests create a table of every
type in ``VOCABULARY`` (:mod:`advisor.emit.type_families`) on the real SQLite, PostgreSQL and
MariaDB. Names sqlglot does not know (``citext``, a domain, an enum type of the DDL) are refused:
the script would not create them.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from advisor.dialects import lookup
from advisor.emit.type_families import (
    BINARY,
    DT,
    INTEGERS,
    KNOWN_NAMES,
    SERIAL,
    SIGNED,
    TEXT_LIKE,
    TEXTS,
    TIMES,
    WRITTEN,
)
from advisor.errors import AdvisorError


class TypeRefusedError(AdvisorError):
    """A type that cannot be written for the target engine; the message says why."""


_PLAIN_TYPE = re.compile(r"^\s*[A-Za-z_][A-Za-z0-9_ ]*(\(\s*(\d+|'[^']*')(\s*,\s*(\d+|'[^']*'))*\s*\))?\s*$")


def parse_type(text: str, dialect: str) -> exp.DataType:
    """The one type ``text`` of ``dialect`` names; anything else (words after it, a second
    clause, text no parser reads as a type) is an ``AdvisorError``.

    >>> parse_type("numeric(12,2)", "postgres").sql("postgres"), parse_type("citext", "postgres").sql()
    ('DECIMAL(12, 2)', 'citext')
    >>> parse_type("int); DROP TABLE precious; --", "postgres")
    Traceback (most recent call last):
    advisor.errors.AdvisorError: not one column type: 'int); DROP TABLE precious; --'
    """
    try:
        return sqlglot.parse_one(text, read=dialect, into=exp.DataType)
    except SqlglotError:
        pass
    if _PLAIN_TYPE.match(text) is None:
        raise AdvisorError(f"not one column type: {text!r}")
    try:
        # a name sqlglot does not know is a user-defined type (an enum, a domain): kept as written
        return exp.DataType.build(text, dialect=dialect, udt=True)
    except (SqlglotError, ValueError) as exc:
        raise AdvisorError(f"cannot read the column type {text!r}: {exc}") from None


def is_serial(text: str, dialect: str) -> bool:
    """Whether ``text`` is PostgreSQL's SERIAL family (an integer with a sequence behind it)."""
    return parse_type(text, dialect).this in SERIAL


def enum_values(text: str, dialect: str) -> tuple[str, ...]:
    """The values of an ENUM type (none for any other type).

    >>> enum_values("enum('open','done')", "mysql"), enum_values("text", "mysql")
    (('open', 'done'), ())
    """
    dtype = parse_type(text, dialect)
    return tuple(e.name for e in dtype.expressions) if dtype.this == DT.ENUM else ()


def _named(dtype: exp.DataType) -> str | None:
    """The lower-case name of a user-defined type, without parameters."""
    if dtype.this != DT.USERDEFINED:
        return None
    return str(dtype.args.get("kind") or "").split("(")[0].strip().lower()


def numeric_params(dtype: exp.DataType) -> list[int]:
    """The numeric parameters of a type (``varchar(20)`` -> ``[20]``)."""
    out = []
    for param in dtype.expressions:
        value = param.this if isinstance(param, exp.DataTypeParam) else param
        text = value.name if isinstance(value, exp.Expr) else str(value)
        if text.isdigit():
            out.append(int(text))
    return out


def _make(kind: exp.DType, *params: int) -> exp.DataType:
    return exp.DataType(
        this=kind, expressions=[exp.DataTypeParam(this=exp.Literal.number(p)) for p in params]
    )


def _udt(name: str) -> exp.DataType:
    return exp.DataType(this=DT.USERDEFINED, kind=name)


def target_type(text: str, source: str, target: str) -> exp.DataType:
    """The type to declare on ``target`` for a column of type ``text`` in ``source``; a
    ``TypeRefusedError`` when the engine has none that holds its values.

    >>> target_type("bigint unsigned", "mysql", "postgres").sql("postgres")
    'BIGINT'
    >>> target_type("tinyint(1)", "mysql", "postgres").sql("postgres")
    'SMALLINT'
    >>> target_type("varchar", "postgres", "mysql").sql("mysql")
    'TEXT'
    >>> target_type("bigserial", "postgres", "mysql").sql("mysql")
    'BIGINT'
    >>> target_type("numeric(12,2)", "postgres", "sqlite").sql("sqlite")
    'NUMERIC(12, 2)'
    >>> target_type("jsonb", "postgres", "mysql").sql("mysql"), target_type("bytea", "postgres", "mysql").sql("mysql")
    ('JSON', 'LONGBLOB')
    >>> target_type("interval", "postgres", "mysql")
    Traceback (most recent call last):
    advisor.emit.types.TypeRefusedError: MySQL has no interval type: store a number of seconds (bigint)
    """
    dtype = parse_type(text, source)
    if dtype.this in SERIAL:
        return exp.DataType(this=SERIAL[dtype.this])
    writer = _WRITERS.get(target)
    if writer is None:  # an untested sqlglot dialect: sqlglot's own translation
        return _generic(dtype, target)
    name = _named(dtype)
    if name is None and dtype.this not in WRITTEN:
        raise TypeRefusedError(f"advisor writes no {dtype.sql(source)} column for {_LABEL[target]}")
    if name is not None and name not in KNOWN_NAMES:
        raise TypeRefusedError(
            f"{text} is not a built-in type (an extension's, a domain or an enum of your DDL), "
            "and the script would not create it"
        )
    return writer(dtype, name)


def _generic(dtype: exp.DataType, target: str) -> exp.DataType:
    kind = dtype.this
    if target != "mysql" and kind in SIGNED:
        return exp.DataType(this=SIGNED[kind])
    if target != "mysql" and dtype.is_type(*exp.DataType.INTEGER_TYPES) and dtype.expressions:
        return exp.DataType(this=kind)
    return dtype


def _postgres(dtype: exp.DataType, name: str | None) -> exp.DataType:
    kind = dtype.this
    if name is not None:
        return _make(DT.SMALLINT) if name == "year" else _udt(name)
    if kind == DT.SET:
        return exp.DataType(this=DT.TEXT)  # the chosen values, comma-separated as MySQL shows them
    if kind == DT.ENUM:
        return _make(DT.VARCHAR, max([len(v) for v in enum_texts(dtype)] or [1]))
    if kind in SIGNED:
        return _make(SIGNED[kind], *numeric_params(dtype)) if kind == DT.UDECIMAL else _make(SIGNED[kind])
    if kind in INTEGERS:
        return exp.DataType(this=kind)  # a display width (INT(11)) is a syntax error
    if kind in BINARY:
        return exp.DataType(this=DT.VARBINARY)  # BYTEA, which has no length
    if kind in TEXTS:
        return exp.DataType(this=DT.TEXT)
    if kind in (DT.DOUBLE, DT.FLOAT) and len(dtype.expressions) > 1:
        return exp.DataType(this=kind)
    _lengths(dtype, "PostgreSQL", 10_485_760)
    if kind == DT.ARRAY:
        inner = dtype.expressions[0] if dtype.expressions else None
        if isinstance(inner, exp.DataType) and inner.this in (DT.ARRAY, DT.ENUM, DT.SET):
            raise TypeRefusedError("advisor writes arrays of plain types only")
    return dtype


def _mysql(dtype: exp.DataType, name: str | None) -> exp.DataType:
    kind = dtype.this
    named = {"cidr": _make(DT.VARCHAR, 43), "macaddr": _make(DT.CHAR, 17), "macaddr8": _make(DT.CHAR, 23)}
    if name == "year":
        return exp.DataType(this=DT.YEAR)
    if name in named:
        return named[name]
    if name == "tsvector" or kind == DT.INTERVAL:
        what = "full-text document type" if name else "interval type"
        fix = "a FULLTEXT index on the text column" if name else "store a number of seconds (bigint)"
        raise TypeRefusedError(f"MySQL has no {what}: {fix}")
    simple = {
        DT.JSONB: _make(DT.JSON),
        DT.ARRAY: _make(DT.JSON),
        DT.INET: _make(DT.VARCHAR, 43),
        DT.UUID: _make(DT.CHAR, 36),
        DT.XML: _make(DT.LONGTEXT),
        DT.MONEY: _make(DT.DECIMAL, 19, 4),
        DT.TIMETZ: _make(DT.TIME, *numeric_params(dtype)),
    }
    if kind in simple:
        return simple[kind]
    params = numeric_params(dtype)
    if kind == DT.VARBINARY and not params:
        return _make(DT.LONGBLOB)
    if kind in (DT.CHAR, DT.NCHAR) and params and params[0] > 255:
        return _mysql(_make(DT.VARCHAR, params[0]), None)
    if kind in (DT.VARCHAR, DT.NVARCHAR):
        if not params:
            return _make(DT.TEXT)
        if params[0] > 16_383:  # 65,535 bytes a row, 4 bytes a character in utf8mb4
            return _make(DT.MEDIUMTEXT if params[0] <= 4_194_303 else DT.LONGTEXT)
    if kind in (DT.DOUBLE, DT.UDOUBLE) and len(params) == 1:
        return _make(DT.FLOAT, params[0])  # FLOAT(p) is MySQL's float of p bits; DOUBLE(p) needs a scale
    if kind in (DT.DECIMAL, DT.UDECIMAL) and params and (params[0] > 65 or params[1:2] > [30]):
        raise TypeRefusedError("MySQL's DECIMAL holds at most 65 digits, 30 of them after the point")
    if kind == DT.BIT and params and params[0] > 64:
        raise TypeRefusedError("MySQL's BIT holds at most 64 bits")
    if kind in TIMES and params and params[0] > 6:
        raise TypeRefusedError("MySQL keeps at most 6 digits of a second")
    return dtype


def _sqlite(dtype: exp.DataType, name: str | None) -> exp.DataType:
    kind = dtype.this
    if name is not None:
        return _make(DT.INT) if name == "year" else _make(DT.TEXT)
    if kind == DT.SET:
        return _make(DT.TEXT)  # the chosen values, comma-separated as MySQL shows them
    if kind in (DT.DECIMAL, DT.UDECIMAL, DT.MONEY):
        # sqlglot writes REAL, a float; NUMERIC affinity keeps exact values (SQLite's own advice)
        params = ", ".join(str(p) for p in numeric_params(dtype))
        return exp.DataType(this=DT.USERDEFINED, kind=f"NUMERIC({params})" if params else "NUMERIC")
    if kind in SIGNED:
        return exp.DataType(this=SIGNED[kind])
    if kind in INTEGERS or kind == DT.BIT:
        return _make(DT.INT if kind == DT.BIT else kind)
    texts = {DT.ENUM, DT.ARRAY, DT.JSON, DT.JSONB, DT.UUID, DT.INET, DT.XML, DT.INTERVAL, DT.TIMETZ}
    if kind in texts:
        return _make(DT.TEXT)
    return dtype


def enum_texts(dtype: exp.DataType) -> list[str]:
    return [e.name for e in dtype.expressions]


def _lengths(dtype: exp.DataType, engine: str, most: int) -> None:
    """A character type of length 0, or above the engine's ``most``, is refused."""
    if dtype.this in (DT.CHAR, DT.NCHAR, DT.VARCHAR, DT.NVARCHAR):
        params = numeric_params(dtype)
        if params and not 1 <= params[0] <= most:
            raise TypeRefusedError(f"{engine} takes character lengths from 1 to {most:,}")


_WRITERS: dict[str, Callable[[exp.DataType, str | None], exp.DataType]] = {
    "postgres": _postgres,
    "mysql": _mysql,
    "sqlite": _sqlite,
}
_LABEL = {"postgres": "PostgreSQL", "mysql": "MySQL", "sqlite": "SQLite"}


def unindexable(dtype: exp.DataType, target: str) -> str | None:
    """Why a key or index cannot hold a column of ``dtype`` (a type on ``target``), or ``None``.

    >>> unindexable(target_type("json", "postgres", "mysql"), "mysql")
    'MySQL cannot index a JSON column'
    >>> unindexable(target_type("jsonb", "postgres", "postgres"), "postgres") is None
    True
    """
    facts = lookup(target)
    refused = facts.unindexable if facts is not None else None
    if refused is None or dtype.this.name not in refused.types:
        return None
    return refused.reason.format(label=facts.label if facts else target, type=dtype.sql(target))


def is_text_like(dtype: exp.DataType) -> bool:
    """TEXT, BLOB and JSON types: MySQL indexes them only by a key prefix."""
    return dtype.this in TEXT_LIKE


_STRINGS = {DT.CHAR, DT.NCHAR, DT.VARCHAR, DT.NVARCHAR}
_PG_INTEGERS = {DT.SMALLINT, DT.INT, DT.BIGINT}


def reference_problem(child: exp.DataType, parent: exp.DataType, target: str) -> str | None:
    """Why ``target`` refuses a foreign key from a column of type ``child`` to one of ``parent``
    (both types on ``target``), or ``None``: PostgreSQL needs types it can compare with one B-tree
    operator family, MySQL the same type (strings may differ in length only); SQLite checks none.

    >>> int_, big = exp.DataType.build("int"), exp.DataType.build("bigint")
    >>> reference_problem(int_, big, "postgres") is None, reference_problem(int_, big, "mysql")
    (True, 'MySQL needs both columns of the same type (INT references BIGINT)')
    """
    facts = lookup(target)
    if facts is None or facts.reference_types is None:
        return None
    comparable = facts.reference_types == "comparable"
    decimal = child.this in (DT.DECIMAL, DT.UDECIMAL)
    if child.this == parent.this and (
        comparable or not decimal or numeric_params(child) == numeric_params(parent)
    ):
        return None
    kinds = {child.this, parent.this}
    if kinds <= _STRINGS or (comparable and (kinds <= _PG_INTEGERS or kinds <= _STRINGS | {DT.TEXT})):
        return None
    return f"{facts.label} needs both columns of the same type ({child.sql(target)} references {parent.sql(target)})"
