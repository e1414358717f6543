"""The plan passes the tool's own rules, over generated specs: no index in it is redundant beside
another (IDX005, IDX006) or shares its keys with one, every name is unique, and applying the plan
then planning again changes nothing (a fixpoint)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.cost.design import IndexDesign
from advisor.recommend import plan_indexes, prepare, recommend
from advisor.selection.select import Plan
from advisor.selection.state import same_keys
from advisor.spec.load import load_spec
from advisor.spec.model import Column, Index, IndexKey, Pattern, Spec, Table

COLUMNS = ("a", "b", "c", "d", "e")


@st.composite
def specs(draw: st.DrawFn) -> Spec:
    rows = draw(st.sampled_from([5_000, 200_000, 5_000_000]))
    columns = [Column("id", "bigint", nullable=False, primary_key=True)]
    for name in COLUMNS:
        ndv = draw(st.sampled_from([2, 10, 1_000, 100_000]))
        frequencies: tuple[tuple[str, float], ...] = ()
        if ndv == 10 and draw(st.booleans()):
            frequencies = (("x", 0.9), ("y", 0.02))
        columns.append(
            Column(name, draw(st.sampled_from(["integer", "varchar(40)"])), ndv=ndv, frequencies=frequencies)
        )
    existing = []
    for n in range(draw(st.integers(0, 2))):
        keys = draw(st.lists(st.sampled_from(COLUMNS), min_size=1, max_size=2, unique=True))
        existing.append(Index(f"have_{n}", "t", tuple(IndexKey(k) for k in keys)))
    table = Table("t", tuple(columns), rows=rows, primary_key=("id",), indexes=tuple(existing))
    patterns = []
    for i in range(draw(st.integers(1, 6))):
        eq = draw(st.lists(st.sampled_from(COLUMNS), min_size=0, max_size=3, unique=True))
        conds = [f"{c} = :{c}" if c != "c" or draw(st.booleans()) else "c = 'y'" for c in eq]
        if draw(st.booleans()):
            conds.append(f"{draw(st.sampled_from(COLUMNS))} > :lo")
        where = f" WHERE {' AND '.join(conds)}" if conds else ""
        order = f" ORDER BY {draw(st.sampled_from(COLUMNS))} DESC LIMIT 20" if draw(st.booleans()) else ""
        select = ", ".join(
            draw(st.lists(st.sampled_from(("id", *COLUMNS)), min_size=1, max_size=3, unique=True))
        )
        patterns.append(
            Pattern(f"p{i}", f"SELECT {select} FROM t{where}{order}", draw(st.sampled_from([1.0, 50.0])))
        )
    if draw(st.booleans()):
        patterns.append(Pattern("ins", "INSERT INTO t (a, b, c, d, e) VALUES (1, 2, 3, 4, 5)", 20.0))
    if draw(st.booleans()):
        patterns.append(Pattern("upd", "UPDATE t SET b = :b WHERE id = :id", 20.0))
    return Spec(Path("generated.yaml"), "postgres", (table,), tuple(patterns))


def _plan(spec: Spec) -> Plan:
    return plan_indexes(prepare(spec))[1]


def _kept(plan: Plan, table: str) -> list[IndexDesign]:
    return [im.design for im in plan.config.get(table, ())]


def _applied(spec: Spec, plan: Plan) -> Spec:
    """The spec with the plan's indexes created and its drops done, as a user would after running
    ``advisor ddl --changes-only``."""
    tables = []
    for table in spec.tables:
        key = table.name.lower()
        dropped = {d.design.name for d in plan.dropped if d.design.table == key}
        indexes = [ix for ix in table.indexes if ix.name not in dropped]
        for n, choice in enumerate(c for c in plan.chosen if c.candidate.design.table == key):
            design = choice.candidate.design
            where = design.where.sql if design.where is not None else None
            indexes.append(Index(f"plan_{n}", key, design.keys, design.include, where, design.unique))
        tables.append(replace(table, indexes=tuple(indexes)))
    return replace(spec, tables=tuple(tables))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs())
def test_no_index_of_the_plan_is_redundant_beside_another(spec: Spec) -> None:
    plan = _plan(spec)
    for table in {t.name.lower() for t in spec.tables}:
        designs = _kept(plan, table)
        for i, a in enumerate(designs):
            for b in designs[i + 1 :]:
                assert not a.same_shape(b), (a.label(), b.label())
                if not (a.existing and b.existing):
                    assert not a.serves_as_prefix_of(b), (a.label(), b.label())
                    assert not b.serves_as_prefix_of(a), (a.label(), b.label())
                    assert a.unique or b.unique or not same_keys(a, b), (a.label(), b.label())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs())
def test_applying_the_plan_then_planning_again_changes_nothing(spec: Spec) -> None:
    plan = _plan(spec)
    again = _plan(_applied(spec, plan))
    assert [c.candidate.design.label() for c in again.chosen] == []
    assert [d.design.label() for d in again.dropped] == []


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs())
def test_every_index_name_is_unique(spec: Spec) -> None:
    result = recommend(spec)
    existing = {ix.name.lower() for t in spec.tables for ix in t.indexes}
    created = [r.name.lower() for r in result.recommendations if r.action == "create"]
    assert len(created) == len(set(created))
    assert not set(created) & existing


def test_a_recommended_name_never_takes_an_existing_index_name() -> None:
    from advisor.emit.script import changes_only
    from advisor.emit.target import resolve_target
    from advisor.recommend import planned_changes

    columns = (
        Column("id", "bigint", nullable=False, primary_key=True),
        Column("a", ndv=100_000),
        Column("b"),
    )
    # a user's index that happens to carry the name the plan would give its index on (a)
    taken = Index("ix_t_a", "t", (IndexKey("b"),))
    table = Table("t", columns, rows=1_000_000, primary_key=("id",), indexes=(taken,))
    spec = Spec(
        Path("g.yaml"), "postgres", (table,), (Pattern("by_a", "SELECT id, b FROM t WHERE a = :a", 100.0),)
    )
    result, changes = planned_changes(spec)
    [create] = [r for r in result.recommendations if r.action == "create"]
    assert create.index.startswith("t (a)")
    assert create.name != "ix_t_a" and create.name.startswith("ix_t_a")
    script = changes_only(spec, changes, resolve_target("postgres"), True).render()
    assert create.name in script and " ix_t_a " not in script


TPCH = Path(__file__).parent / "specs" / "tpch_sf1.yaml"
"""TPC-H at scale 1 as ``benchmarks/tpch.py`` writes it from PostgreSQL's statistics: joins where
an index on one table is worth it only once another makes the lookup it serves cheap."""


def test_tpch_plan_is_a_fixpoint_with_no_redundant_index() -> None:
    spec = load_spec(TPCH)
    plan = _plan(spec)
    assert len(plan.chosen) >= 5
    again = _plan(_applied(spec, plan))
    assert [c.candidate.design.label() for c in again.chosen] == []
    assert [d.design.label() for d in again.dropped] == []
    for table in {t.name.lower() for t in spec.tables}:
        designs = [c.candidate.design for c in plan.chosen if c.candidate.design.table == table]
        for i, a in enumerate(designs):
            for b in designs[i + 1 :]:
                assert not a.serves_as_prefix_of(b) and not b.serves_as_prefix_of(a), (a.label(), b.label())
                assert not same_keys(a, b), (a.label(), b.label())


def test_a_later_pass_reopens_what_the_first_found_worth_nothing() -> None:
    spec = load_spec(Path(__file__).parent / "specs" / "later_pass.yaml")
    plan = _plan(spec)
    again = _plan(_applied(spec, plan))
    assert [c.candidate.design.label() for c in again.chosen] == []
    assert "t (d, b, a)" in [c.candidate.design.label() for c in plan.chosen]
