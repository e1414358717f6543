"""The text report prints names as written."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import run_advisor

SPEC = """\
dialect: postgres
tables:
  t:
    rows: 1000000
    columns:
      id: { type: bigint, primary_key: true }
      a: { type: int, ndv: 100000 }
patterns:
  - { name: "lookup:fire:", sql: "SELECT id FROM t WHERE a = :a", per_sec: 100 }
"""


def test_colon_words_in_names_are_not_emoji(tmp_path: Path) -> None:
    path = tmp_path / "patterns.yaml"
    path.write_text(SPEC)
    done = run_advisor("recommend", str(path))
    assert done.returncode == 0, done.stderr
    assert "lookup:fire:" in done.stdout
    assert "\N{FIRE}" not in done.stdout
