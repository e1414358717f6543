"""SQLite (placeholder)."""

from __future__ import annotations

from pathlib import Path

from advisor.introspect.model import Catalog
from advisor.introspect.postgres import Options


def introspect_sqlite(path: Path, options: Options) -> Catalog:
    raise NotImplementedError
