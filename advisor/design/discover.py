"""Discover functional dependencies in sample rows, with a tolerance: ``lhs -> a`` is kept when
removing at most ``tolerance`` of the rows would make it hold exactly (the g3 error), so a few
dirty rows do not hide a real rule. Such dependencies are approximate and reported as such.

Left sides have one or two columns (minimal: a pair is kept only when neither column alone
determines the target). Evidence must exist: a left side whose values are unique in the sample,
or average fewer than two rows each, says nothing, and a constant column depends on everything.

>>> rows = [("1", "10", "a"), ("2", "10", "a"), ("3", "20", "b"), ("4", "20", "b"), ("5", "20", "c")]
>>> [(fd.dependency.text(), round(fd.error, 2)) for fd in discover(["id", "zip", "city"], rows, 0.2)]
[('zip -> city', 0.2)]
>>> discover(["id", "zip", "city"], rows, 0.1)
[]
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import combinations
from pathlib import Path

from advisor.design.dependencies import Dependency, implies
from advisor.errors import AdvisorError, Location
from advisor.spec.model import FunctionalDependency, Spec

MAX_ROWS = 200_000
"""Rows read from a sample file; more add little evidence and cost linear time per test."""
MAX_PAIR_COLUMNS = 24
"""Above this many columns only single-column left sides are tried (pairs grow quadratically)."""


@dataclass(frozen=True)
class Discovered:
    dependency: Dependency
    error: float
    """Share of the sample's rows that break it (0 when it holds exactly)."""
    rows: int


def read_sample(path: Path) -> tuple[list[str], list[tuple[str, ...]]]:
    """The header (lower-cased) and up to ``MAX_ROWS`` rows of a CSV file; an AdvisorError
    naming the file and line when it cannot be read or a row has the wrong number of fields."""
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if not header or not any(h.strip() for h in header):
                raise AdvisorError("the sample has no header row naming its columns", Location(path, 1))
            names = [h.strip().lower() for h in header]
            if len(set(names)) != len(names):
                raise AdvisorError("the header names a column twice", Location(path, 1))
            rows: list[tuple[str, ...]] = []
            for row in reader:
                if not row:
                    continue
                if len(row) != len(names):
                    raise AdvisorError(
                        f"{len(row)} fields where the header has {len(names)}",
                        Location(path, reader.line_num),
                    )
                rows.append(tuple(row))
                if len(rows) >= MAX_ROWS:
                    break
    except OSError as exc:
        raise AdvisorError(f"cannot read the sample: {exc.strerror or exc}", Location(path)) from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise AdvisorError(f"not a UTF-8 CSV file: {exc}", Location(path)) from None
    return names, rows


def _g3(groups: Sequence[int], target: Sequence[str], n: int) -> float:
    """Share of rows to remove so that each group has one target value."""
    best: dict[int, Counter[str]] = {}
    for group, value in zip(groups, target, strict=True):
        best.setdefault(group, Counter())[value] += 1
    kept = sum(counter.most_common(1)[0][1] for counter in best.values())
    return (n - kept) / n


def _group_ids(columns: Sequence[Sequence[str]]) -> tuple[list[int], int]:
    """A group number per row for the combination of ``columns``, and the number of groups."""
    ids: dict[tuple[str, ...], int] = {}
    out = [ids.setdefault(key, len(ids)) for key in zip(*columns, strict=True)]
    return out, len(ids)


def discover(names: Sequence[str], rows: Sequence[tuple[str, ...]], tolerance: float) -> list[Discovered]:
    """Minimal dependencies with one- or two-column left sides that hold within ``tolerance``."""
    n = len(rows)
    if n < 4:
        return []
    columns = list(zip(*rows, strict=True)) if rows else []
    ndv = [len(set(col)) for col in columns]
    targets = [i for i in range(len(names)) if ndv[i] > 1]
    found: dict[int, list[frozenset[int]]] = {}
    out: list[Discovered] = []

    def consider(lhs: tuple[int, ...]) -> None:
        groups, count = _group_ids([columns[i] for i in lhs])
        if count * 2 > n:
            return  # fewer than two rows per value on average: no evidence
        for target in targets:
            if target in lhs or any(prior <= set(lhs) for prior in found.get(target, ())):
                continue
            error = _g3(groups, columns[target], n)
            if error <= tolerance:
                found.setdefault(target, []).append(frozenset(lhs))
                dependency = Dependency(frozenset(names[i] for i in lhs), frozenset({names[target]}))
                out.append(Discovered(dependency, error, n))

    for i in range(len(names)):
        consider((i,))
    if len(names) <= MAX_PAIR_COLUMNS:
        for pair in combinations(range(len(names)), 2):
            consider(pair)
    return out


def with_samples(spec: Spec, samples: Mapping[str, Path], tolerance: float) -> Spec:
    """``spec`` with the dependencies discovered in each table's sample added to the table, each
    marked with its file and error; those its declared dependencies and keys imply are left out."""
    from advisor.design.tables import table_dependencies

    if not 0 <= tolerance < 0.5:
        raise AdvisorError(f"--sample-tolerance must be at least 0 and below 0.5, not {tolerance}")
    tables = list(spec.tables)
    for name, path in samples.items():
        table = spec.table(name)
        if table is None:
            known = ", ".join(t.name for t in spec.tables)
            raise AdvisorError(f"--sample names no table of the spec: {name!r} (tables: {known})")
        header, rows = read_sample(path)
        columns = {c.name.lower(): c.name for c in table.columns}
        for column in header:
            if column not in columns:
                raise AdvisorError(f"{column!r} is not a column of table {table.name!r}", Location(path, 1))
        known_fds = table_dependencies(table)
        added = [
            FunctionalDependency(
                tuple(sorted(found.dependency.lhs)),
                tuple(sorted(found.dependency.rhs)),
                source=path.name,
                error=found.error,
                sample_rows=found.rows,
            )
            for found in discover(header, rows, tolerance)
            if not implies(known_fds, found.dependency)
        ]
        index = tables.index(table)
        tables[index] = replace(table, functional_dependencies=table.functional_dependencies + tuple(added))
    return replace(spec, tables=tuple(tables))
