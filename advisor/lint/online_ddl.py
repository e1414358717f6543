"""MySQL and MariaDB online DDL by version: what InnoDB does for an ALTER TABLE operation.

The table is data (``online_ddl.yaml``, read from the servers' manuals and checked on MariaDB by
the test suite); this module loads it once and answers, for an operation, a server family and a
target version, which algorithm the server uses and which lock it needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict

from advisor.dialects import dialect

Algorithm = Literal["INSTANT", "NOCOPY", "INPLACE", "COPY"]
Lock = Literal["NONE", "SHARED", "EXCLUSIVE"]
LATEST = {"mysql": (8, 4), "mariadb": (11, 4)}
"""The version assumed when none is targeted."""


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    since: str
    algorithm: Algorithm
    lock: Lock = "NONE"
    rebuild: bool = False


class _Operation(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    what: str
    note: str = ""
    report: Literal["always", "when-blocking"] = "when-blocking"
    mysql: list[_Row]
    mariadb: list[_Row]


@dataclass(frozen=True)
class Behaviour:
    """What the server does: ``algorithm`` and the weakest ``lock`` it allows with it."""

    operation: str
    what: str
    algorithm: Algorithm
    lock: Lock
    rebuild: bool
    note: str
    always: bool

    @property
    def blocks_writes(self) -> bool:
        return self.lock != "NONE"

    @property
    def online(self) -> bool:
        """Done without copying the table and without blocking writes."""
        return self.algorithm != "COPY" and not self.blocks_writes


def version(text: str) -> tuple[int, ...]:
    """``"8.0.12"`` -> ``(8, 0, 12)``."""
    return tuple(int(part) for part in text.split("."))


@cache
def _table() -> dict[str, _Operation]:
    from importlib import resources

    import yaml

    text = (resources.files("advisor.lint") / "online_ddl.yaml").read_text(encoding="utf-8")
    return {name: _Operation.model_validate(entry) for name, entry in yaml.safe_load(text).items()}


def operations() -> frozenset[str]:
    return frozenset(_table())


def behaviour(operation: str, family: str, target: tuple[int, ...] | None) -> Behaviour | None:
    """What ``family`` (``mysql`` or ``mariadb``) does for ``operation`` on ``target`` (the newest
    release when ``None``); ``None`` when the operation does not exist on that version.

    >>> behaviour("add_column", "mysql", (5, 7)).algorithm, behaviour("add_column", "mysql", (8, 0)).algorithm
    ('INPLACE', 'INSTANT')
    >>> behaviour("drop_column", "mysql", (8, 0, 28)).algorithm
    'INPLACE'
    >>> behaviour("add_check", "mysql", (5, 7)) is None
    True
    """
    entry = _table()[operation]
    at = target or LATEST[family]
    at = at + (999,) * (3 - len(at))  # "8.0" is the 8.0 series: its newest release
    rows = [row for row in (entry.mysql if family == "mysql" else entry.mariadb) if version(row.since) <= at]
    if not rows:
        return None
    row = rows[-1]
    return Behaviour(
        operation, entry.what, row.algorithm, row.lock, row.rebuild, entry.note, entry.report == "always"
    )


def server(family: str, target: tuple[int, ...] | None) -> str:
    """``MariaDB 10.11``, ``MySQL current releases``: the server a finding speaks of."""
    return f"{dialect(family).label} {'.'.join(map(str, target)) if target else 'current releases'}"


def effect(found: Behaviour) -> str:
    """What the server does, in words, for a finding's message."""
    if found.algorithm == "COPY":
        writes = "blocking writes until it is done" if found.blocks_writes else "replaying concurrent writes"
        return f"copies the table row by row (ALGORITHM=COPY), {writes}"
    rebuild = " and rebuilds the table" if found.rebuild else ""
    if found.blocks_writes:
        return f"runs in place{rebuild} but needs LOCK={found.lock}: writes wait until it is done"
    return f"runs {found.algorithm}{rebuild} with LOCK=NONE"


_SPEED = {"INSTANT": 0, "NOCOPY": 1, "INPLACE": 2, "COPY": 3}
_STRENGTH = {"NONE": 0, "SHARED": 1, "EXCLUSIVE": 2}


def refused(found: Behaviour, family: str, algorithm: str | None, lock: str | None) -> str | None:
    """Why the server refuses a statement that asks for ``algorithm`` / ``lock`` it cannot give;
    ``None`` when it accepts them. MySQL also refuses any LOCK clause beside ALGORITHM=INSTANT.

    >>> b = Behaviour("x", "adding x", "INPLACE", "SHARED", True, "", False)
    >>> refused(b, "mariadb", "INSTANT", None), refused(b, "mariadb", "INPLACE", "NONE")
    ('ALGORITHM=INSTANT', 'LOCK=NONE')
    >>> refused(b, "mariadb", "INPLACE", "SHARED") is None
    True
    """
    if not dialect(family).instant_takes_lock and algorithm == "INSTANT" and lock not in (None, "DEFAULT"):
        return f"ALGORITHM=INSTANT with LOCK={lock}"
    if algorithm in _SPEED and _SPEED[algorithm] < _SPEED[found.algorithm]:
        return f"ALGORITHM={algorithm}"
    if lock in _STRENGTH and _STRENGTH[lock] < _STRENGTH[found.lock]:
        return f"LOCK={lock}"
    return None
