"""Helpers for the spec tests: write an input file, load it, and read the error it gives."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from advisor.errors import AdvisorError
from advisor.spec.load import load_spec


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write dedented ``text`` to ``tmp_path / name`` (folders created) and return the path."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return _write


def _error_of(path: Path) -> str:
    with pytest.raises(AdvisorError) as caught:
        load_spec(path)
    return str(caught.value)


@pytest.fixture
def error_of() -> Callable[[Path], str]:
    """The one-line message ``load_spec`` raises for a path (fails the test if the file loads)."""
    return _error_of
