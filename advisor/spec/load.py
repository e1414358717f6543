"""``load_spec``: the input file, its DDL and its checks, as one frozen ``Spec`` or one ``AdvisorError``.

The steps, each in its own module: read the YAML with positions (``yamlsource``), check its shape
(``input`` / ``validate``), replay the ``schema:`` DDL (``migrations`` / ``ddl``), apply ``tables:``
(``merge``), then freeze tables (``freeze``) and patterns (``patterns``).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from advisor.errors import AdvisorError, Location
from advisor.spec.ddl import replay_files
from advisor.spec.dialects import normalize_dialect
from advisor.spec.draft import TableDraft
from advisor.spec.freeze import freeze_tables
from advisor.spec.input import BudgetIn, OperationsIn, WorkloadIn
from advisor.spec.merge import TableMerger
from advisor.spec.migrations import schema_files
from advisor.spec.model import Budget, Operations, Spec, Table, Workload
from advisor.spec.patterns import build_patterns
from advisor.spec.validate import validate_input
from advisor.spec.yamlsource import line_at, read_yaml


def load_spec(path: Path) -> Spec:
    """The validated spec in ``path``; any problem with the input is an ``AdvisorError`` naming
    the file, the line and the field."""
    with _collector_paused():
        return _load(path)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while the input's many small objects are built.

    They are freed by reference counting anyway; left on, the collector's passes over the growing
    heap took 60% of the time on a 1000-table / 20000-pattern file.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _load(path: Path) -> Spec:
    """The steps of ``load_spec``."""
    raw = read_yaml(path)
    given = validate_input(raw, path)
    tables: dict[str, TableDraft] = {}
    if given.schema_files:
        where = Location(path, line_at(raw, ("schema",)), "schema")
        replay_files(schema_files(given.schema_files, path.parent, where), given.dialect, tables)
    TableMerger(tables, raw, path, given.dialect).apply(given.tables or {})
    return Spec(
        path=path,
        dialect=given.dialect,
        tables=freeze_tables(tables, path),
        patterns=build_patterns(given.patterns or [], raw, path),
        budget=_budget(given.budget),
        workload=_workload(given.workload, raw),
        operations=_operations(given.operations),
        inputs=(path, *(path.parent / entry for entry in given.schema_files or ())),
    )


def load_ddl(files: list[Path], dialect: str) -> tuple[Table, ...]:
    """The tables that replaying ``files`` (DDL, in this order) builds, e.g. for ``advisor init``."""
    try:
        name = normalize_dialect(dialect)
    except ValueError as exc:
        raise AdvisorError(str(exc)) from None
    tables: dict[str, TableDraft] = {}
    replay_files(files, name, tables)
    return freeze_tables(tables)


def _budget(given: BudgetIn | None) -> Budget:
    if given is None:
        return Budget()
    return Budget(
        storage_bytes=given.storage,
        max_indexes_per_table=given.max_indexes_per_table,
        max_write_overhead=given.max_write_overhead,
    )


def _operations(given: OperationsIn | None) -> Operations:
    # The fields read as they are, not through model_dump(): that builds the model's serializer,
    # a second schema generation of ~6 ms at every start-up, for eight plain values.
    return Operations(**dict(given)) if given is not None else Operations()


def _workload(given: WorkloadIn | None, raw: object) -> Workload:
    if given is None:
        return Workload()
    return Workload(
        reads_per_sec=given.reads_per_sec,
        writes_per_sec=given.writes_per_sec,
        reads_line=line_at(raw, ("workload", "reads_per_sec")),
        writes_line=line_at(raw, ("workload", "writes_per_sec")),
    )
