"""No input may start an output line: names, file names, literals and messages are echoed inert in
every format of ``advisor lint`` and ``advisor recommend``, and GitHub workflow commands escape
their properties as GitHub specifies."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.catalog.model import Severity
from advisor.lint.engine import LintFinding
from advisor.lint.formats import FORMATTERS as LINT_FORMATTERS
from advisor.report.inert import inert

PAYLOAD = "::error file=x::spoofed"
TERMINATORS = ["\n", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]
ROOT = Path(__file__).resolve().parents[2]

plain = st.text(alphabet=st.sampled_from(list("ab_ .,:%=é")), max_size=12)
hostile = st.builds(
    lambda head, end, tail: f"{head}{end}{PAYLOAD}{tail}", plain, st.sampled_from(TERMINATORS), plain
)
"""Input text that carries a line break and a workflow command after it."""


def _starts_with_payload(line: str) -> bool:
    return line.lstrip().startswith(("::error file=x::", "\\::", "spoofed"))


def _no_line_from_input(text: str) -> None:
    for line in text.splitlines():  # every terminator Python knows, not just \n
        assert not line.lstrip().startswith(PAYLOAD), line
        assert not line.lstrip().startswith("::error file=x"), line


def _strings(data: object) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        data = list(data.values())
    if isinstance(data, list):
        return [text for item in data for text in _strings(item)]
    return []


def _finding(file: str, message: str, fix: str) -> LintFinding:
    return LintFinding("MIG001", Severity.ERROR, file, 3, 1, message, fix)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(hostile | plain, hostile, hostile), min_size=1, max_size=3))
def test_no_lint_format_lets_input_start_a_line(items: list[tuple[str, str, str]]) -> None:
    findings = [_finding(f"db/{file}" if not file.strip() else file, m, x) for file, m, x in items]
    for name, formatter in LINT_FORMATTERS.items():
        out = formatter().render(findings, len(findings))
        _no_line_from_input(out)
        lines = out.splitlines()
        assert lines == out.split("\n")[:-1], name  # the only line terminator is the format's own
        if name == "text":
            assert len(lines) == 2 * len(findings) + 2
        elif name in ("gcc", "github"):
            assert len(lines) == len(findings)
        else:
            data = json.loads(out)  # the JSON formats keep the text whole, escaped by JSON
            assert any(items[0][1] in text for text in _strings(data)), name


@settings(max_examples=150, deadline=None)
@given(hostile | plain, hostile)
def test_github_commands_escape_properties_as_github_specifies(file: str, message: str) -> None:
    line = LINT_FORMATTERS["github"]().render([_finding(file, message, "x")], 1)
    match = re.fullmatch(r"::error file=([^:,]*),line=3,col=1,title=MIG001::(.*)\n", line, re.DOTALL)
    assert match is not None, line
    shown, data = match.groups()
    assert "\n" not in data and "\r" not in data
    # decoding GitHub's escapes gives back the inert text
    unescaped = shown.replace("%2C", ",").replace("%3A", ":").replace("%0A", "\n").replace("%0D", "\r")
    assert unescaped.replace("%25", "%") == inert(file).replace("\\n", "\n").replace("\\r", "\r")


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "advisor", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "PYTHONPATH": str(ROOT)},
    )


@pytest.mark.parametrize("fmt", ["text", "gcc", "json", "sarif", "github", "gitlab"])
def test_lint_of_a_hostile_migration_prints_no_line_of_its_choosing(tmp_path: Path, fmt: str) -> None:
    name = "::error file=x::spoofed.sql"
    (tmp_path / name).write_text(
        'CREATE TABLE "a\n::error file=x::spoofed" (id int);\n'
        'ALTER TABLE "a\n::error file=x::spoofed" ADD COLUMN "b\u2028::error file=x::spoofed" int NOT NULL;\n',
        encoding="utf-8",
    )
    done = _run("lint", name, "--format", fmt, cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert "spoofed" in done.stdout
    _no_line_from_input(done.stdout)


def test_an_error_message_echoes_a_file_name_inert(tmp_path: Path) -> None:
    done = _run("lint", "a\n::error file=x::spoofed.sql", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "spoofed" in done.stderr
    _no_line_from_input(done.stderr)


word = st.text(alphabet=st.sampled_from(list("ab_ :%=é")), max_size=8)
NAME = st.builds(
    lambda head, end, tail: f"n{head}{end}{PAYLOAD}{tail}", word, st.sampled_from(TERMINATORS), word
)
"""A name (no dot: the spec reads ``table.column``) that carries a line break and a command."""
PRINTABLE_NAME = st.builds(lambda head, tail: f"n{head}{PAYLOAD}{tail}", word, word)
"""A table or column name with a command but no line break: the spec refuses names holding one
(each output would have to carry it), so only patterns and literals bring line breaks this far."""


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(table=PRINTABLE_NAME, column=PRINTABLE_NAME, pattern=NAME, literal=NAME)
def test_no_recommend_format_lets_input_start_a_line(
    tmp_path: Path, table: str, column: str, pattern: str, literal: str
) -> None:
    from advisor.errors import AdvisorError
    from advisor.recommend import recommend
    from advisor.report.formats import FORMATTERS
    from advisor.report.formats.sarif import SarifFormatter
    from advisor.report.inert import inert
    from advisor.spec.load import load_spec

    def quoted(name: str) -> str:
        return '"' + name.replace('"', '""') + '"'

    spec = {
        "dialect": "postgres",
        "tables": {
            table: {
                "rows": 1_000_000,
                "columns": {"id": {"type": "bigint", "primary_key": True}, column: {"type": "varchar(20)"}},
            }
        },
        "patterns": [
            {
                "name": pattern,
                "sql": f"SELECT id FROM {quoted(table)} WHERE {quoted(column)} = 5 "
                f"AND {quoted(column)} <> '{literal.replace(chr(39), chr(39) * 2)}'",
                "per_sec": 10,
            }
        ],
    }
    path = tmp_path / "p.yaml"
    path.write_text(json.dumps(spec), encoding="utf-8")  # JSON is YAML, and escapes every terminator
    try:
        loaded = load_spec(path)
    except AdvisorError as exc:  # refused: the one line the CLI prints must be inert too
        line = f"advisor: error: {inert(str(exc))}\n"
        _no_line_from_input(line)
        assert line.count("\n") == 1
        return
    result = recommend(loaded)
    assert result.findings, "QRY003 echoes the names and the literal"
    for name, formatter in FORMATTERS.items():
        out = SarifFormatter(loaded).render(result) if name == "sarif" else formatter().render(result)
        _no_line_from_input(out)
        assert out.splitlines() == out.split("\n")[:-1], name
        assert not any(line.lstrip().startswith("::") for line in out.splitlines()), name


@settings(max_examples=100, deadline=None)
@given(pattern=hostile, plan=hostile, file=hostile)
def test_the_verify_text_report_echoes_names_and_plans_inert(pattern: str, plan: str, file: str) -> None:
    from advisor.verify.report import TextVerifyFormatter
    from advisor.verify.result import PatternCheck, RecommendationCheck, Verification

    check = PatternCheck(pattern, False, 10.0, 5.0, plan, plan, note=plan)
    rec = RecommendationCheck(1, "create", f"t ({pattern})", "ix", (check,))
    result = Verification(file, "SQLite", "real indexes", "VM steps", 100, {pattern: 100}, (rec,), (plan,))
    out = TextVerifyFormatter().render(result)
    _no_line_from_input(out)
    assert out.splitlines() == out.split("\n")[:-1]
