"""No statement text, however odd, may crash the linter: it returns findings, nothing else."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from advisor.lint.engine import LintFinding, Options, lint
from advisor.schema.source import Source

WORDS = [
    "ALTER",
    "TABLE",
    "ADD",
    "DROP",
    "COLUMN",
    "CONSTRAINT",
    "CREATE",
    "UNIQUE",
    "INDEX",
    "CONCURRENTLY",
    "ON",
    "IF",
    "EXISTS",
    "NOT",
    "NULL",
    "VALID",
    "DEFAULT",
    "PRIMARY",
    "KEY",
    "FOREIGN",
    "REFERENCES",
    "CHECK",
    "VALIDATE",
    "RENAME",
    "TO",
    "TYPE",
    "SET",
    "USING",
    "BEGIN",
    "COMMIT",
    "ROLLBACK",
    "TRUNCATE",
    "VACUUM",
    "FULL",
    "REINDEX",
    "CLUSTER",
    "UPDATE",
    "DELETE",
    "FROM",
    "WHERE",
    "DETACH",
    "PARTITION",
    "GENERATED",
    "ALWAYS",
    "AS",
    "IDENTITY",
    "STORED",
    "ALGORITHM",
    "=",
    "COPY",
    "LOCK",
    "t",
    "orders",
    "a",
    "b",
    "users",
    "bigint",
    "int",
    "varchar(10)",
    "text",
    "json",
    "timestamp",
    "serial",
    "(",
    ")",
    ",",
    ";",
    "'x'",
    "$$",
    "--",
    "/*",
    "*/",
    '"q"',
    "`m`",
    "1",
    "now()",
    "random()",
    "é",
    "\n",
    "-- advisor: ignore[MIG001]",
    "-- advisor: ignore-file",
    "x" * 70,
]

statement = st.lists(st.sampled_from(WORDS), max_size=25).map(" ".join)
text = st.one_of(
    st.lists(statement, max_size=6).map(";\n".join),
    st.text(max_size=200),
)


@example(sql="\x1e\r:", dialect="mysql", wrap=False)  # \r and \x1e do not end lines
@example(sql="SELECT 1;\nSELECT 'open", dialect="postgres", wrap=True)
@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sql=text, dialect=st.sampled_from(["postgres", "mysql", "mariadb", "sqlite"]), wrap=st.booleans())
def test_no_statement_crashes_the_linter(sql: str, dialect: str, wrap: bool) -> None:
    options = Options(dialect=dialect, assume_in_transaction=wrap, select=frozenset({"MIG020"}))
    findings = lint([Source("m.sql", sql), Source("n.sql", sql)], options)
    lines = sql.count("\n") + 1
    for finding in findings:
        assert isinstance(finding, LintFinding)
        assert 1 <= finding.line <= lines + 1, finding
        assert finding.column >= 1
        assert "\n" not in finding.message
