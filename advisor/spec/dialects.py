"""Dialect names as people write them, mapped to the sqlglot dialect the rest of the tool uses."""

from __future__ import annotations

import difflib

from sqlglot.dialects import DIALECT_MODULE_NAMES

DEFAULT_DIALECT = "postgres"

_ALIASES = {
    "postgresql": "postgres",
    "pg": "postgres",
    "psql": "postgres",
    # sqlglot 30 has no MariaDB dialect; its MySQL one reads and writes the DDL we need for both.
    "mariadb": "mysql",
    "sqlserver": "tsql",
    "mssql": "tsql",
    "sqlite3": "sqlite",
}


def known_dialects() -> list[str]:
    """The sqlglot dialect names, sorted (sqlglot's empty-named generic dialect left out).

    Read from the list of dialect modules sqlglot keeps, not from ``Dialect.classes``: that
    property imports every dialect module (a quarter of a second) to answer for one name.
    """
    return sorted(DIALECT_MODULE_NAMES)


def normalize_dialect(name: str) -> str:
    """The sqlglot dialect called ``name`` (case-insensitive, common aliases accepted).

    Raises ``ValueError`` naming the closest known dialect.

    >>> normalize_dialect("PostgreSQL")
    'postgres'
    >>> normalize_dialect("mariadb")
    'mysql'
    """
    wanted = name.strip().lower()
    wanted = _ALIASES.get(wanted, wanted)
    known = known_dialects()
    if wanted in known:
        return wanted
    close = difflib.get_close_matches(wanted, [*known, *_ALIASES], n=1)
    if close:
        raise ValueError(f"unknown dialect {name!r} (did you mean {close[0]!r}?)")
    raise ValueError(f"unknown dialect {name!r}; known: {', '.join(known)}")
