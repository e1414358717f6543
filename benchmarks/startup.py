"""How long `advisor recommend` takes on the e-commerce sample, beside the interpreter's floor.

Times, in the same run and with the same interpreter, each as a fresh subprocess:

- ``python -c pass``: the interpreter's own start-up;
- ``python -c "import sqlglot"``: the parser every run needs;
- ``python -m advisor --version``: the command line alone (typer);
- ``python -m advisor recommend samples/ecommerce/patterns.yaml``;
- with ``--compare DIR``, the same command in another checkout (say a worktree of main), so that
  a change is measured against what it changes in the same rounds.

Each is run ``--runs`` times after one warm-up round, interleaved so that a busy machine slows
all of them alike; the minimum and the median wall time are printed, and the least CPU time (user + system), which a
busy machine disturbs less. Bytecode caching is switched
on for the subprocesses (``PYTHONDONTWRITEBYTECODE`` removed), as in an installed copy: otherwise
every run recompiles the project's own modules and the figure measures the compiler. No pass or
fail: the figures are for reading (``tests/cli/test_startup.py`` guards what start-up loads).

    python benchmarks/startup.py
    python benchmarks/startup.py --runs 15 --spec samples/saas_helpdesk/patterns.yaml
    python benchmarks/startup.py --compare ../main
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


def run(argv: list[str], cwd: Path = ROOT) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one run of ``argv`` in ``cwd``, its output thrown away."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--spec", default="samples/ecommerce/patterns.yaml")
    parser.add_argument(
        "--compare",
        type=Path,
        metavar="DIR",
        help="another checkout whose `advisor recommend` is timed in the same rounds (python -m "
        "advisor run there imports that checkout's package)",
    )
    args = parser.parse_args()
    recommend = [sys.executable, "-m", "advisor", "recommend", args.spec]
    commands: dict[str, tuple[list[str], Path]] = {
        "python -c pass": ([sys.executable, "-c", "pass"], ROOT),
        "import sqlglot": ([sys.executable, "-c", "import sqlglot"], ROOT),
        "advisor --version": ([sys.executable, "-m", "advisor", "--version"], ROOT),
        f"advisor recommend {args.spec}": (recommend, ROOT),
    }
    if args.compare is not None:
        commands[f"  the same in {args.compare}"] = (recommend, args.compare.resolve())
    for argv, cwd in commands.values():
        run(argv, cwd)
    times: dict[str, list[tuple[float, float]]] = {label: [] for label in commands}
    for _ in range(args.runs):
        for label, (argv, cwd) in commands.items():
            times[label].append(run(argv, cwd))
    print(f"{'command':<50} {'wall min':>9} {'wall median':>12} {'cpu min':>8}")
    for label, runs in times.items():
        walls = [w for w, _ in runs]
        cpu = min(c for _, c in runs)
        print(f"{label:<50} {min(walls):>8.3f}s {statistics.median(walls):>11.3f}s {cpu:>7.3f}s")


if __name__ == "__main__":
    main()
