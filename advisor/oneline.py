"""Text from the input shown on one line: names, literals and predicates echoed in SQL comments
and in error messages must not be able to start a line of their own.

Line ends are more than ``\\n``: psql and PostgreSQL also end a ``--`` comment at ``\\r``, and
editors, terminals and diff viewers break at ``\\x0b``, ``\\x0c``, ``\\x1c``-``\\x1e``, ``\\x85``,
U+2028 and U+2029. Format characters (bidirectional overrides) can make a line read differently
from what it holds. Every such character is written as its Python escape instead.
"""

from __future__ import annotations

import unicodedata

_HIDDEN = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
"""The characters that end a line somewhere (listed above); ``one_line`` escapes them all."""


def one_line(text: str) -> str:
    r"""``text`` with every control, format and line or paragraph separator character escaped.

    >>> one_line("orders (c\ndrop table precious; --)")
    'orders (c\\ndrop table precious; --)'
    >>> one_line("a\u2028b\rc\x85d\te"), one_line("prix à l'unité")
    ('a\\u2028b\\rc\\x85d\\te', "prix à l'unité")
    """
    if text.isprintable():
        return text
    return "".join(
        ch.encode("unicode_escape").decode("ascii") if unicodedata.category(ch) in _HIDDEN else ch
        for ch in text
    )
