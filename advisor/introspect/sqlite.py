"""SQLite's schema (``PRAGMA table_xinfo``, ``index_list``, ``foreign_key_list``) and ANALYZE's
``sqlite_stat1``, read from a file opened read-only.

``sqlite_stat1`` holds, per index, ``N a b ...``: the index's rows, then the average rows per
distinct value of each key prefix. So ``rows`` is ``N``, and a column that leads an index has
``N / a`` distinct values; nothing is known of other columns (SQLite samples no more than that,
unless built with STAT4). CHECK constraints exist only in the ``CREATE TABLE`` text, which is
parsed with sqlglot.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import quote

from advisor.errors import AdvisorError
from advisor.introspect.model import (
    Catalog,
    ColumnFacts,
    IndexFacts,
    Options,
    TableFacts,
    no_tables,
    unfit_names,
    wanted,
    written_default,
)

_ACTIONS = {
    "CASCADE": "cascade",
    "SET NULL": "set null",
    "SET DEFAULT": "set default",
    "RESTRICT": "restrict",
}
_LEADING_NUMBERS = re.compile(r"\s*(\d+(?:\s+\d+)*)")


@dataclass(frozen=True)
class IndexStat:
    """One ``sqlite_stat1`` row: the index's rows and rows per distinct value of each key prefix."""

    rows: int
    per_value: tuple[int, ...]


def parse_stat(text: str) -> IndexStat | None:
    """``sqlite_stat1.stat`` read; flags after the numbers (``unordered``, ``sz=``) are ignored.

    >>> parse_stat("10000 100 1"), parse_stat("42"), parse_stat("junk")
    (IndexStat(rows=10000, per_value=(100, 1)), IndexStat(rows=42, per_value=()), None)
    """
    match = _LEADING_NUMBERS.match(text or "")
    if match is None:
        return None
    numbers = [int(n) for n in match.group(1).split()]
    return IndexStat(numbers[0], tuple(numbers[1:]))


def introspect_sqlite(path: Path, options: Options) -> Catalog:
    """The catalog of the SQLite database in ``path``, opened read-only (it is never created)."""
    if not path.is_file():
        raise AdvisorError(f"URL: no SQLite database file {str(path)!r}")
    try:
        # mode=ro: the file is neither created nor written; query_only refuses any write besides
        conn = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise AdvisorError(f"cannot open SQLite database {str(path)!r}: {exc}") from None
    try:
        conn.execute("PRAGMA query_only = 1")
        conn.execute("BEGIN")  # one snapshot for every read
        return _read(conn, path, options)
    except sqlite3.DatabaseError as exc:
        raise AdvisorError(f"cannot read SQLite database {str(path)!r}: {exc}") from None
    finally:
        conn.close()


def _read(conn: sqlite3.Connection, path: Path, options: Options) -> Catalog:
    names = [
        str(name)
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
            "ORDER BY name"
        )
    ]
    names = [n for n in names if wanted(n, options.include, options.exclude)]
    if not names:
        raise no_tables(f"SQLite database {str(path)!r}", options)
    left_out = []
    seen: set[str] = set()
    for name in list(names):
        columns = [str(row[1]) for row in conn.execute(f"PRAGMA table_xinfo({_quote(name)})")]
        why = unfit_names(name, columns) if columns else "it has no columns"
        if why is None and name.lower() in seen:
            why = "another table has the same name but for case"
        seen.add(name.lower())
        if why is not None:
            names.remove(name)
            left_out.append(f"table {name!r} left out: {why}")
    if not names:
        raise AdvisorError(f"no table of SQLite database {str(path)!r} can be written: {left_out[0]}")
    stats = _stats(conn)
    tables = tuple(_table(conn, name, set(names), stats) for name in names)
    analyzed = any(stats.values())
    header: tuple[str, ...] = (
        f"Written by `advisor introspect` from SQLite {sqlite3.sqlite_version}, file {path.name}.",
        "Read from the schema and sqlite_stat1 only (the statistics of the last ANALYZE): rows is an",
        "index's row count; ndv, for a column that leads an index, its rows / rows per distinct value.",
    )
    if not analyzed:
        header += ("No sqlite_stat1 rows: run ANALYZE on the database for rows and distinct values.",)
    return Catalog(
        dialect="sqlite",
        header=header,
        tables=tables,
        patterns_comments=(
            "No patterns: SQLite records no workload. Add the queries the application runs, e.g.:",
            "patterns:",
            "  - name: recent_orders_of_user",
            "    sql: SELECT * FROM orders WHERE user_id = ? ORDER BY created_at DESC LIMIT 20",
            "    per_sec: 50",
        ),
        warnings=(
            *left_out,
            "SQLite records no workload: the spec has no patterns; add the application's queries",
        ),
    )


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _stats(conn: sqlite3.Connection) -> dict[str, list[tuple[str | None, IndexStat]]]:
    """``sqlite_stat1`` by table: (index or ``None`` for a table without one, stat)."""
    found = conn.execute("SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_stat1'").fetchone()
    out: dict[str, list[tuple[str | None, IndexStat]]] = {}
    if found is None:
        return out
    for table, index, text in conn.execute("SELECT tbl, idx, stat FROM sqlite_stat1"):
        stat = parse_stat(str(text))
        if stat is not None:
            out.setdefault(str(table), []).append((index, stat))
    return out


def _table(
    conn: sqlite3.Connection,
    name: str,
    names: set[str],
    stats: dict[str, list[tuple[str | None, IndexStat]]],
) -> TableFacts:
    columns: dict[str, ColumnFacts] = {}
    pk: list[tuple[int, str]] = []
    comments: list[str] = []
    for _, column, declared, not_null, default, key, hidden in conn.execute(
        f"PRAGMA table_xinfo({_quote(name)})"
    ):
        if hidden == 1:
            continue  # a virtual table's hidden column
        columns[column] = _column(str(column), str(declared or ""), bool(not_null), default, hidden)
        if key:
            pk.append((int(key), str(column)))
    primary_key = tuple(c for _, c in sorted(pk))
    for column, check in _checks(conn, name, columns):
        current = columns[column]
        combined = check if current.check is None else f"({current.check}) AND ({check})"
        columns[column] = replace(current, check=combined, notes=(*current.notes, ("check", "CREATE TABLE")))
    _foreign_keys(conn, name, names, columns, comments)
    indexes = _indexes(conn, name, columns, comments)
    # a partial index counts only its own rows
    partial = {str(row[1]) for row in conn.execute(f"PRAGMA index_list({_quote(name)})") if row[4]}
    full = [(index, stat) for index, stat in stats.get(name, ()) if index not in partial]
    rows = max((stat.rows for _, stat in full), default=None)
    notes: list[tuple[str, str]] = []
    if rows is not None:
        notes.append(("rows", "sqlite_stat1"))
        columns = _distinct(conn, columns, primary_key, full, rows)
    return TableFacts(
        name=name,
        columns=tuple(columns.values()),
        rows=rows,
        primary_key=primary_key,
        indexes=tuple(indexes),
        notes=tuple(notes),
        comments=tuple(comments),
    )


def _column(name: str, declared: str, not_null: bool, default: object, hidden: int) -> ColumnFacts:
    """A column as declared; a type the spec cannot read is written as its affinity."""
    from advisor.emit.types import target_type

    notes: list[tuple[str, str]] = []
    comments: list[str] = []
    written = declared.strip().lower()
    try:
        if not written:
            raise AdvisorError("no type")
        target_type(written, "sqlite", "sqlite")  # one the spec reads and advisor ddl writes back
    except AdvisorError:
        written = affinity(declared)
        notes.append(("type", f"declared {declared!r}: its affinity"))
    text = str(default) if default is not None else None
    if hidden in (2, 3):
        comments.append("a generated column: written as a plain column")
        text = None
    text = written_default(text, "sqlite", comments)
    return ColumnFacts(
        name=name,
        type=written,
        nullable=not not_null,
        default=text,
        notes=tuple(notes),
        comments=tuple(comments),
    )


def affinity(declared: str) -> str:
    """The type SQLite gives a column of type ``declared`` (its rules of type affinity).

    >>> affinity("BIGINT"), affinity("VARYING CHARACTER(5)"), affinity(""), affinity("FLOATY"), affinity("money")
    ('integer', 'text', 'blob', 'real', 'numeric')
    """
    upper = declared.upper()
    if "INT" in upper:
        return "integer"
    if any(word in upper for word in ("CHAR", "CLOB", "TEXT")):
        return "text"
    if not upper.strip() or "BLOB" in upper:
        return "blob"
    if any(word in upper for word in ("REAL", "FLOA", "DOUB")):
        return "real"
    return "numeric"


def _checks(conn: sqlite3.Connection, name: str, columns: dict[str, ColumnFacts]) -> list[tuple[str, str]]:
    """(column, condition) of every CHECK in the table's CREATE TABLE text: a column's own, or a
    table constraint given to the first column it names."""
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import SqlglotError

    from advisor.spec.expressions import parse_expression

    row = conn.execute("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?", (name,)).fetchone()
    if row is None or not row[0]:
        return []
    try:
        tree = sqlglot.parse_one(str(row[0]), read="sqlite")
    except SqlglotError:
        return []
    keys = {c.lower(): c for c in columns}
    out = []
    for check in tree.find_all(exp.CheckColumnConstraint):
        condition = check.this
        if condition is None:
            continue
        text = condition.sql(dialect="sqlite")
        named = [keys[c.name.lower()] for c in condition.find_all(exp.Column) if c.name.lower() in keys]
        if not named:
            continue
        try:
            parse_expression(text, "sqlite", "check")
        except ValueError:
            continue
        out.append((named[0], text))
    return out


def _foreign_keys(
    conn: sqlite3.Connection,
    name: str,
    names: set[str],
    columns: dict[str, ColumnFacts],
    comments: list[str],
) -> None:
    groups: dict[int, list[tuple[str, str, str | None, str, str]]] = {}
    for fk_id, _, target, source, to, on_update, on_delete, _ in conn.execute(
        f"PRAGMA foreign_key_list({_quote(name)})"
    ):
        groups.setdefault(int(fk_id), []).append(
            (str(target), str(source), to, str(on_update), str(on_delete))
        )
    for parts in groups.values():
        target, source, to, on_update, on_delete = parts[0]
        shown = f"FOREIGN KEY ({', '.join(p[1] for p in parts)}) REFERENCES {target}"
        if len(parts) > 1:
            comments.append(f"foreign key left out: the spec format has no composite references: {shown}")
            continue
        if target not in names:
            comments.append(f"foreign key left out: it references a table left out or missing: {shown}")
            continue
        target_column = to if to is not None else _primary_key_of(conn, target)
        if target_column is None:
            comments.append(f"foreign key left out: {target} has no single-column primary key: {shown}")
            continue
        columns[source] = replace(
            columns[source],
            references=f"{target}.{target_column}",
            on_delete=_ACTIONS.get(on_delete),
            on_update=_ACTIONS.get(on_update),
        )


def _primary_key_of(conn: sqlite3.Connection, table: str) -> str | None:
    keys = [(int(k), str(c)) for _, c, _, _, _, k in conn.execute(f"PRAGMA table_info({_quote(table)})") if k]
    return keys[0][1] if len(keys) == 1 else None


def _indexes(
    conn: sqlite3.Connection, name: str, columns: dict[str, ColumnFacts], comments: list[str]
) -> list[IndexFacts]:
    out = []
    for _, index, unique, origin, partial in conn.execute(f"PRAGMA index_list({_quote(name)})"):
        if origin == "pk":
            continue  # the primary key says it
        keys: list[tuple[str, bool]] = []
        expression = False
        for _, cid, column, desc, _, key in conn.execute(f"PRAGMA index_xinfo({_quote(str(index))})"):
            if not key:
                continue
            if cid == -2 or column is None:
                expression = True
            else:
                keys.append((str(column), bool(desc)))
        if expression:
            comments.append(
                f"index {index} left out (an expression index: the spec's indexes are on columns)"
            )
            continue
        where = _predicate(conn, str(index)) if partial else None
        if partial and where is None:
            comments.append(f"index {index} left out (its predicate could not be read)")
            continue
        if unique and where is None and len(keys) == 1 and not keys[0][1]:
            column = keys[0][0]
            what = "UNIQUE constraint" if origin == "u" else f"unique index {index}"
            columns[column] = replace(
                columns[column], unique=True, notes=(*columns[column].notes, ("unique", what))
            )
            continue
        out.append(IndexFacts(str(index), tuple(keys), bool(unique), (), where))
    return sorted(out, key=lambda i: i.name)


def _predicate(conn: sqlite3.Connection, index: str) -> str | None:
    """The WHERE of a partial index, from its CREATE INDEX text."""
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import SqlglotError

    from advisor.spec.expressions import parse_expression

    row = conn.execute("SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?", (index,)).fetchone()
    if row is None or not row[0]:
        return None
    try:
        tree = sqlglot.parse_one(str(row[0]), read="sqlite")
    except SqlglotError:
        return None
    found = tree.find(exp.Where)
    if found is None:
        return None
    text = str(found.this.sql(dialect="sqlite"))
    try:
        parse_expression(text, "sqlite", "where")
    except ValueError:
        return None
    return text


def _distinct(
    conn: sqlite3.Connection,
    columns: dict[str, ColumnFacts],
    primary_key: Sequence[str],
    stats: list[tuple[str | None, IndexStat]],
    rows: int,
) -> dict[str, ColumnFacts]:
    """``ndv`` for each column that leads an analyzed index (or is the whole primary key)."""
    out = dict(columns)
    if len(primary_key) == 1 and rows > 0:
        column = primary_key[0]
        out[column] = replace(out[column], ndv=rows, notes=(*out[column].notes, ("ndv", "the primary key")))
    for index, stat in stats:
        if index is None or not stat.per_value or rows == 0:
            continue
        leading = conn.execute(f"PRAGMA index_info({_quote(index)})").fetchone()
        if leading is None or leading[2] is None or leading[2] not in out or out[leading[2]].ndv is not None:
            continue
        ndv = max(1, min(rows, round(stat.rows / max(1, stat.per_value[0]))))
        column = str(leading[2])
        note = f"sqlite_stat1 of {index}: {stat.rows} rows / {stat.per_value[0]} per value"
        out[column] = replace(out[column], ndv=ndv, notes=(*out[column].notes, ("ndv", note)))
    return out
