"""The README's two commands stay true: CI runs exactly the test command."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    blocks = text.split("```sh\n")[1:3]
    return [block.split("\n```", 1)[0].strip() for block in blocks]


def test_first_command_runs_the_bundled_sample() -> None:
    install_and_run, _ = _readme_commands()
    sample = install_and_run.rsplit(" ", 1)[-1]
    assert "advisor recommend samples/" in install_and_run
    assert (ROOT / sample).is_file()


def test_ci_runs_exactly_the_readme_test_command() -> None:
    _, test_command = _readme_commands()
    ci_lines = [line.strip() for line in (ROOT / ".ci/run").read_text().splitlines()]
    assert test_command in ci_lines
