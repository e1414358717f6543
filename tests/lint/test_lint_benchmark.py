"""``benchmarks/lint.py --corpus``: findings per rule on a real folder, as the benchmark prints them."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_corpus_mode_counts_findings_per_rule(tmp_path: Path) -> None:
    (tmp_path / "m" / "2020-01-01_a").mkdir(parents=True)
    (tmp_path / "m" / "2020-01-01_a" / "up.sql").write_text("DROP TABLE a;\nDROP TABLE b;\nTRUNCATE c;\n")
    (tmp_path / "m" / "2020-01-01_a" / "down.sql").write_text("DROP TABLE z;\n")
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "lint.py"), "--corpus", str(tmp_path / "m")],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert done.stdout.splitlines() == [
        f"corpus: {tmp_path / 'm'} (1 files), 3 findings",
        "MIG012 2",
        "MIG017 1",
    ]
    spec = importlib.util.spec_from_file_location("lint_benchmark", ROOT / "benchmarks" / "lint.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.findings_per_rule(tmp_path / "m", ["--ignore", "MIG012"]) == (1, {"MIG017": 1})
