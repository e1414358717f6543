"""A pattern the analysis cannot read: an input error in a hand-written file, a finding (QRY011)
under --keep-going or when the pattern was recorded (``origin``), the others planned."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import run_advisor

SPEC = """\
dialect: postgres
tables:
  item:
    rows: 100000
    columns:
      i_id: {type: bigint, primary_key: true}
      i_u_id: {type: bigint, ndv: 5000}
      i_state: {type: int, ndv: 5}
patterns:
  - name: by_user
    sql: SELECT i_id FROM item WHERE i_u_id = $1
    per_sec: 50
  - name: bad_status
    sql: SELECT i_id FROM item WHERE i_u_id = $1 AND i_status = $2
    per_sec: 10
"""


def _spec(tmp_path: Path, origin: bool = False) -> Path:
    text = SPEC + ("    origin: pg_stat_statements\n" if origin else "")
    path = tmp_path / "patterns.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _qry011(stdout: str) -> list[dict[str, object]]:
    return [f for f in json.loads(stdout)["findings"] if f["rule"] == "QRY011"]


def test_a_bad_hand_written_pattern_stops_the_run(tmp_path: Path) -> None:
    done = run_advisor("recommend", str(_spec(tmp_path)), cwd=tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1
    assert "patterns.yaml:14: patterns.bad_status.sql" in done.stderr
    assert "i_status" in done.stderr


def test_keep_going_reports_the_pattern_and_plans_the_rest(tmp_path: Path) -> None:
    done = run_advisor("recommend", "--keep-going", "-f", "json", str(_spec(tmp_path)), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    (finding,) = _qry011(done.stdout)
    assert finding["patterns"] == ["bad_status"]
    assert finding["line"] == 14
    assert "unknown column item.i_status" in str(finding["message"])
    report = json.loads(done.stdout)
    served = {s["pattern"] for rec in report["recommendations"] for s in rec["serves"]}
    assert served == {"by_user"}


def test_keep_going_text_report_names_the_line(tmp_path: Path) -> None:
    done = run_advisor("recommend", "--keep-going", str(_spec(tmp_path)), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "QRY011" in done.stdout
    assert "line 14" in done.stdout


def test_a_recorded_pattern_is_a_finding_without_the_flag(tmp_path: Path) -> None:
    done = run_advisor("recommend", "-f", "json", str(_spec(tmp_path, origin=True)), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    (finding,) = _qry011(done.stdout)
    assert "recorded by pg_stat_statements" in str(finding["message"])


def test_ddl_keeps_going_with_a_note(tmp_path: Path) -> None:
    done = run_advisor("ddl", "--changes-only", "--keep-going", str(_spec(tmp_path)), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "ON item(i_u_id)" in done.stdout
    assert done.stderr.startswith("advisor: note: QRY011: pattern 'bad_status' (line 14)")


def test_ddl_without_the_flag_stops(tmp_path: Path) -> None:
    done = run_advisor("ddl", str(_spec(tmp_path)), cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1


def test_the_rule_can_be_ignored(tmp_path: Path) -> None:
    (tmp_path / "advisor.toml").write_text('[recommend]\nignore = ["QRY011"]\n', encoding="utf-8")
    done = run_advisor("recommend", "--keep-going", "-f", "json", str(_spec(tmp_path)), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert _qry011(done.stdout) == []


def test_verify_keeps_going_on_sqlite(tmp_path: Path) -> None:
    done = run_advisor("verify", "--keep-going", "--rows", "2000", str(_spec(tmp_path)), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "by_user" in done.stdout and "bad_status" not in done.stdout
    assert done.stderr.startswith("advisor: note: QRY011: pattern 'bad_status'")
