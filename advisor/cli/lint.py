"""The ``lint`` command: its options gathered into one request for :mod:`advisor.lint.command`,
which does the linting; this module only parses the command line and prints the result."""

# No ``from __future__ import annotations``: typer reads the parameters of every command on each
# run, and annotations kept as strings would be evaluated anew each time (see advisor/cli/__init__.py).

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from advisor.cli.application import Command, app
from advisor.cli.collector import modules_imported


class LintFormat(StrEnum):
    text = "text"
    gcc = "gcc"
    json = "json"
    sarif = "sarif"
    github = "github"
    gitlab = "gitlab"


class FailOn(StrEnum):
    error = "error"
    warning = "warning"


@app.command(cls=Command, short_help="Lint SQL migrations: locking, destructive and design problems.")
def lint(
    paths: Annotated[
        list[str],
        typer.Argument(
            metavar="PATH...", help="Migration files, folders (searched for *.sql), globs, or - for stdin."
        ),
    ],
    dialect: Annotated[
        str | None,
        typer.Option(
            "--dialect", "-d", metavar="DIALECT", help="postgres (default), mysql, mariadb or sqlite."
        ),
    ] = None,
    format: Annotated[
        LintFormat,
        typer.Option("--format", "-f", metavar="[text|gcc|json|sarif|github|gitlab]", help="Output format."),
    ] = LintFormat.text,
    fail_on: Annotated[
        FailOn | None,
        typer.Option(
            "--fail-on",
            metavar="[error|warning]",
            help="Exit 1 on findings of this severity or worse (default warning).",
        ),
    ] = None,
    exit_zero: Annotated[
        bool,
        typer.Option(
            "--exit-zero", metavar="", help="Report the findings but exit 0 (input errors still exit 2)."
        ),
    ] = False,
    assume_in_transaction: Annotated[
        bool | None,
        typer.Option(
            "--assume-in-transaction/--no-assume-in-transaction",
            metavar="",
            help="Each file runs in a transaction (as most migration tools do).",
        ),
    ] = None,
    target_version: Annotated[
        str | None,
        typer.Option(
            "--target-version",
            metavar="VERSION",
            help="Server version the migrations run on, e.g. 12 or 3.35.",
        ),
    ] = None,
    stdin_filename: Annotated[
        str | None,
        typer.Option("--stdin-filename", metavar="NAME", help="The name findings use for standard input."),
    ] = None,
    schema: Annotated[
        list[Path] | None,
        typer.Option(
            "--schema", metavar="FILE", help="DDL file or folder: the schema before the migrations."
        ),
    ] = None,
    spec: Annotated[
        Path | None,
        typer.Option(
            "--spec",
            metavar="FILE",
            help="A patterns.yaml: its schema and table sizes (big tables make errors).",
        ),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config", metavar="FILE", help="advisor.toml or pyproject.toml to read settings from."
        ),
    ] = None,
    diff: Annotated[
        str | None,
        typer.Option("--diff", metavar="REF", help="Only report files changed since this git ref."),
    ] = None,
    select: Annotated[
        list[str] | None,
        typer.Option(
            "--select",
            metavar="RULES",
            help="Switch on rules that are off by default: ids or families, comma-separated (MIG020).",
        ),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option(
            "--ignore", metavar="RULES", help="Do not run these rules: ids or families, comma-separated."
        ),
    ] = None,
    trace: Annotated[
        str | None,
        typer.Option(
            "--trace",
            metavar="URL",
            help="postgresql://, mysql:// or mariadb:// URL: run the migrations in a throwaway database there.",
        ),
    ] = None,
) -> None:
    """Lint SQL migrations for locking, destructive and design problems."""
    from advisor.lint.command import Request, run

    modules_imported()
    color = format is LintFormat.text and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    text, code = run(
        Request(
            paths=paths,
            dialect=dialect,
            format=format.value,
            fail_on=fail_on.value if fail_on else None,
            assume_in_transaction=assume_in_transaction,
            target_version=target_version,
            stdin_filename=stdin_filename,
            schema=schema,
            spec=spec,
            config=config,
            diff=diff,
            select=tuple(select or ()),
            ignore=tuple(ignore or ()),
            color=color,
            exit_zero=exit_zero,
            trace=trace,
        )
    )
    sys.stdout.write(text)
    raise typer.Exit(code)
