"""A ``Catalog`` as the spec's YAML, each measured value with a comment saying where it came from.

PyYAML writes no comments, so the document is written line by line here; every scalar goes
through :func:`scalar`, which leaves a plain word plain and writes anything else as a
double-quoted string with escapes, so that no name or value the database holds can end a line,
start a key or turn into another type (``yes``, ``1e3``, ``null``) when the spec is read back.
"""

from __future__ import annotations

import math
import re

from advisor.introspect.model import Catalog, ColumnFacts, IndexFacts, PatternFacts, Scalar, TableFacts
from advisor.oneline import one_line

_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:[ .()-][A-Za-z0-9_]+)*\)?")
# words YAML 1.1 reads as booleans or null; PyYAML (and the spec loader) follow YAML 1.1
_RESERVED = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf"})
_ESCAPES = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}
_WIDTH = 110
"""Lines of histograms and common values wrap at this width."""
_COMMENT_AT = 40
"""Column at which trailing comments start, when the line leaves room."""


def scalar(value: Scalar | bool | None) -> str:
    """``value`` as one line of YAML that reads back as the same value and type.

    >>> scalar("orders"), scalar("yes"), scalar("a: b"), scalar("x\\ny"), scalar(3), scalar(0.5)
    ('orders', '"yes"', '"a: b"', '"x\\\\ny"', '3', '0.5')
    >>> scalar(1e-7), scalar(2e20), scalar("varchar(20)"), scalar("1e3")
    ('1.0e-07', '2.0e+20', 'varchar(20)', '"1e3"')
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float(value)
    if _PLAIN.fullmatch(value) and value.lower() not in _RESERVED and value.count("(") == value.count(")"):
        return value
    return _quoted(value)


def _float(value: float) -> str:
    """A float YAML 1.1 reads as the same float: it needs a dot, and a signed exponent.

    >>> _float(1e16), _float(1e-7), _float(3.0), _float(1000000000000001.0)
    ('1.0e+16', '1.0e-07', '3.0', '1000000000000001.0')
    """
    if not math.isfinite(value):
        raise ValueError(f"not a finite number: {value}")
    text = repr(value)
    mantissa, e, exponent = text.partition("e")
    if "." not in mantissa:
        mantissa += ".0"
    return f"{mantissa}{e}{exponent}"


def _quoted(text: str) -> str:
    """A double-quoted YAML string; backslash, quote and every character that is not printable
    (line breaks of any kind, controls, format characters) are escapes."""
    out = ['"']
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ch.isprintable():
            out.append(ch)
        elif ord(ch) <= 0xFF:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    out.append('"')
    return "".join(out)


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
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) and name.lower() not in _RESERVED:
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
