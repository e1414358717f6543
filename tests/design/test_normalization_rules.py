"""The NRM findings' content: the violating dependency in words, the decomposition, its DDL,
the lost dependency and the figures of a duplicated column, through the real pipeline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from advisor.recommend import recommend
from advisor.rules.base import Finding
from advisor.spec.load import load_spec

ROOT = Path(__file__).resolve().parents[2]

EMPLOYEES: dict[str, Any] = {
    "dialect": "postgres",
    "tables": {
        "employees": {
            "rows": 100000,
            "primary_key": ["emp_id"],
            "columns": {
                "emp_id": {"type": "bigint"},
                "dept_id": {"type": "integer", "nullable": False, "ndv": 50},
                "dept_name": {"type": "varchar(100)", "nullable": False},
                "salary": {"type": "numeric(10,2)"},
            },
            "functional_dependencies": ["dept_id -> dept_name"],
        }
    },
    "patterns": [
        {"name": "staff", "sql": "SELECT emp_id, dept_name FROM employees WHERE dept_id = :d", "per_sec": 5},
        {"name": "pay", "sql": "SELECT salary FROM employees WHERE emp_id = :e", "per_sec": 5},
    ],
}


def findings(spec: dict[str, Any], tmp_path: Path, rule: str) -> list[Finding]:
    path = tmp_path / "patterns.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    return [f for f in recommend(load_spec(path)).findings if f.rule == rule]


def test_transitive_dependency_gets_3nf_synthesis_with_ddl(tmp_path: Path) -> None:
    (finding,) = findings(EMPLOYEES, tmp_path, "NRM001")
    assert finding.subject == "employees"
    assert "employees is in 2NF only, not 3NF: dept_id -> dept_name" in finding.message
    assert "dept_name depends on dept_id, which is not a key (keys: emp_id)" in finding.message
    assert "new table dept (dept_id, dept_name) key (dept_id)" in finding.fix
    assert finding.patterns == ("staff",)  # pay reads salary only: no join
    assert finding.ddl == (
        "CREATE TABLE dept (dept_id INT NOT NULL, dept_name VARCHAR(100) NOT NULL, PRIMARY KEY (dept_id));\n"
        "INSERT INTO dept (dept_id, dept_name) SELECT DISTINCT dept_id, dept_name FROM employees;\n"
        "ALTER TABLE employees ADD FOREIGN KEY (dept_id) REFERENCES dept (dept_id);\n"
        "ALTER TABLE employees DROP COLUMN dept_name;"
    )
    assert (
        dict(finding.evidence)["3NF synthesis"]
        == "(dept_id, dept_name), (emp_id, dept_id, salary) (also BCNF)"
    )


def test_ddl_follows_the_dialect(tmp_path: Path) -> None:
    (finding,) = findings({**EMPLOYEES, "dialect": "sqlite"}, tmp_path, "NRM001")
    assert finding.ddl is not None
    assert "ADD FOREIGN KEY" not in finding.ddl  # SQLite cannot add a constraint to a table
    assert (
        "CREATE TABLE dept (dept_id INTEGER NOT NULL PRIMARY KEY, dept_name TEXT(100) NOT NULL)"
        in finding.ddl
    )


def test_dependency_through_a_reference_moves_into_the_parent(tmp_path: Path) -> None:
    spec = {
        "tables": {
            "customers": {"rows": 1000, "columns": {"customer_id": {"type": "bigint", "primary_key": True}}},
            "orders": {
                "rows": 50000,
                "columns": {
                    "order_id": {"type": "bigint", "primary_key": True},
                    "customer_id": {"type": "bigint", "references": "customers.customer_id"},
                    "customer_tier": {"type": "varchar(10)"},
                },
                "functional_dependencies": ["customer_id -> customer_tier"],
            },
        },
        "patterns": [
            {"name": "o", "sql": "SELECT customer_tier FROM orders WHERE order_id = :o", "per_sec": 1}
        ],
    }
    (finding,) = findings(spec, tmp_path, "NRM001")
    assert "customer_tier into customers (keyed by customer_id)" in finding.fix
    assert finding.ddl == (
        "ALTER TABLE customers ADD COLUMN customer_tier VARCHAR(10);\nALTER TABLE orders DROP COLUMN customer_tier;"
    )
    assert findings(spec, tmp_path, "NRM003") == []  # customers has no tier column: not a copy


def test_bcnf_decomposition_that_would_lose_a_dependency_says_which(tmp_path: Path) -> None:
    spec = {
        "tables": {
            "addresses": {
                "rows": 1000,
                "primary_key": ["street", "city"],
                "columns": {"street": {"type": "text"}, "city": {"type": "text"}, "zip": {"type": "char(5)"}},
                "functional_dependencies": ["street, city -> zip", "zip -> city"],
            }
        },
        "patterns": [{"name": "z", "sql": "SELECT zip FROM addresses WHERE street = :s", "per_sec": 1}],
    }
    (finding,) = findings(spec, tmp_path, "NRM002")
    assert finding.message.startswith(
        "addresses is in 3NF, not BCNF: zip -> city: zip determines city but is not a key"
    )
    assert "would lose street, city -> zip" in finding.message
    assert finding.fix.startswith("stay in 3NF")
    assert finding.ddl is None
    assert findings(spec, tmp_path, "NRM001") == []


def test_ecommerce_sample_reports_the_copied_email(tmp_path: Path) -> None:
    result = recommend(load_spec(ROOT / "samples/ecommerce/patterns.yaml"))
    (finding,) = [f for f in result.findings if f.rule == "NRM003"]
    assert finding.subject == "orders.user_email"
    evidence = dict(finding.evidence)
    # 3.65e9 orders over 1e8 users; 20,000 e-mail changes a day.
    assert evidence["orders rows per users row (fan-out)"] == "36.5"
    assert evidence["writes/s changing users.email"] == f"{20000 / 86400:,.2f}"
    assert evidence["orders rows/s to update (writes x fan-out)"] == f"{20000 / 86400 * 36.5:,.1f}"
    assert finding.patterns == ("order_confirmation",)
    assert not [f for f in result.findings if f.rule in ("NRM001", "NRM002")]


def test_decomposition_keeps_the_primary_key_in_the_narrowed_table(tmp_path: Path) -> None:
    # Columns in this order make badge_no the first determinant tried; the split must still keep
    # (emp_id, project_id), the primary key, together in assignments.
    spec = {
        "tables": {
            "assignments": {
                "rows": 5,
                "primary_key": ["emp_id", "project_id"],
                "columns": {
                    "badge_no": {"type": "varchar(20)", "nullable": False},
                    "emp_id": {"type": "bigint"},
                    "project_id": {"type": "bigint"},
                },
                "functional_dependencies": ["emp_id -> badge_no", "badge_no -> emp_id"],
            }
        },
        "patterns": [{"name": "p", "sql": "SELECT badge_no FROM assignments WHERE emp_id = 1", "per_sec": 1}],
    }
    (finding,) = findings(spec, tmp_path, "NRM002")
    assert "assignments (emp_id, project_id)" in finding.fix
    assert finding.ddl == (
        "CREATE TABLE emp (badge_no VARCHAR(20) NOT NULL, emp_id BIGINT NOT NULL, PRIMARY KEY (emp_id), "
        "UNIQUE (badge_no));\n"
        "INSERT INTO emp (badge_no, emp_id) SELECT DISTINCT badge_no, emp_id FROM assignments;\n"
        "ALTER TABLE assignments ADD FOREIGN KEY (emp_id) REFERENCES emp (emp_id);\n"
        "ALTER TABLE assignments DROP COLUMN badge_no;"
    )
