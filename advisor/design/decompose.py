"""Decompose a relation: 3NF synthesis (lossless and dependency preserving) and BCNF decomposition
(lossless, and it says which dependencies it loses); the lossless-join test by the chase and the
dependency-preservation test by projected closures.

>>> fds = parse_dependencies(["A -> B", "B -> C"])
>>> [r.text() for r in synthesize_3nf("ABCD", fds)]
['(A, B) key A', '(B, C) key B', '(A, D) key A, D']
>>> result = decompose_bcnf("ABC", parse_dependencies(["AB -> C", "C -> B"]))
>>> [r.text() for r in result.relations], [fd.text() for fd in result.lost]
(['(B, C) key C', '(A, C) key A, C'], ['A, B -> C'])
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

from advisor.design.dependencies import (
    Attributes,
    Dependency,
    candidate_keys,
    closure,
    key_text,
    minimal_cover,
    ordered,
    parse_dependencies,
    reduce_to_key,
)

__all__ = [
    "Decomposition",
    "Relation",
    "decompose_bcnf",
    "is_lossless",
    "lost_dependencies",
    "parse_dependencies",
    "synthesize_3nf",
]

MAX_DETERMINANT_SEARCH = 16
"""Above this many determinant attributes in one relation, BCNF decomposition tests only the
cover's own left sides (subsets of 2**16 are still quick; more would not be)."""


@dataclass(frozen=True)
class Relation:
    """One relation of a decomposition: its attributes in the source's order and its key."""

    attributes: tuple[str, ...]
    key: tuple[str, ...]

    def text(self) -> str:
        return f"({', '.join(self.attributes)}) key {', '.join(self.key)}"


@dataclass(frozen=True)
class Decomposition:
    relations: tuple[Relation, ...]
    lost: tuple[Dependency, ...] = ()
    """Dependencies of the input that no relation can check any more (BCNF only)."""


def synthesize_3nf(
    relation: Iterable[str],
    fds: Iterable[Dependency],
    order: Sequence[str] = (),
    prefer_key: Iterable[str] = (),
) -> tuple[Relation, ...]:
    """Bernstein's synthesis: one relation per left side of a minimal cover (with everything it
    determines in the cover), plus one candidate key when no relation holds one (``prefer_key``,
    a table's primary key, when it is a candidate key); relations contained in another are
    dropped. The result is in 3NF, lossless and dependency preserving.

    >>> [r.text() for r in synthesize_3nf("ABC", parse_dependencies(["AB -> C", "C -> B"]))]
    ['(A, B, C) key A, B']
    >>> [r.text() for r in synthesize_3nf("ABC", parse_dependencies(["A -> B", "B -> A"]), prefer_key="BC")]
    ['(A, B) key A', '(B, C) key B, C']
    """
    rel = ordered(relation, order or sorted(set(relation)))
    cover = minimal_cover(fds, rel)
    groups: dict[Attributes, set[str]] = {}
    for fd in cover:
        groups.setdefault(fd.lhs, set(fd.lhs)).update(fd.rhs)
    parts = [(frozenset(attrs), lhs) for lhs, attrs in groups.items()]
    keys = candidate_keys(rel, cover, rel)
    preferred = frozenset(prefer_key)
    if not any(k <= attrs for k in keys for attrs, _ in parts):
        key = preferred if preferred in keys else keys[0]
        parts.append((key, key))
    kept = [
        (attrs, key)
        for i, (attrs, key) in enumerate(parts)
        if not any(
            attrs < other or (attrs == other and j < i) for j, (other, _) in enumerate(parts) if j != i
        )
    ]
    return tuple(Relation(ordered(attrs, rel), ordered(key, rel)) for attrs, key in kept)


def project(fds: Sequence[Dependency], attributes: Iterable[str]) -> tuple[Dependency, ...]:
    """A cover of the dependencies ``fds`` imply among ``attributes`` (exponential in the number
    of attributes that appear on some left side: callers check ``projectable`` first).

    >>> [fd.text() for fd in project(parse_dependencies(["A -> B", "B -> C"]), "AC")]
    ['A -> C']
    """
    attrs = frozenset(attributes)
    determinants = ordered(attrs & frozenset().union(*(fd.lhs for fd in fds)) if fds else frozenset())
    out = []
    for size in range(1, len(determinants) + 1):
        for lhs in combinations(determinants, size):
            found = (closure(lhs, fds) & attrs) - frozenset(lhs)
            if found:
                out.append(Dependency(frozenset(lhs), found))
    return minimal_cover(out, ordered(attrs))


def projectable(fds: Sequence[Dependency], attributes: Iterable[str]) -> bool:
    """Whether ``project`` stays cheap: at most ``MAX_DETERMINANT_SEARCH`` determinant attributes."""
    lhs = frozenset().union(*(fd.lhs for fd in fds)) if fds else frozenset()
    return len(lhs & frozenset(attributes)) <= MAX_DETERMINANT_SEARCH


def decompose_bcnf(
    relation: Iterable[str], fds: Iterable[Dependency], order: Sequence[str] = (), keep: Iterable[str] = ()
) -> Decomposition:
    """The textbook BCNF decomposition: split a relation on a determinant ``X`` that is not a
    key of it into ``X+`` (within it) and ``X`` plus the rest, until none is left. Always
    lossless; ``lost`` lists the dependencies of ``fds`` it no longer preserves. Splits that keep
    the attributes ``keep`` (a table's primary key) together are preferred.

    >>> result = decompose_bcnf("ABCD", parse_dependencies(["A -> B", "B -> C"]))
    >>> [r.text() for r in result.relations], result.lost
    (['(B, C) key B', '(A, B) key A', '(A, D) key A, D'], ())
    """
    rel = ordered(relation, order or sorted(set(relation)))
    given = tuple(fds)
    cover = minimal_cover(given, rel)
    pending = [frozenset(rel)]
    done: list[frozenset[str]] = []
    while pending:
        current = pending.pop(0)
        lhs = _bcnf_violation(current, cover, rel, frozenset(keep))
        if lhs is None:
            done.append(current)
            continue
        determined = closure(lhs, cover) & current
        pending[:0] = [determined, lhs | (current - determined)]
    unique = [
        r for i, r in enumerate(done) if not any(r < o or (r == o and j < i) for j, o in enumerate(done))
    ]
    # X is a key of r exactly when the closure of X under all of F holds r: no projection needed.
    relations = tuple(
        Relation(ordered(r, rel), ordered(reduce_to_key(r, r, cover, rel), rel)) for r in unique
    )
    return Decomposition(relations, lost_dependencies(given, [r.attributes for r in relations]))


def _bcnf_violation(
    current: Attributes, cover: Sequence[Dependency], order: Sequence[str], keep: Attributes = frozenset()
) -> Attributes | None:
    """The smallest set of attributes of ``current`` that determines some other attribute of it
    without determining all of it, or None when ``current`` is in BCNF. One whose split leaves
    ``keep`` whole (nothing of it among the attributes split off) is preferred."""
    fallback: Attributes | None = None
    lhs_attrs = frozenset().union(*(fd.lhs for fd in cover)) if cover else frozenset()
    determinants = ordered(current & lhs_attrs, order)
    if len(determinants) <= MAX_DETERMINANT_SEARCH:
        candidates: Iterable[tuple[str, ...]] = (
            combo for size in range(1, len(determinants) + 1) for combo in combinations(determinants, size)
        )
    else:
        candidates = (ordered(fd.lhs, order) for fd in cover if fd.lhs <= current)
    for combo in candidates:
        lhs = frozenset(combo)
        reach = closure(lhs, cover) & current
        if reach != lhs and reach != current:
            if not (reach - lhs) & keep:
                return lhs
            fallback = fallback or lhs
    return fallback


def preserved_closure(
    attributes: Iterable[str], relations: Sequence[Iterable[str]], fds: Sequence[Dependency]
) -> Attributes:
    """What ``attributes`` determine using only dependencies checkable inside single relations
    (the standard polynomial test, without computing the projections)."""
    result = frozenset(attributes)
    parts = [frozenset(r) for r in relations]
    changed = True
    while changed:
        changed = False
        for part in parts:
            grown = result | (closure(result & part, fds) & part)
            if grown != result:
                result, changed = grown, True
    return result


def lost_dependencies(
    fds: Sequence[Dependency], relations: Sequence[Iterable[str]]
) -> tuple[Dependency, ...]:
    """The dependencies of ``fds`` (reduced to what is lost) that the decomposition into
    ``relations`` no longer enforces.

    >>> lost = lost_dependencies(parse_dependencies(["AB -> C", "C -> B"]), ["BC", "AC"])
    >>> [fd.text() for fd in lost]
    ['A, B -> C']
    """
    out = []
    for fd in fds:
        missing = fd.rhs - preserved_closure(fd.lhs, relations, fds)
        if missing:
            out.append(Dependency(fd.lhs, frozenset(missing)))
    return tuple(out)


def is_lossless(
    relation: Iterable[str], relations: Sequence[Iterable[str]], fds: Sequence[Dependency]
) -> bool:
    """The chase: a tableau row per relation, distinguished symbols on its attributes; equate
    symbols per dependency until a row is all distinguished (lossless) or nothing changes.

    >>> fds = parse_dependencies(["A -> B"])
    >>> is_lossless("ABC", ["AB", "AC"], fds), is_lossless("ABC", ["AB", "BC"], fds)
    (True, False)
    """
    rel = ordered(relation)
    cover = minimal_cover(fds, rel)
    # Symbol 0 is the distinguished one; others are (row + 1) per row and column.
    rows = [[0 if attr in set(part) else i + 1 for attr in rel] for i, part in enumerate(relations)]
    column = {attr: j for j, attr in enumerate(rel)}
    changed = True
    while changed:
        if any(all(v == 0 for v in row) for row in rows):
            return True
        changed = False
        for fd in cover:
            lhs = [column[a] for a in ordered(fd.lhs, rel)]
            (target,) = (column[a] for a in fd.rhs)
            groups: dict[tuple[int, ...], list[list[int]]] = {}
            for row in rows:
                groups.setdefault(tuple(row[j] for j in lhs), []).append(row)
            for group in groups.values():
                values = {row[target] for row in group}
                if len(values) > 1:
                    keep = min(values)
                    for old in values - {keep}:
                        for row in rows:
                            if row[target] == old:
                                row[target] = keep
                    changed = True
    return any(all(v == 0 for v in row) for row in rows)


def relations_text(relations: Iterable[Relation]) -> str:
    """``(a, b), (b, c)`` for messages."""
    return ", ".join(f"({key_text(r.attributes, r.attributes)})" for r in relations)
