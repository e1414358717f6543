"""Constraint DDL for the integrity rules, built as sqlglot expressions.

On PostgreSQL a CHECK or FOREIGN KEY is added ``NOT VALID`` so that adding it takes only a brief
lock; ``ALTER TABLE ... VALIDATE CONSTRAINT`` then checks the existing rows without blocking writes
(sqlglot cannot build that statement, so the findings' fixes name it).
"""

from __future__ import annotations

from sqlglot import exp
from sqlglot.errors import ParseError

from advisor.dialects import dialect as facts_of
from advisor.emit.ddl import to_sql
from advisor.emit.names import name_node, table_node


def _alter(table: str, actions: list[exp.Expr], not_valid: bool = False) -> exp.Alter:
    alter = exp.Alter(this=table_node(table), kind="TABLE", actions=actions)
    if not_valid:
        alter.set("not_valid", True)
    return alter


def data_type(sql_type: str, dialect: str) -> exp.DataType:
    """``sql_type`` as a sqlglot type; one it does not know is kept as written."""
    try:
        return exp.DataType.build(sql_type, dialect=dialect)
    except (ParseError, ValueError):
        return exp.DataType.build(sql_type, udt=True)


def add_check(table: str, name: str, condition: exp.Expr, dialect: str) -> str:
    """``ALTER TABLE t ADD CONSTRAINT name CHECK (condition)`` (``NOT VALID`` on PostgreSQL).

    >>> add_check("items", "items_qty_nonnegative", exp.column("qty") >= 0, "postgres")
    'ALTER TABLE items ADD CONSTRAINT items_qty_nonnegative CHECK (qty >= 0) NOT VALID;'
    """
    check = exp.Constraint(
        this=exp.to_identifier(name), expressions=[exp.CheckColumnConstraint(this=condition)]
    )
    return to_sql(
        _alter(table, [exp.AddConstraint(expressions=[check])], facts_of(dialect).not_valid), dialect
    )


def add_foreign_key(table: str, name: str, column: str, parent: str, parent_column: str, dialect: str) -> str:
    """``ALTER TABLE t ADD CONSTRAINT name FOREIGN KEY (c) REFERENCES p (pc)``.

    >>> add_foreign_key("orders", "orders_user_id_fkey", "user_id", "users", "id", "mysql")
    'ALTER TABLE orders ADD CONSTRAINT orders_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id);'
    """
    fk = exp.ForeignKey(
        expressions=[name_node(column)],
        reference=exp.Reference(
            this=exp.Schema(this=table_node(parent), expressions=[name_node(parent_column)])
        ),
    )
    constraint = exp.Constraint(this=exp.to_identifier(name), expressions=[fk])
    return to_sql(
        _alter(table, [exp.AddConstraint(expressions=[constraint])], facts_of(dialect).not_valid), dialect
    )


def add_primary_key(table: str, columns: tuple[str, ...], dialect: str) -> str:
    """``ALTER TABLE t ADD PRIMARY KEY (a, b)``.

    >>> add_primary_key("events", ("event_id",), "postgres")
    'ALTER TABLE events ADD PRIMARY KEY (event_id);'
    """
    key = exp.PrimaryKey(expressions=[name_node(c) for c in columns])
    return to_sql(_alter(table, [exp.AddConstraint(expressions=[key])]), dialect)


def set_column(table: str, column: str, sql_type: str, nullable: bool, dialect: str, retype: bool) -> str:
    """Make ``column`` NOT NULL (``nullable`` False) and / or change its type (``retype``).

    PostgreSQL and the other dialects with ``ALTER COLUMN ... SET`` change one property per action;
    MySQL and MariaDB restate the whole column with ``MODIFY COLUMN``, SQL Server with
    ``ALTER COLUMN``.

    >>> set_column("orders", "total", "numeric(12,2)", True, "postgres", True)
    'ALTER TABLE orders ALTER COLUMN total SET DATA TYPE DECIMAL(12, 2);'
    >>> set_column("orders", "note", "text", False, "mysql", False)
    'ALTER TABLE orders MODIFY COLUMN note TEXT NOT NULL;'
    >>> set_column("orders", "placed", "date", False, "tsql", False)
    'ALTER TABLE orders ALTER COLUMN placed DATE NOT NULL;'
    """
    dtype = data_type(sql_type, dialect)
    how = facts_of(dialect).column_change
    if how == "modify":
        constraints = [] if nullable else [exp.ColumnConstraint(kind=exp.NotNullColumnConstraint())]
        definition = exp.ColumnDef(this=name_node(column), kind=dtype, constraints=constraints)
        return to_sql(_alter(table, [exp.ModifyColumn(this=definition)]), dialect)
    if how == "alter_column":
        # SQL Server restates type and nullability in one ALTER COLUMN
        action = exp.AlterColumn(this=name_node(column), dtype=dtype, allow_null=nullable)
        return to_sql(_alter(table, [action]), dialect)
    actions: list[exp.Expr] = []
    if retype:
        actions.append(exp.AlterColumn(this=name_node(column), dtype=dtype))
    if not nullable:
        actions.append(exp.AlterColumn(this=name_node(column), allow_null=False))
    return to_sql(_alter(table, actions), dialect)
