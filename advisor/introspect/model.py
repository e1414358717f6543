"""What an engine reader found, engine-neutral, before it is written as YAML.

Every value that came from the server carries a note saying where (``pg_stats.n_distinct -0.5``),
which the writer puts beside it as a YAML comment: a reader of the spec can tell a measured
number from one typed by hand, and how old it is.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from advisor.errors import AdvisorError

Scalar = int | float | str
Notes = tuple[tuple[str, str], ...]
"""(key, where its value came from), for the keys that have a note."""


@dataclass(frozen=True)
class ColumnFacts:
    name: str
    type: str
    nullable: bool = True
    default: str | None = None
    check: str | None = None
    unique: bool = False
    references: str | None = None
    """``table.column``; composite references are table comments instead (the format has none)."""
    on_delete: str | None = None
    on_update: str | None = None
    ndv: int | None = None
    null_frac: float | None = None
    frequencies: tuple[tuple[str, float], ...] = ()
    histogram: tuple[Scalar, ...] = ()
    correlation: float | None = None
    notes: Notes = ()
    comments: tuple[str, ...] = ()
    """Lines written above the column: what the format could not hold, and why."""

    def note(self, key: str) -> str | None:
        return dict(self.notes).get(key)


@dataclass(frozen=True)
class IndexFacts:
    name: str
    columns: tuple[tuple[str, bool], ...]
    """(column, descending)."""
    unique: bool = False
    include: tuple[str, ...] = ()
    where: str | None = None
    note: str | None = None
    scans: int | None = None
    """Scans the server counted since its statistics were reset (PostgreSQL)."""
    scans_note: str | None = None


@dataclass(frozen=True)
class TableFacts:
    name: str
    columns: tuple[ColumnFacts, ...]
    rows: int | None = None
    all_visible: float | None = None
    primary_key: tuple[str, ...] = ()
    indexes: tuple[IndexFacts, ...] = ()
    notes: Notes = ()
    comments: tuple[str, ...] = ()

    def note(self, key: str) -> str | None:
        return dict(self.notes).get(key)


@dataclass(frozen=True)
class PatternFacts:
    name: str
    sql: str
    per_sec: float | None = None
    weight: float | None = None
    note: str | None = None
    origin: str | None = None
    """Written as the pattern's ``origin``: the statement was recorded, not written by hand."""


@dataclass(frozen=True)
class Catalog:
    """Everything one introspection read: written as one spec."""

    dialect: str
    header: tuple[str, ...]
    """Comment lines at the top: the server, the database, when, and what each key comes from."""
    tables: tuple[TableFacts, ...]
    patterns: tuple[PatternFacts, ...] = ()
    patterns_comments: tuple[str, ...] = ()
    """Comment lines above ``patterns:`` (where they came from, or why there are none)."""
    warnings: tuple[str, ...] = field(default=())
    """Notes for standard error (pg_stat_statements missing, statements skipped)."""


def unfit_names(table: str, columns: list[str]) -> str | None:
    """Why the spec cannot hold a table of these names, or ``None``: a name that is not printable
    (the spec refuses line breaks and control characters), holds a dot (read as ``schema.table``
    or ``table.column``), or two columns that differ only in case (one key to the spec).

    >>> unfit_names("orders", ["id", "ID"]), unfit_names("a.b", ["id"]), unfit_names("t", ["ok"])
    ("columns 'id' and 'ID' differ only in case", "the name 'a.b' holds a dot", None)
    """
    for name in (table, *columns):
        if not name.isprintable():
            return f"the name {name!r} holds a character that is not printable"
        if "." in name:
            return f"the name {name!r} holds a dot"
    seen: dict[str, str] = {}
    for name in columns:
        if name.lower() in seen:
            return f"columns {seen[name.lower()]!r} and {name!r} differ only in case"
        seen[name.lower()] = name
    return None


@dataclass(frozen=True)
class Options:
    """What to read: the schema, table globs, and which statements become patterns."""

    schema: str = "public"
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    min_calls: int = 1
    top: int | None = 100
    progress: Callable[[str], None] | None = field(default=None, compare=False)
    """Told each stage as it starts (``reading indexes of 1,000 tables``): on a large catalog the
    command line shows it."""

    def say(self, stage: str) -> None:
        if self.progress is not None:
            self.progress(stage)


class Fetch(Protocol):
    """The rows of one query on the server, the query marked as the tool's own: what the stages of
    an engine's reader query through (its reader's ``fetch``)."""

    def __call__(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]: ...


def wanted(name: str, include: Sequence[str], exclude: Sequence[str]) -> bool:
    """Whether table ``name`` passes ``--include`` (any glob; none means all) and ``--exclude``.

    >>> wanted("orders", ["ord*"], []), wanted("orders", [], ["ord*"]), wanted("users", [], [])
    (True, False, True)
    """
    if include and not any(fnmatch.fnmatchcase(name, glob) for glob in include):
        return False
    return not any(fnmatch.fnmatchcase(name, glob) for glob in exclude)


def no_tables(where: str, options: Options) -> AdvisorError:
    """The error for a catalog with no table to read (``where``: "schema 'x' of database y")."""
    filtered = " that --include / --exclude let through" if options.include or options.exclude else ""
    return AdvisorError(f"no tables in {where}{filtered}")


def written_default(text: str | None, dialect: str, comments: list[str]) -> str | None:
    """A column default as the spec writes it (one expression of ``dialect``), or ``None`` with a
    comment saying why it was left out.

    >>> notes: list[str] = []
    >>> written_default("0", "sqlite", notes), written_default("1; DROP TABLE t", "sqlite", notes), len(notes)
    ('0', None, 1)
    """
    if text is None:
        return None
    from advisor.spec.expressions import parse_expression

    try:
        return parse_expression(text, dialect, "default").sql(dialect=dialect)
    except ValueError as exc:
        comments.append(f"default {text} left out: {exc}")
        return None
