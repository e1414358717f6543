"""The terminal report, drawn with rich and laid out to the width by :mod:`advisor.report.layout`;
rich is imported only when this format renders, so the other formats start without it."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

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
from advisor.report.layout import PIPE_WIDTH, column_widths, hanging, no_trailing_spaces

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rich.console import Console


class TextFormatter(Formatter):
    """The terminal report, drawn with rich in ``width`` columns; ``color`` off for files and pipes.

    Every paragraph wraps between words with a hanging indent (its continuation lines indented
    under it), no line ends in spaces, and :func:`no_commands` runs last, over the laid-out lines.
    ``summary`` keeps the plan table and the findings per severity.
    """

    name = "text"

    def __init__(self, color: bool = False, width: int = PIPE_WIDTH, summary: bool = False) -> None:
        self.color = color
        self.width = width
        self.summary = summary

    def render(self, result: Result) -> str:
        from rich.console import Console

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
        self._head(console, result)
        self._plan(console, result)
        if result.planner is not None:
            from rich.markup import escape

            console.line()
            for i, line in enumerate(planner_lines(result.planner)):
                self._say(console, escape(line) if i else f"[bold]{escape(line)}[/]", 0 if i == 0 else 2, 4)
        if self.summary:
            console.line()
            self._say(console, f"[bold]Findings[/]: {severity_counts(result)}")
        else:
            self._details(console, result)
        return no_commands(no_trailing_spaces(buf.getvalue()))

    def _say(self, console: Console, markup: str, first: int = 0, rest: int | None = None) -> None:
        """One paragraph (rich markup) at indent ``first``, continuation lines at ``rest``
        (default two more)."""
        from rich.text import Text

        text = Text.from_markup(markup, emoji=False)
        for line in hanging(text, self.width, first, first + 2 if rest is None else rest):
            console.print(line, soft_wrap=True)  # laid out already: rich must not wrap it again

    def _head(self, console: Console, result: Result) -> None:
        from rich.markup import escape as e

        t = result.totals
        self._say(
            console,
            f"[bold]advisor recommend {e(result.file)}[/]   {result.dialect} · {result.tables} tables · "
            f"{result.patterns} patterns",
        )
        self._say(
            console,
            f"workload cost {human_number(t.cost_before)} → {human_number(t.cost_after)} units/s · storage "
            f"{human_bytes(t.storage_bytes)} · index writes {t.write_pages_per_sec:+,.1f} pages/s",
        )
        console.line()

    def _plan(self, console: Console, result: Result) -> None:

        if not result.recommendations:
            self._say(console, "No index changes recommended.")
            return
        rows = [
            (
                str(rec.number),
                rec.action,
                rec.index,
                serves_text(rec),
                percent(rec.benefit_share) if rec.serves else "-",
                human_bytes(rec.size_bytes),
                f"{rec.write_pages_per_sec:+,.1f} pg/s",
            )
            for rec in result.recommendations
        ]
        header = ("#", "action", "index", "serves", "benefit", "size", "write cost")
        self._table(console, header, rows, frozenset())

    def _table(
        self,
        console: Console,
        header: tuple[str, ...],
        rows: Sequence[tuple[str, ...]],
        right: frozenset[str],
    ) -> None:
        """A borderless table fitted to the width by :func:`column_widths`, so cells wrap between
        words (rich's own fitting cuts words when it narrows a column); ``right`` columns are
        right-justified. Where the columns cannot fit without cutting words, each row is a
        paragraph instead: its first cell, then each other cell after its column's name."""
        from rich.markup import escape as e
        from rich.table import Table

        widths = column_widths(
            [[name, *(row[i] for row in rows)] for i, name in enumerate(header)], self.width
        )
        if widths is None:
            for row in rows:
                cells = " · ".join(
                    f"[bold]{e(name)}[/] {e(cell)}" for name, cell in zip(header[1:], row[1:], strict=True)
                )
                # continuation lines under the first cell's text for a number, indented 4 for a name
                self._say(console, f"{e(row[0])}  {cells}", 0, min(len(row[0]) + 2, 4))
            return
        table = Table(box=None, pad_edge=False, header_style="bold")
        for name, width in zip(header, widths, strict=True):
            table.add_column(name, width=width, overflow="fold", justify="right" if name in right else "left")
        for row in rows:
            table.add_row(*(e(cell) for cell in row))
        console.print(table)

    def _details(self, console: Console, result: Result) -> None:
        from rich.markup import escape as e

        say = self._say
        for rec in result.recommendations:
            console.line()
            number = str(rec.number)
            say(
                console,
                f"[bold]{number}[/]  [cyan]{', '.join(rec.rules)}[/]: {e(rec.reason)}.",
                0,
                len(number) + 2,
            )
            for s in rec.serves:
                say(
                    console,
                    f"{s.pattern} ({human_number(s.per_sec)}/s): cost {human_number(s.cost_before)} → "
                    f"{human_number(s.cost_after)} per run; {e(s.plan)}",
                    3,
                )
            say(console, f"size {human_bytes(rec.size_bytes)}; writes: {e(rec.write_note)}", 3)
            say(console, f"[green]{e(rec.ddl)}[/]", 3)
        if result.capacity:
            console.line()
            say(console, "[bold]Capacity[/] (with the recommended indexes; yearly figures: table + indexes)")
            rows = [capacity_cells(row) for row in result.capacity]
            self._table(console, CAPACITY_HEADER, rows, frozenset(CAPACITY_HEADER) - {"table", "storage"})
            for row in result.capacity:
                say(console, f"{e(row.table)}: {row.storage}, {e(row.storage_reason)}", 2)
        if result.findings:
            console.line()
            say(console, "[bold]Findings[/]")
            for f in result.findings:
                say(console, f"{f.rule} {f.severity.value}: {e(f.message)}. [dim]Fix: {e(f.fix)}.[/]", 2)
                for line in (f.ddl or "").splitlines():
                    say(console, f"[green]{e(line)}[/]", 4)
        if result.rejected:
            console.line()
            say(console, "[bold]Considered and rejected[/]")
            for r in result.rejected:
                say(console, f"{e(r.index)}: {e(r.reason)} ({r.rule})", 2)
        if result.assumptions:
            console.line()
            say(console, "[bold]Assumed[/]")
            for a in result.assumptions:
                say(console, e(a), 2)
        if result.checklist:
            console.line()
            say(console, "[bold]Architect's checklist[/]")
            for c in result.checklist:
                mark = {"ok": "[green]ok[/]", "todo": "[yellow]todo[/]"}.get(c.status, "[red]unknown[/]")
                pad = " " * (7 - len(c.status))
                # continuation lines line up under the item, past the status column
                say(console, f"{mark}{pad} {c.item}: {e(c.detail)} [dim]({e(c.key)})[/]", 2, 10)
