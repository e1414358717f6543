"""Render a :class:`Result`: one base class, one subclass per output format."""

from __future__ import annotations

import dataclasses
import io
import json
from abc import ABC, abstractmethod
from enum import Enum
from typing import Any, ClassVar

from advisor.report.result import Recommendation, Result


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


class Formatter(ABC):
    name: ClassVar[str]

    @abstractmethod
    def render(self, result: Result) -> str: ...


class JsonFormatter(Formatter):
    """The result as JSON (``version`` first); see the README for the fields."""

    name = "json"

    def render(self, result: Result) -> str:
        data = _plain(dataclasses.asdict(result))
        ordered = {"version": data.pop("version"), **data}
        return json.dumps(ordered, indent=2) + "\n"


def _plain(value: Any) -> Any:
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
        if result.findings:
            lines += ["", "## Findings", ""]
            for f in result.findings:
                lines.append(f"- **{f.rule}** ({f.severity.value}) {f.subject}: {f.message}. Fix: {f.fix}.")
                if f.ddl:
                    lines += ["", "  ```sql", *(f"  {line}" for line in f.ddl.splitlines()), "  ```"]
        if result.rejected:
            lines += ["", "## Considered and rejected", ""]
            lines += [f"- `{r.index}` ({r.rule}): {r.reason}" for r in result.rejected]
        if result.assumptions:
            lines += ["", "## Assumptions", ""]
            lines += [f"- {a}" for a in result.assumptions]
        return "\n".join(lines) + "\n"


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

        buf = io.StringIO()
        console = Console(
            file=buf,
            force_terminal=self.color,
            no_color=not self.color,
            width=self.width,
            highlight=False,
            soft_wrap=False,
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
        if result.findings:
            console.print("\n[bold]Findings[/]")
            for f in result.findings:
                console.print(f"  {f.rule} {f.severity.value}: {e(f.message)}. [dim]Fix: {e(f.fix)}.[/]")
                for line in (f.ddl or "").splitlines():
                    console.print(f"    [green]{e(line)}[/]")
        if result.rejected:
            console.print("\n[bold]Considered and rejected[/]")
            for r in result.rejected:
                console.print(f"  {e(r.index)}: {e(r.reason)} ({r.rule})")
        if result.assumptions:
            console.print("\n[bold]Assumed[/]")
            for a in result.assumptions:
                console.print(f"  {e(a)}")
        return buf.getvalue()


FORMATTERS: dict[str, type[Formatter]] = {
    f.name: f for f in (TextFormatter, MarkdownFormatter, JsonFormatter)
}
