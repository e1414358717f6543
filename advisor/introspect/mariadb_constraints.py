"""Reading MariaDB and MySQL, constraints and indexes: checks (``CHECK_CONSTRAINTS``, MariaDB's
JSON among them), B-tree indexes and the primary key (``STATISTICS``, whose ``CARDINALITY`` gives
the ``ndv`` of a column that leads an index) and references (``KEY_COLUMN_USAGE``); what the spec
format cannot say is left out with a comment."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from advisor.introspect.mariadb_columns import MariaTable
from advisor.introspect.model import Fetch, IndexFacts

_ACTIONS = {"CASCADE": "cascade", "SET NULL": "set null", "SET DEFAULT": "set default"}
"""FOREIGN KEY rules; RESTRICT and NO ACTION are the same in InnoDB, and the default."""


def read_checks(fetch: Fetch, tables: dict[str, MariaTable], database: str, mariadb: bool) -> None:
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import SqlglotError

    from advisor.spec.expressions import parse_expression

    sql = (
        "SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS "
        "WHERE CONSTRAINT_SCHEMA = %s ORDER BY TABLE_NAME, CONSTRAINT_NAME"
    )
    if not mariadb:  # MySQL's view has no table: its constraints know it
        sql = (
            "SELECT t.TABLE_NAME, c.CONSTRAINT_NAME, c.CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS c "
            "JOIN information_schema.TABLE_CONSTRAINTS t ON t.CONSTRAINT_SCHEMA = c.CONSTRAINT_SCHEMA "
            "AND t.CONSTRAINT_NAME = c.CONSTRAINT_NAME AND t.CONSTRAINT_TYPE = 'CHECK' "
            "WHERE c.CONSTRAINT_SCHEMA = %s ORDER BY 1, 2"
        )
    import pymysql

    try:
        rows = fetch(sql, (database,))
    except pymysql.Error:  # a server before CHECK constraints (MySQL 5.7, MariaDB 10.1)
        return
    for table_name, name, clause in rows:
        table = tables.get(str(table_name))
        if table is None:
            continue
        try:
            tree = sqlglot.parse_one(str(clause), read="mysql")
        except SqlglotError:
            table.comments.append(f"check {name} left out: it does not parse: {clause}")
            continue
        keys = {c.lower(): c for c in table.columns}
        named = [keys[c.name.lower()] for c in tree.find_all(exp.Column) if c.name.lower() in keys]
        if isinstance(tree, exp.Anonymous) and str(tree.name).lower() == "json_valid" and len(named) == 1:
            # MariaDB's JSON is LONGTEXT with this check: the column is JSON
            column = table.columns[named[0]]
            note = ("type", f"{column.type} with CHECK json_valid (MariaDB's JSON)")
            table.columns[named[0]] = replace(column, type="json", notes=(*column.notes, note))
            continue
        text = tree.sql(dialect="mysql")
        try:
            parse_expression(text, "mysql", "check")
        except ValueError as exc:
            table.comments.append(f"check {name} left out ({exc}): {clause}")
            continue
        if not named:
            table.comments.append(f"check {name} left out: it names no column: {clause}")
            continue
        column = table.columns[named[0]]
        combined = text if column.check is None else f"({column.check}) AND ({text})"
        table.columns[named[0]] = replace(
            column, check=combined, notes=(*column.notes, ("check", f"constraint {name}"))
        )


def read_indexes(fetch: Fetch, tables: dict[str, MariaTable], database: str) -> None:
    grouped: dict[tuple[str, str], list[tuple[Any, ...]]] = {}
    for row in fetch(
        "SELECT TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX, COLUMN_NAME, NON_UNIQUE, CARDINALITY, SUB_PART, "
        "INDEX_TYPE, COLLATION FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = %s "
        "ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX",
        (database,),
    ):
        if str(row[0]) in tables:
            grouped.setdefault((str(row[0]), str(row[1])), []).append(row)
    for (table_name, name), parts in grouped.items():
        table = tables[table_name]
        first = parts[0]
        kind = str(first[7]).upper()
        if kind == "BTREE" and first[3] is not None and first[5] is not None and first[6] is None:
            known = table.cardinality.get(str(first[3]))
            if known is None or int(first[5]) > known[0]:
                table.cardinality[str(first[3])] = (int(first[5]), name)
        if name == "PRIMARY":
            table.primary_key = tuple(str(p[3]) for p in parts)
            continue
        if kind != "BTREE":
            table.comments.append(
                f"index {name} left out (a {kind} index: the spec describes B-tree indexes only)"
            )
            continue
        if any(p[3] is None for p in parts):
            table.comments.append(
                f"index {name} left out (an expression index: the spec's indexes are on columns)"
            )
            continue
        keys = tuple((str(p[3]), str(p[8] or "A").upper() == "D") for p in parts)
        unique = int(first[4]) == 0
        prefixed = [f"{p[3]}({p[6]})" for p in parts if p[6] is not None]
        note = f"prefix {', '.join(prefixed)}" if prefixed else None
        if unique and len(keys) == 1 and not keys[0][1] and not prefixed:
            column = table.columns[keys[0][0]]
            table.columns[keys[0][0]] = replace(
                column, unique=True, notes=(*column.notes, ("unique", f"unique index {name}"))
            )
            continue
        table.indexes.append(IndexFacts(name=name, columns=keys, unique=unique, note=note))


def read_foreign_keys(fetch: Fetch, tables: dict[str, MariaTable], database: str) -> None:
    grouped: dict[tuple[str, str], list[tuple[Any, ...]]] = {}
    for row in fetch(
        "SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, k.COLUMN_NAME, k.REFERENCED_TABLE_SCHEMA, "
        "k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME, r.UPDATE_RULE, r.DELETE_RULE "
        "FROM information_schema.KEY_COLUMN_USAGE k JOIN information_schema.REFERENTIAL_CONSTRAINTS r "
        "ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME "
        "AND r.TABLE_NAME = k.TABLE_NAME "
        "WHERE k.TABLE_SCHEMA = %s AND k.REFERENCED_TABLE_NAME IS NOT NULL "
        "ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION",
        (database,),
    ):
        if str(row[0]) in tables:
            grouped.setdefault((str(row[0]), str(row[1])), []).append(row)
    for (table_name, name), parts in grouped.items():
        table = tables[table_name]
        _, _, column, schema, target, target_column, on_update, on_delete = parts[0]
        shown = f"FOREIGN KEY ({', '.join(str(p[2]) for p in parts)}) REFERENCES {schema}.{target}"
        if len(parts) > 1:
            table.comments.append(
                f"foreign key {name} left out: the spec format has no composite references: {shown}"
            )
            continue
        if str(schema) != database or str(target) not in tables:
            table.comments.append(f"foreign key {name} left out: it references a table not read: {shown}")
            continue
        current = table.columns[str(column)]
        table.columns[str(column)] = replace(
            current,
            references=f"{target}.{target_column}",
            on_delete=_ACTIONS.get(str(on_delete)),
            on_update=_ACTIONS.get(str(on_update)),
            notes=(*current.notes, ("references", f"constraint {name}")),
        )
