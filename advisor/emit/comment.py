"""SQL comment lines that stay one line whatever text they echo.

A ``--`` comment runs to the end of its line, so a table name, a pattern's string literal or a
partial index's predicate holding a line end would end the comment and the rest would run as SQL
(``psql -f``, ``mariadb < script``, ``sqlite3``). Every comment of a script is written here.
"""

from __future__ import annotations

from advisor.oneline import one_line


def comment(text: str) -> str:
    r"""``text`` as one ``--`` comment line of SQL.

    >>> comment("#1 IDX001: t (c\nDROP TABLE precious; --)")
    '-- #1 IDX001: t (c\\nDROP TABLE precious; --)'
    """
    return f"-- {one_line(text)}"
