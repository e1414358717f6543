"""Sizes as people read them, for every stage that writes one (the rules' findings, the report)."""

from __future__ import annotations


def human_bytes(n: float) -> str:
    """``41 GB``-style sizes (decimal units, sign kept).

    >>> human_bytes(41.2e9), human_bytes(-19e9), human_bytes(120e6), human_bytes(8192)
    ('41.2 GB', '-19.0 GB', '120.0 MB', '8.2 kB')
    """
    sign = "-" if n < 0 else ""
    n = abs(n)
    for unit, size in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= size:
            return f"{sign}{n / size:.1f} {unit}"
    return f"{sign}{n:.0f} B"
