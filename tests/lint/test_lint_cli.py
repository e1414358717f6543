"""``advisor lint`` as a user runs it: the real command in a fresh interpreter."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MIGRATIONS = Path(__file__).parent / "migrations"


def advisor(*args: str, cwd: Path = ROOT, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "advisor", *args],
        cwd=cwd,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def locations(gcc_output: str) -> list[str]:
    """``file:line:col RULE`` of each line of ``--format gcc`` output, file names only."""
    found = []
    for line in gcc_output.splitlines():
        match = re.match(r"^(.*?):(\d+):(\d+): \w+: .* \[(\w+)\]$", line)
        assert match, line
        found.append(f"{Path(match[1]).name}:{match[2]}:{match[3]} {match[4]}")
    return found


def test_safe_migrations_lint_clean() -> None:
    done = advisor("lint", str(MIGRATIONS / "safe"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == "no findings in 6 files\n"


def test_safe_migrations_clean_with_lock_timeout_rule() -> None:
    done = advisor("lint", str(MIGRATIONS / "safe"), "--select", "MIG020", "--format", "gcc")
    assert done.returncode == 0, done.stdout
    assert done.stdout == ""


def test_dangerous_migrations_fail_with_exact_locations() -> None:
    done = advisor("lint", str(MIGRATIONS / "dangerous"), "--format", "gcc")
    assert done.returncode == 1
    assert locations(done.stdout) == [
        "001_indexes.sql:1:1 MIG001",
        "001_indexes.sql:3:1 MIG004",
        "002_constraints.sql:2:5 MIG005",
        "002_constraints.sql:3:22 MIG007",
        "003_columns.sql:1:22 MIG008",
        "003_columns.sql:2:22 MIG009",
        "003_columns.sql:3:22 MIG010",
        "003_columns.sql:4:22 MIG011",
        "004_destructive.sql:1:1 MIG016",
        "004_destructive.sql:2:22 MIG013",
        "004_destructive.sql:3:1 MIG012",
        "004_destructive.sql:4:1 MIG017",
        "004_destructive.sql:5:1 MIG019",
        "004_destructive.sql:6:1 MIG018",
    ]


def test_text_format_states_problem_fix_and_summary() -> None:
    done = advisor("lint", str(MIGRATIONS / "dangerous" / "001_indexes.sql"))
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert lines[0].endswith(
        "001_indexes.sql:1:1: MIG001 warning: CREATE INDEX on existing table accounts "
        "takes a SHARE lock: every INSERT, UPDATE and DELETE waits until the whole index is built"
    )
    assert lines[1] == "  fix: Use CREATE INDEX CONCURRENTLY, outside a transaction block."
    assert lines[-1] == "2 findings (1 error, 1 warning) in 1 file"


def test_select_and_ignore_options(tmp_path: Path) -> None:
    path = tmp_path / "m.sql"
    path.write_text("ALTER TABLE a ADD COLUMN b varchar(20);\nDROP TABLE c;\n")
    done = advisor("lint", str(path), "--format", "gcc", "--ignore", "MIG012", "--select", "MIG020")
    assert locations(done.stdout) == ["m.sql:1:15 MIG020", "m.sql:1:15 MIG032"]
    text = advisor("lint", str(path), "--ignore", "MIG012", "--ignore", "mig020")
    assert text.stdout.splitlines()[-1] == "1 finding (0 errors, 0 warnings, 1 info) in 1 file"
    assert text.returncode == 0  # an info never fails


def test_fail_on_error_ignores_warnings(tmp_path: Path) -> None:
    path = tmp_path / "m.sql"
    path.write_text("DROP TABLE sessions;\n")
    assert advisor("lint", str(path), "--fail-on", "error").returncode == 0
    assert advisor("lint", str(path)).returncode == 1
    path.write_text("DROP SCHEMA reporting;\n")
    assert advisor("lint", str(path), "--fail-on", "error").returncode == 1


def test_stdin_with_a_file_name() -> None:
    done = advisor(
        "lint",
        "-",
        "--stdin-filename",
        "db/V3__idx.sql",
        "--format",
        "gcc",
        stdin="SELECT 1;\n\nCREATE INDEX i ON t (a);\n",
    )
    assert done.returncode == 1
    assert done.stdout.startswith("db/V3__idx.sql:3:1: warning: CREATE INDEX on existing table t")


def test_bad_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    missing = advisor("lint", str(tmp_path / "nope.sql"))
    assert missing.returncode == 2
    assert missing.stderr == f"advisor: error: {tmp_path / 'nope.sql'}: no such file or folder\n"
    (tmp_path / "latin1.sql").write_bytes(b"SELECT 1;\nSELECT '\xe9';\n")
    binary = advisor("lint", str(tmp_path / "latin1.sql"))
    assert binary.returncode == 2
    assert binary.stderr == f"advisor: error: {tmp_path / 'latin1.sql'}:2: the file is not valid UTF-8\n"
    dialect = advisor("lint", str(tmp_path / "latin1.sql"), "--dialect", "oracle")
    assert dialect.returncode == 2 and "unknown dialect 'oracle'" in dialect.stderr
    rule = advisor("lint", "--select", "MIG02", str(tmp_path))
    assert rule.returncode == 2 and "unknown rule 'MIG02'" in rule.stderr
    assert "Traceback" not in missing.stderr + binary.stderr + dialect.stderr + rule.stderr


def test_unparseable_statement_does_not_hide_the_rest(tmp_path: Path) -> None:
    (tmp_path / "m.sql").write_text("ALTER TABLE a ADD COLUMN b int DEFALT 1;\nDROP TABLE c;\n")
    done = advisor("lint", str(tmp_path / "m.sql"), "--format", "gcc")
    assert done.returncode == 1
    assert locations(done.stdout) == ["m.sql:1:32 MIG000", "m.sql:2:1 MIG012"]
    quiet = advisor("lint", str(tmp_path / "m.sql"), "--format", "gcc", "--ignore", "MIG000")
    assert locations(quiet.stdout) == ["m.sql:2:1 MIG012"]


def test_unterminated_string_keeps_the_statements_before_it(tmp_path: Path) -> None:
    (tmp_path / "m.sql").write_text("SELECT 1;\nCREATE INDEX i ON t (a);\nSELECT 'open;\nDROP TABLE x;\n")
    done = advisor("lint", "m.sql", "--format", "gcc", cwd=tmp_path)
    assert locations(done.stdout) == ["m.sql:2:1 MIG001", "m.sql:3:8 MIG000"]


def test_folders_globs_and_migration_order(tmp_path: Path) -> None:
    (tmp_path / "db" / "20240102_b").mkdir(parents=True)
    (tmp_path / "db" / "V10__validate.sql").write_text("ALTER TABLE t VALIDATE CONSTRAINT c;\n")
    (tmp_path / "db" / "V2__add.sql").write_text("ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;\n")
    (tmp_path / "db" / "V2__add.down.sql").write_text("DROP TABLE t;\n")
    (tmp_path / "db" / "20240102_b" / "migration.sql").write_text("CREATE INDEX i ON t (a);\n")
    folder = advisor("lint", "db", "--format", "gcc", cwd=tmp_path)
    # V2 before V10, so the constraint is validated (no MIG022); the undo file is skipped
    assert locations(folder.stdout) == ["migration.sql:1:1 MIG001"]
    globbed = advisor("lint", "db/V*.sql", "--select", "MIG022", "--format", "gcc", cwd=tmp_path)
    assert globbed.returncode == 0, globbed.stdout
    only_add = advisor("lint", "db/V2__add.sql", "--format", "gcc", cwd=tmp_path)
    assert locations(only_add.stdout) == ["V2__add.sql:1:15 MIG022"]  # an info: exit 0
    assert only_add.returncode == 0
    assert advisor("lint", "db/*.nothing", cwd=tmp_path).returncode == 2


def test_files_named_one_by_one_are_filtered_like_a_folder(tmp_path: Path) -> None:
    """``advisor lint $(cat list)``: each migration's down.sql (and a Sqitch revert script) is left
    out, as in a folder; replayed before up.sql it would drop the index up.sql then recreates."""
    for name, up, down in (
        ("2020-01-01_t", "CREATE TABLE t (id bigint PRIMARY KEY, a bigint);\n", "DROP TABLE t;\n"),
        ("2020-02-01_i", "CREATE INDEX t_a_idx ON t (a);\n", "DROP INDEX t_a_idx;\n"),
        ("2020-03-01_j", "DROP INDEX t_a_idx;\nCREATE INDEX t_a_idx ON t (a);\n", "SELECT 1;\n"),
    ):
        (tmp_path / "m" / name).mkdir(parents=True)
        (tmp_path / "m" / name / "up.sql").write_text(up)
        (tmp_path / "m" / name / "down.sql").write_text(down)
    (tmp_path / "sqitch" / "deploy").mkdir(parents=True)
    (tmp_path / "sqitch" / "revert").mkdir()
    (tmp_path / "sqitch" / "deploy" / "u.sql").write_text("CREATE TABLE u (id bigint PRIMARY KEY);\n")
    (tmp_path / "sqitch" / "revert" / "u.sql").write_text("DROP TABLE u;\n")
    listed = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*.sql"))
    one_by_one = advisor("lint", *listed, "--format", "json", cwd=tmp_path)
    folder = advisor("lint", "m", "sqitch", "--format", "json", cwd=tmp_path)
    by_file, by_folder = json.loads(one_by_one.stdout), json.loads(folder.stdout)
    assert by_file["files"] == by_folder["files"] == 4
    assert by_file["findings"] == by_folder["findings"]
    # indexes on a table an earlier file created, and no DROP TABLE from a down.sql
    assert [f["rule"] for f in by_file["findings"]] == ["MIG001", "MIG002", "MIG001"]
    alone = advisor("lint", "m/2020-02-01_i/down.sql", "--format", "gcc", cwd=tmp_path)
    assert locations(alone.stdout) == ["down.sql:1:1 MIG002"]  # only undo files named: linted as asked


def test_ignore_comments_and_unused_ignore(tmp_path: Path) -> None:
    (tmp_path / "m.sql").write_text(
        "-- advisor: ignore[MIG012]\n"
        "DROP TABLE sessions;\n"
        "-- advisor: ignore[MIG013]\n"
        "ALTER TABLE users ADD COLUMN note text;\n"
    )
    done = advisor("lint", str(tmp_path / "m.sql"), "--format", "gcc")
    assert locations(done.stdout) == ["m.sql:3:1 MIG090"]
    (tmp_path / "m.sql").write_text("-- advisor: ignore-file[MIG012]\nDROP TABLE a;\nDROP TABLE b;\n")
    assert advisor("lint", str(tmp_path / "m.sql")).returncode == 0


def test_assume_in_transaction(tmp_path: Path) -> None:
    (tmp_path / "m.sql").write_text("CREATE INDEX CONCURRENTLY i ON t (a);\n")
    assert advisor("lint", str(tmp_path / "m.sql")).returncode == 0
    done = advisor("lint", str(tmp_path / "m.sql"), "--assume-in-transaction", "--format", "gcc")
    assert locations(done.stdout) == ["m.sql:1:1 MIG004"]


def test_pyproject_configuration(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.advisor.lint]\n"
        'ignore = ["MIG012"]\n'
        'severity = { MIG013 = "error" }\n'
        'exclude = ["legacy/*"]\n'
        "assume-in-transaction = true\n"
    )
    (tmp_path / "legacy").mkdir()
    (tmp_path / "legacy" / "old.sql").write_text("TRUNCATE t;\n")
    (tmp_path / "m.sql").write_text("DROP TABLE a;\nALTER TABLE b DROP COLUMN c;\nBEGIN;\nCOMMIT;\n")
    done = advisor("lint", ".", "--format", "gcc", cwd=tmp_path)
    assert done.stdout.splitlines()[0].startswith("m.sql:2:15: error: dropping column b.c")
    assert locations(done.stdout) == ["m.sql:2:15 MIG013", "m.sql:3:1 MIG038"]
    overridden = advisor("lint", ".", "--no-assume-in-transaction", "--format", "gcc", cwd=tmp_path)
    assert locations(overridden.stdout) == ["m.sql:2:15 MIG013"]


def test_advisor_toml_and_bad_configuration(tmp_path: Path) -> None:
    (tmp_path / "m.sql").write_text("ALTER TABLE b ADD COLUMN c varchar(20);\n")
    assert advisor("lint", "m.sql", cwd=tmp_path).returncode == 0  # MIG032 is an info
    (tmp_path / "advisor.toml").write_text('[lint]\nseverity = { MIG032 = "warning" }\n')
    assert advisor("lint", "m.sql", cwd=tmp_path).returncode == 1
    (tmp_path / "advisor.toml").write_text('[lint]\nignor = ["MIG032"]\n')
    bad = advisor("lint", "m.sql", cwd=tmp_path)
    assert bad.returncode == 2
    assert bad.stderr.startswith(f"advisor: error: {tmp_path / 'advisor.toml'}: lint.ignor: ")
    (tmp_path / "advisor.toml").write_text('[lint]\nignore = ["MIG999"]\n')
    unknown = advisor("lint", "m.sql", cwd=tmp_path)
    assert unknown.returncode == 2 and "lint.ignore: unknown rule 'MIG999'" in unknown.stderr


def test_schema_gives_the_starting_state(tmp_path: Path) -> None:
    (tmp_path / "schema.sql").write_text("CREATE TABLE users (id bigint PRIMARY KEY, name varchar(50));\n")
    (tmp_path / "m.sql").write_text("ALTER TABLE users ALTER COLUMN name TYPE varchar(100);\n")
    assert advisor("lint", "m.sql", cwd=tmp_path).returncode == 1
    assert advisor("lint", "m.sql", "--schema", "schema.sql", cwd=tmp_path).returncode == 0


def test_spec_table_sizes_make_locking_findings_errors(tmp_path: Path) -> None:
    (tmp_path / "patterns.yaml").write_text(
        "dialect: postgres\n"
        "tables:\n"
        "  orders:\n"
        "    rows: 50000000\n"
        "    columns:\n"
        "      id: { type: bigint, primary_key: true }\n"
        "      user_id: { type: bigint }\n"
        "  tags:\n"
        "    rows: 200\n"
        "    columns:\n"
        "      id: { type: bigint, primary_key: true }\n"
        "patterns:\n"
        "  - { name: by_user, sql: 'SELECT id FROM orders WHERE user_id = 1', per_sec: 10 }\n"
    )
    (tmp_path / "m.sql").write_text("CREATE INDEX a ON orders (user_id);\nCREATE INDEX b ON tags (id, id);\n")
    done = advisor("lint", "m.sql", "--spec", "patterns.yaml", "--format", "gcc", cwd=tmp_path)
    lines = done.stdout.splitlines()
    assert lines[0].startswith("m.sql:1:1: error: CREATE INDEX on existing table orders")
    assert "(orders has about 50,000,000 rows)" in lines[0]
    assert lines[1].startswith("m.sql:2:1: warning: CREATE INDEX on existing table tags")
    assert (
        advisor("lint", "m.sql", "--spec", "patterns.yaml", "--fail-on", "error", cwd=tmp_path).returncode
        == 1
    )


def test_diff_reports_only_changed_files(tmp_path: Path) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    git("init", "-q")
    git("config", "user.email", "dev@example.com")
    git("config", "user.name", "dev")
    (tmp_path / "1_old.sql").write_text("CREATE TABLE t (id bigint PRIMARY KEY, a text);\nDROP TABLE x;\n")
    git("add", ".")
    git("commit", "-qm", "old")
    (tmp_path / "2_new.sql").write_text("CREATE INDEX i ON t (a);\nDROP TABLE y;\n")
    done = advisor("lint", ".", "--diff", "HEAD", "--format", "gcc", cwd=tmp_path)
    # 1_old.sql is replayed but not reported; it has been deployed, so t holds rows by now
    assert locations(done.stdout) == ["2_new.sql:1:1 MIG001", "2_new.sql:2:1 MIG012"]
    # two files not deployed yet: the table one creates is still empty when the other indexes it
    (tmp_path / "3_newer.sql").write_text("CREATE TABLE u (id bigint PRIMARY KEY, b text);\n")
    (tmp_path / "4_newest.sql").write_text("CREATE INDEX j ON u (b);\n")
    done = advisor("lint", ".", "--diff", "HEAD", "--format", "gcc", cwd=tmp_path)
    assert locations(done.stdout) == ["2_new.sql:1:1 MIG001", "2_new.sql:2:1 MIG012"]
    bad = advisor("lint", ".", "--diff", "no-such-ref", cwd=tmp_path)
    assert bad.returncode == 2 and "--diff no-such-ref" in bad.stderr


@pytest.mark.parametrize("dialect", ["mysql", "mariadb", "sqlite"])
def test_other_dialects(dialect: str, tmp_path: Path) -> None:
    (tmp_path / "m.sql").write_text(
        "CREATE TABLE a (id BIGINT PRIMARY KEY, note TEXT);\n"
        "ALTER TABLE b ADD COLUMN c TEXT NOT NULL;\n"
        "DELETE FROM b;\n"
    )
    done = advisor("lint", "m.sql", "--dialect", dialect, "--format", "gcc", cwd=tmp_path)
    assert locations(done.stdout) == ["m.sql:2:26 MIG008", "m.sql:3:1 MIG019"]


def test_json_sarif_github_gitlab(tmp_path: Path) -> None:
    (tmp_path / "m.sql").write_text("CREATE INDEX i ON t (a);\nDROP SCHEMA s;\n")
    data = json.loads(advisor("lint", "m.sql", "--format", "json", cwd=tmp_path).stdout)
    assert data["version"] == 1 and data["files"] == 1
    assert [(f["rule"], f["line"], f["column"], f["severity"]) for f in data["findings"]] == [
        ("MIG001", 1, 1, "warning"),
        ("MIG014", 2, 1, "error"),
    ]
    sarif = json.loads(advisor("lint", "m.sql", "--format", "sarif", cwd=tmp_path).stdout)
    assert sarif["version"] == "2.1.0" and sarif["$schema"].endswith("sarif-2.1.0.json")
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["MIG001", "MIG014"]
    assert all(r["shortDescription"]["text"] and r["help"]["text"] for r in rules)
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in run["results"]] == [1, 2]
    github = advisor("lint", "m.sql", "--format", "github", cwd=tmp_path).stdout.splitlines()
    assert github[0].startswith("::warning file=m.sql,line=1,col=1,title=MIG001::CREATE INDEX")
    assert github[1].startswith("::error file=m.sql,line=2,col=1,title=MIG014::")
    gitlab = json.loads(advisor("lint", "m.sql", "--format", "gitlab", cwd=tmp_path).stdout)
    assert [(g["check_name"], g["severity"], g["location"]["lines"]["begin"]) for g in gitlab] == [
        ("MIG001", "major", 1),
        ("MIG014", "critical", 2),
    ]
    assert len({g["fingerprint"] for g in gitlab}) == 2


def test_flyway_repeatable_last_and_sqitch_revert_skipped(tmp_path: Path) -> None:
    (tmp_path / "sql").mkdir()
    (tmp_path / "sql" / "R__views.sql").write_text(
        "DROP VIEW IF EXISTS v;\nCREATE VIEW v AS SELECT * FROM t;\n"
    )
    (tmp_path / "sql" / "V1__t.sql").write_text("CREATE TABLE t (id bigint PRIMARY KEY);\n")
    (tmp_path / "sql" / "V2__drop.sql").write_text("DROP TABLE old;\n")
    (tmp_path / "sqitch" / "deploy").mkdir(parents=True)
    (tmp_path / "sqitch" / "revert").mkdir()
    (tmp_path / "sqitch" / "deploy" / "users.sql").write_text("CREATE TABLE users (id bigint PRIMARY KEY);\n")
    (tmp_path / "sqitch" / "revert" / "users.sql").write_text("DROP TABLE users;\n")
    done = advisor("lint", "sql", "sqitch", "--format", "json", cwd=tmp_path)
    report = json.loads(done.stdout)
    assert report["files"] == 4  # the revert script is not a migration
    assert [(Path(f["file"]).name, f["rule"]) for f in report["findings"]] == [("V2__drop.sql", "MIG012")]


def test_every_configuration_key(tmp_path: Path) -> None:
    settings = tmp_path / "ci" / "lint.toml"
    settings.parent.mkdir()
    settings.write_text(
        "[tool.advisor.lint]\n"
        'dialect = "postgres"\n'
        'target-version = "11"\n'
        'fail-on = "error"\n'
        'select = ["MIG020"]\n'
        "big-table-rows = 10\n"
    )
    (tmp_path / "m.sql").write_text("ALTER TABLE t ADD COLUMN c text DEFAULT 'x';\n")
    done = advisor("lint", "m.sql", "--config", str(settings), "--format", "gcc", cwd=tmp_path)
    # PostgreSQL 11 is the first to add a defaulted column without a rewrite; 11 here means no MIG010
    assert locations(done.stdout) == ["m.sql:1:15 MIG020"]
    assert done.returncode == 0  # fail-on = "error" and MIG020 is a warning
    older = advisor(
        "lint", "m.sql", "--config", str(settings), "--target-version", "10", "--format", "gcc", cwd=tmp_path
    )
    assert locations(older.stdout) == ["m.sql:1:15 MIG010", "m.sql:1:15 MIG020"]
    settings.write_text('[tool.advisor.lint]\nfail-on = "never"\n')
    bad = advisor("lint", "m.sql", "--config", str(settings), cwd=tmp_path)
    assert bad.returncode == 2 and "tool.advisor.lint.fail-on" in bad.stderr
