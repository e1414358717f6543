"""The base class of the report formats, and the figures and phrases several formats share (cost
numbers, shares, the patterns a recommendation serves, the capacity row, the planner's lines), so
that the text, Markdown and SARIF reports word them alike."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

from advisor.explain.result import Planner, Recommendation, Result, TableCapacity
from advisor.figures import human_bytes


def human_number(n: float) -> str:
    """Readable cost figures: thousands separators, few decimals for small values.

    >>> human_number(52_000_000.4), human_number(4.137), human_number(0.0123)
    ('52,000,000', '4.1', '0.012')
    """
    if abs(n) >= 100:
        return f"{n:,.0f}"
    if abs(n) >= 1:
        return f"{n:,.1f}"
    return f"{n:.2g}"


def percent(share: float) -> str:
    return f"{share * 100:.1f}%"


def serves_text(rec: Recommendation) -> str:
    return ", ".join(s.pattern for s in rec.serves) or "-"


def severity_counts(result: Result) -> str:
    """How many findings of each severity, worst first, none left out (a CI log shows the zeros).

    >>> from advisor.explain.result import Totals
    >>> severity_counts(Result("p.yaml", "postgres", 0, 0, (), (), (), (), Totals(0, 0, 0, 0)))
    '0 error · 0 warning · 0 info'
    """
    from advisor.catalog.model import Severity

    counts = {severity: 0 for severity in Severity}
    for finding in result.findings:
        counts[finding.severity] += 1
    return " · ".join(f"{n} {severity.value}" for severity, n in counts.items())


CAPACITY_HEADER = ("table", "rows", "row", "table size", "indexes", "in 1 year", "in 3 years", "storage")


def capacity_cells(row: TableCapacity) -> tuple[str, ...]:
    """One capacity row as text cells; the yearly figures are table + indexes."""
    return (
        row.table,
        f"{row.rows:,.0f}",
        f"{row.row_width} B",
        human_bytes(row.table_bytes),
        f"{human_bytes(row.index_bytes)} ({percent(row.index_share)})",
        human_bytes(row.table_bytes_1y + row.index_bytes_1y),
        human_bytes(row.table_bytes_3y + row.index_bytes_3y),
        row.storage,
    )


class Formatter(ABC):
    name: ClassVar[str]

    @abstractmethod
    def render(self, result: Result) -> str: ...


def planner_lines(planner: Planner) -> list[str]:
    """The planner's figures: a heading, then one line per index it chose."""
    lines = [
        f"Chosen by the planner ({planner.engine}): {planner.calls:,} planner calls; the explained "
        f"statements cost {human_number(planner.cost_before)} → {human_number(planner.cost_after)} "
        "planner units/s"
    ]
    for step in planner.steps:
        line = (
            f"{step.index}: planner {human_number(step.planner_before)} → {human_number(step.planner_after)}, "
            f"model {human_number(step.model_before)} → {human_number(step.model_after)} units/s"
        )
        lines.append(line + (f" ({step.note})" if step.note else ""))
    lines += [f"not asked: {reason}" for reason in planner.left_out]
    return lines
