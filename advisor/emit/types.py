"""Column types and expressions of the spec's dialect, translated through sqlglot to the target's.

Every type is read as exactly one type of the spec's dialect, then written as a type the target
engine accepts, or refused with the reason (``TypeRefusedError``): the tests create a table of every
type in ``VOCABULARY`` on the real SQLite, PostgreSQL and MariaDB. Names sqlglot does not know
(``citext``, a domain, an enum type of the DDL) are refused: the script would not create them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from advisor.errors import AdvisorError

DT = exp.DataType.Type


class TypeRefusedError(AdvisorError):
    """A type that cannot be written for the target engine; the message says why."""


# Engines without unsigned integers get the signed type that holds every value, except BIGINT
# UNSIGNED: NUMERIC(20) would hold it but makes keys slow, and ids beyond 2^63 do not occur in practice.
_SIGNED = {
    DT.UTINYINT: DT.SMALLINT,
    DT.USMALLINT: DT.INT,
    DT.UMEDIUMINT: DT.INT,
    DT.UINT: DT.BIGINT,
    DT.UBIGINT: DT.BIGINT,
    DT.TINYINT: DT.SMALLINT,
    DT.MEDIUMINT: DT.INT,
    DT.YEAR: DT.SMALLINT,
    DT.UDECIMAL: DT.DECIMAL,
    DT.UDOUBLE: DT.DOUBLE,
}
_SERIAL = {DT.SMALLSERIAL: DT.SMALLINT, DT.SERIAL: DT.INT, DT.BIGSERIAL: DT.BIGINT}
_TEXT_LIKE = {DT.TEXT, DT.MEDIUMTEXT, DT.LONGTEXT, DT.TINYTEXT, DT.BLOB, DT.MEDIUMBLOB, DT.LONGBLOB}
_TEXT_LIKE |= {DT.TINYBLOB, DT.JSON}
_BINARY = {DT.BINARY, DT.VARBINARY, DT.BLOB, DT.TINYBLOB, DT.MEDIUMBLOB, DT.LONGBLOB}
_TEXTS = {DT.TEXT, DT.TINYTEXT, DT.MEDIUMTEXT, DT.LONGTEXT}
_TIMES = {DT.TIME, DT.TIMETZ, DT.TIMESTAMP, DT.TIMESTAMPTZ, DT.DATETIME}
_INTEGERS = {DT.SMALLINT, DT.INT, DT.BIGINT, DT.TINYINT, DT.MEDIUMINT}
_INTEGERS |= {DT.UTINYINT, DT.USMALLINT, DT.UMEDIUMINT, DT.UINT, DT.UBIGINT}
WRITTEN = {
    *_INTEGERS,
    *_SERIAL,
    *_BINARY,
    *_TEXTS,
    *_TIMES,
    DT.DECIMAL,
    DT.UDECIMAL,
    DT.DOUBLE,
    DT.UDOUBLE,
    DT.FLOAT,
    DT.BOOLEAN,
    DT.BIT,
    DT.CHAR,
    DT.NCHAR,
    DT.VARCHAR,
    DT.NVARCHAR,
    DT.DATE,
    DT.YEAR,
    DT.INTERVAL,
    DT.UUID,
    DT.JSON,
    DT.JSONB,
    DT.XML,
    DT.INET,
    DT.MONEY,
    DT.ARRAY,
    DT.ENUM,
    DT.SET,
}
"""The types written for every tested engine (or refused there with the reason)."""

_NAMED = {"cidr", "macaddr", "macaddr8", "tsvector", "year"}
"""Types sqlglot reads as user-defined names, but which the engines know (PostgreSQL's, MySQL's)."""

VOCABULARY = (
    "smallint", "integer", "bigint", "tinyint", "mediumint", "int unsigned", "bigint unsigned",
    "tinyint unsigned", "smallint unsigned", "mediumint unsigned", "tinyint(1)", "int(11)", "serial",
    "bigserial", "smallserial", "numeric", "numeric(12,2)", "decimal(10,2) unsigned", "real",
    "double precision", "float(24)", "double unsigned", "boolean", "bit", "bit(8)", "char(10)",
    "char(300)", "varchar(255)", "varchar(20000)", "varchar", "text", "tinytext", "mediumtext",
    "longtext", "bytea", "blob", "tinyblob", "mediumblob", "longblob", "binary(16)",
    "varbinary(16)", "date", "time", "timetz", "time(3)", "timestamp", "timestamp(3)",
    "timestamptz", "datetime", "datetime(6)", "year", "interval", "uuid", "json", "jsonb", "xml",
    "inet", "cidr", "macaddr", "macaddr8", "money", "tsvector", "int[]", "text[]",
    "enum('a','b')", "set('a','b')", "nchar(5)", "nvarchar(5)",
)  # fmt: skip
"""Spellings of every type family above, for the tests that apply them on the real engines."""

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
    return parse_type(text, dialect).this in _SERIAL


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


def _params(dtype: exp.DataType) -> list[int]:
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
    if dtype.this in _SERIAL:
        return exp.DataType(this=_SERIAL[dtype.this])
    writer = _WRITERS.get(target)
    if writer is None:  # an untested sqlglot dialect: sqlglot's own translation
        return _generic(dtype, target)
    name = _named(dtype)
    if name is None and dtype.this not in WRITTEN:
        raise TypeRefusedError(f"advisor writes no {dtype.sql(source)} column for {_LABEL[target]}")
    if name is not None and name not in _NAMED:
        raise TypeRefusedError(
            f"{text} is not a built-in type (an extension's, a domain or an enum of your DDL), "
            "and the script would not create it"
        )
    return writer(dtype, name)


def _generic(dtype: exp.DataType, target: str) -> exp.DataType:
    kind = dtype.this
    if target != "mysql" and kind in _SIGNED:
        return exp.DataType(this=_SIGNED[kind])
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
    if kind in _SIGNED:
        return _make(_SIGNED[kind], *_params(dtype)) if kind == DT.UDECIMAL else _make(_SIGNED[kind])
    if kind in _INTEGERS:
        return exp.DataType(this=kind)  # a display width (INT(11)) is a syntax error
    if kind in _BINARY:
        return exp.DataType(this=DT.VARBINARY)  # BYTEA, which has no length
    if kind in _TEXTS:
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
        DT.TIMETZ: _make(DT.TIME, *_params(dtype)),
    }
    if kind in simple:
        return simple[kind]
    params = _params(dtype)
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
    if kind in _TIMES and params and params[0] > 6:
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
        params = ", ".join(str(p) for p in _params(dtype))
        return exp.DataType(this=DT.USERDEFINED, kind=f"NUMERIC({params})" if params else "NUMERIC")
    if kind in _SIGNED:
        return exp.DataType(this=_SIGNED[kind])
    if kind in _INTEGERS or kind == DT.BIT:
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
        params = _params(dtype)
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
    if target == "mysql" and dtype.this == DT.JSON:
        return "MySQL cannot index a JSON column"
    if target == "postgres" and dtype.this in (DT.JSON, DT.XML):
        return f"PostgreSQL's {dtype.sql('postgres')} has no B-tree operator class (jsonb has one)"
    return None


def is_text_like(dtype: exp.DataType) -> bool:
    """TEXT, BLOB and JSON types: MySQL indexes them only by a key prefix."""
    return dtype.this in _TEXT_LIKE


def translate(sql: str, source: str, target: str, kind: str = "where") -> exp.Expr:
    """An expression (``kind``: DEFAULT, CHECK or partial-index predicate) of ``source`` for
    ``target``, rebuilt from its tree: text that is not exactly one such expression is refused."""
    tree, problem = _parsed(sql, source, kind)
    if tree is None:
        raise AdvisorError(f"cannot write the {kind} {sql!r} for {target}: {problem}")
    return tree.copy()  # the caller may change it


@lru_cache(maxsize=1024)  # a plan repeats a few partial predicates over many indexes
def _parsed(sql: str, source: str, kind: str) -> tuple[exp.Expr | None, str]:
    from advisor.spec.expressions import parse_expression

    try:
        return parse_expression(sql, source, kind), ""
    except ValueError as exc:
        return None, str(exc)


def default_value(sql: str, source: str, target: str, dtype: exp.DataType | None = None) -> exp.Expr:
    """A DEFAULT: literals and CURRENT_TIMESTAMP as they are, other expressions in parentheses,
    which SQLite and MySQL require of them. On MySQL a TEXT, BLOB or JSON column takes only an
    expression default, so its literal is parenthesised too.

    >>> default_value("now()", "postgres", "sqlite").sql("sqlite")
    'CURRENT_TIMESTAMP'
    >>> default_value("'open'", "mysql", "postgres").sql("postgres")
    "'open'"
    >>> default_value("'{}'", "postgres", "mysql", exp.DataType.build("json")).sql("mysql")
    "('{}')"
    """
    value = translate(sql, source, target, "default")
    plain = (exp.Literal, exp.Null, exp.Boolean, exp.CurrentTimestamp, exp.CurrentDate, exp.CurrentTime)
    if target == "mysql" and dtype is not None and is_text_like(dtype) and not isinstance(value, exp.Null):
        return exp.Paren(this=value)
    if isinstance(value, exp.Neg) and isinstance(value.this, exp.Literal):
        return value
    if isinstance(value, (*plain, exp.Paren)):
        if isinstance(value, exp.CurrentTimestamp) and target != "mysql":
            value.set("this", None)
        return value
    return exp.Paren(this=value)


INT_RANGES = {  # each integer type's smallest and largest value
    DT.TINYINT: (-(2**7), 2**7 - 1),
    DT.UTINYINT: (0, 2**8 - 1),
    DT.SMALLINT: (-(2**15), 2**15 - 1),
    DT.USMALLINT: (0, 2**16 - 1),
    DT.MEDIUMINT: (-(2**23), 2**23 - 1),
    DT.UMEDIUMINT: (0, 2**24 - 1),
    DT.INT: (-(2**31), 2**31 - 1),
    DT.UINT: (0, 2**32 - 1),
    DT.BIGINT: (-(2**63), 2**63 - 1),
    DT.UBIGINT: (0, 2**64 - 1),
    DT.YEAR: (1901, 2155),
}
_NUMBERS = {*INT_RANGES, DT.DECIMAL, DT.UDECIMAL, DT.DOUBLE, DT.UDOUBLE, DT.FLOAT, DT.MONEY, DT.BIT}
_DATE_RE = r"\d{4}-\d{2}-\d{2}"
_TIME_RE = r"\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?"
_FORMATS = {
    DT.DATE: re.compile(f"^{_DATE_RE}$"),
    DT.TIME: re.compile(f"^{_TIME_RE}$"),
    DT.TIMESTAMP: re.compile(f"^{_DATE_RE}([ T]{_TIME_RE})?$"),
    DT.TIMESTAMPTZ: re.compile(f"^{_DATE_RE}([ T]{_TIME_RE})?$"),
    DT.DATETIME: re.compile(f"^{_DATE_RE}([ T]{_TIME_RE})?$"),
}
_CLOCKS = (exp.CurrentTimestamp, exp.CurrentDate, exp.CurrentTime)


def default_problem(value: exp.Expr, dtype: exp.DataType, nullable: bool) -> str | None:
    """Why the engines refuse ``value`` as the DEFAULT of a column of ``dtype`` (its type on the
    target), or ``None``; only constants are judged, other expressions are left to the engine.

    >>> int_ = exp.DataType.build("smallint")
    >>> default_problem(exp.Literal.string("abc"), int_, True), default_problem(exp.Literal.number(99999), int_, True)
    ("'abc' is not a number", '99999 is out of the range of SMALLINT')
    >>> default_problem(exp.Literal.string("2024-02-01"), exp.DataType.build("date"), True) is None
    True
    """
    kind = dtype.this
    if isinstance(value, exp.Null):
        return None if nullable else "NULL cannot be the default of a NOT NULL column"
    if isinstance(value, _CLOCKS):
        ok = kind in (*_TIMES, DT.DATE)
        return None if ok else f"{value.sql()} is no value for a {dtype.sql()} column"
    negative = isinstance(value, exp.Neg)
    literal = value.this if negative else value
    if isinstance(literal, exp.Boolean):
        return None if kind == DT.BOOLEAN else f"{value.sql()} is no value for a {dtype.sql()} column"
    if not isinstance(literal, exp.Literal):
        return None
    text = ("-" if negative else "") + literal.name
    if kind == DT.BOOLEAN:
        return None if not literal.is_string and text in ("0", "1") else f"{value.sql()} is not TRUE or FALSE"
    if kind in _NUMBERS:
        return _number_problem(text, dtype)
    if literal.is_string:
        return _text_problem(text, dtype)
    return None


def _number_problem(text: str, dtype: exp.DataType) -> str | None:
    try:
        number = float(text)
    except ValueError:
        return f"{text!r} is not a number"
    bounds = INT_RANGES.get(dtype.this)
    if bounds is not None:
        if not number.is_integer():
            return f"{text} is not a whole number"
        if not bounds[0] <= int(number) <= bounds[1]:
            return f"{text} is out of the range of {dtype.sql()}"
    params = _params(dtype)
    if dtype.this in (DT.DECIMAL, DT.UDECIMAL) and params:
        whole = params[0] - (params[1] if len(params) > 1 else 0)
        if abs(number) >= 10**whole:
            return f"{text} has more than {whole} digits before the point"
    return None


def _text_problem(text: str, dtype: exp.DataType) -> str | None:
    import ipaddress
    import json
    import uuid

    kind = dtype.this
    params = _params(dtype)
    if kind in (DT.CHAR, DT.NCHAR, DT.VARCHAR, DT.NVARCHAR) and params and len(text) > params[0]:
        return f"{text!r} is longer than {params[0]} characters"
    pattern = _FORMATS.get(kind)
    if pattern is not None and pattern.match(text) is None:
        return f"{text!r} is not a {kind.value.lower()} (write it as 2024-01-31 / 13:45:00)"
    checks: dict[exp.DType, Callable[[str], object]] = {
        DT.UUID: uuid.UUID,
        DT.JSON: json.loads,
        DT.JSONB: json.loads,
        DT.INET: ipaddress.ip_interface,
    }
    check = checks.get(kind)
    if check is not None:
        try:
            check(text)
        except ValueError:
            return f"{text!r} is not a valid {kind.value.lower()}"
    if kind == DT.ENUM and text not in enum_texts(dtype):
        return f"{text!r} is not one of the values {', '.join(enum_texts(dtype))}"
    return None


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
    if target not in ("postgres", "mysql"):
        return None
    decimal = child.this in (DT.DECIMAL, DT.UDECIMAL)
    if child.this == parent.this and (
        target == "postgres" or not decimal or _params(child) == _params(parent)
    ):
        return None
    kinds = {child.this, parent.this}
    if kinds <= _STRINGS or (
        target == "postgres" and (kinds <= _PG_INTEGERS or kinds <= _STRINGS | {DT.TEXT})
    ):
        return None
    engine = _LABEL[target]
    return (
        f"{engine} needs both columns of the same type ({child.sql(target)} references {parent.sql(target)})"
    )
