"""Render a :class:`Result`: one base class, one subclass per output format."""

from __future__ import annotations

import dataclasses
import io
import json
import math
from abc import ABC, abstractmethod
from enum import Enum
from json.encoder import encode_basestring_ascii
from typing import TYPE_CHECKING, Any, ClassVar

from advisor.explain.result import Planner, Recommendation, Result, TableCapacity
from advisor.figures import human_bytes
from advisor.report.inert import inert_fields, no_commands
from advisor.report.layout import PIPE_WIDTH, column_widths, hanging, no_trailing_spaces

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rich.console import Console

    from advisor.report.sarif import SarifResult
    from advisor.spec.model import Spec


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
        names = _field_names(type(result))
        out: list[str] = []
        # json.dumps(..., indent=2) of the plain data, written in one pass without the copy: a
        # large report holds a million values and json's own indenting encoder is pure Python
        _object(
            [("version", result.version), *((n, getattr(result, n)) for n in names if n != "version")],
            out,
            "\n",
        )
        out.append("\n")
        return "".join(out)


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


def _field_names(kind: type) -> tuple[str, ...]:
    names = _FIELDS.get(kind)
    if names is None:
        names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(kind))
    return names


def _write(value: Any, out: list[str], newline: str) -> None:
    """``value`` as ``json.dumps(value, indent=2)`` would write it, nested at ``newline``, with
    dataclasses as objects of their fields, enums as their values and floats rounded to 6 places."""
    kind = type(value)
    if kind is str:
        out.append(encode_basestring_ascii(value))
    elif kind is float:
        out.append(_float(round(value, 6)))
    elif kind is bool:
        out.append("true" if value else "false")
    elif kind is int:
        out.append(int.__repr__(value))
    elif value is None:
        out.append("null")
    elif kind in _FIELDS or (dataclasses.is_dataclass(value) and not isinstance(value, type)):
        _object([(n, getattr(value, n)) for n in _field_names(kind)], out, newline)
    elif isinstance(value, Enum):
        _write(value.value, out, newline)
    elif isinstance(value, dict):
        _object(list(value.items()), out, newline)
    elif isinstance(value, list | tuple):
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        out.append("[")
        for i, item in enumerate(value):
            out.append(inner if i == 0 else "," + inner)
            _write(item, out, inner)
        out.append(newline + "]")
    elif isinstance(value, float):
        out.append(_float(round(value, 6)))
    elif isinstance(value, str):
        out.append(encode_basestring_ascii(value))
    else:  # what json.dumps would refuse
        raise TypeError(f"Object of type {kind.__name__} is not JSON serializable")


def _object(items: list[tuple[Any, Any]], out: list[str], newline: str) -> None:
    if not items:
        out.append("{}")
        return
    inner = newline + "  "
    out.append("{")
    for i, (key, item) in enumerate(items):
        out.append(inner if i == 0 else "," + inner)
        out.append(encode_basestring_ascii(key if isinstance(key, str) else _key(key)))
        out.append(": ")
        _write(item, out, inner)
    out.append(newline + "}")


def _key(key: object) -> str:
    """A non-string key as json.dumps writes it."""
    if isinstance(key, bool) or key is None:
        return json.dumps(key)
    if isinstance(key, float):
        return _float(key)
    return str(key)


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (math.inf, -math.inf):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


_AS_IS = frozenset({str, int, bool, type(None)})
_FIELDS: dict[type, tuple[str, ...]] = {}
"""Each dataclass's field names, looked up once: a large report holds a million values."""


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
