"""Rewrite the bind-parameter styles a dialect's parser misreads into styles it reads.

Patterns are copied from application code, so they carry whatever placeholder style the driver
uses: ``:name`` (SQLAlchemy, Oracle), ``$1`` (PostgreSQL), ``?`` and ``?1`` (JDBC, SQLite),
``%(name)s`` and ``%s`` (psycopg, MySQLdb). sqlglot reads ``:name`` and ``?`` in every dialect, the
others only in some (MySQL reads ``$1`` as a column named ``$1``, ``%s`` as a modulo), so the styles a
dialect misreads are rewritten before parsing: named ones to ``:name``, numbered and anonymous ones
to ``?``. Text inside string literals, quoted identifiers and comments is left alone. Each rewrite
is padded with spaces to the length of what it replaces, so that the line and column of a parse
error still point into the user's text.

>>> normalize_placeholders("SELECT * FROM t WHERE a = %(uid)s AND b LIKE '%s' AND c = $1", "mysql")
"SELECT * FROM t WHERE a = :uid    AND b LIKE '%s' AND c = ? "
"""

from __future__ import annotations

import re
from functools import lru_cache

import sqlglot
from sqlglot import exp
from sqlglot.dialects.dialect import Dialect

# Each style: a sample to probe the dialect's parser with, and the regex alternative that finds
# it in text. The group named after the style holds the part a rewrite keeps (a name) or pads.
# Every alternative starts with its literal character and checks what precedes it afterwards:
# the regex engine then rejects most positions on their first character, which keeps the scan
# a small fraction of the parse.
_STYLES: dict[str, tuple[str, str]] = {
    "pyformat": ("%(p)s", r"%\((?P<pyformat>[A-Za-z_]\w*)\)s"),
    "format": ("%s", r"%s(?<!%%s)(?!\w)(?P<format>)"),
    "dollar_number": ("$1", r"\$(?<![\w$]\$)(?P<dollar_number>\d+)"),
    "dollar_name": ("$p", r"\$(?<![\w$]\$)(?P<dollar_name>[A-Za-z_]\w*)(?!\$)"),
    "question_number": ("?1", r"\?(?<![\w?]\?)(?P<question_number>\d+)"),
    # A ``:1`` right after a word, a bracket or a colon is an array slice or a ``::`` cast.
    "colon_number": (":1", r":(?<![\w:\[\])]:)(?P<colon_number>\d+)"),
}
_NAMED = frozenset({"pyformat", "dollar_name"})


def normalize_placeholders(sql: str, dialect: str) -> str:
    """``sql`` with every placeholder style that ``dialect`` misreads rewritten to ``:name`` or ``?``.

    ``dialect`` must be a dialect name sqlglot knows.

    >>> normalize_placeholders("SELECT * FROM t WHERE a = ?1 AND b = '?1'", "sqlite")
    "SELECT * FROM t WHERE a = ?  AND b = '?1'"
    >>> normalize_placeholders("SELECT * FROM t WHERE a = $1", "postgres")
    'SELECT * FROM t WHERE a = $1'
    """
    finder, scanner = _patterns(dialect)
    if finder is None or scanner is None or finder.search(sql) is None:
        return sql
    return scanner.sub(_rewrite, sql)


def _rewrite(match: re.Match[str]) -> str:
    style = match.lastgroup
    text = match.group(0)
    if style is None or style == "skip":
        return text
    kept = match.group(style)
    replacement = ":" + kept if style in _NAMED else "?"
    return replacement.ljust(len(text))


@lru_cache(maxsize=64)
def _patterns(dialect: str) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """A quick finder for the styles ``dialect`` misreads and the scanner that rewrites them.

    Both are None when the dialect reads every style. Built once per dialect, because probing
    parses a statement per style.
    """
    styles = [style for style, (sample, _) in _STYLES.items() if not _reads(dialect, sample)]
    if not styles:
        return None, None
    wanted = "|".join(_STYLES[style][1] for style in styles)
    starts = re.escape("".join(sorted({_STYLES[style][0][0] for style in styles})))
    skip = "|".join(_skipped_text(dialect))
    finder = re.compile(f"(?=[{starts}])(?:{wanted})")
    scanner = re.compile(f"(?=[{starts}'\"`/#$eE-])(?:(?P<skip>{skip})|{wanted})", re.DOTALL)
    return finder, scanner


def _reads(dialect: str, sample: str) -> bool:
    """Whether ``dialect``'s parser reads ``sample`` as a placeholder or parameter."""
    try:
        tree = sqlglot.parse_one(f"SELECT a FROM t WHERE a = {sample}", read=dialect)
    except Exception:  # any failure means "not read": the style gets rewritten
        return False
    where = tree.args.get("where")
    value = where.this.expression if isinstance(where, exp.Where) else None
    return isinstance(value, (exp.Placeholder, exp.Parameter))


def _skipped_text(dialect: str) -> list[str]:
    """Regex alternatives for the text that can hold placeholder look-alikes: literals, quoted
    identifiers, comments."""
    tokenizer = Dialect.get_or_raise(dialect).tokenizer_class
    backslash = "\\" in tokenizer.STRING_ESCAPES
    inside = r"(?:[^{q}\\]|\\.)*" if backslash else r"[^{q}]*"
    forms = [
        # E'...' strings take backslash escapes in every dialect that has them.
        r"[eE](?<![\w$][eE])'(?:[^'\\]|\\.)*'",
        "'" + inside.format(q="'") + "'",
        '"' + inside.format(q='"') + '"',
        r"`[^`]*`",
        r"--[^\n]*",
        r"/\*.*?\*/",
    ]
    if "#" in tokenizer.COMMENTS:
        forms.append(r"\#[^\n]*")
    if "$" in getattr(tokenizer, "HEREDOC_STRINGS", ()):
        forms.append(r"\$(?P<tag>(?:[A-Za-z_]\w*)?)\$.*?\$(?P=tag)\$")
    return forms
