"""The text report fits the terminal: ``COLUMNS``, else the terminal, else 100 columns on a pipe;
paragraphs wrap between words under their first line, and no line ends in spaces."""

from __future__ import annotations

import re

import pytest
from rich.cells import cell_len

from tests.cli.conftest import run_advisor

SAMPLES = ("samples/ecommerce/patterns.yaml", "samples/saas_helpdesk/patterns.yaml")

# what may start at column 0: the two header lines, the plan table, a recommendation's number
# and the section titles; anything else there would be a wrapped line that lost its indent
_COLUMN_ZERO = re.compile(
    r"(advisor recommend |workload cost |#  action|\d+ |Capacity |table |Findings$|"
    r"Considered and rejected$|Assumed$|Architect's checklist$|No index changes)"
)


def _report(sample: str, columns: str | None) -> str:
    done = run_advisor("recommend", sample, env={"COLUMNS": columns})
    assert done.returncode == 0, done.stderr
    return done.stdout


def _outside_capacity(lines: list[str]) -> list[str]:
    """``lines`` less the capacity table's rows, whose table names start at column 0 (as a table,
    or at a narrow width as one paragraph per table)."""
    out: list[str] = []
    inside = False
    for line in lines:
        # the table ends where the storage notes start: "  orders: b-tree, ..."
        inside = line.startswith(("table ", "Capacity ")) or (inside and not re.match(r"  \S+: ", line))
        if not inside:
            out.append(line)
    return out


def _paragraphs(text: str) -> list[str]:
    """The words of the explanations and of everything from the findings on, in order; the
    tables are left out (their columns wrap differently at each width)."""
    details = text.split("\n\n", 2)[2]
    explained = details.split("\nCapacity ")[0]
    rest = details.split("\nFindings\n")[1]
    return [*explained.split(), *rest.split()]


@pytest.mark.parametrize("sample", SAMPLES)
@pytest.mark.parametrize("columns", ["100", "80"])
def test_lines_fit_columns_without_trailing_spaces(sample: str, columns: str) -> None:
    lines = _report(sample, columns).splitlines()
    assert max(cell_len(line) for line in lines) <= int(columns)
    assert [line for line in lines if line != line.rstrip()] == []
    lost = [line for line in _outside_capacity(lines) if line[:1].strip() and not _COLUMN_ZERO.match(line)]
    assert lost == [], "continuation lines must be indented under their paragraph"


@pytest.mark.parametrize("sample", SAMPLES)
def test_wrapping_breaks_between_words_only(sample: str) -> None:
    wide = _paragraphs(_report(sample, "1000"))
    assert _paragraphs(_report(sample, "100")) == wide
    assert _paragraphs(_report(sample, "60")) == wide


def test_a_wide_terminal_is_used() -> None:
    lines = _report(SAMPLES[0], "200").splitlines()
    assert 150 < max(cell_len(line) for line in lines) <= 200


def test_a_pipe_without_columns_gets_100() -> None:
    lines = _report(SAMPLES[0], None).splitlines()
    assert 90 < max(cell_len(line) for line in lines) <= 100


def test_a_narrow_terminal_gets_one_paragraph_per_row_and_whole_figures() -> None:
    """At 80 columns the plan table cannot keep an index label readable beside the other columns:
    each recommendation is a paragraph, and no figure is cut from its unit."""
    text = _report(SAMPLES[0], "80")
    assert "\n1  action create · index orders (user_id, created_at DESC) INCLUDE (order_id,\n" in text
    assert "size 244.9 GB" in text and "\n           GB" not in text
    wide = _report(SAMPLES[0], "100")
    assert "#  action  index" in wide and "244.9 GB" in wide


def test_continuation_lines_hang_under_their_paragraph() -> None:
    text = _report(SAMPLES[0], "100")
    # a finding's second line is indented two more than the finding
    assert re.search(r"^  CAP001 info: .*\n    \S", text, re.MULTILINE)
    # a checklist item continues under its item, past the status column
    assert re.search(r"^  unknown monitoring: .*\n {10}\S", text, re.MULTILINE)


def test_a_narrow_terminal_gets_tables_as_paragraphs() -> None:
    text = _report(SAMPLES[0], "50")
    lines = text.splitlines()
    assert max(cell_len(line) for line in lines) <= 50
    assert [line for line in lines if line != line.rstrip()] == []
    # the plan's columns cannot fit without cutting words: each row is a paragraph
    assert "\n1  action create · index orders (user_id," in text
    assert "products_in_category_by_price" in text.split()
