"""String literals written on one line: a line break inside a literal the input supplied (a
partial index's ``WHERE state = '...'``, a default, a check) would start a line of the DDL with
text the input chose, and CI logs read lines (``::error file=...``). Each such literal is
rewritten in its engine's own spelling of the same string, without the line break.

- PostgreSQL: an escape string, ``E'a\\nb'``.
- MySQL and MariaDB: backslash escapes for ``\\n`` and ``\\r``; a literal holding any other line
  break becomes a hexadecimal string in utf8mb4, ``_utf8mb4 X'...'``.
- SQLite, which has no escapes: ``('a' || char(10) || 'b')``, a constant expression.

Other dialects are left as sqlglot writes them.
"""

from __future__ import annotations

from sqlglot.dialects.dialect import Dialect
from sqlglot.tokenizer_core import TokenType

from advisor.dialects import lookup
from advisor.oneline import LINE_BREAKS


def single_line(sql: str, dialect: str) -> str:
    r"""``sql`` (one statement as sqlglot wrote it for ``dialect``) with every string literal that
    holds a line break spelled without one.

    >>> single_line("SELECT 'it''s\nnew'", "postgres")
    "SELECT E'it\\'s\\nnew'"
    >>> single_line("SELECT 'a\nb'", "sqlite")
    "SELECT ('a' || char(10) || 'b')"
    >>> single_line("SELECT 'a\u2028b'", "mysql")
    "SELECT _utf8mb4 X'61E280A862'"
    """
    facts = lookup(dialect)
    spelling = facts.line_breaks if facts is not None else None
    if not LINE_BREAKS.intersection(sql) or spelling is None:
        return sql
    out = sql
    for token in reversed(Dialect.get_or_raise(dialect).tokenize(sql)):
        raw = sql[token.start : token.end + 1]
        if token.token_type is TokenType.STRING and LINE_BREAKS.intersection(raw):
            out = out[: token.start] + _WRITERS[spelling](token.text) + out[token.end + 1 :]
    return out


def _postgres(text: str) -> str:
    escaped = "".join(_ESCAPES.get(ch) or (f"\\u{ord(ch):04x}" if ch in LINE_BREAKS else ch) for ch in text)
    return f"E'{escaped}'"


_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r"}
"""Backslash escapes, as PostgreSQL's E'' strings and MySQL's strings both read them."""


def _mysql(text: str) -> str:
    if LINE_BREAKS.intersection(text) - {"\n", "\r"}:
        return f"_utf8mb4 X'{text.encode('utf-8').hex().upper()}'"
    escaped = "".join(_ESCAPES.get(ch, ch) for ch in text)
    return f"'{escaped}'"


def _sqlite(text: str) -> str:
    parts: list[str] = []
    run = ""
    for ch in text:
        if ch in LINE_BREAKS:
            if run:
                parts.append("'" + run.replace("'", "''") + "'")
            parts.append(f"char({ord(ch)})")
            run = ""
        else:
            run += ch
    if run:
        parts.append("'" + run.replace("'", "''") + "'")
    return "(" + " || ".join(parts) + ")"


_WRITERS = {"escape_string": _postgres, "backslash": _mysql, "concatenation": _sqlite}
"""Each way of spelling a line break on one line, by the registry's name for it."""
