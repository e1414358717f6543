"""How far `advisor recommend` is from the floor on a large spec.

Generates a deterministic spec (default: 1,000 tables and 20,000 patterns) into a temporary
folder, then times:

- the floor: loading the YAML with PyYAML's C loader and ``sqlglot.parse_one`` of every pattern's
  SQL in the spec's dialect, which any tool reading this input has to do;
- ``python -m advisor recommend SPEC --format json --output OUT`` as a subprocess, with the same
  interpreter.

It prints the figures and their ratio, nothing else: no pass or fail. Wall seconds and processor
seconds both: on a machine doing other work the wall clock of the longer run suffers more.

    python benchmarks/scale.py
    python benchmarks/scale.py --tables 100 --patterns 2000 --keep /tmp/spec
"""

from __future__ import annotations

import argparse
import math
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]

NOUNS = (
    "account", "invoice", "shipment", "device", "session", "payment", "message", "listing",
    "review", "booking", "ticket", "asset", "contract", "reading", "visit", "task",
)  # fmt: skip
STATUSES = ("active", "archived", "pending", "failed", "deleted")
STATUS_SHARES = (0.82, 0.12, 0.03, 0.02, 0.01)
EXTRA_TYPES = ("integer", "bigint", "varchar(40)", "varchar(120)", "numeric(10,2)", "boolean", "date")

# Relative weights of the pattern shapes; reads dominate, as in most OLTP systems.
SHAPES: dict[str, int] = {
    "by_id": 14,
    "by_code": 6,
    "by_parent": 10,
    "range": 8,
    "recent_of_owner": 12,
    "in_status": 6,
    "join_parent": 10,
    "count_by_status": 4,
    "name_prefix": 3,
    "insert": 12,
    "insert_many": 3,
    "update": 9,
    "delete_old": 3,
}


@dataclass
class TableDef:
    """What the generator needs to know about one generated table."""

    name: str
    rows: int
    parent: TableDef | None
    extras: list[str] = field(default_factory=list)

    @property
    def columns(self) -> list[str]:
        base = ["id", "owner_id", "status", "code", "name", "amount", "created_at"]
        return base + (["parent_id"] if self.parent else []) + self.extras


def _log_uniform(rng: random.Random, low: float, high: float) -> float:
    return math.exp(rng.uniform(math.log(low), math.log(high)))


def _table_spec(table: TableDef, rng: random.Random) -> dict[str, Any]:
    rows = table.rows
    columns: dict[str, Any] = {
        "id": {"type": "bigint", "primary_key": True},
        "owner_id": {"type": "bigint", "nullable": False, "ndv": max(1, rows // 40)},
        "status": {
            "type": "varchar(16)",
            "nullable": False,
            "ndv": len(STATUSES),
            "frequencies": dict(zip(STATUSES, STATUS_SHARES, strict=True)),
        },
        "code": {"type": "varchar(64)", "unique": True, "nullable": False, "ndv": rows},
        "name": {"type": "varchar(200)"},
        "amount": {"type": "numeric(12,2)", "ndv": max(1, min(rows, 100_000))},
        "created_at": {"type": "timestamp", "nullable": False, "ndv": max(1, rows // 2)},
    }
    if table.parent is not None:
        columns["parent_id"] = {
            "type": "bigint",
            "nullable": False,
            "ndv": max(1, min(rows, table.parent.rows)),
            "references": f"{table.parent.name}.id",
        }
    for extra in table.extras:
        columns[extra] = {"type": rng.choice(EXTRA_TYPES)}
    spec: dict[str, Any] = {"rows": rows}
    if rng.random() < 0.5:
        spec["growth_per_day"] = max(1, rows // rng.choice((100, 365, 1000)))
    spec["columns"] = columns
    indexes = []
    if rng.random() < 0.3:
        indexes.append({"name": f"idx_{table.name}_owner", "columns": ["owner_id"]})
    if rng.random() < 0.15:
        indexes.append({"name": f"idx_{table.name}_status", "columns": ["status"]})
    if rng.random() < 0.15:
        indexes.append({"name": f"idx_{table.name}_created", "columns": ["created_at"]})
    if indexes:
        spec["indexes"] = indexes
    return spec


def _make_tables(count: int, rng: random.Random) -> list[TableDef]:
    tables: list[TableDef] = []
    for i in range(count):
        # Earlier tables are the parents, so references always point at a table that exists.
        parent = rng.choice(tables[max(0, i - 50) : i]) if i and rng.random() < 0.7 else None
        rows = int(_log_uniform(rng, 1_000, 2_000_000_000))
        extras = [f"attr_{k}" for k in range(rng.randint(0, 6))]
        tables.append(TableDef(f"{NOUNS[i % len(NOUNS)]}_{i:04d}", rows, parent, extras))
    return tables


def _pattern_sql(shape: str, table: TableDef, rng: random.Random) -> tuple[str, TableDef]:
    """SQL of one pattern; may switch to another table when the shape needs a parent."""
    t = table.name
    pick = ", ".join(rng.sample(["id", "name", "amount", "status", "created_at", *table.extras], 3))
    limit = rng.choice((10, 20, 50, 100))
    if shape in ("by_parent", "join_parent") and table.parent is None:
        shape = "by_id"
    if shape == "by_id":
        return f"SELECT {pick} FROM {t} WHERE id = :id", table
    if shape == "by_code":
        return f"SELECT id, {pick} FROM {t} WHERE code = :code", table
    if shape == "by_parent":
        return f"SELECT {pick} FROM {t} WHERE parent_id = :parent_id", table
    if shape == "range":
        return f"SELECT {pick} FROM {t} WHERE created_at >= :since AND created_at < :until", table
    if shape == "recent_of_owner":
        return (
            f"SELECT {pick} FROM {t} WHERE owner_id = :owner ORDER BY created_at DESC LIMIT {limit}",
            table,
        )
    if shape == "in_status":
        members = ", ".join(f"'{s}'" for s in rng.sample(STATUSES[2:], 2))
        return (
            f"SELECT id, created_at FROM {t} WHERE status IN ({members}) ORDER BY created_at LIMIT {limit}",
            table,
        )
    if shape == "join_parent":
        assert table.parent is not None
        p = table.parent.name
        return (
            f"SELECT c.id, c.amount, p.name FROM {t} AS c JOIN {p} AS p ON p.id = c.parent_id "
            f"WHERE p.owner_id = :owner AND c.status = 'active'",
            table,
        )
    if shape == "count_by_status":
        return f"SELECT status, COUNT(*) AS n FROM {t} WHERE owner_id = :owner GROUP BY status", table
    if shape == "name_prefix":
        return f"SELECT id, name FROM {t} WHERE name LIKE 'ab%' ORDER BY name LIMIT {limit}", table
    if shape in ("insert", "insert_many"):
        cols = ["id", "owner_id", "status", "code", "created_at"] + (["parent_id"] if table.parent else [])
        width = 3 if shape == "insert_many" else 1
        rows = ", ".join("(" + ", ".join(f":{c}_{r}" for c in cols) + ")" for r in range(width))
        return f"INSERT INTO {t} ({', '.join(cols)}) VALUES {rows}", table
    if shape == "update":
        return f"UPDATE {t} SET status = :status, amount = :amount WHERE id = :id", table
    if shape == "delete_old":
        return f"DELETE FROM {t} WHERE created_at < :cutoff", table
    raise ValueError(shape)


def generate_spec(tables: int, patterns: int, seed: int = 7, dialect: str = "postgres") -> dict[str, Any]:
    """A valid spec as plain data; the same arguments always give the same spec."""
    rng = random.Random(seed)
    defs = _make_tables(tables, rng)
    shapes = list(SHAPES)
    weights = list(SHAPES.values())
    out: list[dict[str, Any]] = []
    for j in range(patterns):
        # A few hot tables get most patterns, like real schemas.
        table = defs[min(len(defs) - 1, int(_log_uniform(rng, 1, len(defs) + 1)) - 1)]
        shape = rng.choices(shapes, weights)[0]
        sql, table = _pattern_sql(shape, table, rng)
        out.append(
            {
                "name": f"{shape}_{table.name}_{j:05d}",
                "sql": sql,
                "per_sec": round(_log_uniform(rng, 0.01, 2000), 3),
            }
        )
    return {
        "dialect": dialect,
        "tables": {t.name: _table_spec(t, rng) for t in defs},
        "patterns": out,
    }


def write_spec(spec: dict[str, Any], path: Path) -> None:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    with path.open("w", encoding="utf-8") as handle:
        yaml.dump(spec, handle, Dumper=dumper, sort_keys=False, default_flow_style=None, width=200)


@dataclass(frozen=True)
class Floor:
    """Seconds spent loading the YAML and parsing the SQL, and the number of patterns parsed."""

    load: float
    parse: float
    patterns: int
    cpu: float
    """Processor seconds of both (user and system): what other work on the machine cannot inflate."""

    @property
    def total(self) -> float:
        return self.load + self.parse


def measure_floor(path: Path) -> Floor:
    """Time loading the YAML and ``sqlglot.parse_one`` of every pattern's SQL."""
    import sqlglot  # imported before the clock starts: the floor is a warm tool's work

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    cpu = time.process_time()
    start = time.perf_counter()
    with path.open(encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=loader)  # a safe loader
    loaded = time.perf_counter()
    dialect = data["dialect"]
    for pattern in data["patterns"]:
        sqlglot.parse_one(pattern["sql"], read=dialect)
    parsed = time.perf_counter()
    return Floor(loaded - start, parsed - loaded, len(data["patterns"]), time.process_time() - cpu)


def run_advisor(path: Path, output: Path) -> tuple[float, float, int, str]:
    """Seconds, processor seconds (user and system), exit status and stderr of ``advisor
    recommend`` run as a subprocess."""
    env = dict(os.environ)
    # Works from a checkout without an install, and never picks up another advisor.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    command = [
        sys.executable,
        "-m",
        "advisor",
        "recommend",
        str(path),
        "--format",
        "json",
        "--output",
        str(output),
    ]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, check=False)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, cpu, done.returncode, done.stderr


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time `advisor recommend` against the parse floor.")
    parser.add_argument("--tables", type=int, default=1000)
    parser.add_argument("--patterns", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--dialect", default="postgres", choices=("postgres", "mysql", "sqlite"))
    parser.add_argument("--keep", type=Path, help="write the spec and the report here and keep them")
    args = parser.parse_args(argv)
    if args.tables < 1 or args.patterns < 1:
        parser.error("--tables and --patterns must be at least 1")

    with tempfile.TemporaryDirectory(prefix="advisor-scale-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        spec_path = folder / "patterns.yaml"
        start = time.perf_counter()
        write_spec(generate_spec(args.tables, args.patterns, args.seed, args.dialect), spec_path)
        generated = time.perf_counter() - start
        size_mb = spec_path.stat().st_size / 1e6
        print(
            f"spec:    {args.tables} tables, {args.patterns} patterns, {size_mb:.1f} MB ({generated:.2f} s to generate)"
        )

        floor = measure_floor(spec_path)
        print(
            f"floor:   {floor.total:.2f} s  (yaml CSafeLoader {floor.load:.2f} s"
            f" + sqlglot.parse_one x {floor.patterns} {floor.parse:.2f} s), {floor.cpu:.2f} s of CPU"
        )

        seconds, cpu, status, stderr = run_advisor(spec_path, folder / "report.json")
        if status != 0:
            last = stderr.strip().splitlines()[-1] if stderr.strip() else "(no output)"
            print(f"advisor: exit {status} after {seconds:.2f} s: {last}")
            return 0
        print(
            f"advisor: {seconds:.2f} s  (recommend --format json, subprocess, start-up included), "
            f"{cpu:.2f} s of CPU"
        )
        print(f"ratio:   {seconds / floor.total:.1f}x the floor; in CPU seconds {cpu / floor.cpu:.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
