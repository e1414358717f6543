"""Dependency discovery in sample rows: exact and approximate dependencies, minimal left sides,
no claims without evidence, and bad sample files as one-line input errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.design.discover import discover, read_sample
from advisor.errors import AdvisorError

NAMES = ["id", "zip", "city", "country"]
ROWS = [
    (str(i), zipcode, city, "FR")
    for i, (zipcode, city) in enumerate(
        [("69001", "Lyon"), ("69001", "Lyon"), ("75001", "Paris"), ("75001", "Paris")] * 5
    )
]


def texts(found: list) -> list[str]:  # type: ignore[type-arg]
    return sorted(fd.dependency.text() for fd in found)


def test_exact_dependencies_both_ways() -> None:
    # zip and city determine each other here; country is constant (no evidence either way); id is unique.
    assert texts(discover(NAMES, ROWS, 0.0)) == ["city -> zip", "zip -> city"]


def test_a_dirty_row_needs_the_tolerance() -> None:
    dirty = [*ROWS, ("99", "69001", "Lyn", "FR")]
    assert "zip -> city" not in texts(discover(NAMES, dirty, 0.0))
    (found,) = [fd for fd in discover(NAMES, dirty, 0.05) if fd.dependency.text() == "zip -> city"]
    assert found.error == pytest.approx(1 / 21)
    assert found.rows == 21


def test_pairs_only_when_no_single_column_suffices() -> None:
    names = ["store", "day", "manager", "sales"]
    rows = [(s, d, f"m{s}{d}", str(i)) for i, (s, d) in enumerate([(s, d) for s in "ab" for d in "xyz"] * 3)]
    # Each manager runs one store on one day, so a manager also determines both.
    assert texts(discover(names, rows, 0.0)) == [
        "day, store -> manager",
        "manager -> day",
        "manager -> store",
    ]


def test_read_sample_errors(tmp_path: Path) -> None:
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("a,b\n1,2\n3\n")
    with pytest.raises(AdvisorError, match=r"ragged.csv:3: 1 fields where the header has 2"):
        read_sample(ragged)
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(AdvisorError, match="no header row"):
        read_sample(empty)
    twice = tmp_path / "twice.csv"
    twice.write_text("a,A\n1,2\n")
    with pytest.raises(AdvisorError, match="names a column twice"):
        read_sample(twice)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.tuples(*(st.sampled_from("abc") for _ in range(4))), min_size=4, max_size=40),
    st.sampled_from([0.0, 0.05, 0.2]),
)
def test_every_discovered_dependency_holds_within_the_tolerance(
    rows: list[tuple[str, ...]], tolerance: float
) -> None:
    names = ["w", "x", "y", "z"]
    for found in discover(names, rows, tolerance):
        lhs = [names.index(a) for a in sorted(found.dependency.lhs)]
        (target,) = (names.index(a) for a in found.dependency.rhs)
        # Brute force: rows to drop = per left-side value, all but the commonest target value.
        groups: dict[tuple[str, ...], list[str]] = {}
        for row in rows:
            groups.setdefault(tuple(row[i] for i in lhs), []).append(row[target])
        broken = sum(len(v) - max(v.count(x) for x in set(v)) for v in groups.values())
        assert broken / len(rows) == pytest.approx(found.error)
        assert found.error <= tolerance
