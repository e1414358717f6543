"""The report as JSON: ``json.dumps(..., indent=2)`` of the result's plain data, written by its own
encoder in one pass, because a large report holds a million values."""

from __future__ import annotations

import dataclasses
import json
import math
from enum import Enum
from json.encoder import encode_basestring_ascii
from typing import Any

from advisor.explain.result import Result
from advisor.report.formats.base import Formatter


class JsonFormatter(Formatter):
    """The result as JSON (``version`` first); see the README for the fields."""

    name = "json"

    def render(self, result: Result) -> str:
        names = _field_names(type(result))
        out: list[str] = []
        # json.dumps(..., indent=2) of the plain data, written in one pass without the copy: a
        # large report holds a million values and json's own indenting encoder is pure Python
        _object(
            [("version", result.version), *((n, getattr(result, n)) for n in names if n != "version")],
            out,
            "\n",
        )
        out.append("\n")
        return "".join(out)


def _field_names(kind: type) -> tuple[str, ...]:
    names = _FIELDS.get(kind)
    if names is None:
        names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(kind))
    return names


def _write(value: Any, out: list[str], newline: str) -> None:
    """``value`` as ``json.dumps(value, indent=2)`` would write it, nested at ``newline``, with
    dataclasses as objects of their fields, enums as their values and floats rounded to 6 places."""
    kind = type(value)
    if kind is str:
        out.append(encode_basestring_ascii(value))
    elif kind is float:
        out.append(_float(round(value, 6)))
    elif kind is bool:
        out.append("true" if value else "false")
    elif kind is int:
        out.append(int.__repr__(value))
    elif value is None:
        out.append("null")
    elif kind in _FIELDS or (dataclasses.is_dataclass(value) and not isinstance(value, type)):
        _object([(n, getattr(value, n)) for n in _field_names(kind)], out, newline)
    elif isinstance(value, Enum):
        _write(value.value, out, newline)
    elif isinstance(value, dict):
        _object(list(value.items()), out, newline)
    elif isinstance(value, list | tuple):
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        out.append("[")
        for i, item in enumerate(value):
            out.append(inner if i == 0 else "," + inner)
            _write(item, out, inner)
        out.append(newline + "]")
    elif isinstance(value, float):
        out.append(_float(round(value, 6)))
    elif isinstance(value, str):
        out.append(encode_basestring_ascii(value))
    else:  # what json.dumps would refuse
        raise TypeError(f"Object of type {kind.__name__} is not JSON serializable")


def _object(items: list[tuple[Any, Any]], out: list[str], newline: str) -> None:
    if not items:
        out.append("{}")
        return
    inner = newline + "  "
    out.append("{")
    for i, (key, item) in enumerate(items):
        out.append(inner if i == 0 else "," + inner)
        out.append(encode_basestring_ascii(key if isinstance(key, str) else _key(key)))
        out.append(": ")
        _write(item, out, inner)
    out.append(newline + "}")


def _key(key: object) -> str:
    """A non-string key as json.dumps writes it."""
    if isinstance(key, bool) or key is None:
        return json.dumps(key)
    if isinstance(key, float):
        return _float(key)
    return str(key)


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (math.inf, -math.inf):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


_AS_IS = frozenset({str, int, bool, type(None)})
_FIELDS: dict[type, tuple[str, ...]] = {}
"""Each dataclass's field names, looked up once: a large report holds a million values."""
