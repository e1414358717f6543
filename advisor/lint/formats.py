"""Lint output formats: one :class:`LintFormatter` base, one subclass per format."""

from __future__ import annotations

import json
from typing import ClassVar

from advisor.catalog.model import Severity
from advisor.lint.engine import LintFinding
from advisor.report.inert import inert, no_commands, shown_path
from advisor.report.sarif import LEVELS, SarifResult, artifact_uri, fingerprint, sarif_log


class LintFormatter:
    """Renders findings (sorted) as one text; ``files`` is how many files were linted."""

    name: ClassVar[str] = ""

    def __init__(self, color: bool = False) -> None:
        self.color = color

    def render(self, findings: list[LintFinding], files: int) -> str:
        raise NotImplementedError


class TextFormatter(LintFormatter):
    """``file:line:col: RULE severity: message``, the fix indented below, and a summary line.

    >>> f = LintFinding("MIG001", Severity.WARNING, "m.sql", 3, 1, "msg", "do this")
    >>> print(TextFormatter().render([f], 1), end="")
    m.sql:3:1: MIG001 warning: msg
      fix: do this
    <BLANKLINE>
    1 finding (0 errors, 1 warning) in 1 file
    """

    name = "text"
    _STYLE: ClassVar[dict[Severity, str]] = {
        Severity.ERROR: "\033[1;31m",
        Severity.WARNING: "\033[33m",
        Severity.INFO: "\033[36m",
    }

    def render(self, findings: list[LintFinding], files: int) -> str:
        lines = []
        for f in findings:
            severity = f.severity.value
            if self.color:
                severity = f"{self._STYLE[f.severity]}{severity}\033[0m"
            lines.append(f"{shown_path(f.file)}:{f.line}:{f.column}: {f.rule} {severity}: {inert(f.message)}")
            lines.append(f"  fix: {inert(f.fix)}")
        noun = "file" if files == 1 else "files"
        if not findings:
            return f"no findings in {files} {noun}\n"
        counts = [
            _count(sum(f.severity is Severity.ERROR for f in findings), "error"),
            _count(sum(f.severity is Severity.WARNING for f in findings), "warning"),
        ]
        infos = sum(f.severity is Severity.INFO for f in findings)
        if infos:
            counts.append(_count(infos, "info"))
        summary = f"{_count(len(findings), 'finding')} ({', '.join(counts)}) in {files} {noun}"
        return no_commands("\n".join([*lines, "", summary]) + "\n")


class GccFormatter(LintFormatter):
    """``file:line:col: severity: message [RULE]``, the format editors and compilers share."""

    name = "gcc"

    def render(self, findings: list[LintFinding], files: int) -> str:
        level = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
        return "".join(
            f"{shown_path(f.file)}:{f.line}:{f.column}: {level[f.severity]}: {inert(f.message)} [{f.rule}]\n"
            for f in findings
        )


class JsonFormatter(LintFormatter):
    """``{"version": 1, "files": n, "findings": [...]}``; fields are only ever added."""

    name = "json"

    def render(self, findings: list[LintFinding], files: int) -> str:
        items = [
            {
                "rule": f.rule,
                "severity": f.severity.value,
                "file": f.file,
                "line": f.line,
                "column": f.column,
                "message": f.message,
                "fix": f.fix,
            }
            for f in findings
        ]
        return json.dumps({"version": 1, "files": files, "findings": items}, indent=2) + "\n"


class SarifFormatter(LintFormatter):
    """SARIF 2.1.0: one run, the rules that fired in ``tool.driver.rules``, one result per finding."""

    name = "sarif"

    def render(self, findings: list[LintFinding], files: int) -> str:
        return sarif_log(
            [
                SarifResult(
                    f.rule,
                    LEVELS[f.severity],
                    f"{f.message}. Fix: {f.fix}",
                    artifact_uri(f.file),
                    f.line,
                    f.column,
                    "advisorFinding/v2",
                    fingerprint,
                )
                for f, fingerprint in zip(findings, fingerprints(findings), strict=True)
            ]
        )


class GithubFormatter(LintFormatter):
    """GitHub Actions workflow commands: each finding becomes an annotation on the pull request."""

    name = "github"

    def render(self, findings: list[LintFinding], files: int) -> str:
        level = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
        return "".join(
            f"::{level[f.severity]} file={_escape_property(f.file)},line={f.line},col={f.column},"
            f"title={f.rule}::{_escape_data(f'{f.message}. Fix: {f.fix}')}\n"
            for f in findings
        )


class GitlabFormatter(LintFormatter):
    """GitLab Code Quality report (a JSON array), for ``artifacts:reports:codequality``."""

    name = "gitlab"
    _SEVERITY: ClassVar[dict[Severity, str]] = {
        Severity.ERROR: "critical",
        Severity.WARNING: "major",
        Severity.INFO: "info",
    }

    def render(self, findings: list[LintFinding], files: int) -> str:
        items = [
            {
                "description": f"{f.rule}: {f.message}",
                "check_name": f.rule,
                "fingerprint": fingerprint,
                "severity": self._SEVERITY[f.severity],
                "location": {"path": f.file, "lines": {"begin": f.line}},
            }
            for f, fingerprint in zip(findings, fingerprints(findings), strict=True)
        ]
        return json.dumps(items, indent=2) + "\n"


def _count(number: int, noun: str) -> str:
    """A count and its noun.

    >>> _count(1, "error"), _count(2, "info")
    ('1 error', '2 infos')
    """
    return f"{number} {noun}{'' if number == 1 else 's'}"


def fingerprints(findings: list[LintFinding]) -> list[str]:
    """One fingerprint per finding, stable when lines are added or removed elsewhere in the file:
    the rule, the file (as a URI relative to the current folder), the finding's context (its
    statement's text and how many identical statements precede it) and how many findings of
    the same rule on the same context come before it. A finding without a context (the trace's)
    falls back to its line, column and message."""
    seen: dict[tuple[str, str, str], int] = {}
    out: list[str] = []
    for f in findings:
        uri = artifact_uri(f.file)
        if not f.context:
            out.append(fingerprint(f.rule, uri, f.line, f.column, f.message))
            continue
        key = (f.rule, uri, f.context)
        out.append(fingerprint(f.rule, uri, f.context, seen.get(key, 0)))
        seen[key] = seen.get(key, 0) + 1
    return out


def _escape_data(text: str) -> str:
    """A workflow command's message, escaped as GitHub's toolkit does (``%``, CR, LF); any other
    line terminator or control character is shown as its escape."""
    return inert(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _escape_property(text: str) -> str:
    """A workflow command's property: the message's escapes plus ``:`` and ``,``.

    >>> _escape_property("a,b:c%\\nd")
    'a%2Cb%3Ac%25%0Ad'
    """
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


FORMATTERS: dict[str, type[LintFormatter]] = {
    cls.name: cls
    for cls in (TextFormatter, GccFormatter, JsonFormatter, SarifFormatter, GithubFormatter, GitlabFormatter)
}
