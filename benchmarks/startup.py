"""How long `advisor recommend` takes on the e-commerce sample, beside the interpreter's floor.

Times, in the same run and with the same interpreter, each as a fresh subprocess:

- ``python -c pass``: the interpreter's own start-up;
- ``python -c "import sqlglot"``: the parser every run needs;
- ``python -m advisor recommend samples/ecommerce/patterns.yaml``.

Each is run ``--runs`` times after one warm-up round, interleaved so that a busy machine slows
all three alike; the minimum and the median wall time are printed, and the least CPU time (user + system), which a
busy machine disturbs less. Bytecode caching is switched
on for the subprocesses (``PYTHONDONTWRITEBYTECODE`` removed), as in an installed copy: otherwise
every run recompiles the project's own modules and the figure measures the compiler. No pass or
fail: the figures are for reading.

    python benchmarks/startup.py
    python benchmarks/startup.py --runs 15 --spec samples/saas/patterns.yaml
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(argv: list[str]) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one run of ``argv``, its output thrown away."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--spec", default="samples/ecommerce/patterns.yaml")
    args = parser.parse_args()
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "import sqlglot": [sys.executable, "-c", "import sqlglot"],
        f"advisor recommend {args.spec}": [sys.executable, "-m", "advisor", "recommend", args.spec],
    }
    for argv in commands.values():
        run(argv)
    times: dict[str, list[tuple[float, float]]] = {label: [] for label in commands}
    for _ in range(args.runs):
        for label, argv in commands.items():
            times[label].append(run(argv))
    print(f"{'command':<50} {'wall min':>9} {'wall median':>12} {'cpu min':>8}")
    for label, runs in times.items():
        walls = [w for w, _ in runs]
        cpu = min(c for _, c in runs)
        print(f"{label:<50} {min(walls):>8.3f}s {statistics.median(walls):>11.3f}s {cpu:>7.3f}s")


if __name__ == "__main__":
    main()
