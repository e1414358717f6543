"""The tables verify loads with fewer rows than the spec gives them, and the sizes the planner
should believe instead (``advisor.engines.scale``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from advisor.engines.scale import TableScale
from advisor.verify.data import TableData


def full_scale_targets(
    data: Sequence[TableData], visible: Mapping[str, float] | None = None
) -> tuple[TableScale, ...]:
    """The tables loaded with fewer rows than the spec gives them, with their declared sizes.

    >>> from advisor.spec.model import Column, Table
    >>> big = Table("orders", (Column("id", "bigint"), Column("status", "text", ndv=5)), rows=10**9)
    >>> small = Table("codes", (Column("code", "text"),), rows=50)
    >>> loaded = [TableData(big, ("id", "status"), [(1, "a")] * 3, 10**9),
    ...           TableData(small, ("code",), [("x",)] * 50, 50)]
    >>> full_scale_targets(loaded)
    (TableScale(table='orders', rows=1000000000, ndv={'status': 5}, flat=frozenset({'status'}), all_visible=1.0),)
    """
    out = []
    for d in data:
        if d.table.rows is None or d.table.rows <= len(d.rows):
            continue
        ndv = {c.name.lower(): min(c.ndv, d.table.rows) for c in d.table.columns if c.ndv}
        flat = frozenset(c.name.lower() for c in d.table.columns if c.ndv and not c.frequencies)
        share = (visible or {}).get(d.table.name.lower(), 1.0)
        out.append(TableScale(d.table.name, d.table.rows, ndv, flat, share))
    return tuple(out)
