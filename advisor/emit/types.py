"""Column types and expressions of the spec's dialect, translated through sqlglot to the target's."""

from __future__ import annotations

from sqlglot import exp
from sqlglot.errors import ParseError, TokenError

from advisor.errors import AdvisorError

DT = exp.DataType.Type

# Engines without unsigned integers get the signed type that holds every value, except BIGINT
# UNSIGNED: NUMERIC(20) would hold it but makes keys slow, and ids beyond 2^63 do not occur in practice.
_SIGNED = {
    DT.UTINYINT: DT.SMALLINT,
    DT.USMALLINT: DT.INT,
    DT.UMEDIUMINT: DT.INT,
    DT.UINT: DT.BIGINT,
    DT.UBIGINT: DT.BIGINT,
}
_SERIAL = {DT.SMALLSERIAL: DT.SMALLINT, DT.SERIAL: DT.INT, DT.BIGSERIAL: DT.BIGINT}
_TEXT_LIKE = {DT.TEXT, DT.MEDIUMTEXT, DT.LONGTEXT, DT.TINYTEXT, DT.BLOB, DT.MEDIUMBLOB, DT.LONGBLOB}
_TEXT_LIKE |= {DT.TINYBLOB, DT.JSON}


def parse_type(text: str, dialect: str) -> exp.DataType:
    """The type ``text`` of ``dialect`` as a sqlglot type; an unknown one is an ``AdvisorError``."""
    try:
        # a name sqlglot does not know is a user-defined type (an enum, a domain): kept as written
        return exp.DataType.build(text, dialect=dialect, udt=True)
    except (ParseError, TokenError, ValueError) as exc:
        raise AdvisorError(f"cannot read the column type {text!r}: {exc}") from None


def is_serial(text: str, dialect: str) -> bool:
    """Whether ``text`` is PostgreSQL's SERIAL family (an integer with a sequence behind it)."""
    return parse_type(text, dialect).this in _SERIAL


def target_type(text: str, source: str, target: str) -> exp.DataType:
    """The type to declare on ``target`` for a column of type ``text`` in ``source``.

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
    """
    dtype = parse_type(text, source)
    kind = dtype.this
    if kind in _SERIAL:
        return exp.DataType(this=_SERIAL[kind])
    if target != "mysql" and kind in _SIGNED:
        return exp.DataType(this=_SIGNED[kind])
    if target != "mysql" and dtype.is_type(*exp.DataType.INTEGER_TYPES) and dtype.expressions:
        # MySQL's display width (INT(11), TINYINT(1)) means nothing elsewhere and is a syntax error.
        return exp.DataType(this=kind)
    if target == "mysql" and kind in (DT.VARCHAR, DT.NVARCHAR) and not dtype.expressions:
        return exp.DataType(this=DT.TEXT)
    if target == "sqlite" and kind in (DT.DECIMAL, DT.BIGDECIMAL, DT.MONEY):
        # sqlglot writes REAL, a float; NUMERIC affinity keeps exact values (SQLite's own advice)
        params = ", ".join(e.name for e in dtype.expressions)
        return exp.DataType(this=DT.USERDEFINED, kind=f"NUMERIC({params})" if params else "NUMERIC")
    return dtype


def is_text_like(dtype: exp.DataType) -> bool:
    """TEXT, BLOB and JSON types: MySQL indexes them only by a key prefix."""
    return dtype.this in _TEXT_LIKE


def translate(sql: str, source: str, target: str, kind: str = "where") -> exp.Expr:
    """An expression (``kind``: DEFAULT, CHECK or partial-index predicate) of ``source`` for
    ``target``, rebuilt from its tree: text that is not exactly one such expression is refused."""
    from advisor.spec.expressions import parse_expression

    try:
        return parse_expression(sql, source, kind)
    except ValueError as exc:
        raise AdvisorError(f"cannot write the {kind} {sql!r} for {target}: {exc}") from None


def default_value(sql: str, source: str, target: str) -> exp.Expr:
    """A DEFAULT: literals and CURRENT_TIMESTAMP as they are, other expressions in parentheses,
    which SQLite and MySQL require of them.

    >>> default_value("now()", "postgres", "sqlite").sql("sqlite")
    'CURRENT_TIMESTAMP'
    >>> default_value("'open'", "mysql", "postgres").sql("postgres")
    "'open'"
    """
    value = translate(sql, source, target, "default")
    plain = (exp.Literal, exp.Null, exp.Boolean, exp.CurrentTimestamp, exp.CurrentDate, exp.CurrentTime)
    if isinstance(value, exp.Neg) and isinstance(value.this, exp.Literal):
        return value
    if isinstance(value, (*plain, exp.Paren)):
        if isinstance(value, exp.CurrentTimestamp) and target != "mysql":
            value.set("this", None)
        return value
    return exp.Paren(this=value)
