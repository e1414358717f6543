"""Start-up stays lean: what the command line and ``recommend`` load, not how long they take.

Each check runs a fresh interpreter (an import already made by the test process would hide a
regression) and reads what it loaded or did; no timing is asserted, so a busy machine cannot fail
these, and a heavy import that creeps back in does. ``benchmarks/startup.py`` gives the times.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.cli.conftest import ROOT

SAMPLE = "samples/ecommerce/patterns.yaml"

# Drivers and parsers only some commands use, and whole commands recommend does not run.
NEVER_FOR_RECOMMEND = (
    "pglast",
    "psycopg",
    "pymysql",
    "advisor.lint",
    "advisor.verify",
    "advisor.design.discover",
)


def _modules_after(code: str) -> dict[str, object]:
    """Run ``code`` in a fresh interpreter; at exit it reports its modules and what ``code`` adds
    to ``report`` (a dict)."""
    script = (
        "import atexit, json, sys\n"
        "report = {}\n"
        "def _dump():\n"
        "    report['modules'] = sorted(sys.modules)\n"
        "    sys.__stderr__.write('\\nREPORT ' + json.dumps(report) + '\\n')\n"
        "atexit.register(_dump)\n" + code
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    line = next((x for x in done.stderr.splitlines() if x.startswith("REPORT ")), None)
    assert line is not None, done.stderr
    report: dict[str, object] = json.loads(line.removeprefix("REPORT "))
    return report


def _loaded(modules: object, names: tuple[str, ...]) -> list[str]:
    assert isinstance(modules, list)
    return [m for m in modules if any(m == n or m.startswith(n + ".") for n in names)]


def _recommend(*args: str) -> str:
    return f"sys.argv = ['advisor', 'recommend', {SAMPLE!r}, *{list(args)!r}]\nfrom advisor.cli import main\nmain()\n"


def test_importing_the_command_line_loads_no_engine() -> None:
    # `advisor --help` and `--version` pay for typer only
    report = _modules_after("import advisor.cli\n")
    heavy = ("sqlglot", "pydantic", "rich", "yaml", "pglast", "psycopg", "pymysql")
    assert _loaded(report["modules"], heavy) == []
    # the command modules of the advisor.cli package, and of the rest of advisor only the errors
    outside_cli = [m for m in _loaded(report["modules"], ("advisor",)) if not m.startswith("advisor.cli.")]
    assert outside_cli == ["advisor", "advisor.cli", "advisor.errors"]


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_recommend_loads_only_what_it_uses(fmt: str) -> None:
    report = _modules_after(_recommend("--format", fmt))
    modules = report["modules"]
    assert _loaded(modules, NEVER_FOR_RECOMMEND) == []
    # the spec's dialect only: naming a dialect must not import all of sqlglot's
    dialects = [m for m in _loaded(modules, ("sqlglot.dialects",)) if m != "sqlglot.dialects"]
    assert dialects == ["sqlglot.dialects.dialect", "sqlglot.dialects.postgres"]
    # rich draws the text report; other formats do without it
    assert bool(_loaded(modules, ("rich",))) == (fmt == "text")


def test_recommend_reads_only_the_design_rules() -> None:
    # the migration rules are lint's: more than half of the catalog, not parsed for recommend
    code = (
        "import advisor.catalog.load as load\n"
        "read = load.read_rule\n"
        "def counted(entry):\n"
        "    report.setdefault('rules', []).append(entry.name)\n"
        "    return read(entry)\n"
        "load.read_rule = counted\n" + _recommend()
    )
    rules = _modules_after(code)["rules"]
    assert isinstance(rules, list)
    assert len(rules) == len(set(rules))  # each file once
    assert "IDX001.yaml" in rules
    assert [r for r in rules if r.startswith("MIG")] == []


def test_recommend_freezes_its_imported_modules() -> None:
    # the imported modules are frozen before the input is read: the collector then walks only what
    # reading and the work allocate, and the interpreter's exit skips them
    code = (
        "import gc\n"
        "def _state():\n"
        "    report['frozen'] = gc.get_freeze_count()\n"
        "    report['enabled'] = gc.isenabled()\n"
        "atexit.register(_state)\n" + _recommend("--format", "json")
    )
    report = _modules_after(code)
    assert isinstance(report["frozen"], int) and report["frozen"] > 10_000
    assert report["enabled"] is True


def test_main_leaves_the_collector_as_it_found_it() -> None:
    # an input error ends the command before its work: the collector is switched back on all the same
    code = (
        "import gc\n"
        "sys.argv = ['advisor', 'recommend', 'no/such/file.yaml']\n"
        "from advisor.cli import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exc:\n"
        "    report['code'] = exc.code\n"
        "report['enabled'] = gc.isenabled()\n"
        "gc.disable()\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "report['disabled_stays_disabled'] = not gc.isenabled()\n"
    )
    report = _modules_after(code)
    assert report["code"] == 2
    assert report["enabled"] is True
    assert report["disabled_stays_disabled"] is True


def test_command_annotations_are_not_strings() -> None:
    # typer reads every command's parameters on each run: string annotations (``from __future__
    # import annotations`` in a module of advisor/cli/) would be evaluated anew each time
    from advisor.cli import application, lint, new_spec, recommend, rules, verify

    commands = (recommend.recommend, recommend.ddl, verify.verify, new_spec.introspect, new_spec.init)
    for command in (*commands, rules.rules, lint.lint, application.main_callback):
        assert not any(isinstance(a, str) for a in command.__annotations__.values()), command.__name__
