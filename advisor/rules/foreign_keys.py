"""Foreign keys as IDX003 reads them: whole references, one index for all their columns.

A composite reference (TPC-C's ``customer (c_w_id, c_d_id) REFERENCES district``) is checked
and fixed as one: an index serves it when its leading keys are the referencing columns in any
order (the primary key ``(c_w_id, c_d_id, c_id)`` does), and the fix is one composite index, not
one index per column.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from advisor.spec.model import ForeignKey, IndexKey, Table


def references(table: Table) -> Iterator[ForeignKey]:
    """Each foreign key of ``table`` once (declared or from ``references:``), self-references included."""
    seen: set[tuple[str, ...]] = set()
    for fk in table.foreign_keys:
        columns = tuple(c.lower() for c in fk.columns)
        if columns not in seen:
            seen.add(columns)
            yield fk


def columns_of(fk: ForeignKey) -> tuple[str, ...]:
    return tuple(c.lower() for c in fk.columns)


def served(fk: ForeignKey, index_columns: tuple[str, ...]) -> bool:
    """Whether an index on ``index_columns`` finds a parent's children: its leading keys are the
    referencing columns, in any order.

    >>> fk = ForeignKey("fk", ("c_w_id", "c_d_id"), "district", ("d_w_id", "d_id"))
    >>> served(fk, ("c_d_id", "c_w_id", "c_id")), served(fk, ("c_w_id",)), served(fk, ("c_w_id", "c_id"))
    (True, False, False)
    """
    mine = columns_of(fk)
    return set(index_columns[: len(mine)]) == set(mine)


def unserved(table: Table, indexes: Iterable[tuple[str, ...]]) -> list[ForeignKey]:
    """The foreign keys of ``table`` that none of ``indexes`` (their key columns) serves."""
    have = list(indexes)
    return [fk for fk in references(table) if not any(served(fk, cols) for cols in have)]


def fix_keys(fk: ForeignKey) -> tuple[IndexKey, ...]:
    """The keys of the one index that serves ``fk``: its columns in the constraint's order."""
    return tuple(IndexKey(c) for c in columns_of(fk))


def describe(table: str, fk: ForeignKey) -> str:
    """The referencing side: ``orders.user_id``, or ``customer (c_w_id, c_d_id)`` for a composite."""
    cols = columns_of(fk)
    return f"{table}.{cols[0]}" if len(cols) == 1 else f"{table} ({', '.join(cols)})"


def describe_target(fk: ForeignKey) -> str:
    ref = [c.lower() for c in fk.ref_columns]
    target = ref[0] if len(ref) == 1 else f"({', '.join(ref)})"
    return f"{fk.ref_table.lower()}.{target}" if len(ref) == 1 else f"{fk.ref_table.lower()} {target}"
