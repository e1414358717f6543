"""Physical estimates: column widths, rows per page, B-tree heights and sizes, per engine.

The numbers are deliberately simple and documented, so that a reader can redo any figure in the
report by hand: a page holds ``usable bytes / entry width`` entries, a B-tree's height comes from
its fan-out, and an index's size is its leaf pages plus the inner levels above them.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache, lru_cache


@dataclass(frozen=True)
class Engine:
    """What the cost model needs to know about a storage engine."""

    name: str
    page_size: int
    row_overhead: int
    """Bytes per table row beyond its columns (tuple header, line pointer)."""
    entry_overhead: int
    """Bytes per index entry beyond its keys (entry header, line pointer or row id)."""
    leaf_fill: float
    """Share of a B-tree leaf page in use (PostgreSQL fills to 90 %, page splits leave ~2/3)."""
    supports_include: bool
    supports_partial: bool
    secondary_carries_pk: bool
    """InnoDB secondary indexes store the primary key: those columns come free for coverage."""
    hot_updates: bool = False
    """An UPDATE that changes an indexed column writes every index (PostgreSQL's heap), not only
    the indexes of the columns it changes."""
    parallel_scans: bool = False
    """A large table's sequential scan is shared by parallel workers (PostgreSQL)."""
    aligned_entries: bool = False
    """Index entries are laid out value by value on alignment boundaries (PostgreSQL's B-tree)."""
    reclaims_space_by: str = "VACUUM"
    """What frees the space of dead rows, for which disk must be provisioned."""


def engine_for(dialect: str) -> Engine:
    """The engine model for a sqlglot dialect name, from the registry's facts; a name the registry
    does not know gets PostgreSQL's.

    >>> engine_for("mysql").page_size
    16384
    """
    return _engine(dialect.lower())


@cache
def _engine(name: str) -> Engine:
    from advisor.dialects import POSTGRES, dialect

    try:
        facts = dialect(name)
    except ValueError:
        facts = POSTGRES
    disk = facts.storage
    return Engine(
        disk.name,
        disk.page_size,
        disk.row_overhead,
        disk.entry_overhead,
        disk.leaf_fill,
        facts.include,
        facts.partial,
        disk.secondary_carries_pk,
        disk.hot_updates,
        disk.parallel_scans,
        disk.aligned_entries,
        disk.reclaims_space_by,
    )


_FIXED_WIDTHS = {
    "bool": 1,
    "boolean": 1,
    "tinyint": 1,
    "smallint": 2,
    "int2": 2,
    "mediumint": 3,
    "int": 4,
    "integer": 4,
    "int4": 4,
    "serial": 4,
    "real": 4,
    "float4": 4,
    "date": 4,
    "bigint": 8,
    "int8": 8,
    "bigserial": 8,
    "float": 8,
    "float8": 8,
    "double": 8,
    "double precision": 8,
    "timestamp": 8,
    "timestamptz": 8,
    "datetime": 8,
    "time": 8,
    "timestamp with time zone": 8,
    "timestamp without time zone": 8,
    "interval": 16,
    "uuid": 16,
    "money": 8,
    "inet": 8,
    "year": 1,
}
_DEFAULT_TEXT_WIDTH = 32
_TYPE_RE = re.compile(r"^\s*([a-z_ ]+?)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?\s*(unsigned)?\s*$")


@lru_cache(maxsize=1024)  # a schema has a few dozen types, asked about for every index sized
def column_width(sql_type: str) -> int:
    """Average stored width in bytes of a value of ``sql_type`` (documented guesses for text).

    Variable-length text counts a quarter of its declared maximum, between 8 and 64 bytes,
    plus a length byte: real e-mail addresses average ~25 bytes in a ``varchar(255)``.

    >>> column_width("bigint"), column_width("varchar(255)"), column_width("numeric(12,2)")
    (8, 64, 9)
    """
    match = _TYPE_RE.match(sql_type.lower())
    if match is None:
        return _DEFAULT_TEXT_WIDTH
    base, length = match.group(1).strip(), match.group(2)
    if base in _FIXED_WIDTHS:
        return _FIXED_WIDTHS[base]
    if base in ("numeric", "decimal", "number"):
        # two bytes per four decimal digits plus a short header, as PostgreSQL stores it
        precision = int(length) if length else 10
        return 3 + 2 * math.ceil(precision / 4)
    if base in ("char", "character", "nchar", "binary"):
        return (int(length) if length else 1) + 1
    if base in ("varchar", "character varying", "nvarchar", "varbinary"):
        if length is None:
            return _DEFAULT_TEXT_WIDTH
        return min(64, max(8, int(length) // 4)) + 1
    return _DEFAULT_TEXT_WIDTH


_ALIGN_8 = frozenset({"bigint", "int8", "bigserial", "float", "float8", "double", "double precision",
                      "timestamp", "timestamptz", "timestamp with time zone", "timestamp without time zone",
                      "time", "money", "interval"})  # fmt: skip
_ALIGN_4 = frozenset({"int", "integer", "int4", "serial", "real", "float4", "date"})


@lru_cache(maxsize=1024)
def column_align(sql_type: str) -> int:
    """The byte boundary a value of ``sql_type`` starts on in a PostgreSQL tuple; variable-length
    values under 127 bytes carry a one-byte header and need none.

    >>> column_align("bigint"), column_align("date"), column_align("varchar(20)")
    (8, 4, 1)
    """
    match = _TYPE_RE.match(sql_type.lower())
    base = match.group(1).strip() if match else ""
    if base in _ALIGN_8:
        return 8
    if base in _ALIGN_4:
        return 4
    return 2 if base in ("smallint", "int2") else 1


def aligned_width(types: list[str], header: int = 8) -> int:
    """A PostgreSQL index tuple's size: its header, each value on its type's boundary, the whole
    rounded up to 8 bytes (``MAXALIGN``).

    >>> aligned_width(["char(10)", "date", "date", "bigint", "date"])
    48
    """
    offset = header
    for sql_type in types:
        align = column_align(sql_type)
        offset = -(-offset // align) * align + column_width(sql_type)
    return -(-offset // 8) * 8


def rows_per_page(engine: Engine, width: int, fill: float = 1.0) -> float:
    """Entries of ``width`` bytes that fit in one page (at least one).

    >>> round(rows_per_page(engine_for("postgres"), 100))
    82
    """
    usable = (engine.page_size - 24) * fill
    return max(1.0, usable / max(1, width))


def pages_for(rows: float, per_page: float) -> float:
    """Pages holding ``rows`` at ``per_page`` a page; a non-empty relation has at least one."""
    if rows <= 0:
        return 1.0
    return max(1.0, math.ceil(rows / per_page))


def btree_height(leaf_pages: float, fanout: float) -> int:
    """Levels from root to leaf inclusive: 1 for a single page.

    >>> btree_height(1, 300), btree_height(300, 300), btree_height(301, 300)
    (1, 2, 3)
    """
    height, level = 1, leaf_pages
    while level > 1:
        level = math.ceil(level / max(2.0, fanout))
        height += 1
    return height


def inner_pages(leaf_pages: float, fanout: float) -> float:
    """Pages above the leaves: a geometric series of ``leaf / fanout`` per level."""
    total, level = 0.0, leaf_pages
    while level > 1:
        level = math.ceil(level / max(2.0, fanout))
        total += level
    return total
