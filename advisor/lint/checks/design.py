"""Schema-aware rules: they read the schema the migrations build, not only one statement."""

from __future__ import annotations

from collections.abc import Iterator

from advisor.catalog.fixes import fix_line
from advisor.catalog.model import Severity
from advisor.lint.checks.base import POSTGRES, Hit, LintContext, rule
from advisor.schema.names import key_of
from advisor.schema.ops import CreateIndex, CreateView, EndOfRun, TypeRef
from advisor.schema.tables import IndexState, TableState


def _leads_with(index: IndexState, columns: tuple[str, ...]) -> bool:
    """Whether the index's first keys are exactly ``columns``, in any order, and it holds every row
    a foreign key check looks for: a partial index only when its predicate is ``IS NOT NULL`` on
    those columns, which the check's ``col = $1`` implies (a NULL references nothing)."""
    wanted = {key_of(c) for c in columns}
    if index.partial and not (index.where_not_null and set(index.where_not_null) <= wanted):
        return False
    return index.method == "btree" and set(index.columns[: len(columns)]) == wanted


def _fk_indexed(table: TableState, columns: tuple[str, ...]) -> bool:
    return any(_leads_with(index, columns) for index in table.indexes)


@rule("MIG040", EndOfRun)
def foreign_key_without_index(op: EndOfRun, ctx: LintContext) -> Iterator[Hit]:
    for table in ctx.schema.tables.values():
        for fk in table.foreign_keys if table.known else ():
            if fk.loc is None or not fk.columns or _fk_indexed(table, fk.columns):
                continue
            if ctx.facts.indexes_foreign_keys:
                continue  # InnoDB creates the index itself
            cols = ", ".join(fk.columns)
            yield Hit(
                fk.loc,
                f"foreign key {table.name} ({cols}) has no index leading with it: every DELETE or key "
                f"UPDATE on {fk.ref_table} scans {table.name}, and so does a join from it",
                f"CREATE INDEX CONCURRENTLY ON {table.name} ({cols}) (plain CREATE INDEX on a new table).",
            )


def _redundant_with(new: IndexState, other: IndexState) -> str | None:
    """Why ``new`` is not needed next to ``other``: ``duplicate``, ``prefix`` or ``None``."""
    if new.partial or other.partial or new.method != other.method or None in new.columns:
        return None
    if new.columns == other.columns:
        if new.unique and not other.unique:
            return None
        return "duplicate"
    if not new.unique and other.columns[: len(new.columns)] == new.columns and new.method == "btree":
        return "prefix"
    return None


@rule("MIG041", CreateIndex)
def redundant_index(op: CreateIndex, ctx: LintContext) -> Iterator[Hit]:
    table = ctx.schema.table(op.table)
    if table is None:
        return
    new = IndexState(op.name, op.table, tuple(key_of(c) if c else None for c in op.columns), op.unique)
    new.partial, new.method = op.partial, op.method
    for other in table.indexes:
        why = _redundant_with(new, other)
        if why is None:
            continue
        label = other.name or (
            "primary key" if other.columns == tuple(map(key_of, table.primary_key)) else "a unique constraint"
        )
        cols = ", ".join(c or "?" for c in other.columns)
        what = "duplicates" if why == "duplicate" else "is a prefix of"
        yield Hit(
            op.loc,
            f"index {op.name or ''} on {op.table} {what} {label} ({cols}): it serves no query the other "
            "does not, and every write maintains both".replace("index  on", "index on"),
            fix_line("MIG041"),
        )
        return


def expanded_names(op: CreateView, ctx: LintContext) -> list[str]:
    """The view's column names with each ``*`` expanded from the replayed schema, where the tables
    it covers are all known; an unexpandable ``*`` contributes nothing."""
    names: list[str] = []
    stars = iter(op.stars)
    for name in op.columns:
        if name is not None:
            names.append(name)
            continue
        qualifier = next(stars, None)
        if qualifier is None and op.merged:
            continue  # USING / NATURAL show the join columns once: not modelled
        tables = [t for alias, t in op.sources if qualifier is None or key_of(alias) == key_of(qualifier)]
        states = [ctx.schema.table(table) for table in tables]
        if tables and all(state is not None and state.known for state in states):
            names.extend(column.name for state in states if state for column in state.columns.values())
    return names


@rule("MIG044", CreateView, dialects=POSTGRES, severity=Severity.ERROR)
def view_duplicate_column(op: CreateView, ctx: LintContext) -> Iterator[Hit]:
    names = expanded_names(op, ctx)
    seen: set[str] = set()
    for name in names:
        if name in seen:
            kind = "materialized view" if op.materialized else "view"
            yield Hit(
                op.loc,
                f"{kind} {op.view} has two columns named {name}: PostgreSQL refuses it (column "
                f'"{name}" specified more than once)',
                f"Give each output column its own name with AS (a.{name} AS a_{name}, b.{name} AS b_{name}).",
            )
            return
        seen.add(name)


@rule("MIG042", EndOfRun)
def table_without_primary_key(op: EndOfRun, ctx: LintContext) -> Iterator[Hit]:
    for table in ctx.schema.tables.values():
        if not table.new or not table.keyed or table.loc is None or table.primary_key:
            continue
        yield Hit(
            table.loc,
            f"table {table.name} has no primary key: rows cannot be addressed one by one, logical "
            "replication cannot send its UPDATEs and DELETEs, and duplicates creep in",
            fix_line("MIG042"),
        )


def _comparable(a: TypeRef, b: TypeRef) -> bool:
    aliases = {"serial": "integer", "bigserial": "bigint", "smallserial": "smallint", "int": "integer"}
    return aliases.get(a.name, a.name) == aliases.get(b.name, b.name) and a.array == b.array


@rule("MIG043", EndOfRun)
def foreign_key_type_mismatch(op: EndOfRun, ctx: LintContext) -> Iterator[Hit]:
    for table in ctx.schema.tables.values():
        for fk in table.foreign_keys:
            parent = ctx.schema.table(fk.ref_table)
            if fk.loc is None or parent is None:
                continue
            ref_columns = fk.ref_columns or parent.primary_key
            for column, ref in zip(fk.columns, ref_columns, strict=False):
                mine = table.column(column)
                theirs = parent.column(ref)
                if mine is None or theirs is None or mine.type is None or theirs.type is None:
                    continue
                if _comparable(mine.type, theirs.type):
                    continue
                yield Hit(
                    fk.loc,
                    f"{table.name}.{column} is {mine.type} but references {parent.name}.{ref} of type "
                    f"{theirs.type}: joins compare through a cast, and values may not fit",
                    f"Give {table.name}.{column} the type {theirs.type}.",
                )


@rule("MIG022", EndOfRun, dialects=POSTGRES, severity=Severity.INFO)
def not_valid_never_validated(op: EndOfRun, ctx: LintContext) -> Iterator[Hit]:
    for table in ctx.schema.tables.values():
        for name, loc in table.not_valid.items():
            yield Hit(
                loc,
                f"constraint {name} on {table.name} is added NOT VALID and never validated: rows that "
                "existed before are not checked, and the planner cannot rely on it",
                f"Add ALTER TABLE {table.name} VALIDATE CONSTRAINT {name}; in a later migration.",
            )
