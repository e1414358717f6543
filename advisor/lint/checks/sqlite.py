"""SQLite rules: ALTER TABLE forms SQLite does not have, which need the table to be rebuilt."""

from __future__ import annotations

from collections.abc import Iterator

from advisor.catalog.fixes import fix_line
from advisor.catalog.model import Severity
from advisor.lint.checks.base import SQLITE, Hit, LintContext, rule
from advisor.schema.ops import (
    AddColumn,
    AddConstraint,
    AlterColumnType,
    DropColumn,
    DropConstraint,
    DropNotNull,
    Op,
    SetDefault,
    SetNotNull,
)

_UNSUPPORTED = {
    AlterColumnType: "change a column's type",
    SetNotNull: "add NOT NULL to a column",
    DropNotNull: "drop NOT NULL from a column",
    SetDefault: "change a column's default",
    AddConstraint: "add a constraint to a table",
    DropConstraint: "drop a constraint",
}


def _add_column_problem(op: AddColumn) -> str | None:
    column = op.column
    if column.primary_key or column.unique:
        return "add a PRIMARY KEY or UNIQUE column"
    if column.default is not None and not column.default.constant:
        return "add a column whose default is an expression (CURRENT_TIMESTAMP, a function call)"
    if column.generated_stored:
        return "add a STORED generated column"
    return None


@rule("MIG060", *_UNSUPPORTED, AddColumn, DropColumn, dialects=SQLITE, severity=Severity.ERROR)
def needs_table_rebuild(op: Op, ctx: LintContext) -> Iterator[Hit]:
    if isinstance(op, AddColumn):
        what = _add_column_problem(op)
    elif isinstance(op, DropColumn):
        what = None if ctx.version_at_least(3, 35) else "drop a column before SQLite 3.35"
    else:
        what = _UNSUPPORTED.get(type(op))
    if what is None:
        return
    yield Hit(op.loc, f"SQLite's ALTER TABLE cannot {what}: the statement fails", fix_line("MIG060"))
