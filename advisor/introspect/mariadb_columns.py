"""Reading MariaDB and MySQL, the tables' columns (``information_schema.COLUMNS``): each type and
default written as the spec takes them, with a note or comment for what it cannot say
(``AUTO_INCREMENT``, generated columns, ``ON UPDATE``); and the record of a table being read
(``MariaTable``), which every stage fills in."""

from __future__ import annotations

from dataclasses import dataclass, field

from advisor.errors import AdvisorError
from advisor.introspect.model import ColumnFacts, Fetch, IndexFacts, Scalar, written_default


@dataclass
class MariaTable:
    """A table being read: its facts so far, by column name."""

    name: str
    rows: int | None
    columns: dict[str, ColumnFacts] = field(default_factory=dict)
    primary_key: tuple[str, ...] = ()
    indexes: list[IndexFacts] = field(default_factory=list)
    cardinality: dict[str, tuple[int, str]] = field(default_factory=dict)
    """Leading column -> (distinct values, index) from an index's first key."""
    column_stats: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)
    """Column -> (share of NULLs, rows per distinct value) from MariaDB's ``mysql.column_stats``."""
    histograms: dict[str, tuple[tuple[Scalar, ...], str]] = field(default_factory=dict)
    """Column -> (bounds, MariaDB's histogram type) from ``mysql.column_stats``."""
    comments: list[str] = field(default_factory=list)


def read_columns(fetch: Fetch, tables: dict[str, MariaTable], database: str, mariadb: bool) -> None:
    for table, name, kind, nullable, default, extra, generated in fetch(
        "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, "
        "GENERATION_EXPRESSION FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = %s "
        "ORDER BY TABLE_NAME, ORDINAL_POSITION",
        (database,),
    ):
        if str(table) in tables:
            column = _column(
                str(name), str(kind), nullable == "YES", default, str(extra or ""), generated, mariadb
            )
            tables[str(table)].columns[str(name)] = column


def _column(
    name: str, kind: str, nullable: bool, default: object, extra: str, generated: object, mariadb: bool
) -> ColumnFacts:
    from advisor.emit.types import parse_type

    notes: list[tuple[str, str]] = []
    comments: list[str] = []
    written = kind.lower()
    try:
        parse_type(written, "mysql")
    except AdvisorError:
        notes.append(("type", f"{kind}, which the spec cannot read: written as text"))
        written = "text"
    lowered = extra.lower()
    if "auto_increment" in lowered:
        notes.append(("type", "AUTO_INCREMENT (the spec format has no such key)"))
    if "generated" in lowered and "default_generated" not in lowered:
        comments.append(f"generated always as ({generated}): written as a plain column")
        default = None
    if "on update" in lowered:
        comments.append(f"{extra.strip()}: the spec format has no ON UPDATE")
    text = written_default(_default(default, lowered, mariadb), "mysql", comments)
    return ColumnFacts(
        name=name,
        type=written,
        nullable=nullable,
        default=text,
        notes=tuple(notes),
        comments=tuple(comments),
    )


def _default(default: object, extra: str, mariadb: bool) -> str | None:
    """The default as an expression: MariaDB writes one (``'new'``, ``current_timestamp()``,
    ``NULL``); MySQL writes a literal's raw value unless the default is an expression."""
    if default is None:
        return None
    text = str(default)
    if mariadb:
        return None if text.upper() == "NULL" else text
    if "default_generated" in extra:
        return text
    try:
        float(text)
    except ValueError:
        return "'" + text.replace("'", "''") + "'"
    return text
