"""The one rule by which a table, column, index or constraint name is matched: the schema prefix
dropped, quotes stripped, case folded, except for an :class:`ExactName`, which keeps its case.

PostgreSQL's parser folds unquoted names to lower case and keeps quoted ones as written, so the
PostgreSQL front end marks a name with capitals as an ``ExactName``: ``"Orders"`` and ``orders``
are then two tables, as they are to the server. The other front ends' names fold, as their
engines mostly compare them. A spec and its patterns name tables without quotes, so recommend
matches names with case folded even for an ``ExactName`` (``key_of(name, any_case=True)``) and
refuses DDL whose names differ only in case.

>>> key_of('public."Orders"'), key_of("`shop`.`Items`"), key_of("[dbo].[Lines]")
('orders', 'items', 'lines')
>>> key_of(ExactName("sales.Orders")), key_of(ExactName("Orders"), any_case=True)
('Orders', 'orders')
"""

from __future__ import annotations

from collections.abc import Container


class ExactName(str):
    """A table, column or index name the engine keeps as spelled, so that DDL must quote it as
    written: on PostgreSQL one declared quoted with capitals (``"Orders"``, ``"createdAt"``), on
    MySQL and MariaDB a table name with capitals (its file name). It is still a ``str``, and
    only the DDL writers and :func:`key_of` look at the type.

    >>> name = ExactName("Orders")
    >>> name == "Orders", name.lower(), isinstance(name.lower(), ExactName)
    (True, 'orders', False)
    """

    __slots__ = ()


def key_of(name: str, *, any_case: bool = False) -> str:
    """``name``'s matching key; ``any_case`` folds an ``ExactName`` too. The key of a key is
    itself: an ``ExactName``'s key is one."""
    base = name.rsplit(".", 1)[-1]
    if isinstance(name, ExactName) and not any_case:
        return ExactName(base)
    return base.strip('"`[]').lower()


def exact(name: str) -> str:
    """A name PostgreSQL's parser returned: an ``ExactName`` if it has capitals (it was quoted).

    >>> type(exact("Orders")).__name__, type(exact("orders")).__name__
    ('ExactName', 'str')
    """
    return ExactName(name) if name != name.lower() else name


def fresh_name(base: str, taken: Container[str]) -> str:
    """``base``, or ``base1``, ``base2``... whichever is not the key of a name ``taken`` holds.

    >>> fresh_name("orders_user_id_idx", {"orders_user_id_idx"})
    'orders_user_id_idx1'
    """
    name, number = base, 0
    while key_of(name) in taken:
        number += 1
        name = f"{base}{number}"
    return name
