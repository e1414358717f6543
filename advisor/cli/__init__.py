"""The ``advisor`` command line: ``main``, the entry point ``pyproject.toml`` and ``python -m
advisor`` run. Heavy modules (sqlglot, pydantic, rich) are imported inside the commands, so
``advisor --help`` starts fast; input errors become one line and exit code 2.

The commands live one group to a module (``recommend`` and ``ddl``, ``verify``, ``introspect`` and
``init``, ``rules``, ``lint``) and register on the one typer ``app`` of
:mod:`advisor.cli.application` as they are imported here."""

# No ``from __future__ import annotations`` in this package: typer reads every command's parameters
# on each run, and annotations kept as strings were evaluated anew each time (some 160 ``eval``
# calls, 5 ms of start-up).

import sys

from advisor.errors import AdvisorError

# isort: off
# Help lists the commands in the order they register, which is the order of these imports.
from advisor.cli import recommend, verify, new_spec, rules, lint  # noqa: F401

# isort: on
from advisor.cli.application import app
from advisor.cli.collector import collector

EXIT_INPUT = 2


def main() -> None:
    """Entry point: run the app, turning input errors into one line on stderr and exit 2.

    Usage errors are the command-line parser's own and also exit 2. The garbage collector is
    paused for start-up (see ``Collector``)."""
    collector.pause()
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
        collector.resume()
