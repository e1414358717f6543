"""Work that grows with the input must grow linearly: counted in operations, never timed."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlglot import exp

from advisor.rewrite.queries import retype_literals
from advisor.rewrite.render import parse, render
from advisor.schema.postgres import parse_postgres
from advisor.schema.source import Positions, Source


def _reparented(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the nodes sqlglot re-parents: one entry per call, the nodes it touched."""
    touched: list[int] = []
    original = exp.Expression._set_parent

    def counting(self: exp.Expression, arg_key: str, value: object, index: int | None = None) -> None:
        touched.append(len(value) if isinstance(value, list) else 1)
        original(self, arg_key, value, index)

    monkeypatch.setattr(exp.Expression, "_set_parent", counting)
    return touched


@pytest.mark.parametrize("members", [200, 2000])
def test_retyping_a_long_in_list_touches_each_member_a_bounded_number_of_times(
    monkeypatch: pytest.MonkeyPatch, members: int
) -> None:
    tree = parse(f"SELECT id FROM t WHERE code IN ({', '.join(map(str, range(members)))})", "postgres")
    assert tree is not None
    touched = _reparented(monkeypatch)
    out = retype_literals(tree, "code", numeric=False)
    assert out is not None
    # replacing members one at a time re-parented the whole list each time: members**2 / 2
    assert sum(touched) <= 4 * members
    monkeypatch.undo()
    assert render(out, "postgres").endswith(f"'{members - 2}', '{members - 1}')")


def test_a_non_ascii_file_with_a_syntax_error_is_never_scanned_as_one_non_ascii_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """pglast maps byte offsets to characters by a linear search per token: quadratic on a long
    non-ASCII text. The front end hands it ASCII only, beyond one statement."""
    from pglast import parser

    statements = [f"INSERT INTO t (name) VALUES ('héllo wörld {i}');" for i in range(300)]
    statements.insert(150, "SELEC broken;")
    text = "\n".join(statements) + "\n"
    longest = max(len(s) for s in statements)
    seen: list[str] = []
    original = parser.scan

    def recording(query: str) -> Any:
        seen.append(query)
        return original(query)

    monkeypatch.setattr(parser, "scan", recording)
    found = parse_postgres(Source("big.sql", text))
    assert seen, "the file was expected to be split by the scanner"
    assert all(query.isascii() or len(query) <= longest for query in seen)
    broken = [s for s in found if any(type(op).__name__ == "Unparseable" for op in s.ops)]
    assert [(s.loc.line, s.loc.column) for s in broken] == [(151, 1)]


TEXT = st.text(alphabet=st.sampled_from(list("ab ;\n'\"-é€😀ç\t")), max_size=80)


@settings(max_examples=200, deadline=None)
@given(TEXT, st.data())
def test_line_and_column_of_a_byte_offset_match_a_plain_decode(text: str, data: st.DataObject) -> None:
    positions = Positions(text)
    char = data.draw(st.integers(0, len(text)))
    byte = len(text[:char].encode("utf-8"))
    line = text.count("\n", 0, char) + 1
    column = char - (text.rfind("\n", 0, char) + 1) + 1
    assert positions.from_byte(byte) == (line, column)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["SELECT", "'é€'", '"ç😀"', "ñame", "x", "1", ";", "-- é\n", "/* € */"])))
def test_scanning_bytes_gives_the_tokens_of_the_text_at_their_byte_offsets(words: list[str]) -> None:
    from pglast import parser

    from advisor.schema.postgres import scan_bytes

    text = " ".join(words)
    try:
        expected = [
            (t.name, len(text[: t.start].encode()), len(text[: t.end + 1].encode()))
            for t in parser.scan(text)
        ]
    except parser.ParseError:
        with pytest.raises(parser.ParseError):
            scan_bytes(text.encode())
        return
    assert [(t.name, t.start, t.end + 1) for t in scan_bytes(text.encode())] == expected
