"""Expressions of the spec's dialect (a DEFAULT, a CHECK, a partial index's predicate) written for
the target engine, and the constant defaults an engine would refuse for their column's type. Apart
from :mod:`advisor.emit.types`, which translates the column types these are checked against."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from sqlglot import exp

from advisor.dialects import lookup
from advisor.emit.type_families import DT, INT_RANGES, TIMES
from advisor.emit.types import enum_texts, is_text_like, numeric_params
from advisor.errors import AdvisorError


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
    facts = lookup(target)
    if (
        facts is not None
        and facts.text_default_parens
        and dtype is not None
        and is_text_like(dtype)
        and not isinstance(value, exp.Null)
    ):
        return exp.Paren(this=value)
    if isinstance(value, exp.Neg) and isinstance(value.this, exp.Literal):
        return value
    if isinstance(value, (*plain, exp.Paren)):
        if isinstance(value, exp.CurrentTimestamp) and target != "mysql":
            value.set("this", None)
        return value
    return exp.Paren(this=value)


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
        ok = kind in (*TIMES, DT.DATE)
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
    params = numeric_params(dtype)
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
    params = numeric_params(dtype)
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
