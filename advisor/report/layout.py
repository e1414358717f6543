"""Terminal layout for the text report: paragraphs wrapped at word boundaries with a hanging
indent, so a continuation line sits under its paragraph and never at column 0, and no line ends in
spaces (they show up in diffs and in CI logs as noise).

Widths are counted in terminal cells (:func:`rich.cells.cell_len`), so ``→`` or a wide character
in a name counts as it is drawn.
"""

from __future__ import annotations

import os
import re
import shutil
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rich.text import Text

PIPE_WIDTH = 100
"""The width when neither ``COLUMNS`` nor a terminal says: a pipe, a file, a CI log."""

MIN_WIDTH = 40
"""Below this even one table column per header cannot be drawn; a smaller ``COLUMNS`` is raised."""


def report_width(to_file: bool = False) -> int:
    """``COLUMNS`` when set, else the terminal's width, else :data:`PIPE_WIDTH`.

    A report written with ``--output`` (``to_file``) does not take the size of the window it was
    started from: the same command gives the same file.
    """
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        width = int(columns)
    elif to_file:
        width = PIPE_WIDTH
    else:
        # COLUMNS is unset or unusable here, so this asks the terminal on standard output; a pipe
        # has no size and gets the fallback
        width = shutil.get_terminal_size((PIPE_WIDTH, 24)).columns
    return max(width, MIN_WIDTH)


_WORD = re.compile(r"\S+")


def line_spans(plain: str, width: int, indent: int) -> list[tuple[int, int]]:
    """Where ``plain`` (one line of text, no line breaks) is cut: the ``(start, end)`` offsets of
    each output line. The first line has ``width`` cells (leading spaces included), each later one
    ``width - indent``; lines break between words and a word longer than a whole line is cut.

    >>> text = "alpha beta gamma delta"
    >>> [text[a:b] for a, b in line_spans(text, 12, 2)]
    ['alpha beta', 'gamma', 'delta']
    >>> text = "  abcdefghij"
    >>> [text[a:b] for a, b in line_spans(text, 8, 4)]
    ['  abcdef', 'ghij']
    """
    from rich.cells import cell_len

    later = max(width - indent, 1)
    spans: list[tuple[int, int]] = []
    start, end = 0, -1  # the current line: its first offset, the end of its last word (-1: none yet)
    used, room = 0, width  # cells used on the current line, cells it has
    for word in _WORD.finditer(plain):
        if end < 0:  # the first word of the text keeps the leading spaces
            used = cell_len(plain[: word.start()])
        else:
            gap = cell_len(plain[end : word.start()])
            if used + gap + cell_len(word.group()) <= room:
                used += gap
            else:
                spans.append((start, end))
                start, used, room = word.start(), 0, later
        pos = word.start()
        while used + cell_len(plain[pos : word.end()]) > room:  # longer than a whole line: cut it
            cut = max(_cut(plain, pos, word.end(), room - used), pos + 1)
            spans.append((start, cut))
            start, pos, used, room = cut, cut, 0, later
        used += cell_len(plain[pos : word.end()])
        end = word.end()
    spans.append((start, max(end, start)))
    return spans


def _cut(plain: str, start: int, stop: int, cells: int) -> int:
    """The largest offset after ``start`` (at most ``stop``) whose text fits in ``cells``."""
    from rich.cells import cell_len

    pos = start
    while pos < stop and cell_len(plain[start : pos + 1]) <= cells:
        pos += 1
    return pos


def hanging(text: Text, width: int, first: int, rest: int) -> list[Text]:
    """``text`` laid out in ``width`` cells: each of its lines indented by ``first`` spaces and
    wrapped with continuation lines indented by ``rest``, styles kept."""
    from rich.text import Text

    lines: list[Text] = []
    for source in text.split("\n", allow_blank=True):
        spans = line_spans(source.plain, max(width - first, 1), max(rest - first, 0))
        for number, (start, end) in enumerate(spans):
            pad = " " * (first if number == 0 else rest)
            line = Text.assemble(pad, source[start:end]) if end > start else Text()
            line.rstrip()  # in place
            lines.append(line)
    return lines


SHORT = 12
"""A column no wider than this (a figure and its unit: ``244.9 GB``, ``+466.0 pg/s``) never wraps."""

NARROWEST = 20
"""A column of longer text is never narrowed below this: an index label wrapped into a column of a
dozen cells reads worse than the same row laid out as a paragraph."""


def column_widths(columns: Sequence[Sequence[str]], width: int, gap: int = 2) -> list[int] | None:
    """Widths for table columns (each given as its cells, header first) that fit ``width`` with
    ``gap`` cells between columns: each column as wide as its widest cell, then the widest ones
    narrowed in turn, down to their longest word (so a cell wraps between words) but never a
    short column (:data:`SHORT`) nor a long one below :data:`NARROWEST`; ``None`` when even that
    is too wide (the caller lays the rows out another way rather than cut words).

    >>> column_widths([["#", "1"], ["index", "orders (user_id, created_at) INCLUDE (total)"], ["size", "1.4 TB"]], 34)
    [1, 23, 6]
    >>> column_widths([["index", "orders (user_id, created_at) INCLUDE (total)"], ["size", "1.4 TB"]], 26) is None
    True
    """
    from rich.cells import cell_len

    widths = [max((cell_len(cell) for cell in cells), default=1) for cells in columns]
    floors = [
        natural
        if natural <= SHORT
        else min(
            natural,
            max(NARROWEST, max((cell_len(word) for cell in cells for word in cell.split()), default=1)),
        )
        for cells, natural in zip(columns, widths, strict=True)
    ]
    room = width - gap * (len(widths) - 1)
    if sum(floors) > room:
        return None
    while sum(widths) > room:
        widest = max((i for i, w in enumerate(widths) if w > floors[i]), key=lambda i: widths[i])
        widths[widest] -= 1
    return widths


_TRAILING = re.compile(r"(?:[ \t]|\x1b\[[0-9;]*m)+$", re.MULTILINE)
"""Spaces at the end of a line, perhaps mixed with the colour codes that close it."""


def no_trailing_spaces(text: str) -> str:
    """Every line of ``text`` without its trailing spaces; colour codes among them are kept.

    >>> no_trailing_spaces("a  \\nb \\x1b[0m \\n")
    'a\\nb\\x1b[0m\\n'
    """
    return _TRAILING.sub(lambda m: "".join(re.findall(r"\x1b\[[0-9;]*m", m.group())), text)
