"""Cutting sqlglot tokens into statements at top-level semicolons, so that one statement that does
not parse is reported at its own file and line instead of hiding the rest; and keeping sqlglot's
warnings out of the output."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from sqlglot.tokenizer_core import Token, TokenType

_SQLGLOT_LOGGER = logging.getLogger("sqlglot")


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
