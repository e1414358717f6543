"""The tables the type translation sorts by: sqlglot's type kinds grouped into families (signed
and unsigned integers, serials, texts, binaries, times), the kinds advisor writes for every tested
engine, the spellings the tests apply on the real engines, and each integer type's range. Kept
apart from the translation (:mod:`advisor.emit.types`) and the checks of defaults
(:mod:`advisor.emit.expressions`), which both read them."""

from __future__ import annotations

from sqlglot import exp

DT = exp.DataType.Type

# Engines without unsigned integers get the signed type that holds every value, except BIGINT
# UNSIGNED: NUMERIC(20) would hold it but makes keys slow, and ids beyond 2^63 do not occur in practice.
SIGNED = {
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
SERIAL = {DT.SMALLSERIAL: DT.SMALLINT, DT.SERIAL: DT.INT, DT.BIGSERIAL: DT.BIGINT}
TEXT_LIKE = {DT.TEXT, DT.MEDIUMTEXT, DT.LONGTEXT, DT.TINYTEXT, DT.BLOB, DT.MEDIUMBLOB, DT.LONGBLOB}
TEXT_LIKE |= {DT.TINYBLOB, DT.JSON}
BINARY = {DT.BINARY, DT.VARBINARY, DT.BLOB, DT.TINYBLOB, DT.MEDIUMBLOB, DT.LONGBLOB}
TEXTS = {DT.TEXT, DT.TINYTEXT, DT.MEDIUMTEXT, DT.LONGTEXT}
TIMES = {DT.TIME, DT.TIMETZ, DT.TIMESTAMP, DT.TIMESTAMPTZ, DT.DATETIME}
INTEGERS = {DT.SMALLINT, DT.INT, DT.BIGINT, DT.TINYINT, DT.MEDIUMINT}
INTEGERS |= {DT.UTINYINT, DT.USMALLINT, DT.UMEDIUMINT, DT.UINT, DT.UBIGINT}
WRITTEN = {
    *INTEGERS,
    *SERIAL,
    *BINARY,
    *TEXTS,
    *TIMES,
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

KNOWN_NAMES = {"cidr", "macaddr", "macaddr8", "tsvector", "year"}
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
