"""What several commands share: the options declared alike (the spec file, ``--keep-going``,
``--output``) and the steps around their work (the project's rule settings, notes of skipped
patterns, ``--output`` refused early and written at the end)."""

# No ``from __future__ import annotations``: typer reads the parameters of every command on each
# run, and annotations kept as strings would be evaluated anew each time (see advisor/cli/__init__.py).

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from collections.abc import Iterable

    from advisor.rules.base import Finding
    from advisor.spec.model import Spec

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


def with_settings(spec: "Spec", keep_going: bool = False) -> "Spec":
    """``spec`` with the project's rule settings: the nearest advisor.toml, or pyproject.toml with
    a ``[tool.advisor]`` table, from the current folder upwards; and ``--keep-going``."""
    from dataclasses import replace

    from advisor.settings_file import find_config
    from advisor.spec.settings import load_settings

    settings = load_settings(find_config(Path.cwd()))
    return replace(spec, settings=replace(settings, keep_going=keep_going))


def note_skipped(findings: "Iterable[Finding]") -> None:
    """Each pattern left out (QRY011) as a note on standard error, for the commands whose output
    (DDL, a verification) has no place for findings: the user must know the plan is partial."""
    from advisor.oneline import one_line

    for finding in findings:
        sys.stderr.write(f"advisor: note: {finding.rule}: {one_line(finding.message)}\n")


def write_result(
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


def refuse_bad_output(output: Path | None, inputs: tuple[Path, ...]) -> None:
    """Refuse a bad ``--output`` once the spec is loaded, before the work rather than after it."""
    if output is not None:
        from advisor.report.output import check_output

        check_output(output, inputs)
