"""The fix a finding states comes from its rule's catalog entry: the light read lint uses agrees
with the validated catalog, a malformed fix is a catalog error, and lint does not load the
catalog to print one."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from advisor.catalog import RuleDoc, load_catalog
from advisor.catalog.fixes import _fixes, fix_clause, fix_line
from advisor.catalog.model import fix_lines
from advisor.errors import AdvisorError

WriteRule = Callable[..., Path]
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("rule", list(load_catalog()), ids=lambda r: r.id)
def test_light_read_agrees_with_the_catalog(rule: RuleDoc) -> None:
    assert _fixes(rule.id) == fix_lines(rule.fix)
    for case in fix_lines(rule.fix):
        assert fix_line(rule.id, case) == rule.fix_line(case)


def test_a_fix_per_case() -> None:
    assert fix_line("MIG036", "money") == "Use numeric(p, s) with a separate currency column."
    assert fix_clause("IDX009", "index over budget") == "raise the budget, or accept the scan"
    with pytest.raises(KeyError, match="MIG036's catalog fix has no case None"):
        fix_line("MIG036")
    with pytest.raises(KeyError, match="no case 'money'"):
        fix_line("MIG033", "money")


@pytest.mark.parametrize(
    ("fix", "words"),
    [
        ("- Use numeric.\n- Add a currency.", "is written '- **case**: fix'"),
        ("- **float**: Use numeric.\n- **float**: Use integers.", "the case 'float' has two fixes"),
    ],
)
def test_a_malformed_list_of_fixes_is_a_catalog_error(
    write_rule: WriteRule, valid_rule: dict[str, Any], fix: str, words: str
) -> None:
    valid_rule["fix"] = fix
    with pytest.raises(AdvisorError) as info:
        load_catalog(write_rule(valid_rule))
    assert info.value.location.field == "fix"
    assert words in info.value.message


def test_lint_reads_one_rule_file_for_a_fix(tmp_path: Path) -> None:
    migration = tmp_path / "V1__m.sql"
    migration.write_text("CREATE TABLE countries (code char(2) PRIMARY KEY);\n", encoding="utf-8")
    code = (
        "import atexit, json, sys\n"
        "def _dump():\n"
        "    loaded = [m for m in sys.modules if m.startswith('advisor.catalog')]\n"
        "    sys.__stderr__.write('\\nREPORT ' + json.dumps(sorted(loaded)) + '\\n')\n"
        "atexit.register(_dump)\n"
        f"sys.argv = ['advisor', 'lint', {str(migration)!r}]\n"
        "from advisor.cli import main\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert "fix: Use text (or varchar), with a CHECK constraint for a fixed length." in done.stdout
    line = next(x for x in done.stderr.splitlines() if x.startswith("REPORT "))
    loaded = json.loads(line.removeprefix("REPORT "))
    assert "advisor.catalog.fixes" in loaded
    assert "advisor.catalog.load" not in loaded
