"""CREATE TABLE statements for a spec's tables, as sqlglot expressions, in dependency order.

Each table carries its columns (types translated to the target), NOT NULL, DEFAULT, identity, its
PRIMARY KEY, UNIQUE and CHECK constraints and the FOREIGN KEYs whose table is created before it.
Foreign keys of a cycle are added by ALTER TABLE once both tables exist (SQLite has no ALTER TABLE
ADD CONSTRAINT, but neither checks references at CREATE time, so they stay inline there).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlglot import exp

from advisor.emit.expressions import default_problem, default_value, translate
from advisor.emit.names import column_ref, fit_name, identifier, name_problem, table_ref
from advisor.emit.target import Target
from advisor.emit.types import (
    enum_values,
    is_serial,
    is_text_like,
    parse_type,
    target_type,
    unindexable,
)
from advisor.errors import AdvisorError, Location
from advisor.spec.model import Column, ForeignKey, Table

MYSQL_KEY_PREFIX_BYTES = 3072
"""InnoDB's limit on one index's key length; TEXT keys share it as prefixes."""


def dependency_order(tables: Sequence[Table]) -> list[Table]:
    """Tables with every referenced table before those that reference it, definition order otherwise;
    the tables of a reference cycle keep definition order.

    >>> from advisor.spec.model import Column, ForeignKey, Table
    >>> a = Table("a", (Column("id"),), foreign_keys=(ForeignKey("f", ("id",), "b", ("id",)),))
    >>> [t.name for t in dependency_order([a, Table("b", (Column("id"),))])]
    ['b', 'a']
    """
    by_key = {t.name.lower(): t for t in tables}
    needs = {
        t.name.lower(): {
            fk.ref_table.lower()
            for fk in t.foreign_keys
            if fk.constraint and fk.ref_table.lower() != t.name.lower() and fk.ref_table.lower() in by_key
        }
        for t in tables
    }
    done: list[str] = []
    pending = [t.name.lower() for t in tables]
    while pending:
        ready = next((k for k in pending if needs[k] <= set(done)), None)
        if ready is None:
            ready = pending[0]  # a cycle: its first table goes first, its references come later
        done.append(ready)
        pending.remove(ready)
    return [by_key[k] for k in done]


@dataclass(frozen=True)
class TableDDL:
    create: exp.Create
    later: tuple[exp.Alter, ...]
    """Foreign keys to tables created after this one."""
    notes: tuple[str, ...]


def column_types(
    table: Table, source: str, target: Target, path: Path | None = None
) -> dict[str, exp.DataType]:
    """Column key -> type on the target; an unreadable type is an error at its line of ``path``."""
    out = {}
    for col in table.columns:
        try:
            out[col.name.lower()] = target_type(col.type, source, target.dialect)
        except AdvisorError as exc:
            where = Location(path, col.line, f"tables.{table.name}.columns.{col.name}.type") if path else None
            raise AdvisorError(str(exc), where) from None
    if target.facts.row_limit:
        from advisor.emit.row_size import row_problem

        problem = row_problem(out)
        if problem is not None:
            where = Location(path, table.line, f"tables.{table.name}.columns") if path else None
            raise AdvisorError(f"{target.label}: {problem}", where)
    return out


def key_problem(columns: Sequence[str], types: dict[str, exp.DataType], target: Target) -> str | None:
    """Why ``target`` cannot build a key or index on ``columns`` (a JSON column, ...), or ``None``."""
    for name in columns:
        dtype = types.get(name.lower())
        reason = unindexable(dtype, target.dialect) if dtype is not None else None
        if reason is not None:
            return f"{reason} ({name})"
    return None


def refuse_key(
    table: Table,
    columns: Sequence[str],
    types: dict[str, exp.DataType],
    target: Target,
    path: Path | None,
    line: int | None,
    what: str,
) -> None:
    """An ``AdvisorError`` at ``line`` when ``target`` cannot build this key of ``table``."""
    reason = key_problem(columns, types, target)
    if reason is not None:
        where = Location(path, line or table.line, f"tables.{table.name}.{what}") if path else None
        raise AdvisorError(f"{target.label} cannot build this key: {reason}", where)


def key_columns(columns: Sequence[str], types: dict[str, exp.DataType], target: Target) -> list[exp.Expr]:
    """Key columns; on MySQL a TEXT/BLOB key gets a prefix length that keeps the whole key in
    InnoDB's limit (4 bytes per character in utf8mb4). Columns missing from ``types`` get none."""
    dialect = target.dialect
    text_keys = [
        c for c in columns if target.key_prefixes and c.lower() in types and is_text_like(types[c.lower()])
    ]
    prefix = min(255, MYSQL_KEY_PREFIX_BYTES // 4 // max(1, len(text_keys)))
    out: list[exp.Expr] = []
    for name in columns:
        node: exp.Expr = column_ref(name, dialect)
        if name in text_keys:
            node = exp.ColumnPrefix(this=node, expression=exp.Literal.number(prefix))
        out.append(node)
    return out


def create_table(
    table: Table, source: str, target: Target, created: set[str], path: Path | None = None
) -> TableDDL:
    """CREATE TABLE IF NOT EXISTS for ``table``; ``created`` holds the keys of the tables made before."""
    dialect = target.dialect
    _check_names(table, target, path)
    types = column_types(table, source, target, path)
    items: list[exp.Expr] = [_column(table, col, types, source, target, path) for col in table.columns]
    for index in table.indexes:
        if index.origin in ("primary_key", "unique"):
            what = "primary_key" if index.origin == "primary_key" else f"columns.{index.columns[0]}.unique"
            refuse_key(table, index.columns, types, target, path, index.line, what)
    if table.primary_key and not _inline_rowid(table, types, target):
        key = exp.PrimaryKey(expressions=key_columns(table.primary_key, types, target))
        pk_name = next((ix.name for ix in table.indexes if ix.origin == "primary_key"), None)
        # MySQL always calls it PRIMARY; elsewhere keep a name the DDL chose
        named = pk_name and target.facts.named_primary_key and pk_name.lower() != f"{table.name.lower()}_pkey"
        items.append(_named(pk_name, key, target) if named else key)
    for index in table.indexes:
        if index.origin == "unique":
            unique = exp.UniqueColumnConstraint(
                this=exp.Schema(expressions=key_columns(index.columns, types, target))
            )
            items.append(_named(index.name, unique, target))
    for check in table.checks:
        condition = exp.CheckColumnConstraint(this=translate(check.sql, source, dialect, "check"))
        items.append(_named(check.name, condition, target) if check.name else condition)
    later: list[exp.Alter] = []
    notes: list[str] = []
    own = table.name.lower()
    for fk in table.foreign_keys:
        if not fk.constraint:
            notes.append(
                f"{table.name}.{', '.join(fk.columns)} -> {fk.ref_table}: a join hint in the input, "
                "not a constraint of its DDL"
            )
            continue
        constraint = _named(fk.name, _foreign_key(fk, dialect), target)
        ref = fk.ref_table.lower()
        if ref == own or ref in created or not target.facts.add_constraint:
            items.append(constraint)
        else:
            later.append(
                exp.Alter(
                    this=table_ref(table.name, dialect),
                    kind="TABLE",
                    actions=[exp.AddConstraint(expressions=[constraint])],
                )
            )
    create = exp.Create(
        this=exp.Schema(this=table_ref(table.name, dialect), expressions=items),
        kind="TABLE",
        exists=True,
    )
    return TableDDL(create, tuple(later), tuple(notes))


def _check_names(table: Table, target: Target, path: Path | None) -> None:
    """A table or column name the engine would refuse (or cut) is an error at its line."""
    named = [(table.name, table.line, f"tables.{table.name}")]
    named += [(c.name, c.line, f"tables.{table.name}.columns.{c.name}") for c in table.columns]
    for name, line, field in named:
        reason = name_problem(name, target.dialect)
        if reason is not None:
            raise AdvisorError(reason, Location(path, line, field) if path else None)


def _check_default(table: Table, column: Column, source: str, path: Path | None) -> None:
    """A constant DEFAULT that the column's type cannot hold is an error at the column's line:
    PostgreSQL and MySQL refuse the table, SQLite would store it."""
    assert column.default is not None
    value = translate(column.default, source, source, "default")
    reason = default_problem(value, parse_type(column.type, source), column.nullable)
    if reason is not None:
        field = f"tables.{table.name}.columns.{column.name}.default"
        raise AdvisorError(reason, Location(path, column.line, field) if path else None)


def _named(name: str | None, constraint: exp.Expr, target: Target) -> exp.Expr:
    if not name:
        return constraint
    fitted = fit_name(name, target.name_limit)
    return exp.Constraint(this=identifier(fitted, target.dialect), expressions=[constraint])


def _foreign_key(fk: ForeignKey, dialect: str) -> exp.ForeignKey:
    options = []
    if fk.on_delete:
        options.append(f"ON DELETE {fk.on_delete}")
    if fk.on_update:
        options.append(f"ON UPDATE {fk.on_update}")
    reference = exp.Reference(
        this=exp.Schema(
            this=table_ref(fk.ref_table, dialect),
            expressions=[identifier(c, dialect) for c in fk.ref_columns],
        ),
        options=options,
    )
    return exp.ForeignKey(expressions=[identifier(c, dialect) for c in fk.columns], reference=reference)


def _inline_rowid(table: Table, types: dict[str, exp.DataType], target: Target) -> bool:
    """SQLite: a single INTEGER primary key is declared on its column, where it becomes the rowid."""
    if not target.facts.rowid_alias or len(table.primary_key) != 1:
        return False
    return bool(types[table.primary_key[0].lower()].this == exp.DataType.Type.INT)


def _identity(table: Table, column: Column, source: str) -> bool:
    """The engine generates the values: declared so, or a SERIAL type."""
    return column.identity or is_serial(column.type, source)


def _column(
    table: Table,
    column: Column,
    types: dict[str, exp.DataType],
    source: str,
    target: Target,
    path: Path | None = None,
) -> exp.ColumnDef:
    dialect, facts = target.dialect, target.facts
    dtype = types[column.name.lower()]
    constraints: list[exp.ColumnConstraint] = []
    pk_alone = list(table.primary_key) == [column.name]
    if pk_alone and _inline_rowid(table, types, target):
        dtype = exp.DataType(this=exp.DataType.Type.INT)
        constraints.append(exp.ColumnConstraint(kind=exp.PrimaryKeyColumnConstraint()))
    if not column.nullable:
        constraints.append(exp.ColumnConstraint(kind=exp.NotNullColumnConstraint()))
    if _identity(table, column, source):
        leads_key = bool(table.primary_key) and table.primary_key[0] == column.name
        if facts.identity == "generated":
            constraints.append(exp.ColumnConstraint(kind=exp.GeneratedAsIdentityColumnConstraint(this=False)))
        elif facts.identity == "auto_increment" and leads_key:
            constraints.append(exp.ColumnConstraint(kind=exp.AutoIncrementColumnConstraint()))
        # SQLite: an INTEGER PRIMARY KEY generates its values already.
    if column.default is not None:
        _check_default(table, column, source, path)
        value = default_value(column.default, source, dialect, dtype)
        if facts.timestamp_default_precision and isinstance(value, exp.CurrentTimestamp):
            # MySQL wants the default's fractional-second precision to match the column's.
            precision = dtype.expressions[0] if dtype.expressions else None
            value.set("this", precision.this if isinstance(precision, exp.DataTypeParam) else precision)
        constraints.append(exp.ColumnConstraint(kind=exp.DefaultColumnConstraint(this=value)))
    values = enum_values(column.type, source)
    if values and not facts.enum_type:
        # an ENUM elsewhere is text that a CHECK keeps to its values
        allowed = exp.In(
            this=column_ref(column.name, dialect), expressions=[exp.Literal.string(v) for v in values]
        )
        constraints.append(exp.ColumnConstraint(kind=exp.CheckColumnConstraint(this=allowed)))
    return exp.ColumnDef(this=identifier(column.name, dialect), kind=dtype, constraints=constraints)
