"""Which DDL files ``schema:`` names (a folder stands for its migrations, in the order
``advisor.schema.files`` gives them)."""

from __future__ import annotations

from pathlib import Path

from advisor.errors import AdvisorError, Location
from advisor.schema.files import migration_files


def schema_files(entries: list[str], base: Path, where: Location) -> list[Path]:
    """The DDL files for the ``schema:`` entries, relative to ``base`` (the YAML file's folder)."""
    files: list[Path] = []
    for entry in entries:
        path = base / entry
        try:
            if path.is_dir():
                found = migration_files(path)
                if not found:
                    raise AdvisorError(f"no .sql files in folder {entry!r}", where)
                files.extend(found)
            elif path.is_file():
                files.append(path)
            elif path.exists():
                raise AdvisorError(f"{entry!r} is not a regular file or folder", where)
            else:
                raise AdvisorError(f"schema file or folder {entry!r} not found (looked in {base})", where)
        except (OSError, ValueError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            raise AdvisorError(f"cannot read {entry!r}: {reason}", where) from None
    return files
