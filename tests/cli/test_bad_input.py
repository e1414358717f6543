"""Every bad input: one line naming file, line and field; exit 2; no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.conftest import run_advisor

GOOD_TABLES = """\
dialect: postgres
tables:
  orders:
    rows: 1000000
    columns:
      order_id: { type: bigint, primary_key: true }
      user_id: { type: bigint, ndv: 1000 }
"""


def _fails(path: Path, *expected: str) -> str:
    done = run_advisor("recommend", str(path))
    assert done.returncode == 2
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    for part in expected:
        assert part in lines[0]
    return lines[0]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("dialect: postgres\ntables: [\n", (":3",)),
        (GOOD_TABLES + "    rowz: 5\n", (":8", "rowz", "rows")),
        (GOOD_TABLES + "patterns:\n  - name: p\n    sql: SELECT 1 FROM orders\n", (":9", "per_sec")),
        (GOOD_TABLES.replace("ndv: 1000", "ndv: -3"), (":7", "ndv")),
        (
            GOOD_TABLES
            + "patterns:\n  - name: by_user\n    sql: SELECT * FROM ordrs WHERE user_id = 1\n    per_sec: 1\n",
            (":10", "by_user", "ordrs"),
        ),
        (
            GOOD_TABLES
            + "patterns:\n  - name: typo\n    sql: SELECT order_id FROM orders WHERE usr_id = 1\n    per_sec: 1\n",
            (":10", "typo", "usr_id", "user_id"),
        ),
        (
            GOOD_TABLES
            + "patterns:\n  - name: broken\n    sql: SELEC order_id FROM orders WHERE\n    per_sec: 1\n",
            (":10", "broken"),
        ),
    ],
    ids=[
        "yaml-syntax",
        "unknown-key",
        "no-frequency",
        "negative-ndv",
        "unknown-table",
        "unknown-column",
        "bad-sql",
    ],
)
def test_bad_spec(tmp_path: Path, body: str, expected: tuple[str, ...]) -> None:
    path = tmp_path / "patterns.yaml"
    path.write_text(body)
    _fails(path, str(path), *expected)


def test_missing_file(tmp_path: Path) -> None:
    _fails(tmp_path / "nope.yaml", "nope.yaml")


def test_unknown_option_is_a_usage_error() -> None:
    done = run_advisor("recommend", "samples/ecommerce/patterns.yaml", "--formatt", "json")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr


def test_ddl_unknown_dialect_is_one_line_with_a_suggestion() -> None:
    done = run_advisor("ddl", "samples/ecommerce/patterns.yaml", "--dialect", "postgress")
    assert done.returncode == 2
    assert (
        done.stderr == "advisor: error: --dialect: unknown dialect 'postgress' (did you mean 'postgres'?)\n"
    )


def test_output_never_overwrites_the_input(tmp_path: Path) -> None:
    spec = tmp_path / "patterns.yaml"
    spec.write_text(
        GOOD_TABLES
        + "patterns:\n  - { name: p, sql: SELECT order_id FROM orders WHERE user_id = 1, per_sec: 1 }\n"
    )
    before = spec.read_text()
    done = run_advisor("recommend", str(spec), "--output", str(spec))
    assert done.returncode == 2
    assert spec.read_text() == before


def test_output_never_overwrites_a_file_the_user_wrote(tmp_path: Path) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("my notes\n")
    done = run_advisor("recommend", "samples/ecommerce/patterns.yaml", "--output", str(notes))
    assert done.returncode == 2
    assert "not an earlier advisor report" in done.stderr
    assert notes.read_text() == "my notes\n"


def test_output_writes_and_rewrites_its_own_report(tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    for _ in range(2):
        done = run_advisor(
            "recommend", "samples/ecommerce/patterns.yaml", "--format", "json", "--output", str(out)
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout == ""
    assert out.read_text().startswith('{\n  "version": 1')
    assert [p.name for p in tmp_path.iterdir()] == ["plan.json"]  # no temporary file left behind


def test_rules_list_and_one_rule() -> None:
    listing = run_advisor("rules")
    assert listing.returncode == 0
    assert listing.stdout.splitlines()[0].startswith("IDX001")
    one = run_advisor("rules", "COV001")
    for section in (
        "What it does",
        "Why is this bad",
        "Example",
        "Use instead",
        "Thresholds",
        "max_table_share",
    ):
        assert section in one.stdout
    unknown = run_advisor("rules", "IDX0011")
    assert unknown.returncode == 2 and "IDX001" in unknown.stderr
