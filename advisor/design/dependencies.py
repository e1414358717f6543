"""Functional dependencies: attribute closure, minimal cover and candidate keys.

Pure functions over attribute names (strings); nothing here knows about tables, SQL or the
spec. Dependencies are kept with sets on both sides; output that people read is ordered by the
relation's attribute order where one is given, alphabetically otherwise, so it is deterministic.

>>> fds = parse_dependencies(["A -> B", "B -> C"])
>>> sorted(closure({"A"}, fds))
['A', 'B', 'C']
>>> [key_text(k) for k in candidate_keys("ABCD", fds)]
['A, D']
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Attributes = frozenset[str]


@dataclass(frozen=True)
class Dependency:
    """``lhs -> rhs``: rows that agree on ``lhs`` agree on ``rhs``."""

    lhs: Attributes
    rhs: Attributes

    @classmethod
    def of(cls, lhs: Iterable[str], rhs: Iterable[str]) -> Dependency:
        return cls(frozenset(lhs), frozenset(rhs))

    @property
    def trivial(self) -> bool:
        """True when ``rhs`` adds nothing to ``lhs``.

        >>> Dependency.of("AB", "A").trivial
        True
        """
        return self.rhs <= self.lhs

    def text(self, order: Sequence[str] = ()) -> str:
        """``a, b -> c``, attributes in ``order`` (then alphabetically).

        >>> Dependency.of(["user_id"], ["user_email"]).text()
        'user_id -> user_email'
        """
        return f"{key_text(self.lhs, order)} -> {key_text(self.rhs, order)}"

    def __str__(self) -> str:
        return self.text()


def ordered(attributes: Iterable[str], order: Sequence[str] = ()) -> tuple[str, ...]:
    """``attributes`` in the relation's ``order``; any not in it follow alphabetically.

    >>> ordered({"c", "a", "z"}, ["c", "b", "a"])
    ('c', 'a', 'z')
    """
    rank = {name: i for i, name in enumerate(order)}
    return tuple(sorted(attributes, key=lambda a: (rank.get(a, len(rank)), a)))


def key_text(attributes: Iterable[str], order: Sequence[str] = ()) -> str:
    """Attributes as people write them: ``a, b``.

    >>> key_text(frozenset("DA"))
    'A, D'
    """
    return ", ".join(ordered(attributes, order))


def parse_dependency(text: str, letters: bool = False) -> Dependency:
    """``"a, b -> c"`` (commas or spaces between names); with ``letters``, textbook notation where
    every character is an attribute (``AB -> C``).

    >>> parse_dependency("AB -> C", letters=True).text()
    'A, B -> C'
    >>> parse_dependency("order_id, line_no -> product_id").text()
    'line_no, order_id -> product_id'
    >>> parse_dependency("a -> b -> c")
    Traceback (most recent call last):
    ValueError: not a dependency (write it as 'a, b -> c'): 'a -> b -> c'
    """
    if text.count("->") != 1:
        raise ValueError(f"not a dependency (write it as 'a, b -> c'): {text!r}")
    left, right = text.split("->")
    sides = [_names(side, letters) for side in (left, right)]
    if not sides[0] or not sides[1]:
        raise ValueError(f"a dependency needs names on both sides of '->': {text!r}")
    return Dependency.of(sides[0], sides[1])


def _names(side: str, letters: bool) -> list[str]:
    words = side.replace(",", " ").split()
    return [char for word in words for char in word] if letters else words


def parse_dependencies(texts: Iterable[str], letters: bool = True) -> tuple[Dependency, ...]:
    """Several dependencies; textbook letter notation by default (``AB -> C``), as in the
    examples and tests of this package."""
    return tuple(parse_dependency(t, letters) for t in texts)


def attributes_of(fds: Iterable[Dependency]) -> Attributes:
    """Every attribute some dependency names."""
    out: set[str] = set()
    for fd in fds:
        out |= fd.lhs | fd.rhs
    return frozenset(out)


def closure(attributes: Iterable[str], fds: Sequence[Dependency]) -> Attributes:
    """Every attribute that ``attributes`` determine under ``fds`` (linear-time fixpoint).

    >>> fds = parse_dependencies(["AB -> C", "C -> D", "D -> A"])
    >>> sorted(closure("C", fds)), sorted(closure("AB", fds))
    (['A', 'C', 'D'], ['A', 'B', 'C', 'D'])
    """
    known = set(attributes)
    # Count, per dependency, the lhs attributes not yet known; fire it when the count reaches 0.
    missing = [len(fd.lhs - known) for fd in fds]
    waiting: dict[str, list[int]] = {}
    for i, fd in enumerate(fds):
        for attr in fd.lhs - known:
            waiting.setdefault(attr, []).append(i)
    ready = [i for i, n in enumerate(missing) if n == 0]
    while ready:
        for attr in fds[ready.pop()].rhs - known:
            known.add(attr)
            for j in waiting.get(attr, ()):
                missing[j] -= 1
                if missing[j] == 0:
                    ready.append(j)
    return frozenset(known)


def implies(fds: Sequence[Dependency], fd: Dependency) -> bool:
    """Whether ``fds`` imply ``fd`` (Armstrong's axioms, by closure).

    >>> implies(parse_dependencies(["A -> B", "B -> C"]), parse_dependency("A -> C"))
    True
    """
    return fd.rhs <= closure(fd.lhs, fds)


def equivalent(first: Sequence[Dependency], second: Sequence[Dependency]) -> bool:
    """Whether two sets of dependencies imply each other."""
    return all(implies(first, fd) for fd in second) and all(implies(second, fd) for fd in first)


def minimal_cover(fds: Iterable[Dependency], order: Sequence[str] = ()) -> tuple[Dependency, ...]:
    """An equivalent set with one attribute on each right side, no extraneous left-side attribute
    and no redundant dependency. Deterministic: attributes are tried in ``order``, then by name.

    >>> cover = minimal_cover(parse_dependencies(["A -> BC", "B -> C", "AB -> C"]))
    >>> [fd.text() for fd in cover]
    ['A -> B', 'B -> C']
    """
    split = [Dependency(fd.lhs, frozenset({attr})) for fd in fds for attr in ordered(fd.rhs - fd.lhs, order)]
    split = list(dict.fromkeys(split))
    reduced: list[Dependency] = []
    for fd in split:
        lhs = set(fd.lhs)
        for attr in ordered(fd.lhs, order):
            if len(lhs) > 1 and fd.rhs <= closure(lhs - {attr}, split):
                lhs.discard(attr)
        reduced.append(Dependency(frozenset(lhs), fd.rhs))
    reduced = list(dict.fromkeys(reduced))
    kept = list(reduced)
    for fd in reduced:
        others = [other for other in kept if other != fd]
        if implies(others, fd):
            kept = others
    return tuple(sorted(kept, key=lambda fd: (ordered(fd.lhs, order), ordered(fd.rhs, order))))


def is_superkey(attributes: Iterable[str], relation: Iterable[str], fds: Sequence[Dependency]) -> bool:
    return frozenset(relation) <= closure(attributes, fds)


def reduce_to_key(
    attributes: Iterable[str], relation: Iterable[str], fds: Sequence[Dependency], order: Sequence[str] = ()
) -> Attributes:
    """A candidate key inside the superkey ``attributes``: drop attributes while it stays one,
    later attributes first, so that keys read like the relation's leading columns."""
    key = set(attributes)
    rel = frozenset(relation)
    for attr in reversed(ordered(key, order)):
        if rel <= closure(key - {attr}, fds):
            key.discard(attr)
    return frozenset(key)


def candidate_keys(
    relation: Iterable[str], fds: Sequence[Dependency], order: Sequence[str] = ()
) -> tuple[Attributes, ...]:
    """Every candidate key of ``relation`` (Lucchesi and Osborn: time polynomial in the number of
    keys), smallest first. Dependencies may mention attributes outside ``relation`` only when
    the caller projected them; normally they are over it.

    >>> [key_text(k) for k in candidate_keys("ABC", parse_dependencies(["AB -> C", "C -> B"]))]
    ['A, B', 'A, C']
    """
    rel = frozenset(relation)
    order = order or ordered(rel)
    first = reduce_to_key(rel, rel, fds, order)
    keys = [first]
    i = 0
    while i < len(keys):
        key = keys[i]
        for fd in fds:
            candidate = (fd.lhs | (key - fd.rhs)) & rel
            if not any(k <= candidate for k in keys):
                keys.append(reduce_to_key(candidate, rel, fds, order))
        i += 1
    rank = {name: i for i, name in enumerate(order)}
    return tuple(
        sorted(set(keys), key=lambda k: (len(k), sorted(rank.get(a, len(rank)) for a in k), sorted(k)))
    )


def prime_attributes(keys: Iterable[Attributes]) -> Attributes:
    """Attributes that belong to some candidate key."""
    out: set[str] = set()
    for key in keys:
        out |= key
    return frozenset(out)
