"""Seconds for inputs that used to take quadratic time, beside the figures measured before the fix.

- ``advisor recommend`` on a pattern whose IN list of integers meets a text column (the QRY003
  rewrite retypes every member);
- ``advisor lint`` on one big non-ASCII PostgreSQL file with a syntax error (the file is split
  statement by statement).

Each run is a subprocess, interpreter start-up included. It prints figures, nothing else: no pass
or fail.

    python benchmarks/hostile.py
    python benchmarks/hostile.py --in-members 5000 20000 100000 --lint-mb 4 20
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BEFORE_IN = {5_000: "3.7 s", 20_000: "28.7 s", 100_000: "> 300 s"}
"""``recommend`` before the fix, by IN-list members."""
BEFORE_LINT = {4: "71.8 s", 20: "> 60 s"}
"""``lint`` before the fix, by megabytes of file."""


def in_list_spec(members: int) -> str:
    values = ", ".join(str(i) for i in range(members))
    return f"""dialect: postgres
tables:
  t:
    rows: 1000000
    columns:
      id: {{ type: bigint, primary_key: true }}
      code: {{ type: varchar(20) }}
patterns:
  - name: many
    sql: SELECT id FROM t WHERE code IN ({values})
    per_sec: 10
"""


def non_ascii_migration(megabytes: float) -> str:
    lines = ["CREATE TABLE t (id bigint PRIMARY KEY, name text);"]
    size, i = 0, 0
    while size < megabytes * 1_000_000:
        line = f"INSERT INTO t (id, name) VALUES ({i}, 'héllo wörld {i}');"
        lines.append(line)
        size += len(line.encode()) + 1
        i += 1
    lines.insert(len(lines) // 2, "SELEC broken;")
    return "\n".join(lines) + "\n"


def timed(*args: str) -> str:
    """Wall-clock and CPU seconds of one run (CPU too: the machine may be shared)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "advisor", *args], check=False, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return f"{wall:.1f} s ({cpu:.1f} s CPU)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--in-members", type=int, nargs="*", default=[5_000, 20_000])
    parser.add_argument("--lint-mb", type=float, nargs="*", default=[4])
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for members in options.in_members:
            spec = Path(folder) / f"in_{members}.yaml"
            spec.write_text(in_list_spec(members), encoding="utf-8")
            seconds = timed("recommend", str(spec), "--format", "json")
            before = BEFORE_IN.get(members, "not measured")
            print(
                f"recommend, IN list of {members:,} integers on a text column: {seconds} (before: {before})"
            )
        for megabytes in options.lint_mb:
            sql = Path(folder) / "big.sql"
            sql.write_text(non_ascii_migration(megabytes), encoding="utf-8")
            seconds = timed("lint", str(sql), "--format", "json")
            before = BEFORE_LINT.get(int(megabytes), "not measured")
            print(f"lint, {megabytes:g} MB non-ASCII file with a syntax error: {seconds} (before: {before})")


if __name__ == "__main__":
    main()
