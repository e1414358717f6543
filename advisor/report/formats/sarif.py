"""The report as SARIF for code scanning: recommendations and findings as results at their lines
of the patterns file. The log itself is written by :mod:`advisor.report.sarif`, which
``advisor lint`` shares."""

from __future__ import annotations

from typing import TYPE_CHECKING

from advisor.explain.result import Recommendation, Result
from advisor.report.formats.base import Formatter, serves_text

if TYPE_CHECKING:
    from advisor.report.sarif import SarifResult
    from advisor.spec.model import Spec


class SarifFormatter(Formatter):
    """SARIF 2.1.0 for code scanning: each recommendation a ``note`` under its first rule, at the
    first pattern it serves (a drop at the index it drops), and each finding at its line of the
    patterns file. ``spec`` gives those lines; without it a recommendation points at line 1."""

    name = "sarif"

    def __init__(self, spec: Spec | None = None) -> None:
        self.spec = spec

    def render(self, result: Result) -> str:
        from advisor.report.sarif import LEVELS, SarifResult, artifact_uri, fingerprint, sarif_log

        uri = artifact_uri(result.file)
        results = [self._recommendation(rec, uri) for rec in result.recommendations]
        for f in result.findings:
            ddl = f"\n{f.ddl}" if f.ddl else ""
            results.append(
                SarifResult(
                    f.rule,
                    LEVELS[f.severity],
                    f"{f.message}. Fix: {f.fix}.{ddl}",
                    uri,
                    f.line or 1,
                    None,
                    "advisorFinding/v1",
                    fingerprint(f.rule, uri, f.subject, f.message),
                )
            )
        return sarif_log(results, explain=True)

    def _recommendation(self, rec: Recommendation, uri: str) -> SarifResult:
        from advisor.report.sarif import SarifResult, fingerprint

        rule = rec.rules[0]
        serves = f" Serves {serves_text(rec)}." if rec.serves else ""
        return SarifResult(
            rule,
            "note",
            f"{rec.action.capitalize()} index {rec.index}: {rec.reason}.{serves}\n{rec.ddl}",
            uri,
            self._line(rec),
            None,
            "advisorPlan/v1",
            fingerprint(rule, uri, rec.action, rec.index),
        )

    def _line(self, rec: Recommendation) -> int:
        """The first served pattern's line, else the dropped index's, else its table's, else 1."""
        spec = self.spec
        if spec is None:
            return 1
        lines = {p.name: p.line for p in spec.patterns}
        table = spec.table(rec.table)
        candidates = [lines.get(s.pattern) for s in rec.serves[:1]]
        if table is not None:
            candidates += [ix.line for ix in table.indexes if rec.action == "drop" and ix.name == rec.name]
            candidates.append(table.line)
        return next((line for line in candidates if line is not None), 1)
