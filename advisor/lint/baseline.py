"""The starting schema from a spec: its tables (loaded by :mod:`advisor.spec`) as tables that
exist before the linted migrations run, their types and predicates read by the migrations' own
front end. ``--schema`` files are replayed by ``advisor.schema.read.existing_schema``."""

from __future__ import annotations

import functools
from collections.abc import Iterable

from advisor.schema.names import key_of
from advisor.schema.ops import CreateIndex, CreateTable, Op, TypeRef
from advisor.schema.source import Source
from advisor.schema.state import Schema
from advisor.schema.tables import ColumnState, ForeignKeyState, IndexState, TableState
from advisor.spec.model import Table


def type_from_text(text: str, dialect: str) -> TypeRef | None:
    """A :class:`TypeRef` from a type as written in a spec, read by the dialect's front end as a
    column of a migration would be, so the two compare; ``None`` if it does not read as a type.

    >>> str(type_from_text("VARCHAR(255)", "postgres")), str(type_from_text("int4", "postgres"))
    ('varchar(255)', 'integer')
    >>> str(type_from_text("ENUM('a','b')", "mysql"))
    "enum('a', 'b')"
    """
    for op in _ops(f"CREATE TABLE t (c {text})", dialect):
        if isinstance(op, CreateTable) and len(op.columns) == 1:
            return op.columns[0].type
    return None


def not_null_predicate(where: str | None, dialect: str) -> tuple[str, ...]:
    """The columns of a partial index predicate written only as ``col IS NOT NULL`` tests, as the
    dialect's front end reads the predicate of a migration's CREATE INDEX.

    >>> not_null_predicate("a IS NOT NULL AND (b is not null)", "postgres")
    ('a', 'b')
    >>> not_null_predicate("a > 0", "postgres")
    ()
    """
    if not where:
        return ()
    for op in _ops(f"CREATE INDEX i ON t (x) WHERE {where}", dialect):
        if isinstance(op, CreateIndex):
            return tuple(key_of(c) for c in op.where_not_null)
    return ()


@functools.cache
def _ops(sql: str, dialect: str) -> tuple[Op, ...]:
    """The operations of one statement written here from a spec's pieces (nothing if it is not one)."""
    from advisor.schema.read import read_statements

    statements = read_statements(Source("<spec>", sql), dialect)
    return statements[0].ops if len(statements) == 1 else ()


def schema_from_tables(tables: Iterable[Table], dialect: str) -> Schema:
    """A replay state holding a spec's ``tables`` as existing (not new) tables, their types and
    partial index predicates read by ``dialect``'s front end."""
    schema = Schema()
    for table in tables:
        state = TableState(name=table.name, primary_key=tuple(key_of(c) for c in table.primary_key))
        for column in table.columns:
            state.columns[key_of(column.name)] = ColumnState(
                column.name, type_from_text(column.type, dialect), not column.nullable
            )
            if column.references is not None:
                ref_table, ref_column = column.references
                fk = ForeignKeyState(None, (key_of(column.name),), ref_table, (ref_column,))
                state.foreign_keys.append(fk)
        for index in table.indexes:
            columns = tuple(key_of(k.column) for k in index.keys)
            state.indexes.append(
                IndexState(index.name, table.name, columns, index.unique, index.where is not None)
            )
            state.indexes[-1].where_not_null = not_null_predicate(index.where, dialect)
        schema.add_table(state)
    return schema
