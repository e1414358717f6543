"""The recommended changes as a migration script: creates first, then the drops they make
redundant, so no query loses its index in between."""

from __future__ import annotations

from advisor.emit.changes import Change
from advisor.emit.script import changes_only, full_schema
from advisor.emit.target import Target
from advisor.spec.model import Spec


def ddl_text(
    spec: Spec, changes: tuple[Change, ...], target: Target, only_changes: bool, concurrently: bool
) -> str:
    """The full schema, or with ``only_changes`` only the recommended changes, as SQL text."""
    build = changes_only if only_changes else full_schema
    return build(spec, changes, target, concurrently).render()
