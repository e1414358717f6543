"""The selection's shortcut (cost with one more index from the cost without it) must give exactly
what costing the statement again gives, for every pattern and candidate of real specs."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.cost.models import model_index
from advisor.cost.workload import cost_added, cost_shape, shortcut, unchanged_by
from advisor.recommend import plan_indexes, prepare
from advisor.spec.load import load_spec
from tests.scale_spec import load_scale


@pytest.mark.parametrize("dialect", ["postgres", "mysql", "sqlite"])
def test_shortcut_equals_costing_again(tmp_path: Path, dialect: str) -> None:
    scale = load_scale()
    path = tmp_path / "patterns.yaml"
    scale.write_spec(scale.generate_spec(12, 240, seed=5, dialect=dialect), path)
    ctx = prepare(load_spec(path))
    out, plan = plan_indexes(ctx)
    designs = {c.design for c in out.candidates} | {c.candidate.design for c in plan.chosen}
    checked = 0
    for name, shape in ctx.shapes.items():
        sc = shortcut(ctx.models, shape)
        if sc is None:
            continue
        table = sc.tm.table.name.lower()
        old = list(plan.config.get(table, ()))
        before = cost_shape(ctx.models, shape, {table: old})
        for design in sorted((d for d in designs if d.table == table), key=lambda d: d.label()):
            added = next((im for im in old if im.design == design), None)
            if added is not None:
                continue
            added = model_index(sc.tm, design)
            again = cost_shape(ctx.models, shape, {table: [*old, added]})
            assert cost_added(sc, before, [*old, added], added) == again, (name, design.label())
            checked += 1
    assert checked > 100


@pytest.mark.parametrize("dialect", ["postgres", "mysql"])
def test_unchanged_by_means_costing_again_gives_the_same(tmp_path: Path, dialect: str) -> None:
    """Where ``unchanged_by`` says an index (added, or added in place of another) cannot change a
    statement's reads, costing it again with that change gives exactly the same reads and plans;
    and it does not answer so for every pair, or the check would prove nothing."""
    scale = load_scale()
    path = tmp_path / "patterns.yaml"
    scale.write_spec(scale.generate_spec(12, 240, seed=11, dialect=dialect), path)
    ctx = prepare(load_spec(path))
    out, plan = plan_indexes(ctx)
    designs = {c.design for c in out.candidates} | {c.candidate.design for c in plan.chosen}
    answers = {True: 0, False: 0}
    for name, shape in ctx.shapes.items():
        if shortcut(ctx.models, shape) is not None:
            continue
        before = cost_shape(ctx.models, shape, plan.config)
        tables = {p.access.table for p in before.probes}
        for design in sorted((d for d in designs if d.table in tables), key=lambda d: d.label()):
            old = list(plan.config.get(design.table, ()))
            if any(im.design == design for im in old):
                continue
            tm = ctx.models[design.table]
            added = model_index(tm, design)
            # in place of a plan index its keys extend, as a replacing pick would be tried
            removed = [im for im in old if im.design.serves_as_prefix_of(design)]
            kept = [im for im in old if im not in removed]
            config = {**plan.config, design.table: [*kept, added]}
            same = unchanged_by(tm, before, added, {im.design for im in removed})
            answers[same] += 1
            if same:
                again = cost_shape(ctx.models, shape, config)
                assert (again.read, again.plans) == (before.read, before.plans), (name, design.label())
    assert answers[True] > 20 and answers[False] > 20, answers
