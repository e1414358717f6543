"""Write a report file atomically, and never over a file the user wrote.

A path may be replaced only when it is absent or holds an earlier advisor report (recognised by
its first line), so a mistyped ``--output patterns.yaml`` or ``--output schema.sql`` fails
instead of destroying the input.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from advisor.errors import AdvisorError, Location

OWN_MARKERS: tuple[str, ...] = ("advisor recommend ", "# Index plan for ", '{\n  "version": ', "-- advisor ")
OWN_MARKERS += ("-- advisor: ", "advisor verify ")


def _is_own_report(path: Path) -> bool:
    from advisor.report.sarif import is_own_sarif

    try:
        with path.open("r", encoding="utf-8", errors="replace") as handle:
            head = handle.read(256)
    except OSError:
        return False
    return head.startswith(OWN_MARKERS) or is_own_sarif(head)


def write_report(path: Path, text: str, protected: Iterable[Path] = ()) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder and a rename; any
    refusal of the file system (``/proc``, a read-only folder, no permission) is one input error."""
    try:
        _write(path, text, protected)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise AdvisorError(f"cannot write: {reason}", Location(path, field="--output")) from None


def _write(path: Path, text: str, protected: Iterable[Path]) -> None:
    target = path.resolve()
    if any(target == p.resolve() for p in protected):
        raise AdvisorError("refusing to write the report over an input file", Location(path))
    if target.is_dir():
        raise AdvisorError("is a directory", Location(path, field="--output"))
    if target.exists() and not _is_own_report(target):
        raise AdvisorError(
            "exists and is not an earlier advisor report; remove it or choose another path",
            Location(path, field="--output"),
        )
    if not target.parent.is_dir():
        raise AdvisorError("folder does not exist", Location(path, field="--output"))
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        Path(tmp).replace(target)
    except OSError:
        Path(tmp).unlink(missing_ok=True)
        raise
