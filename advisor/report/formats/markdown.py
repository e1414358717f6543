"""The report as Markdown, for pull requests and wikis: the plan table, then each recommendation,
the schema diagram, capacity, findings and the checklist."""

from __future__ import annotations

from advisor.explain.result import Result
from advisor.figures import human_bytes
from advisor.report.formats.base import (
    CAPACITY_HEADER,
    Formatter,
    capacity_cells,
    human_number,
    percent,
    planner_lines,
    serves_text,
    severity_counts,
)
from advisor.report.inert import inert_fields, no_commands

CHECK_MARKS = {"ok": "✅", "todo": "⚠️", "unknown": "❓"}
"""How the Markdown checklist marks each status."""


class MarkdownFormatter(Formatter):
    """The report as Markdown; ``summary`` keeps the plan table and the findings per severity."""

    name = "markdown"

    def __init__(self, summary: bool = False) -> None:
        self.summary = summary

    def render(self, result: Result) -> str:
        result = inert_fields(result)
        lines = [
            f"# Index plan for `{result.file}`",
            "",
            f"{result.dialect} · {result.tables} tables · {result.patterns} patterns · workload cost "
            f"{human_number(result.totals.cost_before)} → {human_number(result.totals.cost_after)} units/s · "
            f"storage {human_bytes(result.totals.storage_bytes)} · writes "
            f"{result.totals.write_pages_per_sec:+,.1f} pages/s",
            "",
            "| # | action | index | serves | benefit | size | write cost |",
            "|---|---|---|---|---|---|---|",
        ]
        for rec in result.recommendations:
            lines.append(
                f"| {rec.number} | {rec.action} | `{rec.index}` | {serves_text(rec)} | "
                f"{percent(rec.benefit_share) if rec.serves else '-'} | {human_bytes(rec.size_bytes)} | "
                f"{rec.write_pages_per_sec:+,.1f} pages/s |"
            )
        if result.planner is not None:
            head, *rest = planner_lines(result.planner)
            lines += ["", f"**{head}**", "", *(f"- {line}" for line in rest)]
        if self.summary:
            lines += ["", f"**Findings**: {severity_counts(result)}"]
            return no_commands("\n".join(lines) + "\n")
        for rec in result.recommendations:
            lines += [
                "",
                f"## {rec.number}. {rec.action} `{rec.index}`",
                "",
                f"**{', '.join(rec.rules)}**: {rec.reason}.",
                "",
            ]
            for s in rec.serves:
                lines.append(
                    f"- `{s.pattern}` ({human_number(s.per_sec)}/s): cost {human_number(s.cost_before)} → "
                    f"{human_number(s.cost_after)} per run; {s.plan}"
                )
            lines += [
                f"- size {human_bytes(rec.size_bytes)}; writes: {rec.write_note}",
                "",
                "```sql",
                rec.ddl,
                "```",
            ]
        if result.schema:
            from advisor.report.mermaid import er_diagram

            lines += [
                "",
                "## Schema",
                "",
                "Tables, keys and references, with the indexes this plan creates.",
                "",
            ]
            lines += er_diagram(result.schema)
            lines += [""] + [
                f"- `{t.name}`: "
                + ", ".join(f"`{ix}`" + (" (new)" if ix in t.recommended else "") for ix in t.indexes)
                for t in result.schema
                if t.indexes
            ]
        if result.capacity:
            lines += [
                "",
                "## Capacity",
                "",
                "Sizes with the recommended indexes; the yearly figures are table plus indexes at the "
                "declared `growth_per_day`.",
                "",
                "| " + " | ".join(CAPACITY_HEADER) + " |",
                "|" + "---|" * len(CAPACITY_HEADER),
            ]
            lines += ["| " + " | ".join(capacity_cells(row)) + " |" for row in result.capacity]
            lines += [""] + [
                f"- `{row.table}`: {row.storage}, {row.storage_reason}" for row in result.capacity
            ]
        if result.findings:
            lines += ["", "## Findings", ""]
            for f in result.findings:
                lines.append(f"- **{f.rule}** ({f.severity.value}) {f.subject}: {f.message}. Fix: {f.fix}.")
                if f.evidence:
                    lines.append("  - evidence: " + " · ".join(f"{k}: {v}" for k, v in f.evidence))
                if f.ddl:
                    lines += ["", "  ```sql", *(f"  {line}" for line in f.ddl.splitlines()), "  ```"]
        if result.rejected:
            lines += ["", "## Considered and rejected", ""]
            lines += [f"- `{r.index}` ({r.rule}): {r.reason}" for r in result.rejected]
        if result.assumptions:
            lines += ["", "## Assumptions", ""]
            lines += [f"- {a}" for a in result.assumptions]
        if result.checklist:
            lines += [
                "",
                "## Architect's checklist",
                "",
                "| item | status | detail | declared by |",
                "|---|---|---|---|",
            ]
            lines += [
                f"| {c.item} | {CHECK_MARKS[c.status]} {c.status} | {c.detail.replace('|', '/')} | `{c.key}` |"
                for c in result.checklist
            ]
        return no_commands("\n".join(lines) + "\n")
