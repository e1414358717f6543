"""The commands that plan indexes from a spec: ``recommend`` (the explained plan, in one of four
report formats) and ``ddl`` (the schema, or only the recommended changes, as SQL)."""

# No ``from __future__ import annotations``: typer reads the parameters of every command on each
# run, and annotations kept as strings would be evaluated anew each time (see advisor/cli/__init__.py).

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from advisor.cli.application import Command, app
from advisor.cli.collector import modules_imported
from advisor.cli.common import (
    KeepGoing,
    Output,
    SpecFile,
    note_skipped,
    refuse_bad_output,
    with_settings,
    write_result,
)
from advisor.errors import AdvisorError

if TYPE_CHECKING:
    from collections.abc import Iterable

    from advisor.rules.base import Finding
    from advisor.spec.model import Spec


class ReportFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"
    sarif = "sarif"


class RecommendFailOn(StrEnum):
    error = "error"
    warning = "warning"
    info = "info"
    never = "never"


@app.command(cls=Command)
def recommend(
    file: SpecFile,
    format: Annotated[
        ReportFormat,
        typer.Option("--format", "-f", metavar="[text|markdown|json|sarif]", help="Report format."),
    ] = ReportFormat.text,
    output: Output = None,
    sample: Annotated[
        list[str] | None,
        typer.Option(
            "--sample",
            metavar="TABLE=CSV",
            help="TABLE=rows.csv: discover functional dependencies in sample rows (repeatable).",
        ),
    ] = None,
    sample_tolerance: Annotated[
        float,
        typer.Option(
            metavar="SHARE", help="Share of sample rows a discovered dependency may break (approximate)."
        ),
    ] = 0.01,
    summary: Annotated[
        bool,
        typer.Option(
            "--summary",
            metavar="",
            help="Only the plan table and the number of findings per severity (text, markdown).",
        ),
    ] = False,
    select: Annotated[
        list[str] | None,
        typer.Option(
            "--select",
            metavar="RULES",
            help="Run only these rules: ids or families, comma-separated (IDX,QRY001); repeatable.",
        ),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option(
            "--ignore",
            metavar="RULES",
            help="Do not run these rules: ids or families, comma-separated (QRY,CAP001); adds to the "
            "configuration's ignore list; repeatable.",
        ),
    ] = None,
    fail_on: Annotated[
        RecommendFailOn,
        typer.Option(
            "--fail-on",
            metavar="[error|warning|info|never]",
            help="Exit 1 when a finding of this severity or worse is reported (after the report).",
        ),
    ] = RecommendFailOn.never,
    keep_going: KeepGoing = False,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            metavar="URL",
            help="postgresql://... with HypoPG: the real planner chooses among the model's candidates, "
            "in a throwaway database built from the spec (dropped after), or with --in-place on the "
            "database's own tables.",
        ),
    ] = None,
    in_place: Annotated[
        bool,
        typer.Option(
            "--in-place",
            metavar="",
            help="With --db: use the tables and statistics already in that database; nothing is "
            "created there but HypoPG's what-if indexes, which end with the session.",
        ),
    ] = False,
) -> None:
    """Analyze every pattern and print the explained index plan."""
    from advisor.recommend import recommend as run
    from advisor.report.formats.markdown import MarkdownFormatter
    from advisor.report.formats.sarif import SarifFormatter
    from advisor.report.formats.text import TextFormatter
    from advisor.spec.load import load_spec

    if summary and format not in (ReportFormat.text, ReportFormat.markdown):
        raise AdvisorError(f"--summary is for the text and markdown formats, not {format.value}")
    modules_imported()
    spec = _with_rule_choice(with_settings(load_spec(file), keep_going), select or [], ignore or [])
    refuse_bad_output(output, spec.inputs)
    if sample:
        from advisor.design.discover import with_samples

        spec = with_samples(spec, _samples(sample), sample_tolerance)
    if in_place and db is None:
        raise AdvisorError("--in-place works with --db URL only")
    if db is not None:
        from advisor.engines.database import SignalledError
        from advisor.planner.run import recommend_on_db

        try:
            result = recommend_on_db(spec, db, in_place)
        except SignalledError as exc:
            sys.stderr.write(f"advisor: {exc}; nothing was left behind\n")
            raise typer.Exit(exc.code) from None
    else:
        result = run(spec)
    if format is ReportFormat.text:
        from advisor.report.layout import report_width

        color = output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
        width = report_width(to_file=output is not None)
        text = TextFormatter(color=color, width=width, summary=summary).render(result)
    elif format is ReportFormat.sarif:
        text = SarifFormatter(spec).render(result)
    elif format is ReportFormat.markdown:
        text = MarkdownFormatter(summary=summary).render(result)
    else:
        from advisor.report.formats.json import JsonFormatter

        text = JsonFormatter().render(result)
    style = "text" if format is ReportFormat.text else format.value
    write_result(
        text, output, spec.inputs, f"recommend-{format.value}", style, tuple(_samples(sample or []).values())
    )
    if _fails(result.findings, fail_on):
        raise typer.Exit(1)


def _fails(findings: "Iterable[Finding]", fail_on: RecommendFailOn) -> bool:
    """Whether ``--fail-on`` turns these findings into exit status 1, as ``advisor lint`` does."""
    if fail_on is RecommendFailOn.never:
        return False
    from advisor.catalog.model import Severity

    return any(f.severity.at_least(Severity(fail_on.value)) for f in findings)


def _samples(items: list[str]) -> dict[str, Path]:
    """``TABLE=path`` pairs; a malformed one or a missing file is an input error."""
    out: dict[str, Path] = {}
    for item in items:
        table, sep, path = item.partition("=")
        if not sep or not table.strip() or not path.strip():
            raise AdvisorError(f"--sample expects TABLE=rows.csv, not {item!r}")
        file = Path(path.strip())
        if not file.is_file():
            raise AdvisorError(f"--sample {table.strip()}: no such file: {file}")
        out[table.strip()] = file
    return out


def _with_rule_choice(spec: "Spec", select: list[str], ignore: list[str]) -> "Spec":
    """``spec`` with ``--select`` and ``--ignore`` applied on top of the configuration's ignore list:
    every rule outside the selection, and every ignored one, is ignored."""
    if not select and not ignore:
        return spec
    from dataclasses import replace

    from advisor.catalog import load_catalog
    from advisor.catalog.model import Family
    from advisor.rule_selection import expand_rules

    known = {rule.id for rule in load_catalog() if rule.family is not Family.MIG}
    ignored = set(spec.settings.ignore) | expand_rules(ignore, known, "--ignore")
    if select:
        ignored |= known - expand_rules(select, known, "--select")
    return replace(spec, settings=replace(spec.settings, ignore=frozenset(ignored)))


@app.command(cls=Command, short_help="Print the schema DDL, or only the recommended index changes.")
def ddl(
    file: SpecFile,
    dialect: Annotated[
        str | None,
        typer.Option(
            "--dialect",
            "-d",
            metavar="DIALECT",
            help="Target engine: postgres, mysql (MySQL 8 and MariaDB), mariadb (re-runnable index "
            "statements), sqlite; other sqlglot dialects are accepted but untested. Default: the file's dialect.",
        ),
    ] = None,
    changes_only: Annotated[
        bool,
        typer.Option(
            "--changes-only", metavar="", help="Only the recommended CREATE / DROP INDEX statements."
        ),
    ] = False,
    no_concurrently: Annotated[
        bool,
        typer.Option(
            "--no-concurrently",
            metavar="",
            help="PostgreSQL: plain CREATE/DROP INDEX (e.g. inside a transaction).",
        ),
    ] = False,
    output: Output = None,
    keep_going: KeepGoing = False,
) -> None:
    """Print DDL: the full schema (tables in dependency order, existing and recommended indexes), or
    with --changes-only a migration of the recommended changes."""
    from advisor.emit.migration import ddl_text
    from advisor.emit.target import resolve_target
    from advisor.recommend import planned_changes, prepare
    from advisor.spec.load import load_spec

    modules_imported()
    spec = with_settings(load_spec(file), keep_going)
    refuse_bad_output(output, spec.inputs)
    try:
        target = resolve_target(dialect or spec.dialect)
    except ValueError as exc:
        raise AdvisorError(f"--dialect: {exc}") from None
    ctx = prepare(spec)
    note_skipped(ctx.skipped)
    _, changes = planned_changes(spec, ctx)
    write_result(
        ddl_text(spec, changes, target, changes_only, not no_concurrently), output, spec.inputs, "ddl", "sql"
    )
