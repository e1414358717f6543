"""The distribution is schema-advisor (``advisor`` on PyPI is another project), with one version
source: ``advisor.__version__``, which ``advisor -V`` prints and the package metadata carries."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from datetime import date
from importlib.metadata import version
from pathlib import Path

import advisor

ROOT = Path(__file__).resolve().parents[1]


def test_the_distribution_is_schema_advisor_with_the_package_version() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["project"]["name"] == "schema-advisor"
    assert project["project"]["dynamic"] == ["version"]
    assert project["tool"]["hatch"]["version"]["path"] == "advisor/__init__.py"
    assert project["project"]["scripts"] == {"advisor": "advisor.cli:main"}
    assert version("schema-advisor") == advisor.__version__


def test_dash_v_prints_the_version() -> None:
    for flag in ("-V", "--version"):
        done = subprocess.run(
            [sys.executable, "-m", "advisor", flag], capture_output=True, text=True, timeout=60, check=False
        )
        assert (done.returncode, done.stdout) == (0, f"advisor {advisor.__version__}\n"), done.stderr


def test_the_changelog_releases_the_package_version() -> None:
    """Unreleased changes come first; the newest released section is the package's version, dated."""
    headings = re.findall(r"^## (.+)$", (ROOT / "CHANGELOG.md").read_text(), flags=re.MULTILINE)
    assert headings[0] == "Unreleased"
    released = [re.fullmatch(r"(\d+\.\d+\.\d+) — (\d{4}-\d{2}-\d{2})", h) for h in headings[1:]]
    assert released and all(released), headings
    assert released[0] is not None and released[0][1] == advisor.__version__
    date.fromisoformat(released[0][2])
