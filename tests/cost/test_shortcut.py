"""The selection's shortcut (cost with one more index from the cost without it) must give exactly
what costing the statement again gives, for every pattern and candidate of real specs."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.cost.access import model_index
from advisor.cost.workload import cost_added, cost_shape, shortcut
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
