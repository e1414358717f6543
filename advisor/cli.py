"""The ``advisor`` command line. Heavy modules (sqlglot, pydantic, rich) are imported inside the
commands, so ``advisor --help`` starts fast; input errors become one line and exit code 2."""

# No ``from __future__ import annotations`` in this module: typer reads every command's parameters
# on each run, and annotations kept as strings were evaluated anew each time (some 160 ``eval``
# calls, 5 ms of start-up).

import gc
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from typer.core import TyperArgument, TyperCommand

from advisor import __version__
from advisor.errors import AdvisorError, Location

if TYPE_CHECKING:
    from collections.abc import Iterable

    from typer._click.core import Context
    from typer._click.formatting import HelpFormatter

    from advisor.rules.base import Finding
    from advisor.spec.model import Spec

app = typer.Typer(
    name="advisor",
    help="Schema design advisor: explained index plans and DDL from tables, statistics and access patterns.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

EXIT_INPUT = 2


class _Command(TyperCommand):
    """Help that names arguments by their metavar (``FILE``, ``PATH...``) in the usage line and the
    list, where typer adds braces and its type labels (``{FILE}``, ``FILE <path>``)."""

    def collect_usage_pieces(self, ctx: "Context") -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if isinstance(param, TyperArgument):
                pieces.append(_argument_metavar(param))
            else:
                pieces.extend(param.get_usage_pieces(ctx))
        return pieces

    def format_options(self, ctx: "Context", formatter: "HelpFormatter") -> None:
        arguments: list[tuple[str, str]] = []
        options: list[tuple[str, str]] = []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if isinstance(param, TyperArgument):
                arguments.append((_argument_metavar(param), record[1]))
            else:
                options.append(record)
        for title, rows in (("Arguments", arguments), ("Options", options)):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)


def _argument_metavar(param: TyperArgument) -> str:
    """``FILE``, ``[RULE]`` or ``PATH...``: the declared metavar, else the name in capitals."""
    return param.metavar or (param.name or "").upper()


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


SpecFile = Annotated[
    Path,
    typer.Argument(metavar="FILE", help="The patterns.yaml file: tables, statistics and access patterns."),
]
KeepGoing = Annotated[
    bool,
    typer.Option(
        "--keep-going",
        metavar="",
        help="Report a pattern the analysis cannot read as a finding (QRY011) and plan the others, "
        "instead of stopping (patterns with an origin, as introspect writes, always do).",
    ),
]
Output = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", metavar="FILE", help="Write to this file (atomically) instead of standard output."
    ),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"advisor {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            "-V",
            callback=_version,
            is_eager=True,
            metavar="",
            help="Print the version and exit.",
        ),
    ] = False,
) -> None:
    """Schema design advisor."""


def _with_settings(spec: "Spec", keep_going: bool = False) -> "Spec":
    """``spec`` with the project's rule settings: the nearest advisor.toml, or pyproject.toml with
    a ``[tool.advisor]`` table, from the current folder upwards; and ``--keep-going``."""
    from dataclasses import replace

    from advisor.settings_file import find_config
    from advisor.spec.settings import load_settings

    settings = load_settings(find_config(Path.cwd()))
    return replace(spec, settings=replace(settings, keep_going=keep_going))


def _note_skipped(findings: "Iterable[Finding]") -> None:
    """Each pattern left out (QRY011) as a note on standard error, for the commands whose output
    (DDL, a verification) has no place for findings: the user must know the plan is partial."""
    from advisor.oneline import one_line

    for finding in findings:
        sys.stderr.write(f"advisor: note: {finding.rule}: {one_line(finding.message)}\n")


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


def _emit(
    text: str,
    output: Path | None,
    inputs: tuple[Path, ...],
    kind: str,
    style: str,
    also_read: tuple[Path, ...] = (),
) -> None:
    """``text`` to standard output, or sealed to ``--output`` (never over a file the spec reads:
    ``inputs``, the spec's own list, so the spec is not read again)."""
    if output is None:
        sys.stdout.write(text)
        return
    from advisor.report.output import write_output

    write_output(output, text, kind, style, inputs=(*inputs, *also_read))


class _Collector:
    """The garbage collector around one command run by ``main``.

    Start-up imports a few hundred thousand objects (modules, classes, functions, tables) that live
    to the end of the process and leaves next to no garbage. Collected as they accumulate, and
    again when the interpreter exits, they cost some 60 ms of a 0.45 s ``recommend``. So ``main``
    pauses the collector (``pause``); once the command has imported its modules (``imported``),
    what is there is frozen (``gc.freeze``) and the collector runs again: it walks what reading
    the input and the work allocate, and frees their garbage (parsed DDL, say), not the modules.
    The frozen objects stay frozen to the end of the process, so that its exit skips them too; a
    later ``main`` in the same process (tests call it in-process) first hands them back. While the
    command runs, the youngest generation is collected every 10,000 allocations rather than 700:
    the cost model allocates millions of small records that live to the end, and each early
    collection walks them again for nothing (about 1.5 s of 21 on 20,000 patterns, same memory);
    the analysis lowers it again while it parses (``analysis.parse.collecting_trees``). For the
    same reason the oldest generation is collected after 100 collections of the middle one rather
    than 10: on 20,000 patterns the two full collections that ran walked every record of the cost
    model, found next to nothing and took 0.75 s (peak memory 451 MB either way).
    """

    YOUNG = 10_000
    OLDEST = 100

    def __init__(self) -> None:
        self._paused = False
        self._was_enabled = False
        self._frozen = False
        self._threshold = gc.get_threshold()

    def pause(self) -> None:
        if self._frozen:
            gc.unfreeze()
            self._frozen = False
        self._was_enabled = gc.isenabled()
        self._paused = True
        gc.disable()

    def imported(self) -> None:
        """The command's modules are imported; a no-op outside ``main`` (``app`` called directly)."""
        if not self._paused:
            return
        self._paused = False
        gc.freeze()
        self._frozen = True
        self._threshold = gc.get_threshold()
        gc.set_threshold(self.YOUNG, self._threshold[1], self.OLDEST)
        if self._was_enabled:
            gc.enable()

    def resume(self) -> None:
        """``main`` ends, whichever way: the collector as ``pause`` found it."""
        if self._paused and self._was_enabled:
            gc.enable()
        self._paused = False
        gc.set_threshold(*self._threshold)


_collector = _Collector()


def _imported() -> None:
    """Called by each command once its modules are imported, before it reads its input."""
    _collector.imported()


def _check_output(output: Path | None, inputs: tuple[Path, ...]) -> None:
    """Refuse a bad ``--output`` once the spec is loaded, before the work rather than after it."""
    if output is not None:
        from advisor.report.output import check_output

        check_output(output, inputs)


@app.command(cls=_Command)
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
    from advisor.report.formats import MarkdownFormatter, SarifFormatter, TextFormatter
    from advisor.spec.load import load_spec

    if summary and format not in (ReportFormat.text, ReportFormat.markdown):
        raise AdvisorError(f"--summary is for the text and markdown formats, not {format.value}")
    _imported()
    spec = _with_rule_choice(_with_settings(load_spec(file), keep_going), select or [], ignore or [])
    _check_output(output, spec.inputs)
    if sample:
        from advisor.design.discover import with_samples

        spec = with_samples(spec, _samples(sample), sample_tolerance)
    if in_place and db is None:
        raise AdvisorError("--in-place works with --db URL only")
    if db is not None:
        from advisor.engines.engine import SignalledError
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
        from advisor.report.formats import JsonFormatter

        text = JsonFormatter().render(result)
    style = "text" if format is ReportFormat.text else format.value
    _emit(
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


@app.command(cls=_Command, short_help="Print the schema DDL, or only the recommended index changes.")
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

    _imported()
    spec = _with_settings(load_spec(file), keep_going)
    _check_output(output, spec.inputs)
    try:
        target = resolve_target(dialect or spec.dialect)
    except ValueError as exc:
        raise AdvisorError(f"--dialect: {exc}") from None
    ctx = prepare(spec)
    _note_skipped(ctx.skipped)
    _, changes = planned_changes(spec, ctx)
    _emit(
        ddl_text(spec, changes, target, changes_only, not no_concurrently), output, spec.inputs, "ddl", "sql"
    )


class VerifyFormat(StrEnum):
    text = "text"
    json = "json"


@app.command(cls=_Command, short_help="Check the recommended indexes against a real planner.")
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

    from advisor.engines.engine import SignalledError
    from advisor.recommend import prepare
    from advisor.spec.load import load_spec
    from advisor.verify.report import FORMATTERS
    from advisor.verify.run import verify as run

    _imported()
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
            spec = _with_settings(load_spec(file), keep_going)
            _check_output(output, spec.inputs)
            if bar is not None:
                bar.start("analyzing the patterns", None)
            ctx = prepare(spec)  # before the database work, so a bad pattern stops early
            _note_skipped(ctx.skipped)
            result = run(spec, db, rows, bar, full_scale, timeout, ctx)
    except SignalledError as exc:
        sys.stderr.write(f"advisor: {exc}; the throwaway database was dropped\n")
        raise typer.Exit(exc.code) from None
    _emit(
        FORMATTERS[format.value]().render(result), output, spec.inputs, f"verify-{format.value}", format.value
    )
    if not result.ok:
        raise typer.Exit(1)


@app.command(cls=_Command)
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

    _imported()
    path = sqlite_path(url)
    inputs = (path,) if path is not None else ()
    _check_output(output, inputs)
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
    _emit(text, output, inputs, "introspect", "yaml")


@app.command(cls=_Command, short_help="Write a commented starter spec, or one from a schema's DDL.")
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

    _imported()
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


@app.command(cls=_Command)
def rules(
    rule_id: Annotated[
        str | None, typer.Argument(metavar="[RULE]", help="A rule id (IDX001) or name.")
    ] = None,
) -> None:
    """List the rule catalog, or print one rule's full documentation."""
    from advisor.catalog import load_catalog
    from advisor.catalog.render import render_catalog_table, render_rule_text

    _imported()
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


@app.command(cls=_Command, short_help="Lint SQL migrations: locking, destructive and design problems.")
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

    _imported()
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


def main() -> None:
    """Entry point: run the app, turning input errors into one line on stderr and exit 2.

    Usage errors are the command-line parser's own and also exit 2. The garbage collector is
    paused for start-up (see ``_Collector``)."""
    _collector.pause()
    import logging

    # sqlglot logs parser fallbacks as warnings; advisor reports problems itself, once
    logging.getLogger("sqlglot").setLevel(logging.ERROR)
    from advisor.interrupts import SignalledError

    try:
        # one name however it is started (``python -m advisor`` too): usage lines and the completion
        # scripts, which register it with the shell, say ``advisor``
        app(prog_name="advisor")
    except AdvisorError as exc:
        from advisor.report.inert import inert

        sys.stderr.write(f"advisor: error: {inert(str(exc))}\n")
        sys.exit(EXIT_INPUT)
    except SignalledError as exc:
        sys.stderr.write(f"advisor: {exc}\n")
        sys.exit(exc.code)
    finally:
        _collector.resume()
