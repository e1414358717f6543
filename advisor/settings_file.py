"""The project's configuration file: the nearest ``advisor.toml``, or ``pyproject.toml`` with a
``[tool.advisor]`` table, and the section one command reads from it."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from advisor.errors import AdvisorError, Location


def config_section(path: Path, name: str) -> tuple[dict[str, Any], str]:
    """The table ``name`` (``lint``, ``recommend``) of the configuration file ``path``, and its
    dotted key for error messages: ``[name]`` in advisor.toml, ``[tool.advisor.name]`` otherwise."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise AdvisorError(f"cannot read the file: {exc.strerror or exc}", Location(path)) from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise AdvisorError(f"invalid TOML: {exc}", Location(path)) from None
    prefix = name if path.name == "advisor.toml" else f"tool.advisor.{name}"
    section: Any = data
    for part in prefix.split("."):
        section = section.get(part, {}) if isinstance(section, dict) else {}
    if not isinstance(section, dict):
        raise AdvisorError("must be a table", Location(path, field=prefix))
    return section, prefix


def find_config(start: Path) -> Path | None:
    """The nearest advisor.toml, or pyproject.toml with a ``[tool.advisor]`` table, from ``start`` up."""
    for folder in [start, *start.parents]:
        own = folder / "advisor.toml"
        if own.is_file():
            return own
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                if "advisor" in tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {}):
                    return pyproject
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                continue
    return None
