"""Textbook cases for closures, covers, keys, normal forms and decompositions, checked exactly."""

from __future__ import annotations

from advisor.design.decompose import decompose_bcnf, is_lossless, lost_dependencies, synthesize_3nf
from advisor.design.dependencies import (
    candidate_keys,
    closure,
    equivalent,
    key_text,
    minimal_cover,
    parse_dependencies,
    parse_dependency,
)
from advisor.design.normal_forms import NormalForm, normal_form


def keys(relation: str, fds: list[str]) -> list[str]:
    return [key_text(k, relation) for k in candidate_keys(relation, parse_dependencies(fds))]


def test_transitive_chain_with_an_extra_attribute_is_1nf_only() -> None:
    fds = parse_dependencies(["A -> B", "B -> C"])
    assert keys("ABCD", ["A -> B", "B -> C"]) == ["A, D"]
    result = normal_form("ABCD", fds)
    assert result.form is NormalForm.FIRST
    assert result.violation == parse_dependency("A -> B")
    assert "only part of the key (A, D)" in result.explain()
    relations = synthesize_3nf("ABCD", fds)
    assert [r.attributes for r in relations] == [("A", "B"), ("B", "C"), ("A", "D")]
    assert [r.key for r in relations] == [("A",), ("B",), ("A", "D")]
    parts = [r.attributes for r in relations]
    assert is_lossless("ABCD", parts, fds)
    assert lost_dependencies(fds, parts) == ()


def test_3nf_but_not_bcnf_and_the_decomposition_loses_ab_to_c() -> None:
    fds = parse_dependencies(["AB -> C", "C -> B"])
    assert keys("ABC", ["AB -> C", "C -> B"]) == ["A, B", "A, C"]
    result = normal_form("ABC", fds)
    assert result.form is NormalForm.THIRD
    assert result.violation == parse_dependency("C -> B")
    assert result.explain() == "C -> B: C determines B but is not a key (keys: A, B | A, C)"
    split = decompose_bcnf("ABC", fds)
    assert [r.attributes for r in split.relations] == [("B", "C"), ("A", "C")]
    assert [fd.text() for fd in split.lost] == ["A, B -> C"]
    assert is_lossless("ABC", [r.attributes for r in split.relations], fds)
    # 3NF synthesis keeps the relation whole: it already is in 3NF.
    assert [r.attributes for r in synthesize_3nf("ABC", fds)] == [("A", "B", "C")]


def test_street_city_zip() -> None:
    rel = ["street", "city", "zip"]
    fds = (parse_dependency("street, city -> zip"), parse_dependency("zip -> city"))
    result = normal_form(rel, fds, rel)
    assert result.form is NormalForm.THIRD
    assert result.violation is not None and result.violation.text(rel) == "zip -> city"
    split = decompose_bcnf(rel, fds, rel)
    assert sorted(r.attributes for r in split.relations) == [("city", "zip"), ("street", "zip")]
    assert [fd.text(rel) for fd in split.lost] == ["street, city -> zip"]


def test_2nf_not_3nf() -> None:
    result = normal_form("ABC", parse_dependencies(["A -> B", "B -> C"]))
    assert result.form is NormalForm.SECOND
    assert result.reason == "transitive"
    assert result.violation == parse_dependency("B -> C")


def test_bcnf() -> None:
    result = normal_form("ABC", parse_dependencies(["A -> BC"]))
    assert result.form is NormalForm.BOYCE_CODD
    assert result.violation is None
    assert decompose_bcnf("ABC", parse_dependencies(["A -> BC"])).relations[0].attributes == ("A", "B", "C")


def test_closure_textbook() -> None:
    fds = parse_dependencies(["A -> BC", "B -> E", "CD -> EF"])
    assert closure("AD", fds) == frozenset("ABCDEF")
    assert closure("A", fds) == frozenset("ABCE")
    assert closure("F", fds) == frozenset("F")


def test_minimal_cover_textbook() -> None:
    fds = parse_dependencies(["A -> BC", "B -> C", "A -> B", "AB -> C"])
    cover = minimal_cover(fds)
    assert [fd.text() for fd in cover] == ["A -> B", "B -> C"]
    assert equivalent(cover, fds)
    # An extraneous left-side attribute: AB -> C with A -> C reduces to A -> C.
    assert [fd.text() for fd in minimal_cover(parse_dependencies(["AB -> C", "A -> C"]))] == ["A -> C"]


def test_candidate_keys_textbook() -> None:
    # Ullman: R(A, B, C, D, E) with A -> BC, CD -> E, B -> D, E -> A has keys A, E, BC, CD.
    assert keys("ABCDE", ["A -> BC", "CD -> E", "B -> D", "E -> A"]) == ["A", "E", "B, C", "C, D"]
    # No dependency: the whole relation is the key.
    assert keys("ABC", []) == ["A, B, C"]


def test_lossless_join_by_the_chase() -> None:
    fds = parse_dependencies(["A -> B"])
    assert is_lossless("ABC", ["AB", "AC"], fds)
    assert not is_lossless("ABC", ["AB", "BC"], fds)
    # Needs two rounds of the chase.
    chain = parse_dependencies(["A -> B", "B -> C"])
    assert is_lossless("ABCD", ["AB", "BC", "AD"], chain)
    assert not is_lossless("ABCD", ["AB", "CD"], chain)


def test_bcnf_decomposition_that_preserves_everything() -> None:
    fds = parse_dependencies(["A -> B", "B -> C"])
    split = decompose_bcnf("ABCD", fds)
    assert split.lost == ()
    assert sorted(r.attributes for r in split.relations) == [("A", "B"), ("A", "D"), ("B", "C")]


def test_bcnf_decomposition_prefers_splits_that_keep_a_key_whole() -> None:
    fds = parse_dependencies(["A -> B", "B -> A"])
    # Splitting on B -> A first would separate A from C; keeping A, C together splits on A -> B.
    split = decompose_bcnf("BAC", fds, "BAC", keep="AC")
    assert any(set(r.attributes) == {"A", "C"} for r in split.relations)
    assert is_lossless("ABC", [r.attributes for r in split.relations], fds)
