"""Where the shipped catalog is.

In a wheel it sits at ``advisor/_catalog/`` (pyproject's hatch ``force-include`` copies the
top-level ``rules`` folder there); in a source checkout or an editable install that folder does
not exist and the top-level ``rules`` folder is read instead.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from advisor.errors import AdvisorError

SUFFIX = ".yaml"
"""A rule file is ``<ID>.yaml``."""


def default_directory() -> Traversable:
    """Where the shipped catalog is: the wheel's ``advisor/_catalog`` or the checkout's ``rules``."""
    packaged = resources.files("advisor") / "_catalog"
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "rules"
    if checkout.is_dir():
        return checkout
    raise AdvisorError(
        f"rule catalog not found (looked in {packaged} and {checkout}); the installation is broken"
    )
