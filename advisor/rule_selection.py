"""``--select`` and ``--ignore`` as both commands take them: each value a comma-separated list of
rule ids (``IDX001``) or families (``IDX``, the letters every id of the family starts with).

A family is the letters only, so a mistyped id such as ``MIG02`` stays an error rather than
quietly selecting MIG020 to MIG029.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable

from advisor.errors import AdvisorError, Location


def rule_names(values: Iterable[str]) -> list[str]:
    """The names in ``values``, split at commas, upper-cased, blanks dropped.

    >>> rule_names(["idx001, QRY", "MIG020"])
    ['IDX001', 'QRY', 'MIG020']
    """
    return [name.strip().upper() for value in values for name in value.split(",") if name.strip()]


def expand_rules(values: Iterable[str], known: Collection[str], option: str) -> frozenset[str]:
    """The ids of ``known`` that ``values`` name, families expanded; an unknown name is an
    :class:`AdvisorError` pointing at ``option`` with the closest ids as a hint.

    >>> sorted(expand_rules(["idx001,QRY"], {"IDX001", "IDX002", "QRY001", "COV001"}, "--select"))
    ['IDX001', 'QRY001']
    >>> expand_rules(["IDX01"], {"IDX001"}, "--ignore")
    Traceback (most recent call last):
    advisor.errors.AdvisorError: --ignore: unknown rule 'IDX01' (did you mean IDX001?); `advisor rules` lists them
    """
    out: set[str] = set()
    for name in rule_names(values):
        if name in known:
            out.add(name)
            continue
        family = {rule for rule in known if name.isalpha() and rule.rstrip("0123456789") == name}
        if not family:
            close = difflib.get_close_matches(name, sorted(known), n=2, cutoff=0.6)
            hint = f" (did you mean {' or '.join(close)}?)" if close else ""
            raise AdvisorError(
                f"unknown rule {name!r}{hint}; `advisor rules` lists them", Location(field=option)
            )
        out |= family
    return frozenset(out)
