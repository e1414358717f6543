"""A ``Catalog`` as the spec's YAML, each measured value with a comment saying where it came from.

PyYAML writes no comments, so the document is written line by line here; every scalar goes
through ``spec.yaml_text.scalar``, which leaves a plain word plain and writes anything else as a
double-quoted string with escapes, so that no name or value the database holds can end a line,
start a key or turn into another type (``yes``, ``1e3``, ``null``) when the spec is read back.
"""

from __future__ import annotations

import math
import re

from advisor.introspect.model import Catalog, ColumnFacts, IndexFacts, PatternFacts, Scalar, TableFacts
from advisor.oneline import one_line
from advisor.spec.yaml_text import YAML_WORDS, scalar

_WIDTH = 110
"""Lines of histograms and common values wrap at this width."""
_COMMENT_AT = 40
"""Column at which trailing comments start, when the line leaves room."""


def rounded(value: float, digits: int = 4) -> float:
    """``value`` to ``digits`` significant digits (statistics are estimates; more is noise).

    >>> rounded(0.123456), rounded(1234567.0), rounded(0.0)
    (0.1235, 1235000.0, 0.0)
    """
    if value == 0 or not math.isfinite(value):
        return value
    return float(f"{value:.{digits}g}")


def _line(indent: int, text: str, comment: str | None = None) -> str:
    """One line, with ``comment`` (one line, control characters escaped) after it."""
    body = " " * indent + text
    if not comment:
        return body
    pad = max(1, _COMMENT_AT - len(body)) if len(body) < _COMMENT_AT else 2
    return f"{body}{' ' * pad}# {one_line(comment)}"


def _comment(indent: int, text: str) -> str:
    return " " * indent + "# " + one_line(text) if text else " " * indent + "#"


def _flow_list(values: tuple[Scalar, ...] | list[str], raw: bool = False) -> str:
    return "[" + ", ".join(str(v) if raw else scalar(v) for v in values) + "]"


def write_spec(catalog: Catalog) -> str:
    """The spec's text: header comments, ``dialect``, ``tables`` and ``patterns``."""
    lines = [_comment(0, text) for text in catalog.header]
    lines.append(f"dialect: {scalar(catalog.dialect)}")
    lines.append("tables:")
    for table in catalog.tables:
        lines.extend(_table(table))
    lines.extend(_comment(0, text) for text in catalog.patterns_comments)
    if not catalog.patterns:
        lines.append("patterns: []")
    else:
        lines.append("patterns:")
        for pattern in catalog.patterns:
            lines.extend(_pattern(pattern))
    return "\n".join(lines) + "\n"


def _table(table: TableFacts) -> list[str]:
    lines = [_comment(2, text) for text in table.comments]
    lines.append(_line(2, f"{scalar(table.name)}:"))
    if table.rows is not None:
        lines.append(_line(4, f"rows: {table.rows}", table.note("rows")))
    if table.all_visible is not None:
        lines.append(_line(4, f"all_visible: {scalar(table.all_visible)}", table.note("all_visible")))
    if table.primary_key:
        lines.append(_line(4, f"primary_key: {_flow_list(list(table.primary_key))}"))
    lines.append(_line(4, "columns:"))
    for column in table.columns:
        lines.extend(_column(column))
    if table.indexes:
        lines.append(_line(4, "indexes:"))
        for index in table.indexes:
            lines.extend(_index(index))
    return lines


def _column(column: ColumnFacts) -> list[str]:
    lines = [_comment(6, text) for text in column.comments]
    lines.append(_line(6, f"{scalar(column.name)}:"))
    at = 8
    lines.append(_line(at, f"type: {scalar(column.type)}", column.note("type")))
    if not column.nullable:
        lines.append(_line(at, "nullable: false", column.note("nullable")))
    if column.unique:
        lines.append(_line(at, "unique: true", column.note("unique")))
    if column.default is not None:
        lines.append(_line(at, f"default: {scalar(column.default)}", column.note("default")))
    if column.check is not None:
        lines.append(_line(at, f"check: {scalar(column.check)}", column.note("check")))
    if column.references is not None:
        lines.append(_line(at, f"references: {scalar(column.references)}", column.note("references")))
        if column.on_delete is not None:
            lines.append(_line(at, f"on_delete: {scalar(column.on_delete)}"))
        if column.on_update is not None:
            lines.append(_line(at, f"on_update: {scalar(column.on_update)}"))
    if column.ndv is not None:
        lines.append(_line(at, f"ndv: {column.ndv}", column.note("ndv")))
    if column.null_frac is not None:
        lines.append(_line(at, f"null_frac: {scalar(column.null_frac)}", column.note("null_frac")))
    if column.frequencies:
        pairs = [f"{scalar(value)}: {scalar(share)}" for value, share in column.frequencies]
        lines.extend(_flow(at, "frequencies", "{}", pairs, column.note("frequencies")))
    if column.histogram:
        bounds = [scalar(v) for v in column.histogram]
        lines.extend(_flow(at, "histogram", "[]", bounds, column.note("histogram")))
    if column.correlation is not None:
        lines.append(_line(at, f"correlation: {scalar(column.correlation)}", column.note("correlation")))
    return lines


def _key(name: str, desc: bool) -> str:
    """An index key: ``col`` or ``col DESC``, or a mapping when the name has spaces or signs
    (the short form splits on spaces).

    >>> _key("created_at", True), _key("Weird Name", False)
    ('created_at DESC', '{column: Weird Name}')
    """
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) and name.lower() not in YAML_WORDS:
        return f"{name} DESC" if desc else name
    return f"{{column: {scalar(name)}" + (", desc: true}" if desc else "}")


def _flow(indent: int, key: str, brackets: str, items: list[str], comment: str | None) -> list[str]:
    """``key: [a, b]`` on one line when it fits; else its comment on a line above and the items
    wrapped onto lines indented below the key (a flow collection may span lines).

    >>> _flow(0, "h", "[]", ["1", "2"], "why")
    ['h: [1, 2]                               # why']
    >>> wrapped = _flow(0, "h", "[]", [str(n) for n in range(60)], "why")
    >>> wrapped[0], wrapped[1][:12], wrapped[-1][-8:], max(len(line) for line in wrapped) <= _WIDTH
    ('# why', 'h: [0, 1, 2,', ' 58, 59]', True)
    """
    whole = f"{key}: {brackets[0]}{', '.join(items)}{brackets[1]}"
    if indent + len(whole) <= _WIDTH:
        return [_line(indent, whole, comment)]
    lines = [_comment(indent, comment)] if comment else []
    current = f"{key}: {brackets[0]}"
    at = indent
    for number, item in enumerate(items):
        piece = item + (brackets[1] if number == len(items) - 1 else ",")
        if len(current) > len(key) + 3 and at + len(current) + 1 + len(piece) > _WIDTH:
            lines.append(" " * at + current)
            current, at = piece, indent + 2
        else:
            current = f"{current}{'' if current.endswith(brackets[0]) else ' '}{piece}"
    lines.append(" " * at + current)
    return lines


def _index(index: IndexFacts) -> list[str]:
    keys = [_key(name, desc) for name, desc in index.columns]
    lines = [_line(6, f"- name: {scalar(index.name)}", index.note)]
    lines.append(_line(8, f"columns: {_flow_list(keys, raw=True)}"))
    if index.unique:
        lines.append(_line(8, "unique: true"))
    if index.include:
        lines.append(_line(8, f"include: {_flow_list(list(index.include))}"))
    if index.where is not None:
        lines.append(_line(8, f"where: {scalar(index.where)}"))
    if index.scans is not None:
        lines.append(_line(8, f"scans: {index.scans}", index.scans_note))
    return lines


def _pattern(pattern: PatternFacts) -> list[str]:
    lines = [_line(2, f"- name: {scalar(pattern.name)}", pattern.note)]
    lines.append(_line(4, f"sql: {scalar(pattern.sql)}"))
    if pattern.per_sec is not None:
        lines.append(_line(4, f"per_sec: {scalar(pattern.per_sec)}"))
    elif pattern.weight is not None:
        lines.append(_line(4, f"weight: {scalar(pattern.weight)}"))
    if pattern.origin is not None:
        lines.append(_line(4, f"origin: {scalar(pattern.origin)}"))
    return lines
