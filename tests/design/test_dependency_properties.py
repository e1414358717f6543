"""Invariants of closure, cover, keys and decompositions on random dependency sets, checked
against brute force (every subset) on relations of up to six attributes."""

from __future__ import annotations

from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.design.decompose import decompose_bcnf, is_lossless, lost_dependencies, project, synthesize_3nf
from advisor.design.dependencies import (
    Dependency,
    candidate_keys,
    closure,
    equivalent,
    implies,
    minimal_cover,
)
from advisor.design.normal_forms import NormalForm, normal_form

ATTRS = "ABCDEF"


@st.composite
def schemas(draw: st.DrawFn) -> tuple[str, tuple[Dependency, ...]]:
    size = draw(st.integers(2, len(ATTRS)))
    rel = ATTRS[:size]
    side = st.frozensets(st.sampled_from(rel), min_size=1, max_size=3)
    fds = draw(st.lists(st.builds(Dependency, side, side), max_size=6))
    return rel, tuple(fds)


def subsets(rel: str) -> list[frozenset[str]]:
    return [frozenset(c) for n in range(len(rel) + 1) for c in combinations(rel, n)]


def brute_keys(rel: str, fds: tuple[Dependency, ...]) -> set[frozenset[str]]:
    supers = [s for s in subsets(rel) if closure(s, fds) >= set(rel)]
    return {s for s in supers if not any(o < s for o in supers)}


@settings(max_examples=150, deadline=None)
@given(schemas(), st.data())
def test_closure_is_extensive_monotone_idempotent(
    schema: tuple[str, tuple[Dependency, ...]], data: st.DataObject
) -> None:
    rel, fds = schema
    x = data.draw(st.frozensets(st.sampled_from(rel)))
    y = data.draw(st.frozensets(st.sampled_from(rel)))
    cx = closure(x, fds)
    assert x <= cx
    assert closure(cx, fds) == cx
    assert closure(x | y, fds) >= cx
    # Closure agrees with applying the dependencies until nothing changes.
    naive = set(x)
    while True:
        grown = set(naive)
        for fd in fds:
            if fd.lhs <= grown:
                grown |= fd.rhs
        if grown == naive:
            break
        naive = grown
    assert cx == naive


@settings(max_examples=150, deadline=None)
@given(schemas())
def test_minimal_cover_is_equivalent_and_minimal(schema: tuple[str, tuple[Dependency, ...]]) -> None:
    _, fds = schema
    cover = minimal_cover(fds)
    assert equivalent(cover, fds)
    for fd in cover:
        assert len(fd.rhs) == 1 and not fd.trivial
        others = [o for o in cover if o != fd]
        assert not implies(others, fd), f"{fd} is redundant"
        for attr in fd.lhs:
            if len(fd.lhs) > 1:
                assert not implies(cover, Dependency(fd.lhs - {attr}, fd.rhs)), f"{attr} extraneous in {fd}"


@settings(max_examples=150, deadline=None)
@given(schemas())
def test_candidate_keys_are_all_minimal_superkeys(schema: tuple[str, tuple[Dependency, ...]]) -> None:
    rel, fds = schema
    assert set(candidate_keys(rel, fds)) == brute_keys(rel, fds)


@settings(max_examples=150, deadline=None)
@given(schemas())
def test_normal_form_matches_the_definitions(schema: tuple[str, tuple[Dependency, ...]]) -> None:
    rel, fds = schema
    keys = brute_keys(rel, fds)
    prime = frozenset().union(*keys)
    # Every non-trivial dependency of the closure with one attribute on the right.
    implied = [(s, a) for s in subsets(rel) for a in closure(s, fds) - s]
    bcnf = all(closure(s, fds) >= set(rel) for s, _ in implied)
    third = all(closure(s, fds) >= set(rel) or a in prime for s, a in implied)
    second = not any(a not in prime and any(s < k for k in keys) for s, a in implied)
    expected = (
        NormalForm.BOYCE_CODD
        if bcnf
        else NormalForm.THIRD
        if third
        else NormalForm.SECOND
        if second
        else NormalForm.FIRST
    )
    result = normal_form(rel, fds)
    assert result.form is expected
    if result.violation is not None:
        assert implies(fds, result.violation)


@settings(max_examples=100, deadline=None)
@given(schemas())
def test_3nf_synthesis_is_lossless_preserving_and_3nf(schema: tuple[str, tuple[Dependency, ...]]) -> None:
    rel, fds = schema
    parts = [r.attributes for r in synthesize_3nf(rel, fds)]
    assert frozenset().union(*map(frozenset, parts)) == frozenset(rel)
    assert is_lossless(rel, parts, fds)
    assert lost_dependencies(fds, parts) == ()
    for part in parts:
        assert normal_form(part, project(fds, part)).form.rank >= NormalForm.THIRD.rank


@settings(max_examples=100, deadline=None)
@given(schemas())
def test_bcnf_decomposition_is_lossless_bcnf_and_reports_what_it_loses(
    schema: tuple[str, tuple[Dependency, ...]],
) -> None:
    rel, fds = schema
    split = decompose_bcnf(rel, fds)
    parts = [r.attributes for r in split.relations]
    assert frozenset().union(*map(frozenset, parts)) == frozenset(rel)
    assert is_lossless(rel, parts, fds)
    projected = [fd for part in parts for fd in project(fds, part)]
    for part in parts:
        assert normal_form(part, project(fds, part)).form is NormalForm.BOYCE_CODD
    # Lost means: not implied by the dependencies the relations can check one by one.
    expected = tuple(
        Dependency(fd.lhs, fd.rhs - closure(fd.lhs, projected)) for fd in fds if not implies(projected, fd)
    )
    assert split.lost == expected
