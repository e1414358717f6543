"""Render a :class:`Result`: one base class, one subclass per output format."""

from __future__ import annotations

import dataclasses
import io
import json
from abc import ABC, abstractmethod
from enum import Enum
from typing import TYPE_CHECKING, Any, ClassVar

from advisor.report.inert import inert_fields, no_commands
from advisor.report.result import Recommendation, Result, TableCapacity

if TYPE_CHECKING:
    from advisor.report.sarif import SarifResult
    from advisor.spec.model import Spec


def human_bytes(n: float) -> str:
    """``41 GB``-style sizes (decimal units, sign kept).

    >>> human_bytes(41.2e9), human_bytes(-19e9), human_bytes(120e6), human_bytes(8192)
    ('41.2 GB', '-19.0 GB', '120.0 MB', '8.2 kB')
    """
    sign = "-" if n < 0 else ""
    n = abs(n)
    for unit, size in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= size:
            return f"{sign}{n / size:.1f} {unit}"
    return f"{sign}{n:.0f} B"


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


CHECK_MARKS = {"ok": "✅", "todo": "⚠️", "unknown": "❓"}
"""How the Markdown checklist marks each status."""

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


class JsonFormatter(Formatter):
    """The result as JSON (``version`` first); see the README for the fields."""

    name = "json"

    def render(self, result: Result) -> str:
        data = _plain(result)
        ordered = {"version": data.pop("version"), **data}
        return json.dumps(ordered, indent=2) + "\n"


def _plain(value: Any) -> Any:
    """JSON-ready data: dataclasses as dicts of their fields (in one pass, as ``asdict`` would
    give after copying everything once), enums as values, floats rounded."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, float):
        return round(value, 6)
    return value


class MarkdownFormatter(Formatter):
    name = "markdown"

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


class TextFormatter(Formatter):
    """The terminal report, drawn with rich; ``color`` off for files and pipes."""

    name = "text"

    def __init__(self, color: bool = False, width: int = 120) -> None:
        self.color = color
        self.width = width

    def render(self, result: Result) -> str:
        from rich.console import Console
        from rich.markup import escape as e
        from rich.table import Table

        result = inert_fields(result)
        buf = io.StringIO()
        console = Console(
            file=buf,
            force_terminal=self.color,
            no_color=not self.color,
            width=self.width,
            highlight=False,
            soft_wrap=False,
            emoji=False,  # ":name:" in SQL or names is text, never an emoji
        )
        t = result.totals
        console.print(
            f"[bold]advisor recommend {e(result.file)}[/]   {result.dialect} · {result.tables} tables · "
            f"{result.patterns} patterns"
        )
        console.print(
            f"workload cost {human_number(t.cost_before)} → {human_number(t.cost_after)} units/s · storage "
            f"{human_bytes(t.storage_bytes)} · index writes {t.write_pages_per_sec:+,.1f} pages/s\n"
        )
        if not result.recommendations:
            console.print("No index changes recommended.\n")
        else:
            table = Table(box=None, pad_edge=False, header_style="bold")
            for col in ("#", "action", "index", "serves", "benefit", "size", "write cost"):
                table.add_column(col, overflow="fold")
            for rec in result.recommendations:
                table.add_row(
                    str(rec.number),
                    rec.action,
                    e(rec.index),
                    serves_text(rec),
                    percent(rec.benefit_share) if rec.serves else "-",
                    human_bytes(rec.size_bytes),
                    f"{rec.write_pages_per_sec:+,.1f} pg/s",
                )
            console.print(table)
        for rec in result.recommendations:
            console.print(f"\n[bold]{rec.number}[/]  [cyan]{', '.join(rec.rules)}[/]: {e(rec.reason)}.")
            for s in rec.serves:
                console.print(
                    f"   {s.pattern} ({human_number(s.per_sec)}/s): cost {human_number(s.cost_before)} → "
                    f"{human_number(s.cost_after)} per run; {e(s.plan)}"
                )
            console.print(f"   size {human_bytes(rec.size_bytes)}; writes: {e(rec.write_note)}")
            console.print(f"   [green]{e(rec.ddl)}[/]")
        if result.capacity:
            console.print(
                "\n[bold]Capacity[/] (with the recommended indexes; yearly figures: table + indexes)"
            )
            cap = Table(box=None, pad_edge=False, header_style="bold")
            for col in CAPACITY_HEADER:
                cap.add_column(
                    col, overflow="fold", justify="left" if col in ("table", "storage") else "right"
                )
            for row in result.capacity:
                cap.add_row(*(e(cell) for cell in capacity_cells(row)))
            console.print(cap)
            for row in result.capacity:
                console.print(f"  {e(row.table)}: {row.storage}, {e(row.storage_reason)}")
        if result.findings:
            console.print("\n[bold]Findings[/]")
            for f in result.findings:
                console.print(f"  {f.rule} {f.severity.value}: {e(f.message)}. [dim]Fix: {e(f.fix)}.[/]")
                for line in (f.ddl or "").splitlines():
                    console.print(f"   [green]{e(line)}[/]")
        if result.rejected:
            console.print("\n[bold]Considered and rejected[/]")
            for r in result.rejected:
                console.print(f"  {e(r.index)}: {e(r.reason)} ({r.rule})")
        if result.assumptions:
            console.print("\n[bold]Assumed[/]")
            for a in result.assumptions:
                console.print(f"  {e(a)}")
        if result.checklist:
            console.print("\n[bold]Architect's checklist[/]")
            for c in result.checklist:
                mark = {"ok": "[green]ok[/]", "todo": "[yellow]todo[/]"}.get(c.status, "[red]unknown[/]")
                pad = " " * (7 - len(c.status))
                console.print(f"  {mark}{pad} {c.item}: {e(c.detail)} [dim]({e(c.key)})[/]")
        return no_commands(buf.getvalue())


class SarifFormatter(Formatter):
    """SARIF 2.1.0 for code scanning: each recommendation a ``note`` under its first rule, at the
    first pattern it serves (a drop at the index it drops), and each finding at its line of the
    patterns file. ``spec`` gives those lines; without it a recommendation points at line 1."""

    name = "sarif"

    def __init__(self, spec: Spec | None = None) -> None:
        self.spec = spec

    def render(self, result: Result) -> str:
        from advisor.report.sarif import LEVELS, SarifResult, artifact_uri, fingerprint, sarif_log

        uri = artifact_uri(result.file)
        results = [self._recommendation(rec, uri) for rec in result.recommendations]
        for f in result.findings:
            ddl = f"\n{f.ddl}" if f.ddl else ""
            results.append(
                SarifResult(
                    f.rule,
                    LEVELS[f.severity],
                    f"{f.message}. Fix: {f.fix}.{ddl}",
                    uri,
                    f.line or 1,
                    None,
                    "advisorFinding/v1",
                    fingerprint(f.rule, uri, f.subject, f.message),
                )
            )
        return sarif_log(results, explain=True)

    def _recommendation(self, rec: Recommendation, uri: str) -> SarifResult:
        from advisor.report.sarif import SarifResult, fingerprint

        rule = rec.rules[0]
        serves = f" Serves {serves_text(rec)}." if rec.serves else ""
        return SarifResult(
            rule,
            "note",
            f"{rec.action.capitalize()} index {rec.index}: {rec.reason}.{serves}\n{rec.ddl}",
            uri,
            self._line(rec),
            None,
            "advisorPlan/v1",
            fingerprint(rule, uri, rec.action, rec.index),
        )

    def _line(self, rec: Recommendation) -> int:
        """The first served pattern's line, else the dropped index's, else its table's, else 1."""
        spec = self.spec
        if spec is None:
            return 1
        lines = {p.name: p.line for p in spec.patterns}
        table = spec.table(rec.table)
        candidates = [lines.get(s.pattern) for s in rec.serves[:1]]
        if table is not None:
            candidates += [ix.line for ix in table.indexes if rec.action == "drop" and ix.name == rec.name]
            candidates.append(table.line)
        return next((line for line in candidates if line is not None), 1)


FORMATTERS: dict[str, type[Formatter]] = {
    f.name: f for f in (TextFormatter, MarkdownFormatter, JsonFormatter, SarifFormatter)
}
