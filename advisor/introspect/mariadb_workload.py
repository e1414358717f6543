"""Reading MariaDB and MySQL, the workload: performance_schema's statement digests of the database
turned into patterns, or the reason there are none, with what to change to record them."""

from __future__ import annotations

import re

from advisor.introspect.model import Fetch, Options
from advisor.introspect.workload import Statement, Workload, read_workload


def read_digests(
    fetch: Fetch, database: str, schema: dict[str, set[str]], options: Options
) -> tuple[Workload | None, str, int]:
    """The patterns from performance_schema's statement digests of this database, or ``None``
    and why there are none; and the statements performance_schema counted without a digest, its
    table being full."""
    import pymysql

    if not int(fetch("SELECT @@performance_schema")[0][0] or 0):
        return None, "off (performance_schema = OFF)", 0
    digests = "performance_schema.events_statements_summary_by_digest"
    try:
        rows = fetch(
            f"SELECT DIGEST_TEXT, COUNT_STAR FROM {digests} WHERE SCHEMA_NAME = %s AND DIGEST_TEXT IS NOT NULL",
            (database,),
        )
        # the digests keep no reset time: the first statement any of them saw starts the window
        since = fetch(f"SELECT TIMESTAMPDIFF(SECOND, MIN(FIRST_SEEN), NOW()) FROM {digests}")
        # once the table is full, new statements are counted in one row without a digest
        lost = fetch(f"SELECT COALESCE(SUM(COUNT_STAR), 0) FROM {digests} WHERE DIGEST IS NULL")
    except pymysql.err.MySQLError as exc:
        if exc.args and exc.args[0] in (1142, 1044):  # no SELECT on performance_schema
            return None, "not readable by this user (GRANT SELECT ON performance_schema.* TO it)", 0
        raise
    # whole seconds: a window under one (digests just reset) counts as one
    window = max(1.0, float(since[0][0])) if since and since[0][0] is not None else None
    lost_statements = int(lost[0][0] or 0) if lost else 0
    statements = [Statement(_from_digest(str(text)), int(calls)) for text, calls in rows]
    return (
        read_workload(
            statements,
            window,
            schema,
            "mysql",
            options.min_calls,
            options.top,
            "performance_schema",
        ),
        "read",
        lost_statements,
    )


def _from_digest(text: str) -> str:
    """A digest as SQL the analysis reads. A digest shortens a list of literals to ``?, ...`` and a
    whole VALUES row or IN list to ``(...)``: the first is one placeholder, the second becomes one
    (so an INSERT whose rows the digest folded counts one), and the note of folded rows goes.

    >>> _from_digest("INSERT INTO `t` VALUES (...) /* , ... */ ")
    'INSERT INTO `t` VALUES (?)'
    >>> _from_digest("INSERT INTO `t` ( `a` , `b` ) VALUES ( ?, ... , NOW ( ) ) , ( ?, ... , NOW ( ) ) ")
    'INSERT INTO `t` ( `a` , `b` ) VALUES ( ? , NOW ( ) ) , ( ? , NOW ( ) )'
    """
    text = text.replace("/* , ... */", "").replace("(...)", "(?)")
    return _FOLDED.sub("", text).strip()


_FOLDED = re.compile(r",\s*\.\.\.")


def workload_comments(workload: Workload | None, state: str, engine: str) -> tuple[str, ...]:
    if workload is None:
        return (
            f"No patterns: {engine}'s performance_schema is {state}. Add the queries the application runs, e.g.:",
            "patterns:",
            "  - name: recent_orders_of_user",
            "    sql: SELECT * FROM orders WHERE user_id = ? ORDER BY created_at DESC LIMIT 20",
            "    per_sec: 50",
        )
    lines = [
        "Patterns: performance_schema's statement digests (literals as ?), calls over the time since the",
        "first of them was seen (the digests keep no reset time).",
    ]
    if workload.skipped:
        lines.append("Left out: " + ", ".join(f"{n} {why}" for why, n in workload.skipped) + ".")
    return tuple(lines)


def workload_warnings(workload: Workload | None, state: str, engine: str, lost: int = 0) -> tuple[str, ...]:
    """What the user must know about the patterns read (or not read) from the digests.

    >>> workload_warnings(Workload((), ()), "read", "MariaDB", lost=1200)[0][:72]
    "performance_schema's digest table is full: 1,200 statements ran after it"
    """
    out: list[str] = []
    if lost:
        out.append(
            f"performance_schema's digest table is full: {lost:,} statements ran after it filled and are "
            "not among the patterns (performance_schema_digests_size); run TRUNCATE TABLE "
            "performance_schema.events_statements_summary_by_digest, let the application run, then "
            "introspect again"
        )
    if workload is None:
        out.append(
            f"{engine}'s performance_schema is {state}, so the spec has no patterns: to record the workload, "
            "start the server with performance_schema = ON, let the application run, then introspect again"
        )
    elif not workload.patterns:
        out.append("performance_schema recorded no statement on these tables: the spec has no patterns")
    return tuple(out)
