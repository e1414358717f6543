"""`advisor recommend --sample TABLE=rows.csv`, run as a user runs it."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import run_advisor

SPEC = """\
dialect: postgres
tables:
  customers:
    rows: 1000000
    columns:
      customer_id: { type: bigint, primary_key: true }
      zip: { type: char(5) }
      city: { type: varchar(80) }
patterns:
  - { name: by_id, sql: "SELECT city FROM customers WHERE customer_id = :id", per_sec: 100 }
"""


def _write(tmp_path: Path, dirty: bool) -> Path:
    (tmp_path / "patterns.yaml").write_text(SPEC)
    lines = ["customer_id,zip,city"]
    for i in range(200):
        zipcode = f"{i % 20:05d}"
        city = "Typo" if dirty and i == 7 else f"city{i % 10}"  # two zip codes per city
        lines.append(f"{i},{zipcode},{city}")
    (tmp_path / "customers.csv").write_text("\n".join(lines) + "\n")
    return tmp_path


def test_sample_reveals_an_approximate_dependency(tmp_path: Path) -> None:
    folder = _write(tmp_path, dirty=True)
    out = run_advisor(
        "recommend", "patterns.yaml", "--sample", "customers=customers.csv", "--format", "json", cwd=folder
    )
    assert out.returncode == 0, out.stderr
    (finding,) = [f for f in json.loads(out.stdout)["findings"] if f["rule"] == "NRM001"]
    assert finding["message"].startswith("customers is in 2NF only, not 3NF: zip -> city")
    assert (
        "(approximate: found in customers.csv, it holds for 99.5% of 200 sampled rows)" in finding["message"]
    )
    assert "CREATE TABLE customers_zip" in finding["ddl"]
    strict = run_advisor(
        "recommend",
        "patterns.yaml",
        "--sample",
        "customers=customers.csv",
        "--sample-tolerance",
        "0",
        cwd=folder,
    )
    assert strict.returncode == 0, strict.stderr
    assert "NRM001" not in strict.stdout


def test_without_a_sample_nothing_is_claimed(tmp_path: Path) -> None:
    folder = _write(tmp_path, dirty=False)
    out = run_advisor("recommend", "patterns.yaml", cwd=folder)
    assert out.returncode == 0, out.stderr
    assert "NRM001" not in out.stdout


def test_bad_sample_arguments_are_one_line_errors(tmp_path: Path) -> None:
    folder = _write(tmp_path, dirty=False)
    cases = {
        "customers": "--sample expects TABLE=rows.csv, not 'customers'",
        "orders=customers.csv": "--sample names no table of the spec: 'orders'",
        "customers=missing.csv": "--sample customers: no such file: missing.csv",
    }
    for argument, message in cases.items():
        out = run_advisor("recommend", "patterns.yaml", "--sample", argument, cwd=folder)
        assert out.returncode == 2
        assert message in out.stderr
        assert len(out.stderr.strip().splitlines()) == 1
        assert "Traceback" not in out.stderr
