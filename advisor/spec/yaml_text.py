"""Scalars written as YAML text that the spec reader reads back as the same value and type: a plain
word stays plain, anything else is a double-quoted string with escapes, so that no name or value
can end a line, start a key or turn into another type (``yes``, ``1e3``, ``null``). Used by every
writer of a spec (``advisor introspect``, ``advisor init``)."""

from __future__ import annotations

import math
import re

_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:[ .()-][A-Za-z0-9_]+)*\)?")
# words YAML 1.1 reads as booleans or null; PyYAML (and the spec loader) follow YAML 1.1
YAML_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf"})
_ESCAPES = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def scalar(value: str | int | float | bool | None) -> str:
    """``value`` as one line of YAML that reads back as the same value and type.

    >>> scalar("orders"), scalar("yes"), scalar("a: b"), scalar("x\\ny"), scalar(3), scalar(0.5)
    ('orders', '"yes"', '"a: b"', '"x\\\\ny"', '3', '0.5')
    >>> scalar(1e-7), scalar(2e20), scalar("varchar(20)"), scalar("1e3")
    ('1.0e-07', '2.0e+20', 'varchar(20)', '"1e3"')
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float(value)
    if _PLAIN.fullmatch(value) and value.lower() not in YAML_WORDS and value.count("(") == value.count(")"):
        return value
    return _quoted(value)


def _float(value: float) -> str:
    """A float YAML 1.1 reads as the same float: it needs a dot, and a signed exponent.

    >>> _float(1e16), _float(1e-7), _float(3.0), _float(1000000000000001.0)
    ('1.0e+16', '1.0e-07', '3.0', '1000000000000001.0')
    """
    if not math.isfinite(value):
        raise ValueError(f"not a finite number: {value}")
    text = repr(value)
    mantissa, e, exponent = text.partition("e")
    if "." not in mantissa:
        mantissa += ".0"
    return f"{mantissa}{e}{exponent}"


def _quoted(text: str) -> str:
    """A double-quoted YAML string; backslash, quote and every character that is not printable
    (line breaks of any kind, controls, format characters) are escapes."""
    out = ['"']
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ch.isprintable():
            out.append(ch)
        elif ord(ch) <= 0xFF:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    out.append('"')
    return "".join(out)
