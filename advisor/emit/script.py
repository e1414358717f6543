"""DDL scripts: the full schema (tables in dependency order, then indexes) or only the recommended
changes, for any target engine. Every statement is a sqlglot expression; only comments are text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlglot import exp

from advisor.emit.changes import Change
from advisor.emit.comment import comment
from advisor.emit.ddl import as_declared, index_name
from advisor.emit.indexes import NameBook, Statement, create_index, drop_index
from advisor.emit.literals import single_line
from advisor.emit.schema import column_types, create_table, dependency_order, key_problem, refuse_key
from advisor.emit.target import Target
from advisor.emit.types import reference_problem
from advisor.errors import AdvisorError, Location
from advisor.spec.model import Index, Spec

_CYCLE_NOTE = (
    "a reference cycle: added once both tables exist (there is no ADD CONSTRAINT IF NOT EXISTS, "
    "so this statement fails when the script runs a second time)"
)


@dataclass
class Section:
    heading: str
    statements: list[Statement] = field(default_factory=list)
    spaced: bool = False
    """A blank line between statements (each has its own explanation)."""
    notes: list[str] = field(default_factory=list)
    """Comment lines under the heading."""


@dataclass
class Script:
    target: Target
    header: list[str]
    sections: list[Section]

    def statements(self) -> list[str]:
        """Each statement's SQL, in order, without comments or the final semicolon."""
        return [self._sql(s) for sec in self.sections for s in sec.statements]

    def _sql(self, statement: Statement) -> str:
        # a literal from the input must not break the line (``literals``)
        return single_line(statement.sql.sql(dialect=self.target.dialect), self.target.dialect)

    def render(self) -> str:
        """The script; every comment line goes through ``comment``, so no name or literal it
        echoes can end the line and turn the rest into SQL."""
        lines = [comment(line) for line in self.header]
        for section in self.sections:
            lines.append("")
            lines.extend(comment(line) for line in (section.heading, *section.notes))
            if not section.statements and section.heading != "no changes recommended":
                lines.append(comment("(none)"))
            for number, statement in enumerate(section.statements):
                if section.spaced and number:
                    lines.append("")
                lines.extend(comment(note) for note in statement.notes)
                lines.append(self._sql(statement) + ";")
        return "\n".join(lines) + "\n"


def _types(spec: Spec, target: Target) -> dict[str, dict[str, exp.DataType]]:
    return {t.name.lower(): column_types(t, spec.dialect, target, spec.path) for t in spec.tables}


def table_statements(spec: Spec, target: Target, book: NameBook) -> Section:
    """CREATE TABLE for every table, referenced ones first; cycles closed by ALTER TABLE."""
    section = Section("tables, each after the tables it references")
    _check_references(spec, target, _types(spec, target))
    later: list[Statement] = []
    created: set[str] = set()
    for table in dependency_order(spec.tables):
        ddl = create_table(table, spec.dialect, target, created, spec.path)
        created.add(table.name.lower())
        section.statements.append(Statement(ddl.create, ddl.notes))
        later.extend(Statement(alter, (_CYCLE_NOTE,)) for alter in ddl.later)
        for index in table.indexes:
            if index.origin in ("unique", "primary_key"):
                book.claim(index.name, table.name)
    section.statements.extend(later)
    return section


def _check_references(spec: Spec, target: Target, types: dict[str, dict[str, exp.DataType]]) -> None:
    """A foreign key between columns the engine cannot compare is an error at the column's line."""
    for table in spec.tables:
        for fk in table.foreign_keys:
            parent = types.get(fk.ref_table.lower())
            if not fk.constraint or parent is None:
                continue
            for column, referenced in zip(fk.columns, fk.ref_columns, strict=True):
                child_type = types[table.name.lower()].get(column.lower())
                parent_type = parent.get(referenced.lower())
                if child_type is None or parent_type is None:
                    continue
                reason = reference_problem(child_type, parent_type, target.dialect)
                if reason is not None:
                    col = table.column(column)
                    where = Location(
                        spec.path,
                        col.line if col else table.line,
                        f"tables.{table.name}.columns.{column}.references",
                    )
                    raise AdvisorError(f"cannot reference {fk.ref_table}.{referenced}: {reason}", where)


def existing_index_statements(
    spec: Spec, target: Target, book: NameBook, concurrently: bool, leave_out: dict[str, str]
) -> tuple[Section, list[str]]:
    """CREATE INDEX for the declared indexes; ``leave_out`` maps names to the reason (a recommended
    drop) they are not created. Returns the section and a comment line per left-out index."""
    section = Section("indexes that exist today")
    skipped: list[str] = []
    types = _types(spec, target)
    for table in spec.tables:
        for index in table.indexes:
            if index.origin != "declared":
                continue
            if index.name.lower() in leave_out:
                skipped.append(f"{index.name} on {table.name} is left out: {leave_out[index.name.lower()]}")
                continue
            refuse_key(
                table,
                _built_keys(index.columns, index.include, target),
                types[table.name.lower()],
                target,
                spec.path,
                index.line,
                f"indexes.{index.name}",
            )
            spec_ = Index(
                book.claim(index.name, table.name),
                table.name,
                index.keys,
                index.include,
                index.where,
                index.unique,
            )
            section.statements.append(
                create_index(spec_, target, spec.dialect, types[table.name.lower()], concurrently)
            )
    return section, skipped


def change_statements(
    spec: Spec, changes: Sequence[Change], target: Target, book: NameBook, concurrently: bool, drops: bool
) -> Section:
    """The recommended CREATE INDEX statements, then (with ``drops``) the DROP INDEX ones."""
    section = Section("recommended indexes", spaced=True)
    types = _types(spec, target)
    for change in changes:
        design = change.design
        note = f"#{change.number} {', '.join(change.rules)}: {change.label}"
        if change.action == "create":
            reason = key_problem(
                _built_keys(design.columns, design.include, target), types[design.table], target
            )
            if reason is not None:
                section.notes.append(
                    f"#{change.number} ({change.label}) is left out: {target.label} cannot build it: {reason}"
                )
                continue
            spec_ = recommended_index(spec, change, target, book)
            built = create_index(spec_, target, spec.dialect, types[design.table], concurrently)
            section.statements.append(Statement(built.sql, (note, *built.notes)))
        elif drops and design.name is not None:
            built = drop_index(design.name, spec.declared(design.table), target, concurrently)
            section.statements.append(Statement(built.sql, (note,)))
    return section


def _built_keys(columns: Sequence[str], include: Sequence[str], target: Target) -> list[str]:
    """The columns an index's B-tree holds: INCLUDE columns too where they become trailing keys."""
    return [*columns, *([] if target.include else include)]


def recommended_index(spec: Spec, change: Change, target: Target, book: NameBook) -> Index:
    """The index a ``create`` change builds, named for ``target``."""
    name = book.claim(change.name or index_name(change.design, target.dialect), change.design.table)
    design = as_declared(change.design, spec.table(change.design.table))
    return Index(
        name,
        design.table,
        design.keys,
        design.include,
        design.where.sql if design.where is not None else None,
        design.unique,
    )


def _header(spec: Spec, target: Target, what: str, concurrently: bool) -> list[str]:
    source = "" if target.name == spec.dialect else f"; input dialect {spec.dialect}"
    lines = [f"advisor: {what} for {spec.path.name} ({target.name}{source})"]
    if not target.tested:
        lines.append(f"{target.label}: generated by sqlglot but untested on a real engine; review it first")
    if target.concurrently and concurrently:
        lines.append("CONCURRENTLY cannot run inside a transaction block: run these statements one by one.")
    if not target.index_if_not_exists:
        lines.append(
            "MySQL 8 has no CREATE INDEX IF NOT EXISTS: index statements fail if run twice "
            "(--dialect mariadb writes them re-runnable for MariaDB)."
        )
    return lines


def full_schema(spec: Spec, changes: Sequence[Change], target: Target, concurrently: bool) -> Script:
    """Tables, the indexes that exist (less those the plan drops), then the recommended ones."""
    book = NameBook(target, [t.name for t in spec.tables])
    tables = table_statements(spec, target, book)
    dropped = {
        c.design.name.lower(): f"#{c.number} {', '.join(c.rules)} recommends dropping it"
        for c in changes
        if c.action == "drop" and c.design.name
    }
    existing, skipped = existing_index_statements(spec, target, book, concurrently, dropped)
    recommended = change_statements(spec, changes, target, book, concurrently, drops=False)
    existing.notes.extend(skipped)
    header = _header(spec, target, "full schema with the recommended indexes", concurrently)
    return Script(target, header, [tables, existing, recommended])


def changes_only(spec: Spec, changes: Sequence[Change], target: Target, concurrently: bool) -> Script:
    """A migration of the recommended changes: creates first, then the drops they make redundant,
    so that no query loses its index in between."""
    book = NameBook(target, [t.name for t in spec.tables])
    for table in spec.tables:
        for index in table.indexes:
            book.claim(index.name, table.name)
    ordered = [c for c in changes if c.action == "create"] + [c for c in changes if c.action == "drop"]
    section = change_statements(spec, ordered, target, book, concurrently, drops=True)
    header = _header(spec, target, "recommended index changes", concurrently)
    if not section.statements:
        section.heading = "no changes recommended"
    return Script(target, header, [section])
