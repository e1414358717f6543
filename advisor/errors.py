"""The one error type that reaches the user: a message with the place it points at."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Location:
    """Where in the user's input something is: file, line (1-based) and a dotted field path."""

    file: Path | None = None
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        parts = []
        if self.file is not None:
            parts.append(str(self.file) + (f":{self.line}" if self.line is not None else ""))
        if self.field:
            parts.append(self.field)
        return ": ".join(parts)


class AdvisorError(Exception):
    r"""Bad input: printed as one line ``file:line: field: message`` and exit code 2.

    >>> str(AdvisorError("must be positive", Location(Path("p.yaml"), 3, "tables.users.rows")))
    'p.yaml:3: tables.users.rows: must be positive'
    >>> str(AdvisorError("is not a column", Location(field="tables.t.columns.a\nb")))
    'tables.t.columns.a\\nb: is not a column'
    """

    def __init__(self, message: str, location: Location | None = None) -> None:
        self.message = message
        self.location = location or Location()
        super().__init__(str(self))

    def __str__(self) -> str:
        from advisor.oneline import one_line

        where = str(self.location)
        # one line whatever names the input holds: the message is echoed to terminals and CI logs
        return one_line(f"{where}: {self.message}" if where else self.message)
