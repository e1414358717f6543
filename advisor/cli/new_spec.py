"""The commands that write a new spec: ``introspect`` (from a live database's catalog and
statistics) and ``init`` (a commented starter, or one from a schema's DDL)."""

# No ``from __future__ import annotations``: typer reads the parameters of every command on each
# run, and annotations kept as strings would be evaluated anew each time (see advisor/cli/__init__.py).

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from advisor.cli.application import Command, app
from advisor.cli.collector import modules_imported
from advisor.cli.common import Output, refuse_bad_output, write_result
from advisor.errors import AdvisorError, Location


@app.command(cls=Command)
def introspect(
    url: Annotated[
        str,
        typer.Argument(
            metavar="URL",
            help="postgresql://user@host:5432/db, mariadb:// or mysql://user@host:3306/db, "
            "sqlite:///file.db or a SQLite file: read its catalog and statistics (never its rows) "
            "in one read-only transaction.",
        ),
    ],
    output: Output = None,
    schema: Annotated[
        str, typer.Option("--schema", metavar="NAME", help="PostgreSQL: the schema to read.")
    ] = "public",
    include: Annotated[
        list[str] | None,
        typer.Option("--include", metavar="GLOB", help="Only tables matching this glob (repeatable)."),
    ] = None,
    exclude: Annotated[
        list[str] | None,
        typer.Option("--exclude", metavar="GLOB", help="Leave out tables matching this glob (repeatable)."),
    ] = None,
    min_calls: Annotated[
        int,
        typer.Option(
            "--min-calls",
            min=1,
            metavar="N",
            help="pg_stat_statements: statements called fewer times are left out.",
        ),
    ] = 1,
    top: Annotated[
        int,
        typer.Option(
            "--top",
            min=1,
            metavar="N",
            help="pg_stat_statements: at most this many patterns, most called first.",
        ),
    ] = 100,
) -> None:
    """Write a spec from a live database.

    Tables and their statistics from the catalog, and from PostgreSQL's pg_stat_statements the
    workload, with a comment beside each number saying where it came from."""
    from advisor.interrupts import interruptible
    from advisor.introspect.model import Options
    from advisor.introspect.run import introspect as read
    from advisor.introspect.run import spec_text, sqlite_path
    from advisor.oneline import one_line

    modules_imported()
    path = sqlite_path(url)
    inputs = (path,) if path is not None else ()
    refuse_bad_output(output, inputs)
    from contextlib import nullcontext

    status = None
    if sys.stderr.isatty() and "NO_COLOR" not in os.environ:
        from rich.console import Console

        status = Console(stderr=True).status("connecting")
    progress = status.update if status is not None else None
    options = Options(schema, tuple(include or ()), tuple(exclude or ()), min_calls, top, progress)
    with interruptible(), status if status is not None else nullcontext():
        # Ctrl-C or SIGTERM: one line and 130 / 143, the connection closed
        catalog = read(url, options)
        if progress is not None:
            progress("checking the spec")
        text = spec_text(catalog)
    for warning in catalog.warnings:
        sys.stderr.write(f"advisor: note: {one_line(warning)}\n")
    write_result(text, output, inputs, "introspect", "yaml")


@app.command(cls=Command, short_help="Write a commented starter spec, or one from a schema's DDL.")
def init(
    from_ddl: Annotated[
        Path | None,
        typer.Option(
            "--from",
            metavar="DDL",
            help="A DDL file or folder of migrations: its tables and columns, with rows and ndv "
            "left to fill in, and one example pattern per table.",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="FILE", help="Write to this new file (never over an existing one)."
        ),
    ] = None,
    dialect: Annotated[
        str,
        typer.Option("--dialect", "-d", metavar="NAME", help="The SQL dialect of the DDL and the patterns."),
    ] = "postgres",
) -> None:
    """Write a commented starter spec: every key of the input format once, or with --from the
    tables of a schema; it loads as it is, so advisor recommend runs on it straight away."""
    from advisor.spec.dialects import normalize_dialect

    modules_imported()
    try:
        dialect = normalize_dialect(dialect)
    except ValueError as exc:
        raise AdvisorError(f"--dialect: {exc}") from None
    if output is not None and (output.exists() or output.is_symlink()):
        # a starter is meant to be edited: no earlier file, sealed or not, is replaced
        raise AdvisorError("already exists; advisor init never replaces a file", _where(output))
    base = output.parent if output is not None else Path()
    name = output.name if output is not None else "patterns.yaml"
    text = _starter(from_ddl, base, name, dialect)
    if output is None:
        sys.stdout.write(text)
        return
    try:
        with output.open("x", encoding="utf-8") as handle:  # "x": fails if it appeared meanwhile
            handle.write(text)
    except FileExistsError:
        raise AdvisorError("already exists; advisor init never replaces a file", _where(output)) from None
    except OSError as exc:
        raise AdvisorError(f"cannot write: {exc.strerror or exc}", _where(output)) from None


def _where(output: Path) -> Location:
    return Location(output, field="--output")


def _starter(from_ddl: Path | None, base: Path, name: str, dialect: str) -> str:
    """The starter text: the example, or the tables ``from_ddl`` creates, with the DDL named
    relative to ``base`` (the spec's folder) as ``schema:`` entries are."""
    from advisor.spec.starter import example_text, from_ddl_text

    if from_ddl is None:
        return example_text(name, dialect)
    from advisor.spec.load import load_ddl
    from advisor.spec.migrations import schema_files

    files = schema_files([str(from_ddl)], Path(), Location(from_ddl, field="--from"))
    tables = load_ddl(files, dialect)
    entry = Path(os.path.relpath(from_ddl.resolve(), base.resolve())).as_posix()
    return from_ddl_text(name, dialect, [entry], tables)
