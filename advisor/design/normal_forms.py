"""The highest normal form (1NF, 2NF, 3NF, BCNF) a relation meets, and the dependency that keeps
it from the next one.

1NF is assumed (every column holds one value: the spec describes columns, not repeating groups).
2NF: no non-prime attribute depends on a proper part of a candidate key. 3NF: for every
non-trivial ``X -> a``, ``X`` is a superkey or ``a`` is prime. BCNF: ``X`` is always a superkey.
Testing 3NF and BCNF on a minimal cover is enough (each dependency of the closure that breaks
them implies one of the cover that does); 2NF is tested on every key minus one attribute, whose
closure holds everything a proper part of that key determines.

>>> result = normal_form("ABCD", parse_dependencies(["A -> B", "B -> C"]))
>>> result.form.value, result.violation.text(), result.reason
('1NF', 'A -> B', 'partial')
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum

from advisor.design.dependencies import (
    Attributes,
    Dependency,
    candidate_keys,
    closure,
    is_superkey,
    key_text,
    minimal_cover,
    ordered,
    parse_dependencies,
    prime_attributes,
)

__all__ = ["NormalForm", "NormalFormResult", "normal_form", "parse_dependencies"]


class NormalForm(Enum):
    """Normal forms in increasing strength; ``value`` is the name people use."""

    FIRST = "1NF"
    SECOND = "2NF"
    THIRD = "3NF"
    BOYCE_CODD = "BCNF"

    @property
    def rank(self) -> int:
        return list(NormalForm).index(self)


@dataclass(frozen=True)
class NormalFormResult:
    relation: tuple[str, ...]
    form: NormalForm
    keys: tuple[Attributes, ...]
    cover: tuple[Dependency, ...]
    violation: Dependency | None = None
    """A dependency that breaks the next normal form (None in BCNF)."""
    reason: str = ""
    """``partial`` (breaks 2NF), ``transitive`` (breaks 3NF) or ``non-key determinant`` (BCNF)."""

    def explain(self) -> str:
        """The violation in words.

        >>> normal_form("ABC", parse_dependencies(["AB -> C", "C -> B"])).explain()
        'C -> B: C determines B but is not a key (keys: A, B | A, C)'
        """
        if self.violation is None:
            return f"every determinant is a key (keys: {self.keys_text()})"
        lhs = key_text(self.violation.lhs, self.relation)
        rhs = key_text(self.violation.rhs, self.relation)
        head = f"{self.violation.text(self.relation)}: "
        if self.reason == "partial":
            key = next(k for k in self.keys if self.violation.lhs < k)
            return head + (
                f"{rhs} depends on {lhs}, only part of the key ({key_text(key, self.relation)}), "
                f"not on the whole key"
            )
        if self.reason == "transitive":
            return head + (
                f"{rhs} depends on {lhs}, which is not a key (keys: {self.keys_text()}): "
                f"it depends on the key only through {lhs}"
            )
        return head + f"{lhs} determines {rhs} but is not a key (keys: {self.keys_text()})"

    def keys_text(self) -> str:
        return " | ".join(key_text(k, self.relation) for k in self.keys)


def normal_form(
    relation: Iterable[str], fds: Iterable[Dependency], order: Sequence[str] = ()
) -> NormalFormResult:
    """The highest normal form ``relation`` meets under ``fds`` (over its attributes).

    >>> normal_form("ABC", parse_dependencies(["AB -> C", "C -> B"])).form.value
    '3NF'
    >>> normal_form("ABC", parse_dependencies(["A -> B", "B -> C"])).reason
    'transitive'
    >>> normal_form("AB", parse_dependencies(["A -> B"])).form.value
    'BCNF'
    """
    rel = ordered(relation, order or sorted(set(relation)))
    cover = minimal_cover(fds, rel)
    keys = candidate_keys(rel, cover, rel)
    prime = prime_attributes(keys)

    def result(form: NormalForm, violation: Dependency | None = None, reason: str = "") -> NormalFormResult:
        return NormalFormResult(rel, form, keys, cover, violation, reason)

    partial = _partial_dependency(rel, keys, prime, cover)
    if partial is not None:
        return result(NormalForm.FIRST, partial, "partial")
    for fd in cover:
        if not is_superkey(fd.lhs, rel, cover) and not fd.rhs <= prime:
            return result(NormalForm.SECOND, fd, "transitive")
    for fd in cover:
        if not is_superkey(fd.lhs, rel, cover):
            return result(NormalForm.THIRD, fd, "non-key determinant")
    return result(NormalForm.BOYCE_CODD)


def _partial_dependency(
    rel: tuple[str, ...], keys: tuple[Attributes, ...], prime: Attributes, cover: Sequence[Dependency]
) -> Dependency | None:
    """A non-prime attribute determined by a proper part of a key, with the smallest such part."""
    for key in keys:
        for attr in ordered(key, rel):
            part = key - {attr}
            if not part:
                continue
            found = ordered(closure(part, cover) - part - prime, rel)
            if found:
                target = found[0]
                lhs = set(part)
                for drop in reversed(ordered(part, rel)):
                    if len(lhs) > 1 and target in closure(lhs - {drop}, cover):
                        lhs.discard(drop)
                return Dependency(frozenset(lhs), frozenset({target}))
    return None
