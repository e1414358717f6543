"""The one rule by which a table, column, index or constraint name is matched: the schema prefix
dropped, quotes stripped, case folded. DDL, migrations, specs and lint settings all key names
with it, so a rename or a drop finds what a create made whichever reader read it.

Case is folded for quoted names too: PostgreSQL keeps ``"Orders"`` apart from ``orders``, but a
spec and its patterns name tables without quotes, so matching them needs one key per table.
``spec.model.ExactName`` keeps the spelling where DDL must be written as declared.

>>> key_of('public."Orders"'), key_of("`shop`.`Items`"), key_of("[dbo].[Lines]")
('orders', 'items', 'lines')
"""

from __future__ import annotations


def key_of(name: str) -> str:
    """``name``'s matching key."""
    return name.rsplit(".", 1)[-1].strip('"`[]').lower()
