"""Cutting PostgreSQL statement text with the server's scanner, where the parse tree says where a
part starts but not where it ends: a DEFAULT, a CHECK, an index predicate, the sub-commands of an
ALTER TABLE.

>>> default_sql("DEFAULT now() + interval '1 day' NOT NULL, b int")
"now() + interval '1 day'"
>>> check_sql("CONSTRAINT positive CHECK ((qty > 0) /* why */ AND qty < 10) NOT VALID")
'(qty > 0) /* why */ AND qty < 10'
>>> where_sql("CREATE INDEX i ON t (a) WHERE (a > 1) AND b;")
'(a > 1) AND b'
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

_OPEN = frozenset({"ASCII_40", "ASCII_91"})
_CLOSE = frozenset({"ASCII_41", "ASCII_93"})
_COMMENTS = frozenset({"C_COMMENT", "SQL_COMMENT"})
_ENDS_DEFAULT = frozenset(
    {
        "ASCII_44",
        "ASCII_59",
        "NOT",
        "NULL_P",
        "CHECK",
        "CONSTRAINT",
        "PRIMARY",
        "UNIQUE",
        "REFERENCES",
        "DEFAULT",
        "GENERATED",
        "COLLATE",
        "DEFERRABLE",
        "INITIALLY",
    }
)
"""What may follow a column's DEFAULT expression at its own depth: the next constraint or the
next element. A default is a ``b_expr`` in the grammar, which none of these words can continue."""


def _tokens(text: str) -> Sequence[Any]:
    from pglast import parser

    try:
        return [t for t in parser.scan(text) if t.name not in _COMMENTS]
    except parser.ParseError:
        return []


def _cut(text: str, tokens: Sequence[Any]) -> str | None:
    """The text from the first token to the last, comments between them included."""
    return text[tokens[0].start : tokens[-1].end + 1] if tokens else None


def _after(tokens: Sequence[Any], name: str) -> int | None:
    """The index after the first ``name`` token at depth 0."""
    depth = 0
    for index, token in enumerate(tokens):
        if token.name == name and depth == 0:
            return index + 1
        depth += (token.name in _OPEN) - (token.name in _CLOSE)
    return None


def last_token(text: str, name: str) -> int | None:
    """Where the last ``name`` token of ``text`` starts (comments are not tokens).

    >>> last_token("ALTER COLUMN a SET DEFAULT /* the default */ ", "DEFAULT")
    19
    """
    return next((t.start for t in reversed(_tokens(text)) if t.name == name), None)


def default_sql(text: str) -> str | None:
    """The expression after the first DEFAULT of ``text``, up to what ends it."""
    tokens = _tokens(text)
    start = _after(tokens, "DEFAULT")
    if start is None:
        return None
    taken: list[Any] = []
    depth = 0
    for token in tokens[start:]:
        depth += (token.name in _OPEN) - (token.name in _CLOSE)
        if depth < 0 or (depth == 0 and taken and token.name in _ENDS_DEFAULT):
            break
        taken.append(token)
    return _cut(text, taken)


def check_sql(text: str) -> str | None:
    """The condition inside the parentheses after the first CHECK of ``text``."""
    tokens = _tokens(text)
    start = _after(tokens, "CHECK")
    if start is None or start >= len(tokens) or tokens[start].name != "ASCII_40":
        return None
    depth = 0
    for index, token in enumerate(tokens[start:], start):
        depth += (token.name in _OPEN) - (token.name in _CLOSE)
        if depth == 0:
            return _cut(text, tokens[start + 1 : index])
    return None


def where_sql(text: str) -> str | None:
    """The predicate after the WHERE of a CREATE INDEX statement, to the statement's end."""
    tokens = _tokens(text)
    start = _after(tokens, "WHERE")
    if start is None:
        return None
    end = next((i for i, t in enumerate(tokens[start:], start) if t.name == "ASCII_59"), len(tokens))
    return _cut(text, tokens[start:end])


PLAIN = re.compile(r"[^'\"$\-/]*", re.DOTALL)
"""Statement text without quotes, dollar quotes or comments: safe to cut with regular expressions."""
_ALTER_HEAD = re.compile(
    r"\s*ALTER\s+(?:TABLE|INDEX|VIEW|MATERIALIZED\s+VIEW|FOREIGN\s+TABLE)\s+"
    r"(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?[\w.]+\s*(?:\*\s*)?",
    re.IGNORECASE,
)
_BREAKS = re.compile(r"[(),]")


def plain_command_starts(text: str) -> list[int] | None:
    """Where each sub-command of an ALTER statement without quotes or comments starts."""
    head = _ALTER_HEAD.match(text)
    if head is None:
        return None
    starts = [head.end()]
    depth = 0
    for match in _BREAKS.finditer(text, head.end()):
        char = match.group()
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0:
            rest = len(text) - len(text[match.end() :].lstrip())
            starts.append(rest)
    return starts


def scanned_command_starts(text: str) -> list[int] | None:
    """Where each sub-command of an ALTER statement starts, found with the server's scanner."""
    from pglast import parser

    try:
        tokens = parser.scan(text)
    except parser.ParseError:
        return None
    index = 0
    while index < len(tokens) and tokens[index].name in ("ALTER", "TABLE", "IF_P", "EXISTS", "ONLY"):
        index += 1
    index += 1  # the table name
    while index + 1 < len(tokens) and tokens[index].name == "ASCII_46":
        index += 2
    if index < len(tokens) and tokens[index].name == "ASCII_42":
        index += 1
    starts: list[int] = []
    depth = 0
    expect = True
    for token in tokens[index:]:
        if expect:
            starts.append(token.start)
            expect = False
        if token.name == "ASCII_40":
            depth += 1
        elif token.name == "ASCII_41":
            depth -= 1
        elif token.name == "ASCII_44" and depth == 0:
            expect = True
    return starts
