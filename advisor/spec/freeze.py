"""Turn finished table drafts into the frozen model, checking what only the whole schema can tell.

This is where the indexes that constraints imply are added: the primary key's and each unique
constraint's, marked by ``origin`` so that no later stage proposes to drop them as redundant.
"""

from __future__ import annotations

from pathlib import Path

from advisor.errors import AdvisorError, Location
from advisor.spec.draft import ForeignKeyDraft, IndexDraft, KeyDraft, TableDraft
from advisor.spec.model import (
    Check,
    Column,
    Consistency,
    ForeignKey,
    FunctionalDependency,
    Index,
    IndexKey,
    Table,
)


def freeze_tables(tables: dict[str, TableDraft], yaml_path: Path | None = None) -> tuple[Table, ...]:
    """The frozen tables, in definition order; a dangling name anywhere is an ``AdvisorError``.

    ``line`` fields are lines of ``yaml_path`` (the input file); things defined only by DDL have none.
    """
    references = {key: _resolve_foreign_keys(table, tables) for key, table in tables.items()}
    for table in tables.values():
        for fk in table.foreign_keys:
            if fk.constraint and yaml_path is not None and fk.origin.file == yaml_path:
                _require_key(fk, tables)
    return tuple(
        _freeze_table(table, references[key], yaml_path, tables, _hierarchy(key, table, references))
        for key, table in tables.items()
    )


def _hierarchy(
    key: str, table: TableDraft, references: dict[str, dict[str, tuple[str, str]]]
) -> tuple[FunctionalDependency, ...]:
    """``A -> B`` for each single-column reference ``A`` to a parent whose own columns reference
    what ``B`` references: the parent row ``A`` names fixes ``B`` (a project fixes its tenant)."""
    mine = references[key]
    single = {fk.columns[0] for fk in table.foreign_keys if len(fk.columns) == 1}
    out = []
    for a, (parent, _) in mine.items():
        if a not in single or parent == key:
            continue
        above = set(references.get(parent, {}).values())
        implied = [b for b, target in mine.items() if b != a and target in above]
        if implied:
            display = tuple(table.columns[b].name for b in implied)
            out.append(FunctionalDependency((table.columns[a].name,), display, source="foreign keys"))
    return tuple(out)


def _freeze_table(
    table: TableDraft,
    references: dict[str, tuple[str, str]],
    yaml_path: Path | None,
    tables: dict[str, TableDraft],
    implied: tuple[FunctionalDependency, ...] = (),
) -> Table:
    """One frozen table, its implied indexes added."""
    if not table.columns:
        raise AdvisorError(f"table {table.name!r} needs at least one column", table.origin)
    _printable(table.name, "table", table.origin)
    for column in table.columns.values():
        _printable(column.name, "column", column.origin)
    for index in table.indexes.values():
        _printable(index.name, "index", index.origin)
    display = _display_names(table)
    pk = table.primary_key
    pk_columns = _names(table, pk.columns, pk.origin, "primary key") if pk else ()
    single_uniques = {u.columns[0] for u in table.uniques if len(u.columns) == 1}
    columns = tuple(
        Column(
            name=col.name,
            type=col.type,
            nullable=col.nullable and key not in (pk.columns if pk else ()),
            unique=key in single_uniques,
            primary_key=pk is not None and pk.columns == [key],
            ndv=col.ndv,
            frequencies=col.frequencies,
            references=references.get(key),
            line=col.yaml_line,
            default=col.default,
            identity=col.identity,
            null_frac=col.null_frac,
            correlation=col.correlation,
            histogram=col.histogram,
            checks=tuple(c.sql for c in table.checks if key in c.columns),
            foreign_key=any(fk.constraint and key in fk.columns for fk in table.foreign_keys),
            references_ndv=_referenced_ndv(tables, references.get(key)),
        )
        for key, col in table.columns.items()
    )
    for unique in table.uniques:
        _names(table, unique.columns, unique.origin, "unique constraint")
    for check in table.checks:
        if check.origin is not None and check.origin.file == yaml_path:
            _names(table, check.columns, check.origin, "the check")
    return Table(
        name=table.name,
        columns=columns,
        rows=table.rows,
        growth_per_day=table.growth_per_day,
        all_visible=table.all_visible,
        consistency=Consistency(table.consistency) if table.consistency else None,
        primary_key=pk_columns,
        indexes=_indexes(table, display, yaml_path),
        functional_dependencies=tuple(
            FunctionalDependency(
                lhs=_names(table, lhs, origin, "functional dependency"),
                rhs=_names(table, rhs, origin, "functional dependency"),
            )
            for lhs, rhs, origin in table.functional_dependencies
        ),
        line=table.yaml_line,
        foreign_keys=tuple(_foreign_key(table, fk, tables) for fk in table.foreign_keys),
        checks=tuple(
            Check(ck.name, ck.sql) for ck in table.checks if all(c in table.columns for c in ck.columns)
        ),
        sensitive=table.sensitive,
        from_ddl=table.from_ddl,
        partitioned=table.partitioned,
        engine=table.engine,
        trigram_columns=frozenset(table.trigram.values()),
        implied_dependencies=implied,
    )


def _referenced_ndv(tables: dict[str, TableDraft], target: tuple[str, str] | None) -> int | None:
    """Distinct values of the referenced column: its ``ndv``, bounded by its table's ``rows``."""
    if target is None:
        return None
    parent = tables[target[0]]
    bounds = [n for n in (parent.rows, parent.columns[target[1]].ndv) if n is not None]
    return max(1, min(bounds)) if bounds else None


def _printable(name: str, what: str, origin: Location) -> None:
    """A name with a control, format or line-break character is refused: every output that names
    it (DDL, reports, error messages) would have to carry a line end or an invisible character the
    input chose, and no engine's users write such names on purpose."""
    bad = next((ch for ch in name if not (ch.isprintable() or ch == " ")), None)
    if bad is not None:
        raise AdvisorError(
            f"the {what} name {name!r} holds the character {bad!r}; names must be printable", origin
        )


def _foreign_key(table: TableDraft, fk: ForeignKeyDraft, tables: dict[str, TableDraft]) -> ForeignKey:
    """The frozen foreign key, with names as written (checked by ``_resolve_foreign_keys`` already)."""
    target = tables[fk.target_table]
    return ForeignKey(
        name=fk.name,
        columns=tuple(table.columns[c].name for c in fk.columns),
        ref_table=target.name,
        ref_columns=tuple(target.columns[c].name for c in _target_columns(fk, tables)),
        on_delete=fk.on_delete,
        on_update=fk.on_update,
        constraint=fk.constraint,
        ref_rows=target.rows,
    )


def _yaml_line(origin: Location, yaml_path: Path | None) -> int | None:
    """The line of ``origin`` if it is in the input file (the model's lines are lines of that file)."""
    return origin.line if yaml_path is not None and origin.file == yaml_path else None


def _display_names(table: TableDraft) -> dict[str, str]:
    """Column key -> name as written."""
    return {key: col.name for key, col in table.columns.items()}


def _names(table: TableDraft, keys: list[str], origin: Location, what: str) -> tuple[str, ...]:
    """The display names of ``keys``; one that is not a column of ``table`` is an error at ``origin``."""
    out = []
    for key in keys:
        col = table.columns.get(key)
        if col is None:
            raise AdvisorError(f"{what} names {key!r}, which is not a column of table {table.name!r}", origin)
        out.append(col.name)
    return tuple(out)


def _indexes(table: TableDraft, display: dict[str, str], yaml_path: Path | None) -> tuple[Index, ...]:
    """Implied indexes first (primary key, then unique constraints), then the declared ones."""
    declared = dict(table.indexes)
    implied: list[Index] = []
    constraints = [("primary_key", table.primary_key)] if table.primary_key else []
    constraints += [("unique", unique) for unique in table.uniques]
    for origin, key in constraints:
        assert key is not None
        absorbed = _absorb(declared, key)
        implied.append(
            Index(
                name=absorbed.name if absorbed else key.name,
                table=table.name,
                keys=_absorbed_keys(absorbed, key, display),
                include=tuple(display[c] for c in absorbed.include) if absorbed else (),
                unique=True,
                origin=origin,
                line=absorbed.yaml_line if absorbed else _yaml_line(key.origin, yaml_path),
            )
        )
    for ix in declared.values():
        _names(table, [c for c, _ in ix.keys], ix.origin, f"index {ix.name!r}")
        _names(table, ix.include, ix.origin, f"index {ix.name!r}")
        implied.append(
            Index(
                name=ix.name,
                table=table.name,
                keys=tuple(IndexKey(display[c], desc) for c, desc in ix.keys),
                include=tuple(display[c] for c in ix.include),
                where=ix.where,
                unique=ix.unique,
                origin="declared",
                line=ix.yaml_line,
                scans=ix.scans,
            )
        )
    return tuple(implied)


def _absorbed_keys(
    absorbed: IndexDraft | None, key: KeyDraft, display: dict[str, str]
) -> tuple[IndexKey, ...]:
    """The keys of a constraint's index: those of the listed index, if one was absorbed."""
    if absorbed is not None:
        return tuple(IndexKey(display[c], desc) for c, desc in absorbed.keys)
    return tuple(IndexKey(display[c]) for c in key.columns)


def _absorb(declared: dict[str, IndexDraft], key: KeyDraft) -> IndexDraft | None:
    """Remove and return the declared index that is the constraint's own index, if one is listed.

    That is the index of the same name, or one listed under ``indexes:`` in YAML that is unique and
    not partial on exactly the same columns: the engines back each such constraint by one index, and
    listing it must not count it twice. A unique index created by DDL is a second index, as in the
    database.
    """
    for name, ix in declared.items():
        if [c for c, _ in ix.keys] != key.columns:
            continue
        listed_in_yaml = ix.yaml_line is not None and ix.unique and ix.where is None
        if ix.name.lower() == key.name.lower() or listed_in_yaml:
            del declared[name]
            return ix
    return None


def _resolve_foreign_keys(table: TableDraft, tables: dict[str, TableDraft]) -> dict[str, tuple[str, str]]:
    """``column key -> (table key, column key)`` for each column of ``table`` that references another."""
    out: dict[str, tuple[str, str]] = {}
    for fk in table.foreign_keys:
        for column, target in zip(fk.columns, _target_columns(fk, tables), strict=True):
            if column not in table.columns:
                raise AdvisorError(
                    f"foreign key names {column!r}, which is not a column of table {table.name!r}", fk.origin
                )
            out[column] = (fk.target_table, target)
    return out


def _require_key(fk: ForeignKeyDraft, tables: dict[str, TableDraft]) -> None:
    """A FOREIGN KEY must point at the primary key or a unique constraint: every engine refuses
    (or, SQLite, fails every later write) otherwise."""
    target = tables[fk.target_table]
    columns = set(_target_columns(fk, tables))
    keys = [set(u.columns) for u in target.uniques]
    if target.primary_key is not None:
        keys.append(set(target.primary_key.columns))
    if columns not in keys:
        shown = ", ".join(target.columns[c].name for c in _target_columns(fk, tables))
        raise AdvisorError(
            f"references {target.name}.{shown}, which is neither the primary key nor unique; a "
            f"foreign key needs one of them (mark it unique: true, or drop the reference)",
            fk.origin,
        )


def _target_columns(fk: ForeignKeyDraft, tables: dict[str, TableDraft]) -> list[str]:
    """The referenced columns of ``fk``, checked against the referenced table."""
    target = tables.get(fk.target_table)
    if target is None:
        raise AdvisorError(f"references table {fk.target_table!r}, which is not defined", fk.origin)
    columns = fk.target_columns
    if columns is None:
        if target.primary_key is None:
            raise AdvisorError(
                f"references table {target.name!r} without naming columns, and it has no primary key",
                fk.origin,
            )
        columns = target.primary_key.columns
    for column in columns:
        if column not in target.columns:
            raise AdvisorError(
                f"references {target.name}.{column}, which is not a column of table {target.name!r}",
                fk.origin,
            )
    if len(columns) != len(fk.columns):
        raise AdvisorError(
            f"foreign key has {len(fk.columns)} column(s) but references {len(columns)}", fk.origin
        )
    return columns
