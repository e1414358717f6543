"""The fix a finding states, taken from its rule's catalog entry: the rule code names the rule
(and the case, for a rule with a fix per case) instead of repeating the sentence, so the docs and
the findings cannot drift apart. :func:`advisor.catalog.model.fix_lines` says which part of the
entry's ``fix`` that is.

The entry is read on its own, with PyYAML alone, the first time a finding needs it: ``lint``
does not load the catalog, and must not pay for pydantic and the validation of every rule file
to print one fix. The test suite loads and validates the whole catalog, and checks that both
reads agree.

>>> fix_line("MIG001")
'Use CREATE INDEX CONCURRENTLY, outside a transaction block.'
>>> fix_clause("IDX004")
'no new index needed'
"""

from __future__ import annotations

import functools
from pathlib import Path

from advisor.catalog.files import SUFFIX, default_directory
from advisor.catalog.model import clause, fix_lines, pick_fix
from advisor.errors import AdvisorError, Location


def fix_line(rule_id: str, case: str | None = None) -> str:
    """The fix ``rule_id``'s findings state (for ``case``), as its catalog entry gives it."""
    return pick_fix(rule_id, _fixes(rule_id), case)


def fix_clause(rule_id: str, case: str | None = None) -> str:
    """:func:`fix_line` as the clause ``recommend``'s findings carry (``Fix: {clause}.``)."""
    return clause(fix_line(rule_id, case))


@functools.cache
def _fixes(rule_id: str) -> dict[str | None, str]:
    import yaml

    entry = default_directory() / f"{rule_id}{SUFFIX}"
    where = Location(Path(str(entry)), None, "fix")
    try:
        raw = yaml.load(
            entry.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        )
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise AdvisorError(f"cannot read the fix of {rule_id}: {exc}", where) from exc
    fix = raw.get("fix") if isinstance(raw, dict) else None
    if not isinstance(fix, str):
        raise AdvisorError(f"{rule_id} has no fix", where)
    return fix_lines(fix)
