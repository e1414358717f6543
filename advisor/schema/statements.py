"""SQL text to sqlglot statements: the file tokenized once and cut at top-level semicolons, so
one statement that does not parse is an error naming its own file and line instead of hiding
the rest; the recommend loader and the generic migration reader both cut files this way."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import ErrorLevel, ParseError, TokenError
from sqlglot.tokenizer_core import Token, TokenType

from advisor.errors import AdvisorError, Location

_SQLGLOT_LOGGER = logging.getLogger("sqlglot")


def parse_statements(path: Path, text: str, dialect: str) -> Iterator[tuple[int, exp.Expr]]:
    """Each statement of ``text`` as ``(first line, expression)``; a bad one is an ``AdvisorError``."""
    engine = Dialect.get_or_raise(dialect)
    tokenizer = engine.tokenizer()
    with quiet_sqlglot():
        try:
            tokens = tokenizer.tokenize(text)
        except TokenError as exc:
            # The statement that fails to tokenize starts after the last token read.
            read = getattr(tokenizer, "tokens", None) or []
            line = read[-1].line if read else 1
            cause = exc.__cause__ if isinstance(exc.__cause__, TokenError) else exc
            raise AdvisorError(f"cannot read the SQL: {cause}", Location(path, line)) from None
        parser = engine.parser(error_level=ErrorLevel.IMMEDIATE)
        for chunk in split_statements(tokens):
            line = chunk[0].line
            try:
                parsed = parser.parse(chunk, text)
            except ParseError as exc:
                detail = exc.errors[0].get("description") if exc.errors else str(exc)
                raise AdvisorError(f"cannot parse this statement: {detail}", Location(path, line)) from None
            except Exception as exc:  # sqlglot's own bugs must still point at the statement
                raise AdvisorError(
                    f"cannot parse this statement ({type(exc).__name__})", Location(path, line)
                ) from None
            for statement in parsed:
                if statement is not None:
                    yield line, statement


def split_statements(tokens: list[Token]) -> list[list[Token]]:
    """The token lists between top-level semicolons (function bodies are single string tokens)."""
    chunks: list[list[Token]] = []
    current: list[Token] = []
    for token in tokens:
        if token.token_type == TokenType.SEMICOLON:
            if current:
                chunks.append(current)
            current = []
        else:
            current.append(token)
    if current:
        chunks.append(current)
    return chunks


def split_on(tokens: list[Token], separator: TokenType) -> list[list[Token]]:
    """``tokens`` cut at each ``separator`` token."""
    parts: list[list[Token]] = [[]]
    for token in tokens:
        if token.token_type == separator:
            parts.append([])
        else:
            parts[-1].append(token)
    return parts


@contextmanager
def quiet_sqlglot() -> Iterator[None]:
    """Silence sqlglot's "falling back to a Command" warnings: skipping those statements is intended."""
    level = _SQLGLOT_LOGGER.level
    _SQLGLOT_LOGGER.setLevel(logging.ERROR)
    try:
        yield
    finally:
        _SQLGLOT_LOGGER.setLevel(level)
