"""Dialect names as people write them, mapped to the sqlglot dialect the rest of the tool uses
(the names and aliases are the registry's, ``advisor.dialects``)."""

from __future__ import annotations

from advisor.dialects import DEFAULT_DIALECT as DEFAULT_DIALECT
from advisor.dialects import dialect


def normalize_dialect(name: str) -> str:
    """The sqlglot dialect called ``name`` (case-insensitive, common aliases accepted).

    Raises ``ValueError`` naming the closest known dialect.

    >>> normalize_dialect("PostgreSQL")
    'postgres'
    >>> normalize_dialect("mariadb")
    'mysql'
    """
    return dialect(name).sqlglot
