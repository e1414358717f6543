"""Run the input models over the YAML data and turn pydantic's errors into one located ``AdvisorError``."""

from __future__ import annotations

import difflib
import types
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from advisor.errors import AdvisorError, Location
from advisor.spec.input import SpecIn
from advisor.spec.yamlsource import LineDict, PathPart, format_path, line_at

_MESSAGES = {
    "missing": "is required",
    "string_type": "must be text",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "dict_type": "must be a mapping of keys to values",
    "model_type": "must be a mapping of keys to values",
    "model_attributes_type": "must be a mapping of keys to values",
    "list_type": "must be a list",
    "string_too_short": "must not be empty",
    "too_short": "must not be empty",
}


def validate_input(raw: LineDict, path: Path) -> SpecIn:
    """The validated input model of ``raw`` (read from ``path``), or the first error in file order."""
    try:
        return SpecIn.model_validate(raw)
    except ValidationError as exc:
        raise to_advisor_error(exc.errors(include_url=False), raw, path) from None


def to_advisor_error(errors: list[ErrorDetails], raw: LineDict, path: Path) -> AdvisorError:
    """The error that comes first in the file, with its line and dotted field path."""
    located = []
    for order, error in enumerate(errors):
        loc = tuple(error["loc"])
        line = line_at(raw, loc)
        located.append((line if line is not None else 0, order, loc, error))
    _, _, loc, error = min(located, key=lambda item: (item[0], item[1]))
    line = line_at(raw, loc)
    return AdvisorError(_message(error, loc), Location(path, line, format_path(loc) or None))


def _message(error: ErrorDetails, loc: tuple[PathPart, ...]) -> str:
    """Our wording for a pydantic error."""
    kind = error["type"]
    if kind == "extra_forbidden" and loc:
        return _unknown_key_message(str(loc[-1]), _valid_keys(SpecIn, loc[:-1]))
    if kind in ("enum", "literal_error"):
        expected = (error.get("ctx") or {}).get("expected", "")
        return f"must be {expected}" if expected else "is not one of the accepted values"
    if kind in _MESSAGES:
        return _MESSAGES[kind]
    message = error["msg"]
    return message[:1].lower() + message[1:]


def _unknown_key_message(key: str, valid: list[str]) -> str:
    """The message for a key the model does not know, with the closest valid key.

    >>> _unknown_key_message("nvd", ["type", "ndv", "unique"])
    "unknown key 'nvd' (did you mean 'ndv'?)"
    """
    close = difflib.get_close_matches(key, valid, n=1, cutoff=0.6)
    if close:
        return f"unknown key {key!r} (did you mean {close[0]!r}?)"
    if valid:
        return f"unknown key {key!r} (valid keys: {', '.join(valid)})"
    return f"unknown key {key!r}"


def _valid_keys(model: type[BaseModel], loc: tuple[PathPart, ...]) -> list[str]:
    """The keys accepted by the model found at ``loc`` below ``model`` (empty if none is found)."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            fields = {info.alias or name: info for name, info in current.model_fields.items()}
            if not isinstance(part, str) or part not in fields:
                return []
            current = fields[part].annotation
        elif get_origin(current) is list:
            current = get_args(current)[0]
        elif get_origin(current) is dict:
            current = get_args(current)[1]
        else:
            return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [info.alias or name for name, info in current.model_fields.items()]
    return []


def _unwrap(annotation: Any) -> Any:
    """``X`` from ``Annotated[X, ...]`` and ``X | None``."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            members = [arg for arg in get_args(annotation) if arg is not type(None)]
            if len(members) != 1:
                return annotation
            annotation = members[0]
        else:
            return annotation
