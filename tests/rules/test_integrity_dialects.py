"""Integrity fixes per dialect: ALTER statements where the engine has them, a rebuild note on SQLite."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from advisor.recommend import recommend
from advisor.spec.load import load_spec

SPEC = """
dialect: {dialect}
tables:
  invoices:
    rows: 100000
    columns:
      invoice_id: {{ type: bigint, primary_key: true }}
      total_amount: {{ type: double precision }}
      note: {{ type: text, null_frac: 0 }}
patterns:
  - {{ name: invoice, sql: "SELECT invoice_id FROM invoices WHERE invoice_id = :i", per_sec: 5 }}
"""


def _int_findings(tmp_path: Path, dialect: str) -> dict[str, tuple[str | None, str]]:
    spec = tmp_path / "patterns.yaml"
    spec.write_text(textwrap.dedent(SPEC.format(dialect=dialect)))
    result = recommend(load_spec(spec))
    return {f.rule: (f.ddl, f.fix) for f in result.findings if f.rule in ("INT003", "INT004", "INT006")}


@pytest.mark.parametrize(
    ("dialect", "fragments"),
    [
        ("postgres", ("CHECK (total_amount >= 0) NOT VALID", "SET NOT NULL", "SET DATA TYPE DECIMAL(19, 4)")),
        (
            "mysql",
            ("CHECK (total_amount >= 0);", "MODIFY COLUMN note TEXT NOT NULL", "MODIFY COLUMN total_amount"),
        ),
    ],
)
def test_alter_statements(tmp_path: Path, dialect: str, fragments: tuple[str, ...]) -> None:
    found = _int_findings(tmp_path, dialect)
    assert set(found) == {"INT003", "INT004", "INT006"}
    ddl = "\n".join(d or "" for d, _ in found.values())
    for fragment in fragments:
        assert fragment in ddl


def test_sqlite_gets_a_rebuild_note_instead_of_alter(tmp_path: Path) -> None:
    found = _int_findings(tmp_path, "sqlite")
    assert set(found) == {"INT003", "INT004", "INT006"}
    for ddl, fix in found.values():
        assert ddl is None
        assert "SQLite cannot change constraints or types in place" in fix
