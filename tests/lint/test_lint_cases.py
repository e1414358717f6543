"""Runs every case in ``tests/lint/cases/<RULE>.yml`` through the real linter.

A case file names its ``rule``, optionally a ``dialect``, and lists ``cases``. Each case gives
``sql`` (one file) or ``files`` (name to SQL, linted in migration order), optional ``schema`` (DDL
for the starting schema) and ``options`` (``assume_in_transaction``, ``target_version``,
``select``), and says whether the rule must ``fire`` or ``pass``. A firing case lists the exact
``lines`` it fires on: numbers for ``sql``, ``"name:line"`` strings for ``files``; optional
``messages`` gives, hit by hit, text each message must contain. A case with ``trace: true`` also
runs the files (``--trace``) on the PostgreSQL server of ``ADVISOR_TEST_POSTGRES_URL``, or for the
MySQL dialects the MariaDB server of ``ADVISOR_TEST_MARIADB_URL``, skipped when it is unreachable
unless ADVISOR_REQUIRE_DB=1.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from advisor.lint.config import parse_version
from advisor.lint.engine import Options, lint
from advisor.schema.read import existing_schema
from advisor.schema.source import read_source, sort_key

CASES = Path(__file__).parent / "cases"
POSTGRES_URL = os.environ.get("ADVISOR_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
MARIADB_URL = os.environ.get("ADVISOR_TEST_MARIADB_URL", "mariadb://root@127.0.0.1:3306/")


def _load_cases() -> list[Any]:
    params = []
    for path in sorted(CASES.glob("*.yml")):
        doc = yaml.safe_load(path.read_text())
        for case in doc["cases"]:
            params.append(pytest.param(doc, case, id=f"{doc['rule']}-{case['name']}"))
    return params


def _options(doc: dict[str, Any], case: dict[str, Any]) -> Options:
    given = case.get("options", {})
    version = given.get("target_version")
    return Options(
        dialect=case.get("dialect", doc.get("dialect", "postgres")),
        assume_in_transaction=given.get("assume_in_transaction", False),
        target_version=parse_version(str(version)) if version is not None else None,
        select=frozenset(given.get("select", [doc["rule"]])),
    )


def _traced(sources: list[Any], findings: list[Any], schema: list[Path], dialect: str) -> list[Any]:
    from advisor.errors import AdvisorError
    from advisor.lint.trace import trace, with_evidence

    server, url = ("PostgreSQL", POSTGRES_URL) if dialect == "postgres" else ("MariaDB", MARIADB_URL)
    try:
        observed = trace(sources, url, schema, dialect)
    except AdvisorError as exc:
        if os.environ.get("ADVISOR_REQUIRE_DB") == "1":
            pytest.fail(f"{server} is required (ADVISOR_REQUIRE_DB=1): {exc}")
        pytest.skip(f"{server} is not reachable: {exc}")
    return with_evidence(findings, observed.observations)


@pytest.mark.parametrize(("doc", "case"), _load_cases())
def test_lint_case(doc: dict[str, Any], case: dict[str, Any], tmp_path: Path) -> None:
    rule = doc["rule"]
    options = _options(doc, case)
    files = case["files"] if "files" in case else {"m.sql": case["sql"]}
    paths = []
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        paths.append(tmp_path / name)
    schema = None
    if "schema" in case:
        (tmp_path / "schema.ddl").write_text(case["schema"], encoding="utf-8")
        schema = existing_schema([tmp_path / "schema.ddl"], options.dialect)
    sources = [read_source(p) for p in sorted(paths, key=sort_key)]
    findings = lint(sources, options, schema)
    if case.get("trace"):
        schema_files = [tmp_path / "schema.ddl"] if "schema" in case else []
        findings = _traced(sources, findings, schema_files, options.dialect)
    hits = [f for f in findings if f.rule == rule]
    if "files" in case:
        got: list[Any] = [f"{Path(f.file).name}:{f.line}" for f in hits]
    else:
        got = [f.line for f in hits]
    if case["expect"] == "fire":
        assert got == case["lines"], [f"{f.line}:{f.column} {f.message}" for f in hits]
        for f in hits:
            assert f.message and f.fix and f.message != f.fix
        messages = case.get("messages", [None] * len(hits))
        for f, text in zip(hits, messages, strict=True):
            assert text is None or text in f.message, f.message
    else:
        assert case["expect"] == "pass"
        assert got == [], [f"{f.line}:{f.column} {f.message}" for f in hits]
