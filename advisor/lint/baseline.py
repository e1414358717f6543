"""The starting schema: tables that exist before the linted migrations run, from ``--schema`` DDL
files or a spec's ``schema:`` and ``tables:`` (loaded by :mod:`advisor.spec`)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from advisor.lint.ops import TypeRef
from advisor.lint.state import ColumnState, ForeignKeyState, IndexState, Schema, TableState, key
from advisor.spec.model import Table

_TYPE = re.compile(r"^\s*([a-z_][a-z0-9_ ]*?)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?\s*(\[\])?\s*$")
_MEMBERS = re.compile(r"^\s*(enum|set)\s*\((.*)\)\s*$", re.IGNORECASE | re.DOTALL)
_QUOTED = re.compile(r"'((?:[^']|'')*)'")
_ALIASES = {
    "int": "integer",
    "int4": "integer",
    "int8": "bigint",
    "int2": "smallint",
    "float4": "real",
    "float8": "double precision",
    "character varying": "varchar",
    "character": "char",
    "bpchar": "char",
    "decimal": "numeric",
    "timestamp without time zone": "timestamp",
    "timestamp with time zone": "timestamptz",
    "bool": "boolean",
}


def type_from_text(text: str) -> TypeRef | None:
    """A :class:`TypeRef` from a type as written in DDL or YAML.

    >>> str(type_from_text("VARCHAR(255)")), str(type_from_text("int")), str(type_from_text("ENUM('a','b')"))
    ('varchar(255)', 'integer', "enum('a', 'b')")
    """
    members = _MEMBERS.match(text)
    if members is not None:
        values = tuple(v.replace("''", "'") for v in _QUOTED.findall(members.group(2)))
        return TypeRef(members.group(1).lower(), values=values)
    match = _TYPE.match(text.lower())
    if match is None:
        return None
    name, first, second, array = match.groups()
    name = _ALIASES.get(name.strip(), name.strip())
    args = tuple(int(a) for a in (first, second) if a is not None)
    return TypeRef(name, args, array is not None)


_NOT_NULL_TEST = re.compile(r'\s*\(?\s*"?(\w+)"?\s+IS\s+NOT\s+NULL\s*\)?\s*', re.IGNORECASE)
_AND = re.compile(r"\s+AND\s+", re.IGNORECASE)


def not_null_predicate(where: str | None) -> tuple[str, ...]:
    """The columns of a predicate written only as ``col IS NOT NULL`` tests joined by AND.

    >>> not_null_predicate("a IS NOT NULL AND (b is not null)"), not_null_predicate("a > 0")
    (('a', 'b'), ())
    """
    if not where:
        return ()
    tests = [_NOT_NULL_TEST.fullmatch(part) for part in _AND.split(where)]
    return tuple(key(test.group(1)) for test in tests if test) if all(tests) else ()


def schema_from_tables(tables: Iterable[Table]) -> Schema:
    """A replay state holding ``tables`` as existing (not new) tables."""
    schema = Schema()
    for table in tables:
        state = TableState(name=table.name, primary_key=tuple(key(c) for c in table.primary_key))
        for column in table.columns:
            state.columns[key(column.name)] = ColumnState(
                column.name, type_from_text(column.type), not column.nullable
            )
            if column.references is not None:
                ref_table, ref_column = column.references
                fk = ForeignKeyState(None, (key(column.name),), ref_table, (ref_column,))
                state.foreign_keys.append(fk)
        for index in table.indexes:
            columns = tuple(key(k.column) for k in index.keys)
            state.indexes.append(
                IndexState(index.name, table.name, columns, index.unique, index.where is not None)
            )
            state.indexes[-1].where_not_null = not_null_predicate(index.where)
        schema.add_table(state)
    return schema


def load_schema_files(files: list[Path], dialect: str) -> Schema:
    """The schema the DDL ``files`` build (each may be a folder of migrations)."""
    from advisor.spec.load import load_ddl
    from advisor.spec.migrations import migration_files

    expanded: list[Path] = []
    for path in files:
        expanded.extend(migration_files(path) if path.is_dir() else [path])
    return schema_from_tables(load_ddl(expanded, "mysql" if dialect == "mariadb" else dialect))
