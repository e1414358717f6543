"""Files per second of `advisor lint`, and of squawk on the same files when it is installed.

Generates a deterministic corpus of PostgreSQL migrations (default: 600 files) shaped like a real
project's history: tables created with their indexes and foreign keys, columns added, indexes
built concurrently, constraints added NOT VALID then validated, backfills, functions and triggers
with dollar-quoted bodies, renames and drops. Then times, each as a subprocess on all files at once
(best of ``--repeat`` runs, interpreter start-up included, since that is what CI pays):

- ``python -m advisor lint DIR --format json``;
- ``squawk FILES...`` (``pip install squawk-cli``) when a ``squawk`` executable is found next to
  this interpreter or on PATH.

It prints the figures and their ratio, nothing else: no pass or fail.

With ``--corpus DIR`` it lints a real migrations folder instead (``DIR`` as ``advisor lint`` takes
it, plus any ``--lint-option``) and prints the number of findings per rule, to compare versions of
the linter on the same corpus:

    python benchmarks/lint.py
    python benchmarks/lint.py --files 2000 --keep /tmp/migrations
    python benchmarks/lint.py --corpus /tmp/lemmy-migrations/migrations
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOUNS = (
    "account", "invoice", "shipment", "device", "session", "payment", "message", "listing",
    "review", "booking", "ticket", "asset", "contract", "reading", "visit", "task",
)  # fmt: skip
LEGACY = ("users", "orders", "accounts")
"""Tables that exist before the corpus's first migration, so locking rules have work to do."""
TYPES = ("text", "bigint", "integer", "boolean", "timestamptz", "numeric(12, 2)", "jsonb", "uuid")


def create_table(rng: random.Random, name: str, parents: list[str]) -> str:
    columns = ["    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY"]
    for number in range(rng.randint(3, 9)):
        nullable = "" if rng.random() < 0.5 else " NOT NULL"
        columns.append(f"    {rng.choice(NOUNS)}_{number} {rng.choice(TYPES)}{nullable}")
    lines = [f"CREATE TABLE {name} ("]
    if parents:
        parent = rng.choice(parents)
        columns.append(f"    {parent}_id bigint NOT NULL REFERENCES {parent} (id)")
        index = f"CREATE INDEX {name}_{parent}_id_idx ON {name} ({parent}_id);"
    else:
        index = f"CREATE INDEX {name}_created_idx ON {name} (created_at);"
    columns.append("    created_at timestamptz NOT NULL DEFAULT now()")
    lines.append(",\n".join(columns))
    lines.append(");")
    return "\n".join([f"-- {name}: created with its indexes", *lines, index, ""])


def change_table(rng: random.Random, table: str, serial: int) -> str:
    column = f"{rng.choice(NOUNS)}_{serial}"
    kind = rng.randrange(8)
    if kind == 0:
        return (
            "SET lock_timeout = '2s';\n"
            f"ALTER TABLE {table} ADD COLUMN {column} {rng.choice(TYPES)};\n"
            f"COMMENT ON COLUMN {table}.{column} IS 'added in migration {serial}';\n"
        )
    if kind == 1:
        return f"CREATE INDEX CONCURRENTLY {table}_{column}_idx ON {table} ({column}) WHERE {column} IS NOT NULL;\n"
    if kind == 2:
        return (
            "BEGIN;\n"
            f"ALTER TABLE {table} ADD COLUMN {column} bigint;\n"
            f"ALTER TABLE {table} ADD CONSTRAINT {table}_{column}_fk\n"
            f"    FOREIGN KEY ({column}) REFERENCES {rng.choice(NOUNS)}s (id) NOT VALID;\n"
            "COMMIT;\n"
            f"ALTER TABLE {table} VALIDATE CONSTRAINT {table}_{column}_fk;\n"
        )
    if kind == 3:
        return (
            f"UPDATE {table} SET updated_at = created_at WHERE id BETWEEN {serial * 1000} AND {serial * 1000 + 999};\n"
            f"INSERT INTO audit (event, at) VALUES ('backfill {serial}', now());\n"
        )
    if kind == 4:
        return (
            f"CREATE OR REPLACE FUNCTION {table}_touch_{serial}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            "BEGIN\n"
            "    NEW.updated_at := now();  -- a semicolon inside the body\n"
            "    RETURN NEW;\n"
            "END;\n"
            "$$;\n"
            f"CREATE TRIGGER {table}_touch_{serial} BEFORE UPDATE ON {table}\n"
            f"    FOR EACH ROW EXECUTE FUNCTION {table}_touch_{serial}();\n"
        )
    if kind == 5:
        return (
            f"ALTER TABLE {table} ADD COLUMN {column} text NOT NULL DEFAULT 'none';\n"
            f"ALTER TABLE {table} ALTER COLUMN {column} SET NOT NULL;\n"
            f"CREATE INDEX {table}_{column}_idx ON {table} ({column});\n"
        )
    if kind == 6:
        return (
            f"ALTER TABLE {table} RENAME COLUMN legacy_{serial} TO {column};\n"
            f"ALTER TABLE {table} DROP COLUMN IF EXISTS obsolete_{serial};\n"
        )
    return (
        f"CREATE VIEW {table}_recent_{serial} AS\n"
        f"    SELECT id, created_at FROM {table} WHERE created_at > now() - interval '30 days';\n"
        f"GRANT SELECT ON {table}_recent_{serial} TO reporting;\n"
    )


def generate(folder: Path, count: int, seed: int = 7) -> list[Path]:
    """``count`` migration files in ``folder``, named as Flyway names them."""
    rng = random.Random(seed)
    tables: list[str] = []
    files = []
    for number in range(1, count + 1):
        if not tables or rng.random() < 0.25:
            name = f"{rng.choice(NOUNS)}s_{number}"
            text = create_table(rng, name, tables)
            tables.append(name)
        else:
            text = "".join(
                change_table(rng, rng.choice(tables), number * 10 + i) for i in range(rng.randint(1, 3))
            )
        path = folder / f"V{number}__migration_{number}.sql"
        path.write_text(text, encoding="utf-8")
        files.append(path)
    return files


def best_of(command: list[str], repeat: int) -> float:
    """The fastest wall-clock time of ``repeat`` runs (exit status ignored: findings are expected)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, capture_output=True, check=False)
        best = min(best, time.perf_counter() - start)
    return best


def find_squawk() -> str | None:
    beside = Path(sys.executable).parent / "squawk"
    return str(beside) if beside.exists() else shutil.which("squawk")


def findings_per_rule(corpus: Path, options: list[str]) -> tuple[int, dict[str, int]]:
    """Files linted and findings per rule for ``advisor lint CORPUS OPTIONS --format json``."""
    command = [sys.executable, "-m", "advisor", "lint", str(corpus), *options, "--format", "json"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1):
        raise SystemExit(done.stderr.strip() or f"advisor lint exited with {done.returncode}")
    report = json.loads(done.stdout)
    counts: dict[str, int] = {}
    for finding in report["findings"]:
        counts[finding["rule"]] = counts.get(finding["rule"], 0) + 1
    return int(report["files"]), dict(sorted(counts.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--files", type=int, default=600, help="migration files to generate (default 600)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per tool; the best counts")
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    parser.add_argument("--corpus", type=Path, help="count findings per rule on this migrations folder")
    parser.add_argument(
        "--lint-option", action="append", default=[], help="an option passed on to advisor lint (repeatable)"
    )
    args = parser.parse_args()
    if args.corpus is not None:
        read, counts = findings_per_rule(args.corpus, args.lint_option)
        print(f"corpus: {args.corpus} ({read} files), {sum(counts.values())} findings")
        for rule, count in counts.items():
            print(f"{rule} {count}")
        return
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        files = generate(folder, args.files)
        statements = sum(path.read_text().count(";") for path in files)
        print(f"corpus: {len(files)} files, about {statements} statements")
        ours = best_of(
            [sys.executable, "-m", "advisor", "lint", str(folder), "--format", "json"], args.repeat
        )
        print(f"advisor lint: {ours:.2f} s, {len(files) / ours:,.0f} files/s")
        squawk = find_squawk()
        if squawk is None:
            print("squawk: not installed (pip install squawk-cli)")
            return
        theirs = best_of([squawk, *map(str, files)], args.repeat)
        print(f"squawk:       {theirs:.2f} s, {len(files) / theirs:,.0f} files/s")
        print(f"advisor lint takes {ours / theirs:.1f}x squawk's time")


if __name__ == "__main__":
    main()
