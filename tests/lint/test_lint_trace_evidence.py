"""How ``--trace`` observations become evidence on the MySQL-family findings, without a server: a
refusal, an online claim and a copy claim are each confirmed or contradicted, a lock kept after
the statement no rule predicted is MIG091, and an ALTER that could not be asked gets no verdict."""

from __future__ import annotations

from advisor.catalog.model import Severity
from advisor.lint.engine import LintFinding
from advisor.lint.trace import Observation, with_evidence

COPIES = "changing orders.qty from integer to bigint copies the table row by row (ALGORITHM=COPY)"
REFUSES = "MariaDB 10.11 refuses this statement: adding a STORED generated column on table orders"
ONLINE = "on MariaDB 10.11, adding a UNIQUE index on table orders runs NOCOPY with LOCK=NONE"


def _finding(rule: str, message: str, line: int = 1) -> LintFinding:
    return LintFinding(rule, Severity.WARNING, "m.sql", line, 1, message, "fix")


def _seen(line: int = 1, **observed: object) -> Observation:
    return Observation("m.sql", line, line, "mysql", **observed)  # type: ignore[arg-type]


def _traced(finding: LintFinding, seen: Observation) -> str:
    (out,) = with_evidence([finding], (seen,))
    return out.message.removeprefix(finding.message)


def test_a_copy_claim_is_confirmed_by_a_copy_and_contradicted_by_an_instant_change() -> None:
    finding = _finding("MIG011", COPIES)
    copied = _seen(algorithm="COPY", lock="SHARED", rewritten=("orders",))
    assert _traced(finding, copied) == (
        " [trace, confirmed: ALGORITHM=COPY, LOCK=SHARED; orders rebuilt (new table id)]"
    )
    instant = _seen(algorithm="INSTANT", lock="NONE")
    assert _traced(finding, instant) == " [trace, not confirmed: ALGORITHM=INSTANT, LOCK=NONE]"
    in_place_locked = _seen(algorithm="INPLACE", lock="SHARED")
    assert _traced(finding, in_place_locked).startswith(" [trace, confirmed:")


def test_a_refusal_of_the_statements_own_lock_can_show_the_copy() -> None:
    finding = _finding("MIG011", COPIES)
    hint = "LOCK=NONE is not supported. Reason: COPY algorithm requires a lock. Try LOCK=SHARED"
    assert _traced(finding, _seen(refused=hint)) == f" [trace, confirmed: refused: {hint}]"
    nocopy = "ALGORITHM=INSTANT is not supported. Reason: ADD INDEX. Try ALGORITHM=NOCOPY"
    assert _traced(finding, _seen(refused=nocopy)) == f" [trace, not confirmed: refused: {nocopy}]"


def test_a_refusal_claim_needs_the_server_to_refuse() -> None:
    finding = _finding("MIG053", REFUSES)
    refused = _seen(refused="ALGORITHM=INSTANT is not supported for this operation. Try ALGORITHM=COPY")
    assert _traced(finding, refused).startswith(" [trace, confirmed: refused: ALGORITHM=INSTANT")
    assert _traced(finding, _seen(algorithm="INSTANT", lock="NONE")).startswith(" [trace, not confirmed:")


def test_an_online_claim_is_confirmed_by_an_online_change() -> None:
    finding = _finding("MIG053", ONLINE)
    assert _traced(finding, _seen(algorithm="NOCOPY", lock="NONE")).startswith(" [trace, confirmed:")
    assert _traced(finding, _seen(algorithm="COPY", lock="SHARED")).startswith(" [trace, not confirmed:")


def test_no_verdict_without_an_algorithm_and_failures_are_said() -> None:
    finding = _finding("MIG011", COPIES)
    unasked = _seen(note="metadata locks not observed")
    assert _traced(finding, unasked) == " [trace: metadata locks not observed]"
    failed = _seen(observed=False, note="failed: Table 'orders' doesn't exist")
    assert _traced(finding, failed) == " [trace: failed: Table 'orders' doesn't exist]"
    other_rule = _finding("MIG015", "renaming table p to p2 breaks every running query")
    untouched, unpredicted = with_evidence([other_rule], (_seen(algorithm="COPY", lock="SHARED"),))
    assert untouched == other_rule and unpredicted.rule == "MIG091"


def test_unpredicted_copies_and_kept_locks_are_mig091_but_brief_locks_are_not() -> None:
    copied = _seen(1, algorithm="COPY", lock="SHARED", rewritten=("orders",))
    kept = _seen(2, kept=(("orders", "SHARED_NO_READ_WRITE"),))
    brief = _seen(3, locks=(("orders", "SHARED_NO_WRITE"),), rewritten=("orders",))
    online = _seen(4, algorithm="INPLACE", lock="NONE", rewritten=("orders",))
    found = with_evidence([], (copied, kept, brief, online))
    assert [(f.rule, f.line) for f in found] == [("MIG091", 1), ("MIG091", 2)]
    assert "copied a table that existed before its file, blocking writes" in found[0].message
    assert "locked a table that existed before its file, blocking reads and writes" in found[1].message
    assert found[1].message.endswith("[trace: metadata lock SHARED_NO_READ_WRITE on orders kept after it]")
    predicted = with_evidence([_finding("MIG011", COPIES)], (copied,))
    assert [f.rule for f in predicted] == ["MIG011"]
