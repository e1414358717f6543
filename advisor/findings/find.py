"""Every finding of a run: the patterns left out, the candidate rules' findings, the review of the
chosen plan and the design rules, less those ignored and those a more specific one explains.

>>> from advisor.rules.base import Finding
>>> scan = Finding("IDX009", "warning", "q", "scans", "index it", patterns=("q",))
>>> cause = Finding("QRY004", "warning", "q", "leading wildcard", "rewrite it", patterns=("q",))
>>> [f.rule for f in most_specific([scan, cause])]
['QRY004']
"""

from __future__ import annotations

from collections.abc import Iterable

from advisor.findings.registry import DESIGN_RULES
from advisor.findings.review import review
from advisor.rules.base import Finding, Output
from advisor.rules.context import Context
from advisor.selection.select import Plan


def find(ctx: Context, out: Output, plan: Plan) -> list[Finding]:
    """The findings the rules make of ``plan``, in the order the report lists them."""
    ignored = ctx.spec.settings.ignore
    findings = [*ctx.skipped, *out.findings, *review(ctx, plan)]
    for rule_id, rule in DESIGN_RULES:
        if rule_id not in ignored:
            findings.extend(rule(ctx, plan))
    return [f for f in most_specific(findings) if f.rule not in ignored]


# query rules that name why a pattern scans and rewrite it (function on the column, leading
# wildcard, OR across columns): where one fires, the general "still scans" finding is noise
_SCAN_CAUSES = frozenset({"QRY002", "QRY004", "QRY005"})


def most_specific(findings: Iterable[Finding]) -> list[Finding]:
    """``findings`` less each IDX009 whose pattern a query rule already explains."""
    findings = list(findings)
    explained = {p for f in findings if f.rule in _SCAN_CAUSES for p in f.patterns}
    return [f for f in findings if f.rule != "IDX009" or not set(f.patterns) & explained]
