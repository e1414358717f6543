"""The one writer behind every ``--output``: atomic, sealed, and never over a file the tool did not
write.

A file written here ends with a seal: ``advisor-output v1 <kind> sha256=<digest of the kind and everything
before the seal>``, in the syntax of the format (a last line of a text report, an SQL comment, an
HTML comment in Markdown, a last top-level key in JSON, the log's property bag in SARIF). A path
may be replaced only when it is absent or when the whole file is sealed and its digest matches:
a migration that merely starts like a report, another tool's JSON, or a report someone has edited
since is refused. The files the spec reads (the spec, its ``schema:`` files and folders, samples)
are refused even when sealed, since ``advisor ddl -o schema.sql`` may well have written one.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from advisor.errors import AdvisorError, Location

_SEAL = re.compile(r"advisor-output v1 (?P<kind>[a-z]+(?:-[a-z]+)*) sha256=(?P<digest>[0-9a-f]{64})")
_JSON_KEY = "advisor_output"


@dataclass(frozen=True)
class Style:
    """How a seal is written in one format: around a line, or as a JSON member."""

    before: str = ""
    after: str = ""
    json: bool = False
    sarif: bool = False


STYLES: dict[str, Style] = {
    "text": Style(),
    "sql": Style("-- "),
    "yaml": Style("# "),
    "markdown": Style("<!-- ", " -->"),
    "json": Style(json=True),
    "sarif": Style(json=True, sarif=True),
}


def _seal(kind: str, body: str) -> str:
    """The seal line: the digest covers the kind and the body."""
    digest = hashlib.sha256(f"{kind}\n{body}".encode()).hexdigest()
    return f"advisor-output v1 {kind} sha256={digest}"


def _json_tail(seal: str, sarif: bool) -> str:
    """What follows the last member of the top-level object: the seal as a member of its own."""
    if sarif:  # SARIF admits extra data only in property bags
        return f',\n  "properties": {{\n    "{_JSON_KEY}": {json.dumps(seal)}\n  }}\n}}\n'
    return f',\n  "{_JSON_KEY}": {json.dumps(seal)}\n}}\n'


def sealed(text: str, kind: str, style: str) -> str:
    """``text`` with its seal.

    >>> sealed("a", "recommend-text", "text").splitlines()[-1][:40]
    'advisor-output v1 recommend-text sha256='
    >>> is_sealed(sealed('{\\n  "version": 1\\n}\\n', "verify-json", "json"))
    True
    """
    how = STYLES[style]
    if text and not text.endswith("\n") and not how.json:
        text += "\n"  # the seal is a line of its own
    seal = _seal(kind, text)
    if how.json:
        if not text.endswith("\n}\n"):
            raise ValueError("a sealed JSON document is an object ending in a line of its own")
        return text[: -len("\n}\n")] + _json_tail(seal, how.sarif)
    return f"{text}{how.before}{seal}{how.after}\n"


def is_sealed(content: str) -> bool:
    """Whether ``content`` is, whole, a file :func:`sealed` wrote: its seal is where the format puts
    it and the digest matches everything else.

    >>> is_sealed("-- advisor: ignore-file[MIG001]\\nDROP TABLE t;\\n")
    False
    >>> is_sealed(sealed("SELECT 1;\\n", "ddl", "sql").replace("1", "2"))
    False
    """
    if content.endswith("}\n") and content.lstrip().startswith("{"):
        return _json_sealed(content)
    if not content.endswith("\n"):
        return False
    body, sep, last = content[:-1].rpartition("\n")
    body += sep
    for how in STYLES.values():
        if how.json or not (last.startswith(how.before) and last.endswith(how.after)):
            continue
        match = _SEAL.fullmatch(last[len(how.before) : len(last) - len(how.after)])
        if match and _seal(match["kind"], body) == match.group():
            return True
    return False


def _json_sealed(content: str) -> bool:
    """A JSON report or SARIF log whose last member is its seal, with a matching digest. Read from
    the tail, not parsed: the digest vouches for the rest, and a report can be large."""
    for match in _SEAL.finditer(content[-400:]):
        seal = match.group()
        for sarif in (False, True):
            tail = _json_tail(seal, sarif)
            if content.endswith(tail) and _seal(match["kind"], content[: -len(tail)] + "\n}\n") == seal:
                return True
    return False


def _protected(target: Path, inputs: Iterable[Path]) -> bool:
    """``target`` is one of ``inputs`` or lies inside one of them (a migrations folder)."""
    for item in inputs:
        try:
            resolved = item.resolve()
        except OSError:
            continue
        if target == resolved or resolved in target.parents:
            return True
    return False


def check_output(path: Path, inputs: Iterable[Path] = ()) -> int:
    """Refuse (one line, exit 2) a ``--output`` that must not be written: checked before the work
    and again just before the write. Returns the mode the written file gets."""
    where = Location(path, field="--output")
    try:
        target = path.resolve()
        if _protected(target, inputs):
            raise AdvisorError("is not an earlier advisor report but a file the spec reads", where)
        if target.is_dir():
            raise AdvisorError("is a directory", where)
        if not target.parent.is_dir():
            raise AdvisorError("folder does not exist", where)
        if not target.exists():
            return 0o666 & ~_umask()
        info = target.stat()
        if not stat.S_ISREG(info.st_mode):
            raise AdvisorError("exists and is not a regular file", where)
        if not is_sealed(target.read_text(encoding="utf-8", errors="replace")):
            raise AdvisorError(
                "exists and is not an earlier advisor report (unchanged since advisor wrote it); "
                "remove it or choose another path",
                where,
            )
        return stat.S_IMODE(info.st_mode)
    except OSError as exc:
        raise AdvisorError(f"cannot write: {exc.strerror or exc}", where) from None


def write_output(path: Path, text: str, kind: str, style: str, inputs: Iterable[Path] = ()) -> None:
    """Write ``text``, sealed, to ``path`` through a temporary file in the same folder and a
    rename; refuse (one line, exit 2) what must not be replaced."""
    mode = check_output(path, inputs)
    try:
        _replace(path.resolve(), sealed(text, kind, style), mode)
    except OSError as exc:
        raise AdvisorError(f"cannot write: {exc.strerror or exc}", Location(path, field="--output")) from None


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _replace(target: Path, text: str, mode: int) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
            os.fchmod(handle.fileno(), mode)
        Path(tmp).replace(target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
