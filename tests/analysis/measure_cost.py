"""Measure what ``analyze`` costs next to ``sqlglot.parse_one`` alone (a script, not a test).

    .venv/bin/python -m tests.analysis.measure_cost [statements] [dialect]

The statements mix realistic access patterns (with varying literals and placeholder styles) and
random statements of ``analysis_sqlgen``, kept when both ``parse_one`` and ``analyze`` accept them
in the dialect. Each side runs five times over the same list; the best run counts.
"""

from __future__ import annotations

import gc
import logging
import random
import sys
import time
from collections.abc import Callable

import sqlglot

from advisor.analysis.analyze import AnalysisError, analyze
from tests.analysis.analysis_sqlgen import SCHEMA, statement

PATTERNS = [
    "SELECT order_id, total_amount FROM orders WHERE user_id = :uid ORDER BY created_at DESC LIMIT {n}",
    "SELECT * FROM users WHERE email = %(email)s",
    "SELECT * FROM orders WHERE order_id = $1",
    "SELECT u.user_id, u.email, o.order_id FROM users u JOIN orders o ON o.user_id = u.user_id "
    "WHERE u.created_at > now() - INTERVAL '{n} days' AND o.status IN ('pending', 'processing') "
    "ORDER BY o.created_at LIMIT 50",
    "SELECT status, count(*) FROM orders WHERE created_at >= $1 AND created_at < $2 GROUP BY status",
    "SELECT o.order_id FROM orders o WHERE o.user_id = ? AND EXISTS "
    "(SELECT 1 FROM order_items i WHERE i.order_id = o.order_id AND i.qty > {n})",
    "WITH recent AS (SELECT user_id, max(created_at) AS last FROM orders GROUP BY user_id) "
    "SELECT u.email FROM users u JOIN recent r ON r.user_id = u.user_id WHERE r.last < :cut",
    "UPDATE orders SET status = 'shipped' WHERE order_id = :id AND status = 'pending'",
    "UPDATE users SET name = :name WHERE user_id = :id",
    "DELETE FROM order_items WHERE order_id = :o AND line_no = {n}",
    "INSERT INTO orders (user_id, status, total_amount, created_at) VALUES (:u, 'pending', :t, now())",
    "INSERT INTO order_items (order_id, line_no, qty, price) VALUES (?, ?, ?, ?)",
    "SELECT DISTINCT user_id FROM orders WHERE lower(status) = :e LIMIT 10 OFFSET {n}",
    "SELECT order_id FROM orders WHERE status LIKE 'ab%' AND total_amount BETWEEN {n} AND 100",
    "SELECT a.order_id, sum(b.qty) FROM orders a, order_items b WHERE a.order_id = b.order_id "
    "AND a.created_at > '2024-01-01' GROUP BY a.order_id",
    "SELECT order_id FROM orders WHERE status = 'a' OR status = 'b' ORDER BY order_id LIMIT {n}",
    "SELECT user_id FROM users UNION ALL SELECT user_id FROM orders WHERE total_amount > {n}",
]


def workload(count: int, dialect: str, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    out: list[str] = []
    while len(out) < count:
        if rng.random() < 0.7:
            sql = rng.choice(PATTERNS).format(n=rng.randint(1, 999))
        else:
            sql = statement(rng.choice, rng.choice([0, 1, 2]))
        try:
            sqlglot.parse_one(sql, read=dialect)
            analyze(sql, dialect, SCHEMA)
        except (sqlglot.errors.SqlglotError, AnalysisError):
            continue
        out.append(sql)
    return out


def best_of(runs: int, function: Callable[[str], object], statements: list[str]) -> float:
    best = float("inf")
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        for sql in statements:
            function(sql)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    dialect = sys.argv[2] if len(sys.argv) > 2 else "postgres"
    logging.getLogger("sqlglot").setLevel(logging.ERROR)
    statements = workload(count, dialect)
    parse = best_of(5, lambda sql: sqlglot.parse_one(sql, read=dialect), statements)
    full = best_of(5, lambda sql: analyze(sql, dialect, SCHEMA), statements)
    per = 1e6 / len(statements)
    print(f"{len(statements)} statements ({dialect})")
    print(f"parse_one {parse * per:7.1f} us/statement")
    print(f"analyze   {full * per:7.1f} us/statement  = {full / parse:.2f} x parse_one")


if __name__ == "__main__":
    main()
