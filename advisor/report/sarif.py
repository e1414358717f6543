"""SARIF 2.1.0, the format code scanning uploads read: one log with one run, the rules that fired
described from the catalog, one result per finding. ``advisor lint`` and ``advisor recommend`` both
render through :func:`sarif_log`."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from advisor import __version__
from advisor.catalog.model import RuleDoc, Severity

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
"""The base a relative artifact URI is resolved against: the folder advisor ran in (the checkout)."""
RULES_DOC = "docs/rules.md"
"""Each rule's ``helpUri``: its section of the catalog page that scripts/gen_rule_docs.py writes,
as a reference into advisor's repository (the project publishes no documentation site yet)."""
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
"""SARIF's ``level`` for each severity."""


@dataclass(frozen=True)
class SarifResult:
    """One result: where it points and the fingerprint that follows it from run to run."""

    rule: str
    level: str
    message: str
    uri: str
    line: int
    column: int | None
    fingerprint_key: str
    """The fingerprint's name and version (``advisorFinding/v1``): a new scheme gets a new name."""
    fingerprint: str


def fingerprint(*parts: object) -> str:
    """A short stable hash of what identifies a result.

    >>> fingerprint("IDX004", "p.yaml", "login_by_email")
    'eabc92223de2226bcb5dc95fafaed29c'
    """
    return hashlib.sha256(":".join(str(p) for p in parts).encode()).hexdigest()[:32]


def artifact_uri(path: str, cwd: Path | None = None) -> str:
    """``path`` as a URI relative to ``cwd`` (the current directory, :data:`SRCROOT`) when it lies
    inside it, which code scanning resolves against the checkout; an absolute ``file:`` URI
    otherwise. ``..`` steps are resolved first, so a relative URI never leaves the base.

    >>> artifact_uri("samples/shop/patterns.yaml")
    'samples/shop/patterns.yaml'
    >>> artifact_uri("/repo/db/my patterns.yaml", cwd=Path("/repo"))
    'db/my%20patterns.yaml'
    >>> artifact_uri("db\\\\V1.sql", cwd=Path("/repo")), artifact_uri("../x/V1.sql", cwd=Path("/repo/db"))
    ('db/V1.sql', 'file:///repo/x/V1.sql')
    >>> artifact_uri("/elsewhere/patterns.yaml", cwd=Path("/repo"))
    'file:///elsewhere/patterns.yaml'
    """
    base = cwd or Path.cwd()
    file = Path(os.path.normpath(base / path.replace("\\", "/")))
    try:
        return quote(file.relative_to(base).as_posix())
    except ValueError:
        return file.as_uri()


def sarif_log(results: Sequence[SarifResult], explain: bool = False) -> str:
    """The SARIF log as indented JSON, rules sorted by id; ``explain`` adds each rule's ``why``
    before its ``fix`` in the rule's help text."""
    from advisor.catalog import load_catalog

    catalog = load_catalog()
    rule_ids = sorted({r.rule for r in results})
    driver = {
        "name": "advisor",
        "version": __version__,
        "rules": [_rule(rule_id, catalog.get(rule_id), explain) for rule_id in rule_ids],
    }
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        # where the relative artifact URIs start; consumers that know the checkout use their own
        "originalUriBaseIds": {SRCROOT: {"uri": Path.cwd().as_uri().rstrip("/") + "/"}},
        "results": [_result(r, rule_ids) for r in results],
    }
    log: dict[str, Any] = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2) + "\n"


def _rule(rule_id: str, doc: RuleDoc | None, explain: bool) -> dict[str, Any]:
    from advisor.catalog.render import rule_anchor

    entry: dict[str, Any] = {"id": rule_id}
    if doc is not None:
        help_text = f"{doc.why.strip()}\n\nFix: {doc.fix.strip()}" if explain else doc.fix.strip()
        entry.update(
            name=doc.name,
            shortDescription={"text": doc.title},
            fullDescription={"text": doc.what.strip()},
            help={"text": help_text},
            helpUri=f"{RULES_DOC}#{rule_anchor(doc)}",
            defaultConfiguration={"level": LEVELS[doc.severity]},
        )
    return entry


def _artifact(uri: str) -> dict[str, str]:
    """A relative URI says its base (:data:`SRCROOT`); an absolute ``file:`` URI needs none."""
    return {"uri": uri} if uri.startswith("file:") else {"uri": uri, "uriBaseId": SRCROOT}


def _result(r: SarifResult, rule_ids: list[str]) -> dict[str, Any]:
    region: dict[str, int] = {"startLine": r.line}
    if r.column is not None:
        region["startColumn"] = r.column
    return {
        "ruleId": r.rule,
        "ruleIndex": rule_ids.index(r.rule),
        "level": r.level,
        "message": {"text": r.message},
        "locations": [{"physicalLocation": {"artifactLocation": _artifact(r.uri), "region": region}}],
        "partialFingerprints": {r.fingerprint_key: r.fingerprint},
    }
