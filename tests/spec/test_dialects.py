"""Dialect names: validated without importing every sqlglot dialect."""

from __future__ import annotations

import subprocess
import sys

from sqlglot.dialects.dialect import Dialect

from advisor.dialects import known_dialects


def test_known_dialects_are_the_ones_sqlglot_registers() -> None:
    assert known_dialects() == sorted(name for name in Dialect.classes if name)


def test_validating_a_name_imports_no_other_dialect() -> None:
    code = (
        "import sys\n"
        "from advisor.spec.dialects import normalize_dialect\n"
        "normalize_dialect('PostgreSQL')\n"
        "print(sorted(m for m in sys.modules if m.startswith('sqlglot.dialects.') and m != 'sqlglot.dialects.dialect'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "duckdb" not in out and "bigquery" not in out, out
