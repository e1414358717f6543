"""The typer ``app`` every command registers on, with its ``--version`` callback, and the help
format the commands share (``Command``). Kept apart from the commands so that each command module
imports the app without importing the others."""

# No ``from __future__ import annotations``: typer reads the parameters of every command on each
# run, and annotations kept as strings would be evaluated anew each time (see advisor/cli/__init__.py).

from typing import TYPE_CHECKING, Annotated

import typer
from typer.core import TyperArgument, TyperCommand

from advisor import __version__

if TYPE_CHECKING:
    from typer._click.core import Context
    from typer._click.formatting import HelpFormatter

app = typer.Typer(
    name="advisor",
    help="Schema design advisor: explained index plans and DDL from tables, statistics and access patterns.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class Command(TyperCommand):
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
