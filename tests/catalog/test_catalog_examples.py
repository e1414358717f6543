"""Every rule's catalog example runs through the tool: the rule fires on ``bad`` and stays silent
on ``good`` (the convention that makes an example a complete input is
:class:`advisor.catalog.Example`'s).

A migration rule's example is linted in the rule's dialect (the first it runs on of PostgreSQL,
MySQL, MariaDB and SQLite), after its ``context`` as an earlier migration; MIG091, which only ``--trace`` reports,
runs on the PostgreSQL server of ``ADVISOR_TEST_POSTGRES_URL`` and is skipped when it is
unreachable (unless ADVISOR_REQUIRE_DB=1), as in tests/lint. A design rule's example is merged
into its ``context`` spec and run through ``recommend``.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlglot.dialects.dialect import Dialect
from sqlglot.tokenizer_core import Token, TokenType

from advisor.catalog import Family, RuleDoc, load_catalog
from advisor.catalog.model import clause, fix_lines, language
from advisor.lint.checks.base import TRACE_RULE, load_lint_rules
from advisor.lint.engine import LintFinding, Options, lint
from advisor.recommend import recommend
from advisor.schema.source import Source, read_source
from advisor.spec.dialects import normalize_dialect
from advisor.spec.load import load_spec
from tests.rules.test_rule_cases import fired

CATALOG = load_catalog()
POSTGRES_URL = os.environ.get("ADVISOR_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
DIALECTS = ("postgres", "mysql", "mariadb", "sqlite")
"""A lint rule's example is linted in the first of these the rule runs on."""

NOT_RUNNABLE: dict[tuple[str, str], str] = {
    ("IDX004", "good"): "IDX004's finding is the advice its good example shows: it names the "
    "existing index that serves the pattern, so it speaks there too",
    ("CAP003", "good"): "the input file cannot say how tables are sharded: CAP003 names the shard "
    "key of every table that outgrows one server",
    ("CAP004", "good"): "with replication declared CAP004 still speaks: it lists the patterns to "
    "route to the replicas",
    ("CAP005", "good"): "the input file cannot say that a cache serves a pattern",
}
"""(rule, ``bad`` or ``good``) examples that cannot run, and why."""

XFAIL: dict[tuple[str, str], str] = {}
"""(rule, ``bad`` or ``good``) examples that show a bug of the rule, and the bug."""

CODE_FIXES = frozenset(
    {
        *("MIG007", "MIG009", "MIG014", "MIG015", "MIG019", "MIG022", "MIG026", "MIG028", "MIG031"),
        *("MIG037", "MIG040", "MIG043", "MIG044", "MIG051", "MIG053"),
        *("IDX003", "IDX008", "IDX009", "NRM001", "NRM002", "NRM003", "NRM004"),
        *("QRY001", "QRY002", "QRY003", "QRY005", "QRY006", "QRY007", "QRY008", "QRY009", "QRY010"),
        *("CAP001", "CAP002", "CAP003", "CAP004", "CAP005", "CAP006"),
        # advisor/findings/integrity.py (INT001 and INT006 add a dialect's note to a fixed clause)
        *("INT001", "INT002", "INT003", "INT004", "INT005", "INT006", "INT007", "INT008"),
    }
)
"""Rules whose bad example's findings state a fix the code composes (naming the tables, columns,
types or figures of the case); every other finding states a fix of its rule's catalog entry
(:func:`advisor.catalog.model.fix_lines`), which the code reads instead of repeating it."""

_QUERIES = frozenset(
    {
        TokenType.SELECT,
        TokenType.WITH,
        TokenType.INSERT,
        TokenType.UPDATE,
        TokenType.DELETE,
        TokenType.L_PAREN,
    }
)
"""The first tokens of a statement that is an access pattern rather than DDL."""


def _params() -> list[Any]:
    params = []
    for rule in CATALOG:
        for which in ("bad", "good"):
            marks: list[pytest.MarkDecorator] = []
            if (rule.id, which) in NOT_RUNNABLE:
                marks.append(pytest.mark.skip(reason=NOT_RUNNABLE[rule.id, which]))
            elif (rule.id, which) in XFAIL:
                marks.append(pytest.mark.xfail(reason=XFAIL[rule.id, which], strict=True))
            params.append(pytest.param(rule, which, id=f"{rule.id}-{which}", marks=marks))
    return params


@pytest.mark.parametrize(("rule", "which"), _params())
def test_catalog_example(rule: RuleDoc, which: str, tmp_path: Path) -> None:
    text = rule.example.bad if which == "bad" else rule.example.good
    if rule.family is Family.MIG:
        hits = _lint(rule, text, tmp_path)
        found, fixes = [f"{f.line}: {f.message}" for f in hits], [f.fix for f in hits]
    else:
        found, fixes = _recommend(rule, text, tmp_path)
    if which == "good":
        assert not found, f"{rule.id} fires on its good example: {found}"
        return
    assert found, f"{rule.id} does not fire on its bad example"
    if rule.id not in CODE_FIXES:
        stated = set(fix_lines(rule.fix).values())
        if rule.family is not Family.MIG:
            stated = {clause(fix) for fix in stated}
        assert set(fixes) <= stated, f"{rule.id}'s fix is not its catalog entry's"


def test_exceptions_name_catalog_examples() -> None:
    examples = {(rule_id, which) for rule_id in CATALOG.ids for which in ("bad", "good")}
    assert set(NOT_RUNNABLE) | set(XFAIL) <= examples
    assert not set(NOT_RUNNABLE) & set(XFAIL)


def lint_dialect(rule_id: str) -> str:
    """The dialect a lint rule's example is written in: the first it runs on."""
    found = load_lint_rules().get(rule_id)
    if found is None or found.dialects is None:
        return DIALECTS[0]
    return next(d for d in DIALECTS if d in found.dialects)


def _lint(rule: RuleDoc, sql: str, tmp_path: Path) -> list[LintFinding]:
    dialect = lint_dialect(rule.id)
    files = {"V2__example.sql": sql}
    if rule.example.context is not None:
        files = {"V1__context.sql": rule.example.context, **files}
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    sources = [read_source(tmp_path / name) for name in files]
    findings = lint(sources, Options(dialect=dialect, select=frozenset({rule.id})))
    if rule.id == TRACE_RULE:
        findings = _traced(sources, findings, dialect)
    return [f for f in findings if f.rule == rule.id and Path(f.file).name == "V2__example.sql"]


def _traced(sources: list[Source], findings: list[LintFinding], dialect: str) -> list[LintFinding]:
    from advisor.errors import AdvisorError
    from advisor.lint.trace import trace, with_evidence

    assert dialect == "postgres"
    try:
        observed = trace(sources, POSTGRES_URL, [], dialect)
    except AdvisorError as exc:
        if os.environ.get("ADVISOR_REQUIRE_DB") == "1":
            pytest.fail(f"PostgreSQL is required (ADVISOR_REQUIRE_DB=1): {exc}")
        pytest.skip(f"PostgreSQL is not reachable: {exc}")
    return with_evidence(findings, observed.observations)


def _recommend(rule: RuleDoc, text: str, tmp_path: Path) -> tuple[list[str], list[str]]:
    """What ``rule`` produced on the example (as tests/rules labels it), and its findings' fixes."""
    spec: dict[str, Any] = yaml.safe_load(rule.example.context or "") or {}
    ddl = [spec.pop("ddl")] if "ddl" in spec else []
    frequency = {key: spec.pop(key) for key in ("per_sec", "per_day") if key in spec} or {"per_sec": 1}
    if language(text) == "yaml":
        merge(spec, yaml.safe_load(text))
    else:
        statements = split_sql(text, spec.get("dialect", "postgres"))
        ddl += [sql for sql, query in statements if not query]
        queries = [sql for sql, query in statements if query]
        spec.setdefault("patterns", []).extend(
            {"name": f"example_{number}", "sql": sql, **frequency} for number, sql in enumerate(queries, 1)
        )
    if ddl:
        (tmp_path / "schema.sql").write_text(";\n".join(ddl) + ";\n", encoding="utf-8")
        spec["schema"] = "schema.sql"
    (tmp_path / "spec.yaml").write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    result = recommend(load_spec(tmp_path / "spec.yaml"))
    return fired(result, rule.id), [f.fix for f in result.findings if f.rule == rule.id]


def merge(into: dict[str, Any], fragment: dict[str, Any]) -> None:
    """Merge ``fragment`` into ``into``: mappings key by key, lists appended, other values replaced.

    >>> spec = {"tables": {"t": {"rows": 1, "columns": {"a": {"type": "int"}}}}, "patterns": [1]}
    >>> merge(spec, {"tables": {"t": {"rows": 2}}, "patterns": [2]})
    >>> spec
    {'tables': {'t': {'rows': 2, 'columns': {'a': {'type': 'int'}}}}, 'patterns': [1, 2]}
    """
    for key, value in fragment.items():
        known = into.get(key)
        if isinstance(known, dict) and isinstance(value, dict):
            merge(known, value)
        elif isinstance(known, list) and isinstance(value, list):
            known.extend(copy.deepcopy(value))
        else:
            into[key] = copy.deepcopy(value)


def split_sql(text: str, dialect: str) -> list[tuple[str, bool]]:
    """The statements of ``text`` as written (comments between them left out), each with whether
    it is a query (an access pattern) rather than DDL.

    >>> split_sql("-- t\\nCREATE TABLE t (a int);\\nSELECT a FROM t;  -- one\\n", "postgres")
    [('CREATE TABLE t (a int)', False), ('SELECT a FROM t', True)]
    """
    tokens = Dialect.get_or_raise(normalize_dialect(dialect)).tokenize(text)
    statements: list[list[Token]] = [[]]
    for token in tokens:
        if token.token_type is TokenType.SEMICOLON:
            statements.append([])
        else:
            statements[-1].append(token)
    return [
        (text[part[0].start : part[-1].end + 1], part[0].token_type in _QUERIES)
        for part in statements
        if part
    ]
