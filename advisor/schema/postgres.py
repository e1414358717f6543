"""PostgreSQL front end: libpg_query (the server's own grammar, through pglast) to operations.

The whole file is parsed in one call to the C parser, which returns JSON (much faster than building
Python node objects). When any statement fails to parse, the file is cut at top-level semicolons with
the server's scanner and each piece is parsed alone, so one bad statement becomes one finding at its
own place and every other statement is still linted. libpg_query reports UTF-8 byte offsets.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from advisor.schema.names import exact
from advisor.schema.ops import Loc, LongIdentifier, Op, Other, Statement, Unparseable, snake
from advisor.schema.pg_tree import Builder
from advisor.schema.source import Positions, Source

Node = dict[str, Any]

NAMEDATALEN = 64
_LONG_WORD = re.compile(rb'[^\s,;()."]{%d,}' % NAMEDATALEN)
"""A run of bytes long enough to be an identifier the server would truncate."""


_META_COMMAND = re.compile(r"^[ \t]*\\.*$", re.MULTILINE)
"""A psql meta-command line (``\\connect db``, ``\\set ON_ERROR_STOP on``): psql's, not the server's."""


def _blank(match: re.Match[str]) -> str:
    """The same number of UTF-8 bytes, as spaces, so every offset after it stays valid."""
    return " " * len(match.group().encode("utf-8"))


_NAME_KEYS = frozenset(
    {
        "relname",
        "colname",
        "idxname",
        "conname",
        "indexname",
        "name",
        "newname",
        "subname",
        "sval",
        "aliasname",
    }
)
"""The parse tree's keys whose values are names (``sval``: the parts of a qualified name, and string
constants too, which are no worse for the mark)."""
_NAMED_CAPITALS = re.compile('"(?:' + "|".join(_NAME_KEYS) + ')":"[^"]*[A-Z]')


def _mark_names(node: Node) -> Node:
    for key in _NAME_KEYS.intersection(node):
        value = node[key]
        if isinstance(value, str):
            node[key] = exact(value)
    return node


def read_tree(raw: str) -> Node:
    """libpg_query's JSON parse tree, a name with capitals (quoted, since the parser folds the
    others) marked as an ``ExactName``; the marking pass runs only where such a name occurs."""
    if _NAMED_CAPITALS.search(raw) is None:
        return dict(json.loads(raw))
    return dict(json.loads(raw, object_hook=_mark_names))


def parse_postgres(source: Source) -> list[Statement]:
    """The statements of one file, in order, each with its operations.

    >>> [type(op).__name__ for s in parse_postgres(Source("m.sql", "BEGIN; CREATE INDEX i ON t (a);")) for op in s.ops]
    ['Transaction', 'CreateIndex']
    """
    from pglast import parser

    positions = Positions(source.text)
    if _META_COMMAND.search(source.text):
        source = Source(source.name, _META_COMMAND.sub(_blank, source.text))
    try:
        parsed = read_tree(parser.parse_sql_json(source.text))
    except parser.ParseError:
        return list(_piecewise(source, positions))
    end = len(positions.data)
    return [
        _statement(item, 0, end, index, source, positions)
        for index, item in enumerate(parsed.get("stmts", []))
    ]


def _piecewise(source: Source, positions: Positions) -> Iterator[Statement]:
    """Parse statement by statement after a syntax error somewhere in the file. Every offset here
    is a byte offset: pieces are cut from the UTF-8 bytes, so no prefix is ever re-encoded."""
    from pglast import parser

    data = source.text.encode("utf-8") if source.text is not positions.text else positions.data
    pieces, broken = _split(data)
    index = -1
    for index, (start, end) in enumerate(pieces):
        piece = data[start:end].decode("utf-8")
        try:
            parsed = read_tree(parser.parse_sql_json(piece))
        except parser.ParseError as exc:
            yield _unparseable(source, positions, index, start, end, start + _error_offset(exc, piece), exc)
            continue
        for item in parsed.get("stmts", []):
            yield _statement(item, start, end, index, source, positions)
    if broken is not None:  # an unterminated string or comment: the rest of the file is unreadable
        start, stop, problem = broken
        yield _unparseable(
            source, positions, index + 1, start, len(positions.data), max(start, stop), problem
        )


def _unparseable(
    source: Source, positions: Positions, index: int, start: int, end: int, error: int, exc: Exception
) -> Statement:
    line, column = positions.from_byte(start)
    loc = Loc(source.name, line, column, index)
    error_line, error_column = positions.from_byte(error)
    where = Loc(source.name, error_line, error_column, index)
    return Statement(loc, positions.from_byte(end)[0], (Unparseable(loc=where, message=_message(exc)),))


_ASCII_SHAPE = bytes(range(128)) + b"_" * 128
"""Every byte of a multi-byte UTF-8 character becomes ``_``: the server's scanner treats bytes
0x80-0xFF as identifier characters, as it does ``_``, so tokens keep their bounds, and an ASCII
text's character offsets are its byte offsets."""


def scan_bytes(data: bytes) -> list[Any]:
    """The server scanner's tokens of UTF-8 ``data``, their offsets in bytes.

    pglast maps each token's byte offset back to a character index by a linear search, which is
    quadratic on a long non-ASCII text; the text is scanned in an ASCII shape instead. A scan error
    carries its byte offset as its second argument, as pglast's carries a character index.

    >>> [(t.name, t.start) for t in scan_bytes("SELECT 'é';".encode())]
    [('SELECT', 0), ('SCONST', 7), ('ASCII_59', 11)]
    """
    from pglast import parser

    return list(parser.scan(data.translate(_ASCII_SHAPE).decode("ascii")))


def _split(data: bytes) -> tuple[list[tuple[int, int]], tuple[int, int, Exception] | None]:
    """Byte spans of the statements, cut at semicolons by the server's scanner; and, when the
    scanner fails (an unterminated string or comment), where the unreadable statement starts,
    where the scanner stopped, and its error."""
    from pglast import parser

    broken: tuple[int, int, Exception] | None = None
    try:
        tokens = scan_bytes(data)
    except parser.ParseError as exc:
        stop = exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], int) else 0
        try:
            tokens = scan_bytes(data[:stop])
        except parser.ParseError:
            tokens = []
        broken = (stop, stop, exc)
    spans: list[tuple[int, int]] = []
    start: int | None = None
    last = 0
    for token in tokens:
        if token.name == "ASCII_59":
            if start is not None:
                spans.append((start, token.start))
            start = None
        elif start is None:
            start = token.start
        last = token.end + 1
    if start is not None:
        if broken is not None:
            broken = (start, broken[1], broken[2])  # the unterminated token belongs to this statement
        else:
            spans.append((start, last))
    return spans, broken


def _error_offset(exc: Exception, piece: str | int) -> int:
    """The byte offset of a parse error inside the text that failed (0 when unknown).

    pglast reports the character index as the error's second argument.
    """
    index = exc.args[1] if len(exc.args) > 1 else None
    if not isinstance(index, int) or not isinstance(piece, str):
        return 0
    return len(piece[:index].encode("utf-8"))


def _message(exc: Exception) -> str:
    """The parser's message on one line, the quoted text it stopped at shortened.

    >>> _message(Exception('syntax error at or near "x\\n  y"', 5))
    'syntax error at or near "x y"'
    """
    text = str(exc.args[0]) if exc.args else str(exc)
    text = " ".join(text.split(", at index")[0].split())
    return text if len(text) <= 100 else text[:96] + '..."'


def _statement(
    item: Node, base: int, end: int, index: int, source: Source, positions: Positions
) -> Statement:
    """One parsed statement; offsets are relative to ``base``, a length of 0 means "up to ``end``"."""
    start = base + int(item.get("stmt_location", 0))
    length = int(item.get("stmt_len", 0)) or max(0, end - start)
    line, column = positions.from_byte(start)
    end_line = positions.from_byte(start + length)[0]
    loc = Loc(source.name, line, column, index)
    builder = Builder(loc, base, positions, source, start, length)
    kind, body = next(iter(item["stmt"].items()))
    handler = getattr(builder, snake(kind), None)
    try:
        ops = tuple(handler(body)) if handler is not None else (Other(loc=loc, kind=kind),)
    except (KeyError, TypeError, AttributeError, IndexError, ValueError) as exc:
        # a parse tree in a shape this front end does not expect: say so rather than guess
        message = f"the statement's structure is not understood ({type(exc).__name__})"
        ops = (Unparseable(loc=loc, message=message),)
    data = positions.data[start : start + length]
    if _LONG_WORD.search(data):
        ops += tuple(_long_identifiers(data, start, builder))
    sql = positions.text[start : start + length] if positions.ascii else data.decode("utf-8", "replace")
    return Statement(loc, end_line, ops, sql)


def _long_identifiers(data: bytes, start: int, builder: Builder) -> Iterator[Op]:
    """Identifiers of NAMEDATALEN bytes or more in a statement: the parser has already cut them."""
    from pglast import parser

    try:
        tokens = scan_bytes(data)
    except parser.ParseError:
        return
    for token in tokens:
        if token.name != "IDENT":
            continue
        word = data[token.start : token.end + 1].strip(b'"')
        if len(word) >= NAMEDATALEN:
            offset = start - builder.base + token.start
            yield LongIdentifier(loc=builder.at(offset), name=word.decode("utf-8", errors="replace"))
