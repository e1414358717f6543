"""The advisor's cost model asked the planner's question: each pattern's cost under a given set
of indexes, beside the planner's, and how well the two agree.

The model is used read-only through its public pieces: ``advisor.recommend.prepare`` (the spec's
patterns analyzed, one ``TableModel`` per table, the indexes that exist), ``model_index`` (an
index's shape and size on its table) and ``cost_shape`` (one execution of a pattern under a
configuration). Agreement is measured as the planner would judge a ranking: Spearman's rank
correlation over every (pattern, configuration) pair, and the median |ln(model / planner)|.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tpch_whatif import Ix

if TYPE_CHECKING:
    from advisor.cost.design import IndexDesign
    from advisor.rules.context import Context


def load_context(spec_path: Path) -> Context:
    """The analyzed spec the model costs against."""
    from advisor.recommend import prepare
    from advisor.spec.load import load_spec

    return prepare(load_spec(spec_path))


def design_of(ctx: Context, ix: Ix) -> IndexDesign:
    """``ix`` as the model's proposed index; a predicate of the form ``column = / IN constants``
    becomes a partial index (the only form the model knows), any other is dropped."""
    from advisor.analysis.analyze import analyze
    from advisor.analysis.shape import PredicateKind
    from advisor.cost.design import IndexDesign, PartialWhere
    from advisor.spec.model import IndexKey

    where = None
    if ix.where is not None:
        schema = {t: {c.name.lower() for c in m.table.columns} for t, m in ctx.models.items()}
        shape = analyze(f"SELECT 1 FROM {ix.table} WHERE {ix.where}", ctx.spec.dialect, schema)
        preds = [p for acc in shape.accesses for p in acc.predicates]
        if len(preds) == 1 and preds[0].kind in (PredicateKind.EQ, PredicateKind.IN) and preds[0].constant:
            where = PartialWhere(preds[0].column, tuple(str(v) for v in preds[0].values), ix.where)
    keys = tuple(IndexKey(column, descending) for column, descending in ix.keys)
    return IndexDesign(ix.table, keys, ix.include, where)


def model_costs(ctx: Context, indexes: Iterable[Ix]) -> tuple[dict[str, float], dict[Ix, float]]:
    """Each pattern's model cost (one execution) with the existing indexes plus ``indexes``, and
    the model's size of each of ``indexes``."""
    from advisor.cost.models import model_index
    from advisor.cost.workload import cost_shape

    config = {
        table: [model_index(ctx.models[table], d) for d in designs] for table, designs in ctx.existing.items()
    }
    sizes: dict[Ix, float] = {}
    for ix in indexes:
        im = model_index(ctx.models[ix.table], design_of(ctx, ix))
        config.setdefault(ix.table, []).append(im)
        sizes[ix] = im.size_bytes
    costs = {name: cost_shape(ctx.models, shape, config).total for name, shape in ctx.shapes.items()}
    return costs, sizes


def ranks(values: Sequence[float]) -> list[float]:
    """1-based ranks, ties sharing their average rank.

    >>> ranks([10.0, 30.0, 20.0, 30.0])
    [1.0, 3.5, 2.0, 3.5]
    """
    order = sorted(range(len(values)), key=lambda i: values[i])
    out = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for k in range(start, end + 1):
            out[order[k]] = (start + end) / 2 + 1
        start = end + 1
    return out


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Spearman's rank correlation: Pearson's on the ranks (so ties are handled).

    >>> spearman([1, 2, 3, 4], [10, 20, 30, 40]), spearman([1, 2, 3], [3, 2, 1])
    (1.0, -1.0)
    """
    rx, ry = ranks(xs), ranks(ys)
    if len(rx) < 2 or len(set(rx)) < 2 or len(set(ry)) < 2:
        return math.nan
    return statistics.correlation(rx, ry)


@dataclass(frozen=True)
class Pair:
    pattern: str
    configuration: str
    model: float
    planner: float

    @property
    def log_ratio(self) -> float:
        """ln(model / planner); costs are floored at a hundredth of a unit."""
        return math.log(max(self.model, 0.01) / max(self.planner, 0.01))


@dataclass(frozen=True)
class Calibration:
    pairs: tuple[Pair, ...]
    spearman: float
    median_abs_log: float

    def worst(self, n: int = 10) -> list[Pair]:
        return sorted(self.pairs, key=lambda p: -abs(p.log_ratio))[:n]


def calibrate(
    model: Mapping[str, Mapping[str, float]], planner: Mapping[str, Mapping[str, float]]
) -> Calibration:
    """Agreement over every (pattern, configuration) pair both sides costed; the mappings go
    configuration -> pattern -> cost.

    >>> c = calibrate({"pk": {"q1": 10.0, "q2": 40.0}}, {"pk": {"q1": 20.0, "q2": 80.0}})
    >>> c.spearman, round(c.median_abs_log, 3)
    (1.0, 0.693)
    """
    pairs = tuple(
        Pair(pattern, config, cost, planner[config][pattern])
        for config, per_pattern in model.items()
        if config in planner
        for pattern, cost in per_pattern.items()
        if pattern in planner[config]
    )
    if not pairs:
        return Calibration((), math.nan, math.nan)
    rho = spearman([p.model for p in pairs], [p.planner for p in pairs])
    return Calibration(pairs, rho, statistics.median(abs(p.log_ratio) for p in pairs))
