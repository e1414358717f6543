"""``--help`` reads fully at 80 and 100 columns, with readable metavariables, and shell completion
is on."""

from __future__ import annotations

import re

import pytest

from tests.cli.conftest import run_advisor

COMMANDS = ["", "recommend", "ddl", "verify", "rules", "lint"]


def _help(command: str, columns: str) -> str:
    done = run_advisor(*filter(None, [command, "--help"]), env={"COLUMNS": columns})
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("columns", ["80", "100"])
@pytest.mark.parametrize("command", COMMANDS)
def test_help_renders_in_full(command: str, columns: str) -> None:
    text = _help(command, columns)
    assert max(len(line) for line in text.splitlines()) <= int(columns)
    assert "…" not in text, "an option name or help text cut short"
    # Python types and typer's braces are not metavariables a user can read
    assert not re.search(r"<(bool|str|int|float|path|list\[[^]]*\])>|\{\w", text), text
    commands = text.split("Commands:\n")[1:] or [""]
    assert not any(line.endswith("...") for line in commands[0].splitlines()), "a command's help cut short"


def test_metavars_name_what_to_give() -> None:
    lint = _help("lint", "100")
    assert "Usage: advisor lint [OPTIONS] PATH...\n" in lint
    assert "--assume-in-transaction / --no-assume-in-transaction" in lint
    for metavar in (
        "--trace URL",
        "--schema FILE",
        "--select RULES",
        "--diff REF",
        "--target-version VERSION",
    ):
        assert metavar in lint
    recommend = _help("recommend", "100")
    assert "Usage: advisor recommend [OPTIONS] FILE\n" in recommend
    assert "-o, --output FILE" in recommend
    assert "--ignore RULES" in recommend
    verify = _help("verify", "100")
    assert "--db URL" in verify and "--rows N" in verify and "--timeout SECONDS" in verify
    assert "Usage: advisor rules [OPTIONS] [RULE]\n" in _help("rules", "100")


def test_shell_completion_is_available() -> None:
    assert "--install-completion" in _help("", "100")
    # the shell named, not detected from the process tree (which a test run does not control)
    done = run_advisor("--show-completion", "bash", env={"_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"})
    assert done.returncode == 0, done.stderr
    assert "complete" in done.stdout and "_ADVISOR_COMPLETE" in done.stdout
