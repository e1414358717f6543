"""Storage sizes written by people (``20GB``, ``512 MiB``, ``1.5TB``) as a number of bytes."""

from __future__ import annotations

import math
import re

_UNITS = {
    "": 1,
    "b": 1,
    "kb": 10**3,
    "mb": 10**6,
    "gb": 10**9,
    "tb": 10**12,
    "pb": 10**15,
    "kib": 2**10,
    "mib": 2**20,
    "gib": 2**30,
    "tib": 2**40,
    "pib": 2**50,
}
_SIZE = re.compile(r"\s*([0-9][0-9_]*(?:\.[0-9]+)?|\.[0-9]+)\s*([a-z]*)\s*", re.IGNORECASE)

MAX_BYTES = 2**70
"""Far above any disk; bounds the arithmetic later stages do with sizes."""


def parse_size(text: str) -> int:
    """Bytes in ``text``: decimal units (``GB`` = 10^9) and binary ones (``GiB`` = 2^30), any case.

    Raises ``ValueError`` with a message fit for the user.

    >>> parse_size("20GB")
    20000000000
    >>> parse_size("512 MiB")
    536870912
    >>> parse_size("1.5TB")
    1500000000000
    >>> parse_size("4096")
    4096
    """
    match = _SIZE.fullmatch(text)
    unit = match.group(2).lower() if match else ""
    if match is None or unit not in _UNITS:
        raise ValueError("must be a number of bytes or a size like '20GB', '512 MiB' or '1.5TB'")
    amount = float(match.group(1).replace("_", ""))
    return bytes_from_number(amount * _UNITS[unit])


def bytes_from_number(amount: float) -> int:
    """A positive byte count from a number, rounded to whole bytes.

    >>> bytes_from_number(1e9)
    1000000000
    """
    if not math.isfinite(amount) or amount <= 0:
        raise ValueError("must be a positive size")
    if amount > MAX_BYTES:
        raise ValueError("is larger than any disk; check the unit")
    return max(1, round(amount))
