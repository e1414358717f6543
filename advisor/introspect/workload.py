"""Statements as recorded by the server (``pg_stat_statements``) turned into patterns.

Pure: the reader hands over rows, so what is kept and why is tested without a server. A
statement is kept when it is a query or a write (not a utility statement such as ``BEGIN`` or
``SET``), reads none of the catalog, is not one of the tool's own, and the analysis accepts it
against the introspected tables (a statement on another schema's tables would make the spec fail
to load). Its parameters (``$1``) stay placeholders: the spec accepts them as written.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from advisor.introspect.model import PatternFacts
from advisor.introspect.write import rounded

MARKER = "advisor introspect"
"""Written in a comment inside each of the tool's own queries, so that a later run leaves them out."""
HIDDEN = "<insufficient privilege>"
"""pg_stat_statements' text for another role's statement when the role lacks pg_read_all_stats."""
ORIGIN = "pg_stat_statements"
"""Each pattern's ``origin`` (``source`` names another recorder): recorded statements, so one the
analysis cannot read is a finding."""
_CATALOG = frozenset({"pg_catalog", "information_schema", "performance_schema", "mysql", "sys"})
_NAME_PART = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Statement:
    """One row of pg_stat_statements, summed over the roles that ran the same text."""

    query: str
    calls: int
    queryid: int | None = None


@dataclass(frozen=True)
class Workload:
    patterns: tuple[PatternFacts, ...]
    skipped: tuple[tuple[str, int], ...]
    """(why, how many statements), in a fixed order, for the note on standard error."""


def read_workload(
    statements: Sequence[Statement],
    seconds: float | None,
    schema: Mapping[str, Collection[str]],
    dialect: str = "postgres",
    min_calls: int = 1,
    top: int | None = None,
    source: str = ORIGIN,
) -> Workload:
    """The patterns among ``statements``, most called first, at most ``top`` of them.

    ``seconds`` is the time the counts cover (since the statistics were reset): each pattern gets
    ``calls / seconds`` as ``per_sec``; without it the calls are relative ``weight``\\ s.

    >>> rows = [Statement("SELECT id FROM t WHERE a = $1", 600, 7), Statement("BEGIN", 900)]
    >>> found = read_workload(rows, 60.0, {"t": {"id", "a"}})
    >>> [(p.name, p.per_sec) for p in found.patterns], found.skipped
    ([('select_t', 10.0)], (('utility statement', 1),))
    """
    from advisor.analysis.analyze import AnalysisError, analyze
    from advisor.analysis.shape import StatementKind

    skipped: Counter[str] = Counter()
    names: Counter[str] = Counter()
    kept: list[PatternFacts] = []
    for row in sorted(statements, key=lambda s: (-s.calls, s.query)):
        why = _left_out(row, min_calls, dialect)
        if why is None:
            try:
                shape = analyze(row.query, dialect, schema)
            except AnalysisError as exc:
                why = "not about the introspected tables" if "unknown table" in str(exc) else "not analyzable"
            else:
                if shape.kind is StatementKind.OTHER:
                    why = "utility statement"
                elif top is not None and len(kept) >= top:
                    why = f"beyond --top {top}"
        if why is not None:
            skipped[why] += 1
            continue
        name = _name(row.query, dialect, names)
        kept.append(_pattern(name, row, seconds, source))
    order = [
        "utility statement",
        "the tool's own",
        "reads the catalog",
        "reads no table",
        "hidden from this role",
        f"fewer than {min_calls} calls",
        "not about the introspected tables",
        "not analyzable",
        f"beyond --top {top}",
    ]
    return Workload(tuple(kept), tuple((why, skipped[why]) for why in order if skipped[why]))


def _left_out(row: Statement, min_calls: int, dialect: str) -> str | None:
    """Why ``row`` is no pattern before it is analyzed, or ``None``."""
    if row.query.strip() == HIDDEN:
        return "hidden from this role"
    if MARKER in row.query:
        return "the tool's own"
    if row.calls < min_calls:
        return f"fewer than {min_calls} calls"
    return _tables_problem(row.query, dialect)


def _tables_problem(sql: str, dialect: str) -> str | None:
    """Why the tables ``sql`` names make it no pattern: a system catalog or statistics view
    (``pg_class``, ``information_schema``), or no table at all (``SELECT 1``, a health check)."""
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import SqlglotError

    try:
        tree = sqlglot.parse_one(sql, read=dialect)
    except SqlglotError:
        return None  # the analysis says why
    if not isinstance(tree, exp.Query | exp.DML):  # BEGIN, SET, VACUUM, CREATE ...
        return "utility statement"
    tables = list(tree.find_all(exp.Table))
    if not tables:
        return "reads no table"
    for table in tables:
        if table.db.lower() in _CATALOG or table.name.lower().startswith("pg_"):
            return "reads the catalog"
    return None


def _name(sql: str, dialect: str, used: Counter[str]) -> str:
    """``select_orders``: the statement's kind and first table; ``_2``, ``_3`` for the next ones."""
    import sqlglot
    from sqlglot import exp

    tree = sqlglot.parse_one(sql, read=dialect)
    kind = type(tree).__name__.lower() if isinstance(tree, exp.DML) else "select"
    table = next(tree.find_all(exp.Table), None)
    base = f"{kind}_{_NAME_PART.sub('_', table.name.lower()).strip('_')}" if table else kind
    used[base] += 1
    return base if used[base] == 1 else f"{base}_{used[base]}"


def _pattern(name: str, row: Statement, seconds: float | None, source: str) -> PatternFacts:
    which = f"queryid {row.queryid}: " if row.queryid is not None else ""
    if seconds is not None and seconds > 0:
        note = f"{source} {which}{row.calls} calls in {_duration(seconds)}"
        return PatternFacts(
            name, row.query, per_sec=max(rounded(row.calls / seconds), 1e-9), note=note, origin=source
        )
    note = f"{source} {which}{row.calls} calls (no reset time known: a relative weight)"
    return PatternFacts(name, row.query, weight=float(row.calls), note=note, origin=source)


def _duration(seconds: float) -> str:
    """
    >>> _duration(42), _duration(7200), _duration(3 * 86400)
    ('42 s', '2.0 h', '3.0 days')
    """
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200 - 1:
        return f"{seconds / 60:.0f} min"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"
