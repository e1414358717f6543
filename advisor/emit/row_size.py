"""MySQL's and MariaDB's row-size limit: the columns of a table, counted at their longest, may take
at most 65,535 bytes, not counting the TEXT, BLOB and JSON values stored off the row. A CREATE
TABLE past it is refused ("Row size too large"), so the DDL written for these engines is checked
first. Characters count as 4 bytes: utf8mb4 is the default character set of MySQL 8 and of
MariaDB's recent packages, and a script must run on either.
"""

from __future__ import annotations

import math

from sqlglot import exp

ROW_LIMIT = 65_535
UTF8MB4 = 4

DT = exp.DataType.Type
_FIXED = {
    DT.TINYINT: 1,
    DT.UTINYINT: 1,
    DT.BOOLEAN: 1,
    DT.SMALLINT: 2,
    DT.USMALLINT: 2,
    DT.MEDIUMINT: 3,
    DT.UMEDIUMINT: 3,
    DT.INT: 4,
    DT.UINT: 4,
    DT.BIGINT: 8,
    DT.UBIGINT: 8,
    DT.FLOAT: 4,
    DT.DOUBLE: 8,
    DT.DATE: 3,
    DT.TIME: 6,
    DT.DATETIME: 8,
    DT.TIMESTAMP: 7,
    DT.YEAR: 1,
    DT.ENUM: 2,
    DT.SET: 8,
}
_OFF_ROW = 12
"""What a TEXT, BLOB or JSON value keeps in the row: a length and a pointer (9 to 12 bytes)."""


def column_bytes(dtype: exp.DataType) -> int:
    """The most bytes a value of ``dtype`` takes in the row.

    >>> column_bytes(exp.DataType.build("VARCHAR(100)", dialect="mysql"))
    402
    >>> column_bytes(exp.DataType.build("DECIMAL(10,2)", dialect="mysql")), column_bytes(exp.DataType.build("TEXT"))
    (5, 12)
    """
    kind = dtype.this
    params = [int(p.name) for p in dtype.expressions if isinstance(p, exp.DataTypeParam) and p.name.isdigit()]
    if kind in (DT.VARCHAR, DT.NVARCHAR, DT.CHAR, DT.NCHAR):
        length = (params[0] if params else 1) * UTF8MB4
        return length + (0 if kind in (DT.CHAR, DT.NCHAR) else 1 if length <= 255 else 2)
    if kind in (DT.VARBINARY, DT.BINARY):
        length = params[0] if params else 1
        return length + (0 if kind == DT.BINARY else 1 if length <= 255 else 2)
    if kind in (DT.DECIMAL, DT.UDECIMAL):
        digits = params[0] if params else 10
        scale = params[1] if len(params) > 1 else 0
        return _packed(digits - scale) + _packed(scale)
    if kind == DT.BIT:
        return math.ceil((params[0] if params else 1) / 8)
    return _FIXED.get(kind, _OFF_ROW)


def _packed(digits: int) -> int:
    """Bytes of ``digits`` decimal digits in MySQL's DECIMAL: 4 for each 9, fewer for the rest."""
    return digits // 9 * 4 + (0, 1, 1, 2, 2, 3, 3, 4, 4, 4)[digits % 9]


def row_problem(types: dict[str, exp.DataType]) -> str | None:
    """Why MySQL or MariaDB would refuse a table of these column types, or ``None``.

    >>> wide = {c: exp.DataType.build("VARCHAR(6000)", dialect="mysql") for c in "abc"}
    >>> row_problem(wide)[:60]
    'a row of these columns takes up to 72,007 bytes in utf8mb4, '
    >>> row_problem({"a": exp.DataType.build("VARCHAR(8000)", dialect="mysql")}) is None
    True
    """
    total = sum(column_bytes(t) for t in types.values()) + math.ceil(len(types) / 8)
    if total <= ROW_LIMIT:
        return None
    widest = sorted(types, key=lambda c: -column_bytes(types[c]))[:3]
    return (
        f"a row of these columns takes up to {total:,} bytes in utf8mb4, over MySQL's and MariaDB's "
        f"limit of {ROW_LIMIT:,}: make the longest VARCHAR columns TEXT ({', '.join(widest)})"
    )
