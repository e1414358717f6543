"""Which SQL files a folder of migrations holds, in the order migration tools apply them, and the
up half of a file that holds both directions.

A folder stands for its ``*.sql`` files (not its subfolders), sorted naturally (``V2`` before ``V10``),
leaving out the files that undo a migration: ``*.down.sql`` / ``*_down.sql`` / ``down.sql``
(golang-migrate, sqlx...) and Flyway's ``U<version>__*.sql``. In files that hold both directions
(dbmate's ``-- migrate:down``, goose's ``-- +goose Down``), only the part before the down marker counts.
"""

from __future__ import annotations

import re
from pathlib import Path

_DIGITS = re.compile(r"(\d+)")
_UNDO_FILE = re.compile(r"(^|.*[._-])down\.sql$|^u\d[\w.]*__.*\.sql$", re.IGNORECASE)
_DOWN_MARKERS = ("-- migrate:down", "-- +goose down")


def natural_key(name: str) -> tuple[tuple[int, int, str], ...]:
    """A sort key that compares runs of digits as numbers, and the rest case-insensitively.

    >>> sorted(["V10__c.sql", "V2__b.sql", "V1__a.sql"], key=natural_key)
    ['V1__a.sql', 'V2__b.sql', 'V10__c.sql']
    """
    parts = _DIGITS.split(name)
    return tuple(
        (0, int(part), part) if index % 2 else (1, 0, part.casefold())
        for index, part in enumerate(parts)
        if part
    )


def is_undo_migration(name: str) -> bool:
    """Whether a file name is the down / undo half of a migration.

    >>> [is_undo_migration(n) for n in ["001_init.down.sql", "down.sql", "U2__x.sql", "002_users.up.sql"]]
    [True, True, True, False]
    """
    return _UNDO_FILE.match(name) is not None


def up_section(text: str) -> str:
    """The text before a ``-- migrate:down`` / ``-- +goose Down`` line (line numbers unchanged).

    >>> up_section("-- migrate:up\\nCREATE TABLE a (x int);\\n-- migrate:down\\nDROP TABLE a;\\n")
    '-- migrate:up\\nCREATE TABLE a (x int);\\n'
    """
    offset = 0
    for line in text.splitlines(keepends=True):
        if line.strip().lower().startswith(_DOWN_MARKERS):
            return text[:offset]
        offset += len(line)
    return text


def migration_files(folder: Path) -> list[Path]:
    """The up-migration ``.sql`` files directly in ``folder``, in application order."""
    files = [
        path
        for path in folder.iterdir()
        if path.suffix.lower() == ".sql" and path.is_file() and not is_undo_migration(path.name)
    ]
    return sorted(files, key=lambda path: natural_key(path.name))
