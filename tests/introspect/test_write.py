"""The spec writer: every scalar reads back as itself, whatever the database held, and a written
catalog loads as the spec it describes."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import strategies as st

from advisor.introspect.model import Catalog, ColumnFacts, IndexFacts, PatternFacts, TableFacts
from advisor.introspect.run import spec_text
from advisor.introspect.write import write_spec
from advisor.spec.load import load_spec
from advisor.spec.yaml_text import scalar


@given(st.text())
def test_any_text_reads_back_as_the_same_string_on_one_line(text: str) -> None:
    written = scalar(text)
    assert "\n" not in written and "\r" not in written
    assert yaml.safe_load(f"key: {written}") == {"key": text}


@given(st.one_of(st.integers(-(10**18), 10**18), st.floats(allow_nan=False, allow_infinity=False)))
def test_numbers_read_back_as_numbers(value: float) -> None:
    assert yaml.safe_load(f"key: {scalar(value)}") == {"key": value}


@given(st.text())
def test_text_as_a_key_reads_back(text: str) -> None:
    assert yaml.safe_load(f"{scalar(text)}: 1") == {text: 1}


def _catalog() -> Catalog:
    odd = "we ird: # name"
    return Catalog(
        dialect="postgres",
        header=("first line", "a header line with a break\nin it"),
        tables=(
            TableFacts(
                name="users",
                rows=1000,
                all_visible=0.5,
                primary_key=("user_id",),
                notes=(("rows", "pg_class.reltuples"),),
                columns=(
                    ColumnFacts("user_id", "bigserial", nullable=False, ndv=1000),
                    ColumnFacts(
                        odd,
                        "text",
                        ndv=3,
                        null_frac=0.25,
                        frequencies=(("yes", 0.5), ("1e3", 0.125), ("line\nbreak", 0.125)),
                        histogram=tuple(f"v{n:03}" for n in range(101)),
                        correlation=-0.5,
                        notes=(("ndv", "pg_stats.n_distinct 3\n# not a key: 1"),),
                        comments=("a comment\nwith a break",),
                    ),
                    ColumnFacts(
                        "status", "varchar(20)", nullable=False, default="'new'", check="status <> ''"
                    ),
                ),
                indexes=(
                    IndexFacts("users_status", (("status", False), (odd, True)), where="status <> 'x'"),
                ),
            ),
            TableFacts(
                name="orders",
                columns=(ColumnFacts("user_id", "bigint", references="users.user_id", on_delete="cascade"),),
            ),
        ),
        patterns=(
            PatternFacts(
                "select_users",
                "SELECT *\nFROM users\tWHERE user_id = $1",
                per_sec=2.5,
                origin="pg_stat_statements",
            ),
        ),
    )


def test_a_written_catalog_loads_with_every_value(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(spec_text(_catalog()))
    spec = load_spec(path)
    users = next(t for t in spec.tables if t.name == "users")
    odd = next(c for c in users.columns if c.name.startswith("we"))
    assert odd.name == "we ird: # name"
    assert dict(odd.frequencies) == {"yes": 0.5, "1e3": 0.125, "line\nbreak": 0.125}
    assert len(odd.histogram) == 101 and odd.histogram[0] == "v000"
    assert (odd.ndv, odd.null_frac, odd.correlation) == (3, 0.25, -0.5)
    assert users.rows == 1000 and users.all_visible == 0.5
    assert spec.patterns[0].sql == "SELECT *\nFROM users\tWHERE user_id = $1"
    assert spec.patterns[0].per_sec == 2.5
    # the mark that makes a statement the analysis cannot read a finding rather than an error
    assert spec.patterns[0].origin == "pg_stat_statements"


def test_comments_never_break_a_line() -> None:
    text = write_spec(_catalog())
    assert "# a header line with a break\\nin it" in text
    assert "pg_stats.n_distinct 3\\n# not a key: 1" in text
    for line in text.splitlines():
        stripped = line.strip()
        assert not stripped.startswith("in it") and not stripped.startswith("with a break")


def test_long_statistics_wrap(tmp_path: Path) -> None:
    text = write_spec(_catalog())
    assert max(len(line) for line in text.splitlines() if not line.lstrip().startswith("#")) <= 110
