"""Lint fingerprints follow a finding, not its line: adding lines above it keeps them; SARIF
names each rule's documentation and gives artifact URIs relative to %SRCROOT%."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import ROOT, run_advisor

MIGRATION = """\
CREATE INDEX i ON accounts (a);
ALTER TABLE accounts ADD COLUMN b int NOT NULL DEFAULT 0;
DROP TABLE old_things;
DROP TABLE old_things;
CREATE INDEX j ON accounts (a);
"""
BASELINE = "CREATE TABLE accounts (id bigint PRIMARY KEY, a int);\nCREATE TABLE old_things (id int);\n"


def _lint(folder: Path, fmt: str, dialect: str) -> Any:
    done = run_advisor(
        "lint", "m.sql", "--schema", "schema.sql", "--dialect", dialect, "--format", fmt, cwd=folder
    )
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


def _gitlab(folder: Path, dialect: str) -> list[tuple[str, int, str]]:
    return [
        (g["check_name"], g["location"]["lines"]["begin"], g["fingerprint"])
        for g in _lint(folder, "gitlab", dialect)
    ]


def _sarif(folder: Path, dialect: str) -> list[tuple[str, int, str]]:
    results = _lint(folder, "sarif", dialect)["runs"][0]["results"]
    return [
        (
            r["ruleId"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["partialFingerprints"]["advisorFinding/v2"],
        )
        for r in results
    ]


@pytest.mark.parametrize("dialect", ["postgres", "mysql"])
def test_lines_added_above_keep_every_fingerprint(tmp_path: Path, dialect: str) -> None:
    (tmp_path / "schema.sql").write_text(BASELINE)
    (tmp_path / "m.sql").write_text(MIGRATION)
    before = {"gitlab": _gitlab(tmp_path, dialect), "sarif": _sarif(tmp_path, dialect)}
    (tmp_path / "m.sql").write_text("-- a header comment\nSET lock_timeout = '5s';\n" + MIGRATION)
    after = {"gitlab": _gitlab(tmp_path, dialect), "sarif": _sarif(tmp_path, dialect)}
    for fmt in ("gitlab", "sarif"):
        old, new = before[fmt], after[fmt]
        assert len(old) >= 3, old
        # the same findings, two lines further down, with the same fingerprints
        assert [(rule, line + 2) for rule, line, _ in old] == [(rule, line) for rule, line, _ in new]
        assert [fp for *_, fp in old] == [fp for *_, fp in new]
        assert len({fp for *_, fp in old}) == len(old), "identical statements still get their own"


def test_a_changed_statement_changes_its_fingerprint(tmp_path: Path) -> None:
    (tmp_path / "schema.sql").write_text(BASELINE)
    (tmp_path / "m.sql").write_text(MIGRATION)
    before = _gitlab(tmp_path, "postgres")
    changed = MIGRATION.replace("CREATE INDEX j ON accounts (a)", "CREATE INDEX j ON accounts (a, id)")
    (tmp_path / "m.sql").write_text(changed)
    after = _gitlab(tmp_path, "postgres")
    assert before[:3] == after[:3], "the statements above it keep theirs"
    assert before[3][:2] == after[3][:2] == ("MIG001", 5)
    assert before[3][2] != after[3][2]


def test_sarif_rules_link_their_documentation_and_uris_are_relative(tmp_path: Path) -> None:
    (tmp_path / "db").mkdir()
    (tmp_path / "db" / "V1__x.sql").write_text("CREATE INDEX i ON accounts (a);\nDROP SCHEMA s;\n")
    done = run_advisor("lint", str(tmp_path / "db"), "--format", "sarif", cwd=tmp_path)
    [run] = json.loads(done.stdout)["runs"]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.resolve().as_uri() + "/"
    docs = (ROOT / "docs" / "rules.md").read_text()
    for rule in run["tool"]["driver"]["rules"]:
        page, anchor = rule["helpUri"].split("#")
        assert page == "docs/rules.md"
        heading = f"### {rule['id']}: {rule['name']}"
        assert heading in docs and anchor == re.sub(r"[^\w-]", "", heading[4:].lower().replace(" ", "-"))
    for result in run["results"]:
        artifact = result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert artifact == {"uri": "db/V1__x.sql", "uriBaseId": "%SRCROOT%"}
