"""How `advisor verify` spends its time as ``--rows`` grows, on the in-memory SQLite engine.

For each row cap, times the stages on the bundled e-commerce sample: generating the synthetic
rows from the statistics, and the whole verify pass (schema, load, ANALYZE, every pattern
explained and run before and after the recommended indexes). Prints the figures, nothing else:
no pass or fail.

    python benchmarks/verify_rows.py
    python benchmarks/verify_rows.py --rows 10000 100000 --spec samples/saas_helpdesk/patterns.yaml
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from advisor.emit.schema import dependency_order
from advisor.spec.load import load_spec
from advisor.verify.data import generate, now_utc
from advisor.verify.run import verify

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--spec", type=Path, default=ROOT / "samples/ecommerce/patterns.yaml")
    args = parser.parse_args()
    spec = load_spec(args.spec)
    print(f"{'rows cap':>10} {'rows made':>10} {'generate s':>11} {'verify s':>9}")
    for cap in args.rows:
        start = time.perf_counter()
        data = generate(spec, cap, now_utc(), dependency_order(spec.tables))
        made = time.perf_counter() - start
        start = time.perf_counter()
        verify(spec, None, cap)
        whole = time.perf_counter() - start
        print(f"{cap:>10,} {sum(len(d.rows) for d in data):>10,} {made:>11.2f} {whole:>9.2f}")


if __name__ == "__main__":
    main()
