"""Echoed input made inert: text taken from the input (a name, a literal, a file name) must never
start an output line of its own, where a CI system would read it as a command (GitHub's
``::error file=...::``) or a person as a finding the tool did not make.

Every character that ends a line somewhere (``\\n``, ``\\r``, ``\\v``, ``\\f``, the information
separators, NEL, U+2028/U+2029) and every other control character (ESC starts terminal sequences
that can rewrite a line) is shown as its escape instead.
"""

from __future__ import annotations

import dataclasses
import re
from enum import Enum
from typing import Any, TypeVar

T = TypeVar("T")

_UNSAFE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\x0b": "\\v", "\x0c": "\\f", "\x00": "\\0"}
_SAFE_START = re.compile(r"[\w./~\\<]")
"""How a file name shown at the start of a line may begin; anything else gets ``./`` before it."""


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


def inert(text: str) -> str:
    """``text`` on one line, control characters and line terminators escaped.

    >>> inert("orders\\n::error file=x::boom")
    'orders\\\\n::error file=x::boom'
    >>> inert("a\\u2028b\\x1b[2Kc\\td")
    'a\\\\u2028b\\\\x1b[2Kc\\td'
    """
    return _UNSAFE.sub(_escape, text)


_COMMAND = re.compile(r"^([ \t]*)(::|##\[|##vso\[)", re.MULTILINE)
"""A line that CI runners read as a command: GitHub's ``::error ...::`` (after leading
whitespace, which the runner trims) and Azure's ``##vso[...]`` / ``##[group]``."""


def no_commands(text: str) -> str:
    r"""``text`` with a backslash before a line's leading ``::``, ``##[`` or ``##vso[``: the
    report's own layout (a wrapped line, a table cell, a name that starts a row) may put echoed
    text at the start of a line, and CI runners must not take it for a command.

    >>> print(no_commands("t\n   ::error file=x::boom\n##[group]x\n## Findings"))
    t
       \::error file=x::boom
    \##[group]x
    ## Findings
    """
    return _COMMAND.sub(lambda m: f"{m.group(1)}\\{m.group(2)}", text)


def inert_sql(sql: str) -> str:
    """SQL of one or more statements, one statement a line: a line break is kept only where a
    statement ends (after ``;``), as the emitter joins statements; any other is input's and is
    escaped with the rest.

    >>> inert_sql("CREATE INDEX i ON t (a);\\nDROP INDEX j;")
    'CREATE INDEX i ON t (a);\\nDROP INDEX j;'
    >>> inert_sql("CREATE INDEX i ON t (a) WHERE b = 'x\\n::error::y';")
    "CREATE INDEX i ON t (a) WHERE b = 'x\\\\n::error::y';"
    """
    lines: list[str] = []
    for piece in sql.split("\n"):
        if lines and not lines[-1].rstrip().endswith(";"):
            lines[-1] += "\n" + piece
        else:
            lines.append(piece)
    return "\n".join(inert(line) for line in lines)


def shown_path(name: str) -> str:
    """A file name fit to start a line: inert, and with ``./`` before it unless it starts like a
    path (a letter, digit, ``_``, ``.``, ``/``, ``~``, ``\\``, or ``<stdin>``).

    >>> shown_path("db/001.sql"), shown_path("::error file=x::a.sql"), shown_path("-x.sql")
    ('db/001.sql', './::error file=x::a.sql', './-x.sql')
    """
    text = inert(name)
    return text if _SAFE_START.match(text) else f"./{text}"


def inert_fields(value: T, multiline: frozenset[str] = frozenset({"ddl"})) -> T:
    """A copy of a tree of frozen dataclasses (and tuples) with every string made inert; fields
    named in ``multiline`` hold SQL and keep their statement breaks (:func:`inert_sql`)."""
    return _walk(value, multiline, sql=False)  # type: ignore[no-any-return]


def _walk(value: Any, multiline: frozenset[str], sql: bool) -> Any:
    if isinstance(value, Enum):  # a StrEnum is a str, but the tool's own
        return value
    if isinstance(value, str):
        return inert_sql(value) if sql else inert(value)
    if isinstance(value, tuple):
        return tuple(_walk(item, multiline, sql) for item in value)
    if isinstance(value, dict):
        return {_walk(k, multiline, False): _walk(v, multiline, sql) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: _walk(getattr(value, f.name), multiline, f.name in multiline)
            for f in dataclasses.fields(value)
            if f.init
        }
        return dataclasses.replace(value, **changes)
    return value
