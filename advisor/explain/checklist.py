"""The architect's checklist that ends every report: ten items, each marked from what the spec
declares (``operations:``) and what the rules found, or named unknown with the key to declare."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from advisor.dialects import dialect
from advisor.explain.result import ChecklistItem, Recommendation, TableCapacity
from advisor.figures import human_bytes
from advisor.rules.base import Finding
from advisor.spec.model import Fact, FrequencySource, Spec


def _declared(fact: Fact, key: str, item: str, ask: str, todo: str = "") -> ChecklistItem:
    """An item decided by one ``operations`` key alone: ``ask`` says what to declare when it is
    not declared, ``todo`` what to set up when it is declared absent."""
    if fact is None:
        return ChecklistItem(item, "unknown", f"not declared; {ask}", key)
    if fact is False:
        return ChecklistItem(item, "todo", f"declared absent; {todo or ask}", key)
    return ChecklistItem(item, "ok", "in place" if fact is True else fact, key)


def _rules_of(findings: Sequence[Finding], prefix: str) -> list[Finding]:
    return [f for f in findings if f.rule.startswith(prefix)]


def _counted(findings: Sequence[Finding]) -> str:
    """``INT003 x3, INT007``."""
    counts = Counter(f.rule for f in findings)
    return ", ".join(f"{rule} x{n}" if n > 1 else rule for rule, n in sorted(counts.items()))


def _indexes(recs: Sequence[Recommendation], findings: Sequence[Finding]) -> ChecklistItem:
    creates = [r for r in recs if r.action == "create"]
    drops = [r for r in recs if r.action == "drop"]
    loose = [f for f in findings if f.rule in ("IDX003", "IDX005", "IDX008")]
    rules = tuple(sorted({rule for r in recs for rule in r.rules} | {f.rule for f in loose}))
    if not creates and not drops and not loose:
        return ChecklistItem("indexes", "ok", "the existing indexes serve every pattern", "tables.*.indexes")
    parts = []
    if creates or drops:
        parts.append(f"apply the plan: {len(creates)} to create, {len(drops)} to drop")
    if loose:
        parts.append(f"review {_counted(loose)}")
    return ChecklistItem("indexes", "todo", "; ".join(parts), "tables.*.indexes", rules)


def _constraints(findings: Sequence[Finding]) -> ChecklistItem:
    found = _rules_of(findings, "INT")
    key = "tables.*.columns"
    if not found:
        return ChecklistItem(
            "constraints", "ok", "keys, foreign keys, CHECKs, NOT NULL and UNIQUE as the rules expect", key
        )
    return ChecklistItem(
        "constraints",
        "todo",
        f"{len(found)} integrity findings ({_counted(found)})",
        key,
        tuple(sorted({f.rule for f in found})),
    )


def _with_rule(
    item: str, fact: Fact, key: str, found: list[Finding], advice: str, none_needed: str | None
) -> ChecklistItem:
    """An item both declared and derived: a finding calls for work whatever the declaration says."""
    rules = tuple(sorted({f.rule for f in found}))
    if found:
        said = (
            ""
            if fact is None
            else f"declared {fact!r}"
            if isinstance(fact, str)
            else f"declared {str(fact).lower()}"
        )
        advice_found = "; ".join(f"{f.rule} {f.subject}: {f.fix.split(';')[0]}" for f in found)
        detail = advice_found + (f"; {said}" if said else "")
        return ChecklistItem(item, "todo", detail, key, rules)
    if fact is None and none_needed is not None:
        return ChecklistItem(item, "ok", none_needed, key)
    return _declared(fact, key, item, advice)


def _growth(now: float, later: float) -> str:
    """How the data's size changes over three years, in words."""
    if later <= now * 1.01:
        return f"the data stays at about {human_bytes(now)}"
    return f"the data grows from {human_bytes(now)} to {human_bytes(later)} in three years"


def checklist(
    spec: Spec,
    recs: Sequence[Recommendation],
    findings: Sequence[Finding],
    capacity: Sequence[TableCapacity],
) -> tuple[ChecklistItem, ...]:
    ops = spec.operations
    tools = dialect(spec.dialect).operations
    stats, log, pool = tools.statement_stats, tools.change_log, tools.pooler
    total = sum(c.table_bytes + c.index_bytes for c in capacity)
    three = sum(c.table_bytes_3y + c.index_bytes_3y for c in capacity)
    rate = sum(p.per_sec for p in spec.patterns)
    weighted = any(p.source is FrequencySource.WEIGHT for p in spec.patterns)
    load = "the application's connections" if weighted else f"the {rate:,.0f} statements/s of the patterns"
    changes = len(recs) + sum(1 for f in findings if f.ddl)
    served = sorted({s.pattern for r in recs for s in r.serves})
    return (
        _indexes(recs, findings),
        _constraints(findings),
        _declared(
            ops.monitoring,
            "operations.monitoring",
            "monitoring",
            "say what watches slow queries, locks, replication lag and disk growth ("
            + f"{stats}; {_growth(total, three)})",
            "collect slow queries, locks, replication lag and disk growth ("
            + f"{stats}); {_growth(total, three)}",
        ),
        _declared(
            ops.backups,
            "operations.backups",
            "backups",
            f"say how {human_bytes(total)} of data is backed up (full backups plus {log} archiving for "
            "point-in-time recovery) and when a restore was last tested",
            f"set up full backups of the {human_bytes(total)} plus {log} archiving for point-in-time "
            "recovery, and test a restore",
        ),
        _with_rule(
            "replication",
            ops.replication,
            "operations.replication",
            [f for f in findings if f.rule == "CAP004"],
            "say which replicas exist, synchronous or not, and what reads go to them",
            None,
        ),
        _with_rule(
            "partitioning",
            ops.partitioning,
            "operations.partitioning",
            [f for f in findings if f.rule == "CAP002"],
            "say which tables are partitioned and how",
            "no table is large, growing and read by time ranges (CAP002)",
        ),
        _declared(
            ops.connection_pooling,
            "operations.connection_pooling",
            "connection pooling",
            f"say what pools connections for {load}",
            f"put a pool ({pool}) in front of {load}",
        ),
        _declared(
            ops.explain_review,
            "operations.explain_review",
            "EXPLAIN review",
            "say how plans are reviewed; check these estimates with EXPLAIN (ANALYZE, BUFFERS) on "
            "production-like data" + (f", first for {', '.join(served)}" if served else ""),
            "check these estimates with EXPLAIN (ANALYZE, BUFFERS) on production-like data"
            + (f", first for {', '.join(served)}" if served else ""),
        ),
        _declared(
            ops.migration_plan,
            "operations.migration_plan",
            "migration plan",
            "say how schema changes ship (online DDL, lock timeouts, a rollback path)"
            + (f"; this report proposes {changes} DDL changes" if changes else ""),
            "plan how schema changes ship: online DDL, lock timeouts, a rollback path"
            + (f", starting with the {changes} DDL changes of this report" if changes else ""),
        ),
        _declared(
            ops.disaster_recovery,
            "operations.disaster_recovery",
            "disaster recovery",
            "say the RPO and RTO, where the standby or backups live (another region) and when failover "
            "was last rehearsed",
            "decide the RPO and RTO, keep a standby or backups in another region and rehearse failover",
        ),
    )
