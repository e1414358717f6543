"""Helpers for writing small, deliberately broken catalogs into temporary folders."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

VALID_RULE: dict[str, Any] = {
    "id": "IDX001",
    "name": "composite-index-order",
    "title": "Composite index keys",
    "family": "IDX",
    "severity": "warning",
    "thresholds": {"min_table_rows": {"default": 10000, "description": "Smaller tables are skipped."}},
    "what": "Checks key order.",
    "why": "Ranges stop the seek.",
    "example": {"bad": "CREATE INDEX a ON t (r, e);", "good": "CREATE INDEX b ON t (e, r);"},
    "fix": "Put equality columns first.",
    "dialects": {"mysql": "Same rule."},
}

WriteRule = Callable[..., Path]


@pytest.fixture
def valid_rule() -> dict[str, Any]:
    """A fresh, valid rule mapping to mutate."""
    return copy.deepcopy(VALID_RULE)


@pytest.fixture
def write_rule(tmp_path: Path) -> WriteRule:
    """Write a rule (a mapping, or raw text) as ``<tmp>/rules/<stem>.yaml``; return the folder."""
    folder = tmp_path / "rules"
    folder.mkdir()

    def write(content: dict[str, Any] | str, stem: str | None = None, suffix: str = ".yaml") -> Path:
        if isinstance(content, str):
            assert stem is not None, "raw text needs a file stem"
            text = content
        else:
            stem = stem or str(content["id"])
            text = yaml.safe_dump(content, sort_keys=False)
        (folder / f"{stem}{suffix}").write_text(text, encoding="utf-8")
        return folder

    return write
