"""The ``rules`` command: the rule catalog listed, or one rule's documentation printed."""

# No ``from __future__ import annotations``: typer reads the parameters of every command on each
# run, and annotations kept as strings would be evaluated anew each time (see advisor/cli/__init__.py).

from typing import Annotated

import typer

from advisor.cli.application import Command, app
from advisor.cli.collector import modules_imported
from advisor.errors import AdvisorError


@app.command(cls=Command)
def rules(
    rule_id: Annotated[
        str | None, typer.Argument(metavar="[RULE]", help="A rule id (IDX001) or name.")
    ] = None,
) -> None:
    """List the rule catalog, or print one rule's full documentation."""
    from advisor.catalog import load_catalog
    from advisor.catalog.render import render_catalog_table, render_rule_text

    modules_imported()
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
