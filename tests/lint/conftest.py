"""Helpers for the linter's tests: lint SQL text as files in a temporary folder."""

from __future__ import annotations

from pathlib import Path

from advisor.lint.engine import LintFinding, Options, lint
from advisor.schema.source import read_source, sort_key


def lint_files(folder: Path, files: dict[str, str], options: Options | None = None) -> list[LintFinding]:
    """Write ``files`` (name to SQL) into ``folder`` and lint them in migration order."""
    paths = []
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return lint([read_source(p) for p in sorted(paths, key=sort_key)], options or Options())
