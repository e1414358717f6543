"""The ``advisor`` command line. Heavy modules (sqlglot, pydantic, rich) are imported inside the
commands, so ``advisor --help`` starts fast; input errors become one line and exit code 2."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from advisor import __version__
from advisor.errors import AdvisorError

app = typer.Typer(
    name="advisor",
    help="Schema design advisor: explained index plans and DDL from tables, statistics and access patterns.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

EXIT_INPUT = 2


class ReportFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"


SpecFile = Annotated[
    Path, typer.Argument(help="The patterns.yaml file: tables, statistics and access patterns.")
]
Output = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write to this file (atomically) instead of standard output."),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"advisor {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Schema design advisor."""


def _emit(text: str, output: Path | None, spec_path: Path) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    from advisor.report.output import write_report

    write_report(output, text, protected=(spec_path,))


@app.command()
def recommend(
    file: SpecFile,
    format: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="Report format.")
    ] = ReportFormat.text,
    output: Output = None,
    sample: Annotated[
        list[str] | None,
        typer.Option(
            "--sample",
            help="TABLE=rows.csv: discover functional dependencies in sample rows (repeatable).",
        ),
    ] = None,
    sample_tolerance: Annotated[
        float,
        typer.Option(help="Share of sample rows a discovered dependency may break (approximate)."),
    ] = 0.01,
) -> None:
    """Analyze every pattern and print the explained index plan."""
    from advisor.recommend import recommend as run
    from advisor.report.formats import FORMATTERS, TextFormatter
    from advisor.spec.load import load_spec

    spec = load_spec(file)
    if sample:
        from advisor.design.discover import with_samples

        spec = with_samples(spec, _samples(sample), sample_tolerance)
    result = run(spec)
    if format is ReportFormat.text:
        color = output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
        text = TextFormatter(color=color).render(result)
    else:
        text = FORMATTERS[format.value]().render(result)
    _emit(text, output, file)


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


@app.command()
def ddl(
    file: SpecFile,
    changes_only: Annotated[
        bool, typer.Option("--changes-only", help="Only the recommended CREATE / DROP INDEX statements.")
    ] = False,
    no_concurrently: Annotated[
        bool,
        typer.Option(
            "--no-concurrently", help="PostgreSQL: plain CREATE/DROP INDEX (e.g. inside a transaction)."
        ),
    ] = False,
    output: Output = None,
) -> None:
    """Print DDL for the file's dialect: with --changes-only, a migration of the recommended changes."""
    if not changes_only:
        raise AdvisorError(
            "full-schema DDL is not available yet; use --changes-only for the recommended changes"
        )
    from advisor.emit.migration import changes_migration
    from advisor.recommend import recommend as run
    from advisor.spec.load import load_spec

    spec = load_spec(file)
    _emit(changes_migration(spec, run(spec), concurrently=not no_concurrently), output, file)


@app.command()
def rules(rule_id: Annotated[str | None, typer.Argument(help="A rule id (IDX001) or name.")] = None) -> None:
    """List the rule catalog, or print one rule's full documentation."""
    from advisor.catalog import load_catalog
    from advisor.catalog.render import render_catalog_table, render_rule_text

    catalog = load_catalog()
    if rule_id is None:
        for row in render_catalog_table(catalog):
            typer.echo(f"{row.id:<8} {row.severity:<8} {row.title}")
        return
    rule = catalog.get(rule_id)
    if rule is None:
        hint = ", ".join(catalog.suggest(rule_id))
        raise AdvisorError(f"no rule {rule_id!r}" + (f" (did you mean {hint}?)" if hint else ""))
    typer.echo(render_rule_text(rule), nl=False)


def main() -> None:
    """Entry point: run the app, turning input errors into one line on stderr and exit 2.

    Usage errors are the command-line parser's own and also exit 2."""
    import logging

    # sqlglot logs parser fallbacks as warnings; advisor reports problems itself, once
    logging.getLogger("sqlglot").setLevel(logging.ERROR)
    try:
        app()
    except AdvisorError as exc:
        sys.stderr.write(f"advisor: error: {exc}\n")
        sys.exit(EXIT_INPUT)
