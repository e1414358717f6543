"""The error the analysis stage raises for SQL it cannot summarize."""

from __future__ import annotations


class AnalysisError(Exception):
    """The SQL of a pattern does not parse, is not one statement, or names an unknown table or column.

    The message says what is wrong; the caller adds the pattern's name and its place in the file.

    >>> str(AnalysisError("unknown table ordrs (did you mean orders?)"))
    'unknown table ordrs (did you mean orders?)'
    """

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)
