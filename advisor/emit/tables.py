"""Build table DDL (CREATE TABLE with keys and foreign keys, ADD / DROP COLUMN) as sqlglot
expressions and generate it for a dialect, the way ``advisor.emit.ddl`` does for indexes.

>>> ddl = create_table(
...     NewTable("zip", (ColumnSpec("zip", "char(5)", False), ColumnSpec("city", "varchar(80)")), ("zip",)),
...     "postgres",
... )
>>> ddl.sql("postgres")
'CREATE TABLE zip (zip CHAR(5) NOT NULL, city VARCHAR(80), PRIMARY KEY (zip))'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlglot import exp
from sqlglot.errors import ParseError

from advisor.emit.names import column_node, name_node, table_node


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    type: str
    nullable: bool = True


@dataclass(frozen=True)
class ForeignKeySpec:
    columns: tuple[str, ...]
    table: str
    referenced: tuple[str, ...]


@dataclass(frozen=True)
class NewTable:
    name: str
    columns: tuple[ColumnSpec, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKeySpec, ...] = ()
    unique: tuple[tuple[str, ...], ...] = ()
    """Other candidate keys, as UNIQUE constraints."""


def data_type(text: str, dialect: str) -> exp.DataType:
    """The type ``text`` as written in ``dialect``; an unknown name (``citext``, a domain) is kept
    as a user-defined type rather than dropped.

    >>> data_type("numeric(12,2)", "postgres").sql("mysql"), data_type("citext", "postgres").sql("postgres")
    ('DECIMAL(12, 2)', 'citext')
    """
    try:
        return exp.DataType.build(text, dialect=dialect)
    except (ParseError, ValueError):
        return exp.DataType.build(text, dialect=dialect, udt=True)


def column_def(column: ColumnSpec, dialect: str, not_null: bool = False) -> exp.ColumnDef:
    constraints = []
    if not_null or not column.nullable:
        constraints.append(exp.ColumnConstraint(kind=exp.NotNullColumnConstraint()))
    return exp.ColumnDef(
        this=name_node(column.name), kind=data_type(column.type, dialect), constraints=constraints
    )


def _identifiers(names: Sequence[str]) -> list[exp.Identifier]:
    return [name_node(n) for n in names]


def foreign_key(fk: ForeignKeySpec) -> exp.ForeignKey:
    return exp.ForeignKey(
        expressions=_identifiers(fk.columns),
        reference=exp.Reference(
            this=exp.Schema(this=table_node(fk.table), expressions=_identifiers(fk.referenced))
        ),
    )


def create_table(table: NewTable, dialect: str) -> exp.Create:
    """CREATE TABLE with the primary key's columns NOT NULL, the key and the foreign keys."""
    key = {k.lower() for k in table.primary_key}
    items: list[exp.Expr] = [column_def(c, dialect, not_null=c.name.lower() in key) for c in table.columns]
    if table.primary_key:
        items.append(exp.PrimaryKey(expressions=_identifiers(table.primary_key)))
    items.extend(
        exp.UniqueColumnConstraint(this=exp.Schema(expressions=_identifiers(key))) for key in table.unique
    )
    items.extend(foreign_key(fk) for fk in table.foreign_keys)
    return exp.Create(this=exp.Schema(this=table_node(table.name), expressions=items), kind="TABLE")


def add_column(table: str, column: ColumnSpec, dialect: str) -> exp.Alter:
    """ALTER TABLE ... ADD COLUMN.

    >>> add_column("orders", ColumnSpec("user_email", "varchar(255)"), "mysql").sql("mysql")
    'ALTER TABLE orders ADD COLUMN user_email VARCHAR(255)'
    """
    return exp.Alter(this=table_node(table), kind="TABLE", actions=[column_def(column, dialect)])


def drop_column(table: str, column: str) -> exp.Alter:
    """ALTER TABLE ... DROP COLUMN.

    >>> drop_column("orders", "user_email").sql("postgres")
    'ALTER TABLE orders DROP COLUMN user_email'
    """
    return exp.Alter(
        this=table_node(table),
        kind="TABLE",
        actions=[exp.Drop(tables=[column_node(column)], kind="COLUMN")],
    )


def statements(expressions: Sequence[exp.Expr], dialect: str) -> str:
    """Generated SQL, one statement per line, each ended by ``;``."""
    return "\n".join(e.sql(dialect=dialect) + ";" for e in expressions)
