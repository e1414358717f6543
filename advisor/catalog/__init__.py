"""The rule catalog: one documented entry per rule id, shipped as data (``rules/<ID>.yaml``).

Importing this package is cheap; YAML and pydantic are imported only when a catalog is loaded,
so commands that never show rule docs do not pay for them.

>>> from advisor.catalog import load_catalog
>>> load_catalog().get("IDX001").name
'composite-index-order'
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from advisor.catalog.model import (
    RECOMMEND_FAMILIES,
    Catalog,
    Example,
    Family,
    Number,
    RuleDoc,
    Severity,
    Threshold,
)

__all__ = [
    "RECOMMEND_FAMILIES",
    "Catalog",
    "Example",
    "Family",
    "Number",
    "RuleDoc",
    "Severity",
    "Threshold",
    "load_catalog",
]


def load_catalog(directory: Path | None = None, families: Iterable[Family] | None = None) -> Catalog:
    """The shipped catalog (cached after the first call), or the one in ``directory`` (for tests);
    with ``families``, only their rules (their files alone are read).

    Raises :class:`advisor.errors.AdvisorError` naming the file and field of the first problem.
    """
    from advisor.catalog.load import load_catalog as load

    return load(directory, families)
