"""How long reading a large schema file takes: ``schema:`` DDL replayed into the spec's tables.

Writes a DDL file of ``--tables`` tables (each with a primary key, a foreign key with an action, a
DEFAULT, a CHECK, a partial index with a DESC key and a unique index with INCLUDE) and times
``advisor.spec.load.load_ddl`` on it per dialect, each in a fresh subprocess, best of ``--runs``.
With ``--compare DIR``, another checkout (say a worktree of main) is timed in the same rounds. No
pass or fail: the figures are for reading.

    python benchmarks/ddl_load.py
    python benchmarks/ddl_load.py --tables 2000 --compare ../main
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DIALECTS = ("postgres", "mysql", "sqlite")
LOAD = "import sys; from pathlib import Path; from advisor.spec.load import load_ddl; load_ddl([Path(sys.argv[1])], sys.argv[2])"


def schema_text(tables: int) -> str:
    """``tables`` tables, each pointing at the one before it."""
    lines = []
    for i in range(tables):
        parent = max(i - 1, 0)
        lines += [
            f"CREATE TABLE t{i} (id bigint PRIMARY KEY, a integer NOT NULL DEFAULT 0, b varchar(40) "
            f"CHECK (b <> ''), c timestamp, d numeric(12,2), p bigint REFERENCES t{parent} (id) ON DELETE CASCADE);",
            f"CREATE INDEX t{i}_a ON t{i} (a, c DESC) WHERE b IS NOT NULL;",
            f"CREATE UNIQUE INDEX t{i}_b ON t{i} (b, d);",
        ]
    return "\n".join(lines) + "\n"


def timed(checkout: Path, path: Path, dialect: str) -> float:
    """Wall seconds of one load in a fresh interpreter that imports ``checkout``'s package."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", LOAD, str(path), dialect],
        cwd=checkout,
        env={"PYTHONPATH": str(checkout)},
        check=True,
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--tables", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--compare", type=Path, metavar="DIR", help="another checkout, timed in the same rounds"
    )
    args = parser.parse_args()
    checkouts = {"this checkout": ROOT} | (
        {f"{args.compare}": args.compare.resolve()} if args.compare else {}
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "schema.sql"
        path.write_text(schema_text(args.tables))
        print(f"{args.tables} tables, {3 * args.tables} statements; best of {args.runs} runs (s)")
        for dialect in DIALECTS:
            best = {
                name: min(timed(where, path, dialect) for _ in range(args.runs))
                for name, where in checkouts.items()
            }
            print(f"  {dialect:<9}" + "".join(f"  {name}: {seconds:6.2f}" for name, seconds in best.items()))


if __name__ == "__main__":
    main()
