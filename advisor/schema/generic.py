"""MySQL, MariaDB and SQLite front end: sqlglot, statement by statement, to operations.

Each file is tokenized once and cut at top-level semicolons, and every statement is parsed alone, so
one that sqlglot cannot parse is a finding at its own place and the others are still linted.
"""

from __future__ import annotations

import re

from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import ErrorLevel, ParseError, TokenError
from sqlglot.parser import Parser
from sqlglot.tokenizer_core import Token

from advisor.dialects import lookup
from advisor.schema.ops import (
    Loc,
    Op,
    Statement,
    Unparseable,
)
from advisor.schema.source import Positions, Source
from advisor.schema.sqlglot_tree import Builder
from advisor.schema.statements import quiet_sqlglot, split_statements

_DELIMITER = re.compile(r"^[ \t]*DELIMITER[ \t]+(\S+)[ \t]*$", re.IGNORECASE | re.MULTILINE)


def without_routines(text: str) -> str:
    """The text with the mysql client's ``DELIMITER`` blocks (stored routines, triggers) blanked to
    spaces, newlines kept, so their inner semicolons do not cut statements and positions stay right.

    >>> without_routines("DELIMITER $$\\nCREATE PROCEDURE p() BEGIN SELECT 1; END$$\\nDELIMITER ;\\nSELECT 2;").strip()
    'SELECT 2;'
    """
    if "delimiter" not in text.lower():
        return text
    chars = list(text)
    start: int | None = None
    for match in _DELIMITER.finditer(text):
        if match.group(1) != ";":
            start = match.start() if start is None else start
            continue
        _blank(chars, match.start() if start is None else start, match.end())
        start = None
    if start is not None:
        _blank(chars, start, len(chars))
    return "".join(chars)


def _blank(chars: list[str], start: int, end: int) -> None:
    for index in range(start, end):
        if chars[index] != "\n":
            chars[index] = " "


def parse_generic(source: Source, dialect: str) -> list[Statement]:
    """The statements of one file, each with its operations.

    >>> [type(op).__name__ for s in parse_generic(Source("m.sql", "ALTER TABLE t ADD c INT;"), "mysql") for op in s.ops]
    ['AddColumn']
    """
    engine = Dialect.get_or_raise(dialect)
    tokenizer = engine.tokenizer()
    positions = Positions(source.text)
    facts = lookup(dialect)
    if facts is not None and facts.client_delimiters:
        source = Source(source.name, without_routines(source.text))
    with quiet_sqlglot():
        try:
            tokens = tokenizer.tokenize(source.text)
        except TokenError as exc:
            read = getattr(tokenizer, "tokens", None) or []
            line, column = positions.from_char(read[-1].end + 1) if read else (1, 1)
            loc = Loc(source.name, line, column, 0)
            cause = exc.__cause__ if isinstance(exc.__cause__, TokenError) else exc
            return [Statement(loc, line, (Unparseable(loc=loc, message=str(cause)),))]
        parser = engine.parser(error_level=ErrorLevel.IMMEDIATE)
        return [
            _statement(chunk, index, parser, source, positions, dialect)
            for index, chunk in enumerate(split_statements(tokens))
        ]


def _statement(
    chunk: list[Token], index: int, parser: Parser, source: Source, positions: Positions, dialect: str
) -> Statement:
    line, column = positions.from_char(chunk[0].start)
    end_line = positions.from_char(chunk[-1].end)[0]
    loc = Loc(source.name, line, column, index)
    try:
        parsed = parser.parse(chunk, source.text)
    except ParseError as exc:
        detail = exc.errors[0].get("description") if exc.errors else str(exc)
        return Statement(loc, end_line, (Unparseable(loc=loc, message=str(detail)),))
    except Exception as exc:  # a parser bug must still point at the statement, not crash the run
        return Statement(loc, end_line, (Unparseable(loc=loc, message=type(exc).__name__),))
    builder = Builder(loc, positions, dialect)
    ops: list[Op] = []
    try:
        for expression in parsed:
            if expression is not None:
                ops.extend(builder.build(expression))
    except (AttributeError, TypeError, IndexError, ValueError) as exc:
        # sqlglot accepted a statement in a shape it does not document: say so rather than guess
        message = f"the statement's structure is not understood ({type(exc).__name__})"
        return Statement(loc, end_line, (Unparseable(loc=loc, message=message),))
    text = source.text[chunk[0].start : chunk[-1].end + 1]
    return Statement(loc, end_line, tuple(ops), text)
