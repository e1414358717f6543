"""How many statements of ``advisor ddl`` the real engines refuse, over generated specs.

Generates valid-looking specs (tables with the types people write in PostgreSQL and MySQL specs,
keys, references, defaults, indexes and a few patterns), writes the full schema for SQLite,
PostgreSQL and MariaDB, and runs every statement on the real engine one by one (as ``mariadb
--force`` would), counting those the engine refuses, the specs advisor itself refuses with one
line, and the specs that end in a traceback. Not part of the test suite: run it by hand.

    python scripts/ddl_acceptance.py --specs 2000 [--engines sqlite,postgres,mariadb] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import tempfile
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

TYPES = {
    "postgres": [
        "bigint", "integer", "smallint", "text", "varchar(255)", "varchar(20)", "boolean", "timestamp",
        "timestamptz", "date", "time", "numeric(12,2)", "double precision", "real", "char(2)", "uuid",
        "jsonb", "json", "inet", "cidr", "macaddr", "interval", "money", "xml", "tsvector", "int[]",
        "text[]", "bytea",
    ],
    "mysql": [
        "bigint", "int", "int unsigned", "bigint unsigned", "tinyint(1)", "mediumint", "smallint",
        "varchar(255)", "varchar(64)", "text", "longtext", "datetime", "timestamp", "date", "time",
        "decimal(10,2)", "double", "float", "char(36)", "json", "enum('new','paid','shipped')",
        "set('a','b')", "year", "blob", "longblob", "varbinary(16)", "binary(16)",
    ],
}  # fmt: skip
FITTING = {
    "bigint": "0", "integer": "0", "int": "0", "smallint": "1", "int unsigned": "0", "mediumint": "0",
    "bigint unsigned": "0", "tinyint(1)": "0", "boolean": "false", "text": "''", "varchar(255)": "'n/a'",
    "varchar(20)": "'new'", "varchar(64)": "'x'", "char(2)": "'FR'", "timestamp": "now()",
    "timestamptz": "now()", "datetime": "now()", "date": "'2024-01-01'", "numeric(12,2)": "0",
    "decimal(10,2)": "0", "double precision": "0", "double": "0", "real": "0", "float": "0",
    "jsonb": "'{}'", "json": "'{}'", "enum('new','paid','shipped')": "'new'", "year": "2024",
    "money": "0", "uuid": "'00000000-0000-0000-0000-000000000000'", "inet": "'127.0.0.1'",
}  # fmt: skip
MISFITS = {
    "bigint": "'none'",
    "integer": "'abc'",
    "boolean": "'yes'",
    "date": "'today'",
    "varchar(20)": "'a' || 'b'",
}
WORDS = ["status", "email", "name", "created_at", "amount", "kind", "note", "payload", "ip", "code", "score"]


def generate(rng: random.Random, number: int) -> dict[str, Any]:
    """One valid-looking spec; table names carry ``number`` so that specs share a database."""
    dialect = rng.choice(["postgres", "mysql"])
    tables: dict[str, Any] = {}
    keys: list[tuple[str, str, bool]] = []  # (table, column, is a key)
    patterns: list[dict[str, Any]] = []
    for t in range(rng.randint(1, 3)):
        name = f"s{number}_t{t}"
        columns: dict[str, Any] = {"id": {"type": "bigint", "primary_key": True}}
        for word in rng.sample(WORDS, rng.randint(2, 5)):
            type_ = rng.choice(TYPES[dialect])
            column: dict[str, Any] = {"type": type_, "ndv": rng.choice([2, 10, 1000])}
            if rng.random() < 0.3 and type_ in FITTING:
                column["default"] = FITTING[type_]
            elif rng.random() < 0.03 and type_ in MISFITS:
                column["default"] = MISFITS[type_]
            if rng.random() < 0.1:
                column["unique"] = True
            columns[word] = column
            keys.append((name, word, bool(column.get("unique"))))
        if keys and rng.random() < 0.5:
            parent = [k for k in keys if k[0] != name]
            if parent:
                target = rng.choice(parent) if rng.random() < 0.3 else (parent[0][0], "id", True)
                columns["ref_id"] = {"type": "bigint", "references": f"{target[0]}.{target[1]}"}
        keys.append((name, "id", True))
        indexed = rng.choice([c for c in columns if c != "id"])
        tables[name] = {"rows": rng.choice([1000, 1_000_000]), "columns": columns}
        if rng.random() < 0.5:
            tables[name]["indexes"] = [{"name": f"ix_{name}_{indexed}", "columns": [indexed]}]
        for looked_up in rng.sample([c for c in columns if c != "id"], min(2, len(columns) - 1)):
            patterns.append(
                {
                    "name": f"p{len(patterns)}",
                    "sql": f"SELECT id FROM {name} WHERE {looked_up} = :v",
                    "per_sec": 50,
                }
            )
    return {"dialect": dialect, "tables": tables, "patterns": patterns}


@contextmanager
def engine(name: str) -> Iterator[Callable[[str], object]]:
    """A function that runs one statement on a throwaway database of ``name``, dropped after."""
    db = f"advisor_accept_{uuid.uuid4().hex[:10]}"
    if name == "sqlite":
        memory = sqlite3.connect(":memory:")
        yield memory.execute
        memory.close()
    elif name == "postgres":
        import psycopg

        admin = psycopg.connect("postgresql://postgres@127.0.0.1:5432/test", autocommit=True)
        admin.execute(f"CREATE DATABASE {db}")
        try:
            with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{db}", autocommit=True) as pg:
                yield lambda sql: pg.execute(sql.encode())
        finally:
            admin.execute(f"DROP DATABASE IF EXISTS {db}")
            admin.close()
    else:
        import pymysql

        maria_admin = pymysql.connect(host="127.0.0.1", port=3306, user="root", autocommit=True)
        maria_admin.cursor().execute(f"CREATE DATABASE {db}")
        try:
            maria = pymysql.connect(host="127.0.0.1", port=3306, user="root", database=db, autocommit=True)
            yield lambda sql: maria.cursor().execute(sql)
            maria.close()
        finally:
            maria_admin.cursor().execute(f"DROP DATABASE IF EXISTS {db}")
            maria_admin.close()


def run(specs: int, engines: list[str], seed: int) -> None:
    from advisor.emit.migration import ddl_text
    from advisor.emit.target import resolve_target
    from advisor.engines.database import split_sql
    from advisor.errors import AdvisorError
    from advisor.recommend import planned_changes
    from advisor.spec.load import load_spec

    folder = Path(tempfile.mkdtemp(prefix="advisor_accept_"))
    for name in engines:
        rng = random.Random(seed)
        dialect = "mysql" if name == "mariadb" else name
        counts: Counter[str] = Counter()
        causes: Counter[str] = Counter()
        with engine(name) as execute:
            for number in range(specs):
                path = folder / f"spec_{number}.yaml"
                path.write_text(yaml.safe_dump(generate(rng, number), sort_keys=False), encoding="utf-8")
                try:
                    spec = load_spec(path)
                    script = ddl_text(spec, planned_changes(spec)[1], resolve_target(dialect), False, False)
                except AdvisorError as exc:
                    counts["specs refused by advisor"] += 1
                    causes["advisor: " + ": ".join(str(exc).split(": ")[2:])[:90]] += 1
                    continue
                except Exception as exc:  # a traceback for the user
                    counts["specs ending in a traceback"] += 1
                    causes[f"traceback: {type(exc).__name__}"] += 1
                    continue
                for statement in split_sql(script, dialect):
                    counts["statements"] += 1
                    try:
                        execute(statement)
                    except Exception as exc:
                        counts["statements refused by the engine"] += 1
                        causes[str(exc).strip().splitlines()[0][:90]] += 1
        print(f"{name}: {specs} specs, " + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())))
        for cause, count in causes.most_common(8):
            print(f"    {count:5}  {cause}")
        sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--specs", type=int, default=2000)
    parser.add_argument("--engines", default="sqlite,postgres,mariadb")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    run(args.specs, args.engines.split(","), args.seed)


if __name__ == "__main__":
    main()
