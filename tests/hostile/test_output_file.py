"""``--output`` replaces only a file advisor wrote, whole and unchanged, and never one the spec
reads; every refusal is one line and exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.report.output import is_sealed, sealed

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples/ecommerce/patterns.yaml"


def _run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "advisor", *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


def _refused(done: subprocess.CompletedProcess[str], reason: str) -> None:
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert reason in done.stderr


@pytest.mark.parametrize(
    ("args", "content"),
    [
        (("ddl",), "-- advisor: ignore-file[MIG001]\nDROP TABLE precious;\n"),
        (("ddl",), "-- advisor ddl\nCREATE TABLE mine (id int);\n"),
        (("recommend", "--format", "json"), '{\n  "version": 1,\n  "theirs": true\n}\n'),
        (("recommend",), "advisor recommend notes written by hand\n"),
        (("recommend", "--format", "markdown"), "# Index plan for `x`\nmy edits\n"),
    ],
)
def test_a_file_that_merely_starts_like_a_report_is_kept(
    tmp_path: Path, args: tuple[str, ...], content: str
) -> None:
    target = tmp_path / "out"
    target.write_text(content, encoding="utf-8")
    done = _run(args[0], str(SAMPLE), *args[1:], "--output", str(target))
    _refused(done, "not an earlier advisor report")
    assert target.read_text(encoding="utf-8") == content


@pytest.mark.parametrize(
    "args",
    [
        ("recommend",),
        ("recommend", "--format", "markdown"),
        ("recommend", "--format", "json"),
        ("recommend", "--format", "sarif"),
        ("ddl",),
        ("ddl", "--changes-only"),
    ],
)
def test_its_own_file_is_replaced_atomically_and_a_changed_one_is_kept(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    target = tmp_path / "report"
    for _ in range(2):
        done = _run(args[0], str(SAMPLE), *args[1:], "--output", str(target))
        assert done.returncode == 0, done.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["report"]  # no temporary file left behind
    text = target.read_text(encoding="utf-8")
    stdout = _run(args[0], str(SAMPLE), *args[1:]).stdout
    if "json" in args or "sarif" in args:
        json.loads(text)  # still one valid document, sealed by one member more
        stdout = stdout.removesuffix("\n}\n")
    assert text.startswith(stdout)
    target.write_text(text.replace("orders", "ordres", 1), encoding="utf-8")
    _refused(_run(args[0], str(SAMPLE), *args[1:], "--output", str(target)), "not an earlier advisor report")


def test_the_specs_schema_is_never_replaced_even_when_advisor_wrote_it(tmp_path: Path) -> None:
    schema = tmp_path / "schema.sql"
    spec = tmp_path / "patterns.yaml"
    spec.write_text(
        "dialect: postgres\ntables:\n  t:\n    rows: 1000\n    columns:\n"
        "      id: { type: bigint, primary_key: true }\n      a: { type: int }\n"
        "patterns:\n  - { name: p, sql: SELECT id FROM t WHERE a = 1, per_sec: 1 }\n",
        encoding="utf-8",
    )
    assert _run("ddl", str(spec), "--output", str(schema)).returncode == 0
    assert is_sealed(schema.read_text(encoding="utf-8"))
    spec.write_text("schema: schema.sql\n" + spec.read_text(encoding="utf-8"), encoding="utf-8")
    before = schema.read_text(encoding="utf-8")
    _refused(_run("ddl", str(spec), "--output", str(schema)), "a file the spec reads")
    assert schema.read_text(encoding="utf-8") == before


def test_nothing_is_written_into_the_specs_migrations_folder(tmp_path: Path) -> None:
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    (migrations / "001.sql").write_text("CREATE TABLE t (id bigint PRIMARY KEY, a int);\n", encoding="utf-8")
    spec = tmp_path / "patterns.yaml"
    spec.write_text(
        "dialect: postgres\nschema: migrations\npatterns:\n  - { name: p, sql: SELECT id FROM t WHERE a = 1, per_sec: 1 }\n",
        encoding="utf-8",
    )
    _refused(_run("ddl", str(spec), "--output", str(migrations / "002.sql")), "a file the spec reads")
    assert sorted(p.name for p in migrations.iterdir()) == ["001.sql"]


@pytest.mark.parametrize(
    ("where", "reason"),
    [
        ("/proc/advisor-report", "cannot write"),
        ("/proc/self/status", "not an earlier advisor report"),
        ("{tmp}", "is a directory"),
        ("{tmp}/missing/out.txt", "folder does not exist"),
        ("/dev/null", "not a regular file"),
        ("/sys/advisor-report", "cannot write"),
    ],
)
def test_places_it_cannot_write_are_one_line(tmp_path: Path, where: str, reason: str) -> None:
    done = _run("recommend", str(SAMPLE), "--output", where.format(tmp=tmp_path))
    _refused(done, reason)


def test_verify_refuses_its_output_before_it_starts(tmp_path: Path) -> None:
    done = _run("verify", str(SAMPLE), "--db", "postgresql://nobody@127.0.0.1:1/x", "--output", str(SAMPLE))
    _refused(done, "a file the spec reads")


BODY = st.text(alphabet=st.sampled_from(list('ab{}"\n -:;é')), max_size=60)


@settings(max_examples=300, deadline=None)
@given(BODY, st.sampled_from(["text", "sql", "markdown"]), st.data())
def test_a_seal_holds_for_its_text_and_breaks_at_any_change(
    body: str, style: str, data: st.DataObject
) -> None:
    text = sealed(body, "recommend-text", style)
    assert is_sealed(text)
    at = data.draw(st.integers(0, len(text) - 1))
    changed = text[:at] + ("x" if text[at] != "x" else "y") + text[at + 1 :]
    assert not is_sealed(changed)
    assert not is_sealed(text[:at])  # a truncated file is not whole


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(max_size=5), st.text(max_size=8) | st.integers(), min_size=1), st.booleans())
def test_a_json_seal_keeps_one_valid_document(members: dict[str, object], sarif: bool) -> None:
    members.pop("advisor_output", None)
    members.pop("properties", None)
    if not members:
        return
    text = sealed(json.dumps(members, indent=2) + "\n", "recommend-json", "sarif" if sarif else "json")
    loaded = json.loads(text)
    assert {k: v for k, v in loaded.items() if k not in ("advisor_output", "properties")} == members
    assert is_sealed(text)
    assert not is_sealed(json.dumps(loaded, indent=2) + "\n" + " ")
    assert not is_sealed(text.replace("\n}\n", "\n }\n"))
