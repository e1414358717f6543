"""The optional ``operations:`` section: facts that are true, false or described; anything else
is one located error."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from advisor.spec.load import load_spec
from advisor.spec.model import Operations

Write = Callable[[str, str], Path]
ErrorOf = Callable[[Path], str]


def test_absent_section_declares_nothing(write: Write) -> None:
    assert load_spec(write("p.yaml", "patterns: []\n")).operations == Operations()


def test_facts_reach_the_model(write: Write) -> None:
    spec = load_spec(
        write(
            "p.yaml",
            """
            operations:
              backups: "  nightly base backup  "
              replication: false
              monitoring: true
            patterns: []
            """,
        )
    )
    ops = spec.operations
    assert ops.backups == "nightly base backup" and ops.replication is False and ops.monitoring is True
    assert ops.disaster_recovery is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("  backups: 3", "2: operations.backups: must be true, false or a description of what is in place"),
        ("  backups: ''", "2: operations.backups: must be true, false or a description of what is in place"),
        (
            "  backups: [daily]",
            "2: operations.backups: must be true, false or a description of what is in place",
        ),
        ("  backup: nightly", "2: operations.backup: unknown key 'backup' (did you mean 'backups'?)"),
    ],
)
def test_bad_facts(write: Write, error_of: ErrorOf, line: str, expected: str) -> None:
    path = write("p.yaml", f"operations:\n{line}\npatterns: []\n")
    assert error_of(path) == f"{path}:{expected}"


def test_operations_must_be_a_mapping(write: Write, error_of: ErrorOf) -> None:
    path = write("p.yaml", "operations: nightly backups\npatterns: []\n")
    assert error_of(path) == f"{path}:1: operations: must be a mapping of keys to values"
