"""Migration files as the linter reads them: which files, in which order, and positions in their text."""

from __future__ import annotations

import bisect
import functools
import glob
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from advisor.errors import AdvisorError, Location
from advisor.schema.files import is_undo_migration, natural_key, up_section


@dataclass(frozen=True)
class Source:
    """One migration's text and the name findings use for it."""

    name: str
    text: str


_BLOCK = 4096
_CONTINUATION = bytes(1 if 0x80 <= byte < 0xC0 else 0 for byte in range(256))
"""Maps each UTF-8 continuation byte (``10xxxxxx``) to 1 and every other byte to 0."""


class Positions:
    """Turns UTF-8 byte offsets (what libpg_query reports) or character offsets into line and column.

    >>> p = Positions("ab\\nçd\\n")
    >>> p.from_byte(4), p.from_char(4)
    ((2, 2), (2, 2))
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.data = text.encode("utf-8")
        self.ascii = len(self.data) == len(text)
        """Bytes and characters coincide: no decoding needed for a column."""
        # lines end at "\n" only, as editors and the parsers count them (not at \r or \x1e)
        self._char_starts = [0]
        index = text.find("\n")
        while index != -1:
            self._char_starts.append(index + 1)
            index = text.find("\n", index + 1)
        self._byte_starts = self._char_starts
        self._checkpoints: list[int] | None = None
        self._marks = b""
        if not self.ascii:
            self._byte_starts = [0]
            offset = self.data.find(b"\n")
            while offset != -1:
                self._byte_starts.append(offset + 1)
                offset = self.data.find(b"\n", offset + 1)

    def from_byte(self, offset: int) -> tuple[int, int]:
        """Line and column (1-based, the column counted in characters) of a byte offset."""
        offset = max(0, min(offset, len(self.data)))
        row = bisect.bisect_right(self._byte_starts, offset) - 1
        start = self._byte_starts[row]
        if self.ascii:
            return row + 1, offset - start + 1
        return row + 1, self._chars_before(offset) - self._chars_before(start) + 1

    def _chars_before(self, offset: int) -> int:
        """Characters in the first ``offset`` bytes: bytes less UTF-8 continuation bytes, counted
        from a checkpoint every ``_BLOCK`` bytes, so a column on a long line costs no more than a
        block (decoding from the line's start made one long line quadratic)."""
        if self._checkpoints is None:
            marks = self.data.translate(_CONTINUATION)
            counts = [0]
            for block in range(0, len(marks), _BLOCK):
                counts.append(counts[-1] + marks.count(1, block, block + _BLOCK))
            self._marks, self._checkpoints = marks, counts
        block = offset // _BLOCK
        return offset - self._checkpoints[block] - self._marks.count(1, block * _BLOCK, offset)

    def from_char(self, offset: int) -> tuple[int, int]:
        """Line and column (1-based) of a character offset."""
        row = bisect.bisect_right(self._char_starts, offset) - 1
        return row + 1, offset - self._char_starts[row] + 1


_NOT_UP_FOLDERS = {"revert", "verify"}
"""Sqitch keeps undo and check scripts in these folders beside ``deploy``."""


def sort_key(path: Path) -> tuple[tuple[tuple[int, int, str], ...], ...]:
    """Migration order: each path component compared naturally (``V2`` before ``V10``), and
    Flyway's repeatable migrations (``R__*.sql``) after the versioned ones, as Flyway runs them.

    >>> sorted([Path("m/R__views.sql"), Path("m/V10__b.sql"), Path("m/V2__a.sql")], key=sort_key)
    [PosixPath('m/V2__a.sql'), PosixPath('m/V10__b.sql'), PosixPath('m/R__views.sql')]
    """
    repeatable = ((1 if path.name.startswith("R__") else 0, 0, ""),)
    return (*(_natural(part) for part in path.parts[:-1]), repeatable + natural_key(path.name))


_natural = functools.cache(natural_key)
"""Folder names repeat across a tree's files: their keys are computed once."""


def expand_paths(arguments: list[str], on_empty: Callable[[Path], None] | None = None) -> list[Path]:
    """Files for the command-line arguments: folders searched for ``*.sql``, globs expanded, undo
    migrations left out however they were named; all in migration order, without repeats.

    A folder without migrations is an error, or passed to ``on_empty`` when given (the command
    notes it: a project whose migrations folder is still empty has nothing to lint)."""
    found: dict[Path, None] = {}
    for argument in arguments:
        # glob.glob, not Path.glob: the pattern may be absolute or start with ../
        matches = sorted(glob.glob(argument, recursive=True)) if glob.has_magic(argument) else [argument]  # noqa: PTH207
        if not matches:
            raise AdvisorError(f"no file matches {argument!r}")
        for match in matches:
            path = Path(match)
            if path.is_dir():
                inside = [
                    item
                    for item in path.rglob("*.sql")
                    if item.is_file() and not is_undo_migration(item.name) and not _in_undo_folder(item, path)
                ]
                if not inside and on_empty is None:
                    raise AdvisorError("no .sql migration files in this folder", Location(path))
                if not inside and on_empty is not None:
                    on_empty(path)
                found.update(dict.fromkeys(inside))
            elif path.exists():
                found[path] = None
            else:
                raise AdvisorError("no such file or folder", Location(path))
    return sorted(_up_files(found), key=sort_key)


def _up_files(files: dict[Path, None]) -> list[Path]:
    """The files that are migrations up, as a folder would give them: ``advisor lint $(cat list)``
    must not replay each ``down.sql`` before its ``up.sql``. When every file is an undo script, the
    user asked for exactly those, and gets them."""
    up = [path for path in files if not _is_undo_file(path)]
    return up or list(files)


def _is_undo_file(path: Path) -> bool:
    """An undo migration by its name, or a script in Sqitch's ``revert`` / ``verify`` folder (beside
    a ``deploy`` one)."""
    if is_undo_migration(path.name):
        return True
    parent = path.parent
    return parent.name.lower() in _NOT_UP_FOLDERS and (parent.parent / "deploy").is_dir()


def _in_undo_folder(item: Path, root: Path) -> bool:
    text = item.as_posix()
    if not any(f"/{name}/" in text for name in _NOT_UP_FOLDERS):
        return False
    return bool(_NOT_UP_FOLDERS & set(item.relative_to(root).parts[:-1]))


def read_source(path: Path) -> Source:
    """The up-migration part of a file, decoded; an unreadable file is an input error."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise AdvisorError(f"cannot read the file: {exc.strerror or exc}", Location(path)) from None
    return decode(str(path), raw)


def decode(name: str, raw: bytes) -> Source:
    """UTF-8 text (a BOM is dropped) cut before a ``-- migrate:down`` marker."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise AdvisorError("the file is not valid UTF-8", Location(Path(name), line)) from None
    lowered = text.lower()
    if "migrate:down" in lowered or "goose down" in lowered:  # only then look line by line
        text = up_section(text)
    return Source(name, text)
