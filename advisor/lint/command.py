"""``advisor lint``: settings from the command line and configuration, files, run, output, exit code."""

from __future__ import annotations

import contextlib
import fnmatch
import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path

from advisor.catalog.model import Severity
from advisor.errors import AdvisorError, Location
from advisor.lint.config import LintConfig, load_config, normalize, parse_version
from advisor.lint.engine import LintFinding, Options, lint
from advisor.schema.source import Source, decode, expand_paths, read_source
from advisor.schema.state import Schema
from advisor.settings_file import find_config

EXIT_CLEAN = 0
EXIT_FINDINGS = 1


@dataclass(frozen=True)
class Request:
    """What the command line asked for; ``None`` means "from configuration, else the default"."""

    paths: list[str]
    dialect: str | None = None
    format: str = "text"
    fail_on: str | None = None
    assume_in_transaction: bool | None = None
    target_version: str | None = None
    stdin_filename: str | None = None
    schema: list[Path] | None = None
    spec: Path | None = None
    config: Path | None = None
    diff: str | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    color: bool = False
    exit_zero: bool = False
    """Report the findings but exit 0 whatever they are (input errors still exit 2)."""
    trace: str | None = None
    """A PostgreSQL, MariaDB or MySQL URL: run the migrations in a throwaway database there and add
    what was observed."""


def run(request: Request) -> tuple[str, int]:
    """The rendered report and the exit status (0 clean, 1 findings at or above fail-on)."""
    from advisor.lint.formats import FORMATTERS

    config_path = request.config or find_config(Path.cwd())
    config = load_config(config_path)
    options = _options(request, config)
    sources = _sources(request, config)
    schema, rows = _baseline(request, options.dialect, config)
    if rows:
        options = replace(options, table_rows=rows)
    if request.diff is not None:
        options = replace(options, report_files=_changed(request.diff, sources))
    findings = lint(sources, options, schema)
    if request.trace is not None:
        findings = _traced(request, options, sources, findings)
    formatter = FORMATTERS[request.format](color=request.color)
    text = formatter.render(findings, len(sources))
    fail_on = Severity(request.fail_on or config.fail_on or "warning")
    failed = not request.exit_zero and any(f.at_least(fail_on) for f in findings)
    return text, EXIT_FINDINGS if failed else EXIT_CLEAN


def _options(request: Request, config: LintConfig) -> Options:
    try:
        dialect = normalize(request.dialect or config.dialect or "postgres")
        version_text = request.target_version or config.target_version
        version = parse_version(version_text) if version_text else None
    except ValueError as exc:
        raise AdvisorError(str(exc)) from None
    from advisor.lint.checks.base import lint_rule_ids
    from advisor.rule_selection import expand_rules

    known = lint_rule_ids()
    selected = expand_rules(request.select, known, "--select")
    ignored = expand_rules(request.ignore, known, "--ignore")
    assume = request.assume_in_transaction
    return Options(
        dialect=dialect,
        target_version=version,
        assume_in_transaction=bool(config.assume_in_transaction if assume is None else assume),
        select=frozenset(r.upper() for r in config.select) | selected,
        ignore=frozenset(r.upper() for r in config.ignore) | ignored,
        severities={rule.upper(): severity for rule, severity in config.severity.items()},
        big_table_rows=config.big_table_rows,
    )


def _sources(request: Request, config: LintConfig) -> list[Source]:
    if request.paths == ["-"]:
        name = request.stdin_filename or "<stdin>"
        return [decode(name, sys.stdin.buffer.read())]
    if "-" in request.paths:
        raise AdvisorError("'-' (standard input) cannot be combined with other paths")
    files = [path for path in expand_paths(request.paths, _note_empty) if not _excluded(path, config)]
    return [read_source(path) for path in files]  # expand_paths returns them in migration order


def _note_empty(folder: Path) -> None:
    """A folder without migrations yet is nothing to lint, not an error: CI on a new project passes."""
    from advisor.report.inert import shown_path

    sys.stderr.write(f"advisor: note: {shown_path(str(folder))}: no .sql migration files in this folder\n")


def _excluded(path: Path, config: LintConfig) -> bool:
    if not config.exclude:
        return False
    candidates = {path.as_posix()}
    with contextlib.suppress(ValueError):
        candidates.add(path.resolve().relative_to(config.root.resolve()).as_posix())
    return any(fnmatch.fnmatch(text, pattern) for text in candidates for pattern in config.exclude)


def _baseline(request: Request, dialect: str, config: LintConfig) -> tuple[Schema | None, dict[str, int]]:
    schema_paths = list(request.schema or config.schema)
    if request.spec is None and not schema_paths:
        return None, {}
    from advisor.lint.baseline import schema_from_tables
    from advisor.schema.names import key_of
    from advisor.schema.read import existing_schema

    if request.spec is not None:
        from advisor.spec.load import load_spec

        spec = load_spec(request.spec)
        rows = {key_of(t.name): t.rows for t in spec.tables if t.rows is not None}
        return schema_from_tables(spec.tables, dialect), rows
    field = "--schema" if request.schema else "schema"
    for path in schema_paths:
        if not path.exists():
            raise AdvisorError("no such file or folder", Location(path, field=field))
    return existing_schema(_before_linted(schema_paths, request.paths), dialect), {}


def _before_linted(schema: list[Path], linted: list[str]) -> list[Path]:
    """The schema's files less the ones linted and, in a folder that holds a linted file, the ones
    that run after it: the schema is what stands before the migrations (a folder of all of them,
    given as the schema of the staged ones, must not hold their own changes already)."""
    from advisor.schema.files import migration_files

    targets = [Path(p).resolve() for p in linted if p != "-"]
    files = {t for t in targets if t.is_file()}
    out: list[Path] = []
    for path in schema:
        if not path.is_dir():
            if path.resolve() not in files:
                out.append(path)
            continue
        ordered = migration_files(path)
        first = next((i for i, f in enumerate(ordered) if f.resolve() in files), len(ordered))
        out.extend(ordered[:first] if first < len(ordered) else [path])
    return out


def _traced(
    request: Request, options: Options, sources: list[Source], findings: list[LintFinding]
) -> list[LintFinding]:
    """The findings with the trace's evidence (the schema from ``--schema``); what the server could
    not show is said once on standard error."""
    from advisor.lint.checks.base import TRACE_RULE
    from advisor.lint.trace import trace, version_note, with_evidence
    from advisor.report.inert import inert

    if request.spec is not None:
        raise AdvisorError(
            "--trace builds the schema from --schema files, not --spec", Location(field="--trace")
        )
    if request.trace is None:
        return findings
    done = trace(sources, request.trace, list(request.schema or ()), options.dialect)
    notes = [*done.notes, version_note(options.dialect, options.target_version, done)]
    for note in filter(None, notes):
        sys.stderr.write(f"advisor: note: --trace: {inert(note)}\n")
    traced = with_evidence(findings, done.observations)
    return [f for f in traced if f.rule != TRACE_RULE or TRACE_RULE not in options.ignore]


def _changed(ref: str, sources: list[Source]) -> frozenset[str]:
    """The linted files that differ from ``ref`` (committed, staged, unstaged or untracked)."""

    def git(*args: str) -> list[str]:
        try:
            done = subprocess.run(["git", *args], capture_output=True, text=True, check=False)
        except OSError as exc:
            raise AdvisorError(f"--diff needs git: {exc.strerror or exc}") from None
        if done.returncode != 0:
            raise AdvisorError(f"--diff {ref}: {done.stderr.strip() or 'git failed'}")
        return [line for line in done.stdout.splitlines() if line]

    top = Path(git("rev-parse", "--show-toplevel")[0])
    changed = {top / name for name in git("diff", "--name-only", ref, "--")}
    changed |= {top / name for name in git("ls-files", "--others", "--exclude-standard", "--full-name", ":/")}
    resolved = {path.resolve() for path in changed}
    return frozenset(s.name for s in sources if Path(s.name).resolve() in resolved)
