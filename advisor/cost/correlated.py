"""Equality selectivity across correlated columns of one table.

Independence multiplies the shares of ``a = x AND b = y``. That underestimates badly when one
column determines the other: ``tenant_id = :t AND project_id = :p`` keeps a project's rows, not
a project's rows divided by the number of tenants. Two kinds of knowledge correct it:

- functional dependencies, declared (``functional_dependencies``) or implied by foreign keys
  (``Table.implied_dependencies``): a column the other bound columns determine adds nothing;
- composite foreign keys: the referencing columns together hold at most as many combinations as
  the parent has rows, whatever their shares multiply to.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from dataclasses import dataclass

from advisor.spec.model import Table


@dataclass(frozen=True)
class Correlations:
    """A table's dependencies in lower case, and its composite references with the parent's rows."""

    dependencies: tuple[tuple[frozenset[str], frozenset[str]], ...]
    composites: tuple[tuple[frozenset[str], int], ...]


_SEEN: dict[int, Correlations | None] = {}
"""Per table, by identity (hashing a table would cost more than the answer): what it declares,
or ``None`` when nothing correlates its columns, the common case that must stay cheap. An entry
goes when its table does, so an id is never taken for another table's."""


def correlations(table: Table) -> Correlations | None:
    """The table's correlations, read once per table."""
    key = id(table)
    if key in _SEEN:
        return _SEEN[key]
    deps = tuple(
        (frozenset(c.lower() for c in fd.lhs), frozenset(c.lower() for c in fd.rhs))
        for fd in (*table.functional_dependencies, *table.implied_dependencies)
    )
    composites = tuple(
        (frozenset(c.lower() for c in fk.columns), fk.ref_rows)
        for fk in table.foreign_keys
        if len(fk.columns) > 1 and fk.ref_rows
    )
    found = Correlations(deps, composites) if deps or composites else None
    _SEEN[key] = found
    weakref.finalize(table, _SEEN.pop, key, None)
    return found


def determined(
    dependencies: tuple[tuple[frozenset[str], frozenset[str]], ...], columns: set[str]
) -> set[str]:
    """The closure of ``columns`` under ``dependencies``: every column they fix."""
    out = set(columns)
    grew = True
    while grew:
        grew = False
        for lhs, rhs in dependencies:
            if lhs <= out and not rhs <= out:
                out |= rhs
                grew = True
    return out


def split(found: Correlations, points: Mapping[str, float]) -> tuple[list[str], list[str]]:
    """The bound columns whose shares multiply, and those the kept ones determine; the most
    selective column is kept first, so a project is kept and the tenant it fixes is not."""
    kept: list[str] = []
    implied: list[str] = []
    fixed: set[str] = set()
    for column in sorted(points, key=lambda c: (points[c], c)):
        if column in fixed:
            implied.append(column)
            continue
        kept.append(column)
        fixed = determined(found.dependencies, set(kept))
    return kept, implied


def points_share(table: Table, points: Mapping[str, float]) -> float:
    """The combined share of equality predicates, ``points`` mapping each bound column to its own
    share: columns the more selective ones determine are not multiplied in, and the columns of
    a composite reference keep at least one parent row's share.

    >>> from advisor.spec.model import Column, FunctionalDependency
    >>> t = Table("issues", (Column("tenant_id"), Column("project_id")), rows=10**6,
    ...     functional_dependencies=(FunctionalDependency(("project_id",), ("tenant_id",)),))
    >>> points_share(t, {"tenant_id": 1e-4, "project_id": 5e-6})
    5e-06
    """
    found = correlations(table)
    share = 1.0
    if found is None:
        for part in points.values():
            share *= part
        return share
    kept, _ = split(found, points)
    for column in kept:
        share *= points[column]
    for columns, parent_rows in found.composites:
        if columns <= points.keys():
            group = 1.0
            for column in columns.intersection(kept):
                group *= points[column]
            if group < 1.0 / parent_rows:
                share *= 1.0 / parent_rows / group
    return share


def implied_columns(table: Table, points: Mapping[str, float]) -> tuple[list[str], list[str]]:
    """The bound columns ``points_share`` leaves out, and those that determine them, for the
    report's assumptions."""
    found = correlations(table)
    if found is None:
        return [], []
    kept, implied = split(found, points)
    return implied, kept
