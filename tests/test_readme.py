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


def test_every_code_fence_is_closed_before_the_next_section() -> None:
    fenced_from = 0
    for number, line in enumerate((ROOT / "README.md").read_text().splitlines(), start=1):
        if line.startswith("```"):
            fenced_from = 0 if fenced_from else number
        elif fenced_from and line.startswith("#") and not line.startswith("#  "):
            raise AssertionError(
                f"README.md:{number}: heading inside the code block opened at line {fenced_from}"
            )
    assert not fenced_from, f"README.md: the code block opened at line {fenced_from} is never closed"


def test_command_line_options_are_documented() -> None:
    text = (ROOT / "README.md").read_text()
    for option in (
        "--summary",
        "--fail-on",
        "--exit-zero",
        "--select",
        "--ignore",
        "--install-completion",
        "COLUMNS",
    ):
        assert option in text
