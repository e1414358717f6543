"""The last stage of reading PostgreSQL: the workload, from ``pg_stat_statements`` where the
extension is installed, loaded and readable, and otherwise the reason there are no patterns, with
the steps to record them."""

from __future__ import annotations

from typing import Any

from advisor.introspect.model import Fetch, Options
from advisor.introspect.postgres_common import quote_ident
from advisor.introspect.workload import Statement, Workload, read_workload

_ENABLE = (
    "pg_stat_statements is {state}, so the spec has no patterns: to record the workload, {steps}, let "
    "the application run, then introspect again"
)
_LOAD = "set shared_preload_libraries = 'pg_stat_statements' in postgresql.conf, restart the server"


def read_pg_stat_statements(
    conn: Any, fetch: Fetch, database: str, schema: dict[str, set[str]], options: Options
) -> tuple[Workload | None, str]:
    """The patterns from pg_stat_statements, or ``None`` and why there are none."""
    import psycopg

    found = fetch(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
        "WHERE e.extname = 'pg_stat_statements'"
    )
    if not found:
        return None, f"not installed in database {database}"
    where = quote_ident(found[0][0])
    try:
        # a savepoint: reading the view fails when the library is not preloaded (or the role
        # may not), and the transaction must go on
        with conn.transaction():
            statements = read_statements(fetch, where)
    except psycopg.errors.ObjectNotInPrerequisiteState:
        return None, "installed but not loaded (it is not in shared_preload_libraries)"
    except psycopg.errors.InsufficientPrivilege:
        return None, "not readable by this role (grant it pg_read_all_stats)"
    return (
        read_workload(
            statements, window(conn, fetch, where), schema, "postgres", options.min_calls, options.top
        ),
        "read",
    )


def read_statements(fetch: Fetch, where: str) -> list[Statement]:
    """The rows of ``where``.pg_stat_statements for this database, summed over the roles
    that ran the same text."""
    rows = fetch(
        f"SELECT query, sum(calls)::int8, min(queryid) FROM {where}.pg_stat_statements "
        "WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) "
        "GROUP BY query"
    )
    return [Statement(str(text), int(calls), queryid) for text, calls, queryid in rows]


def window(conn: Any, fetch: Fetch, where: str) -> float | None:
    """Seconds since pg_stat_statements was last reset (``pg_stat_statements_info``, 1.9+)."""
    import psycopg

    try:
        with conn.transaction():
            found = fetch(
                f"SELECT extract(epoch FROM now() - stats_reset)::float8 FROM {where}.pg_stat_statements_info"
            )
    except psycopg.errors.UndefinedTable:
        return None
    return float(found[0][0]) if found and found[0][0] is not None else None


def workload_comments(workload: Workload | None, state: str) -> tuple[str, ...]:
    if workload is None:
        return (
            f"No patterns: pg_stat_statements is {state}. Add the queries the application runs, e.g.:",
            "patterns:",
            "  - name: recent_orders_of_user",
            "    sql: SELECT * FROM orders WHERE user_id = $1 ORDER BY created_at DESC LIMIT 20",
            "    per_sec: 50",
        )
    lines = [
        "Patterns: pg_stat_statements, calls over the time since its statistics were reset; $1... are parameters."
    ]
    if workload.skipped:
        lines.append("Left out: " + ", ".join(f"{n} {why}" for why, n in workload.skipped) + ".")
    return tuple(lines)


def workload_warnings(workload: Workload | None, state: str, database: str) -> tuple[str, ...]:
    if workload is None:
        steps = _LOAD
        if state.startswith("not installed"):
            steps += f", run CREATE EXTENSION pg_stat_statements in database {database}"
        return (_ENABLE.format(state=state, steps=steps),)
    if not workload.patterns:
        return ("pg_stat_statements recorded no statement on these tables: the spec has no patterns",)
    return ()
