"""The ``verify`` command: the recommended indexes checked against a real planner, with a progress
bar on a terminal. Separate from ``recommend`` for its database options and its exit status."""

# No ``from __future__ import annotations``: typer reads the parameters of every command on each
# run, and annotations kept as strings would be evaluated anew each time (see advisor/cli/__init__.py).

import os
import sys
from enum import StrEnum
from typing import Annotated

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


class VerifyFormat(StrEnum):
    text = "text"
    json = "json"


@app.command(cls=Command, short_help="Check the recommended indexes against a real planner.")
def verify(
    file: SpecFile,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            metavar="URL",
            help="Database to check on: postgresql://user@host:port/db, mysql://... or mariadb://... "
            "(a throwaway database is created there and dropped after), or sqlite:// (in memory, the "
            "default).",
        ),
    ] = None,
    rows: Annotated[
        int,
        typer.Option("--rows", metavar="N", help="Rows in the largest table; the others keep their share."),
    ] = 10_000,
    format: Annotated[
        VerifyFormat, typer.Option("--format", "-f", metavar="[text|json]", help="Report format.")
    ] = VerifyFormat.text,
    output: Output = None,
    full_scale: Annotated[
        bool,
        typer.Option(
            "--full-scale/--loaded-scale",
            metavar="",
            help="On PostgreSQL as a superuser, let the planner see the declared row counts and "
            "distinct values (the catalog of the throwaway database is rewritten); otherwise, or "
            "with --loaded-scale, the figures are at the scale of the rows loaded.",
        ),
    ] = True,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            metavar="SECONDS",
            help="Seconds any one statement (an EXPLAIN, a batch of rows, an index build) may run; "
            "a pattern whose EXPLAIN takes longer is reported as timed out.",
        ),
    ] = 60.0,
    keep_going: KeepGoing = False,
) -> None:
    """Check the recommended indexes against a real planner: load synthetic rows from the stats,
    EXPLAIN every pattern before and after; exit 1 if the planner ignores a recommendation."""
    from contextlib import nullcontext

    from advisor.engines.database import SignalledError
    from advisor.recommend import prepare
    from advisor.spec.load import load_spec
    from advisor.verify.report import FORMATTERS
    from advisor.verify.run import verify as run

    modules_imported()
    if db is not None:
        from advisor.engines.url import parse_db_url, sqlite_file_note
        from advisor.oneline import one_line

        note = sqlite_file_note(parse_db_url(db))
        if note is not None:
            sys.stderr.write(f"advisor: note: {one_line(note)}\n")
    if sys.stderr.isatty() and "NO_COLOR" not in os.environ:
        from advisor.verify.progress import BarProgress

        bar: BarProgress | None = BarProgress()
    else:
        bar = None
    try:
        # the bar shows from the first second: reading and analyzing a large spec takes a while
        with bar if bar is not None else nullcontext():
            if bar is not None:
                bar.start("reading the spec", None)
            spec = with_settings(load_spec(file), keep_going)
            refuse_bad_output(output, spec.inputs)
            if bar is not None:
                bar.start("analyzing the patterns", None)
            ctx = prepare(spec)  # before the database work, so a bad pattern stops early
            note_skipped(ctx.skipped)
            result = run(spec, db, rows, bar, full_scale, timeout, ctx)
    except SignalledError as exc:
        sys.stderr.write(f"advisor: {exc}; the throwaway database was dropped\n")
        raise typer.Exit(exc.code) from None
    write_result(
        FORMATTERS[format.value]().render(result), output, spec.inputs, f"verify-{format.value}", format.value
    )
    if not result.ok:
        raise typer.Exit(1)
