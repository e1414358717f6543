"""Apply ``tables:`` to the drafts from the DDL: statistics, extra columns and tables, overrides.

A table only in ``tables:`` is defined there entirely. For a table from the DDL, a key given in YAML
wins over what the DDL says; keys left out keep the DDL's value. The checks that need the YAML's own
positions (column names in keys, indexes and dependencies, statistics against each other) run here.
"""

from __future__ import annotations

from pathlib import Path

from sqlglot import exp

from advisor.errors import AdvisorError, Location
from advisor.schema.names import key_of
from advisor.schema.state import implied_name
from advisor.spec.draft import (
    CheckDraft,
    ColumnDraft,
    ForeignKeyDraft,
    IndexDraft,
    KeyDraft,
    TableDraft,
)
from advisor.spec.expressions import parse_expression
from advisor.spec.input import ColumnIn, IndexIn, TableIn
from advisor.spec.yamlsource import LineDict, PathPart, format_path, line_at

FREQUENCY_TOLERANCE = 1e-3
"""Shares may add up to a little over 1 from rounding (0.333 + 0.333 + 0.335)."""


def parse_dependency(text: str) -> tuple[list[str], list[str]]:
    """The two sides of ``"a, b -> c"``; ``ValueError`` when it is not of that form.

    >>> parse_dependency("user_id, day -> user_email")
    (['user_id', 'day'], ['user_email'])
    """
    sides = text.split("->")
    if len(sides) != 2:
        raise ValueError("must look like 'a, b -> c'")
    lhs, rhs = ([name.strip() for name in side.split(",")] for side in sides)
    if not all(lhs) or not all(rhs):
        raise ValueError("must look like 'a, b -> c' (a column name is missing)")
    return lhs, rhs


def parse_reference(text: str) -> tuple[str, str]:
    """``(table key, column key)`` of ``"table.column"`` (a schema prefix is ignored).

    >>> parse_reference("public.Users.user_id")
    ('users', 'user_id')
    """
    parts = [part.strip() for part in text.split(".")]
    if len(parts) < 2 or not parts[-1] or not parts[-2]:
        raise ValueError("must be 'table.column'")
    return key_of(parts[-2], any_case=True), key_of(parts[-1], any_case=True)


class TableMerger:
    """Applies the validated ``tables:`` mapping to the drafts, naming YAML positions in errors."""

    def __init__(
        self, tables: dict[str, TableDraft], raw: LineDict, path: Path, dialect: str = "postgres"
    ) -> None:
        self.tables = tables
        self.raw = raw
        self.path = path
        self.dialect = dialect

    def at(self, *parts: PathPart) -> Location:
        """The location of the YAML element at ``parts``."""
        return Location(self.path, line_at(self.raw, parts), format_path(parts))

    def apply(self, given: dict[str, TableIn | None]) -> None:
        """Apply every table of ``tables:``, in file order."""
        seen: dict[str, str] = {}
        for name, table_in in given.items():
            key = key_of(name, any_case=True)
            if not key.strip():
                raise AdvisorError("a table name must not be empty", self.at("tables", name))
            if key in seen:
                raise AdvisorError(
                    f"table {name!r} is already given as {seen[key]!r}", self.at("tables", name)
                )
            seen[key] = name
            table = self.tables.get(key)
            if table is None:
                table = TableDraft(name=name.rsplit(".", 1)[-1], origin=self.at("tables", name))
                self.tables[key] = table
            table.yaml_line = line_at(self.raw, ("tables", name))
            if table_in is not None:
                self._apply_table(table, name, table_in)

    def _apply_table(self, table: TableDraft, name: str, given: TableIn) -> None:
        """One table's statistics, columns, keys, indexes and dependencies."""
        base: tuple[PathPart, ...] = ("tables", name)
        if given.rows is not None:
            table.rows = given.rows
        if given.growth_per_day is not None:
            table.growth_per_day = given.growth_per_day
        if given.all_visible is not None:
            table.all_visible = given.all_visible
        if given.consistency is not None:
            table.consistency = given.consistency.value
        if given.sensitive is not None:
            table.sensitive = given.sensitive
        columns = given.columns or {}
        seen: dict[str, str] = {}
        for column_name, column_in in columns.items():
            key = key_of(column_name, any_case=True)
            if not key.strip():
                raise AdvisorError("a column name must not be empty", self.at(*base, "columns", column_name))
            if key in seen:
                raise AdvisorError(
                    f"column {column_name!r} is already given as {seen[key]!r}",
                    self.at(*base, "columns", column_name),
                )
            seen[key] = column_name
            self._apply_column(table, (*base, "columns", column_name), column_name, column_in)
        self._apply_primary_key(table, base, given)
        for column_name, column_in in columns.items():
            if column_in is not None:
                self._check_column_stats(table, (*base, "columns", column_name), column_in)
        for index, index_in in enumerate(given.indexes or []):
            self._apply_index(table, (*base, "indexes", index), index_in, given.indexes or [])
        for number, text in enumerate(given.functional_dependencies or []):
            self._apply_dependency(table, (*base, "functional_dependencies", number), text)

    def _apply_column(
        self, table: TableDraft, path: tuple[PathPart, ...], name: str, given: ColumnIn | None
    ) -> None:
        """Add or update a column; only the keys given change it."""
        key = key_of(name, any_case=True)
        column = table.columns.get(key)
        if column is None:
            column = ColumnDraft(name=name, origin=self.at(*path))
            table.add_column(column)
        column.yaml_line = line_at(self.raw, path)
        if given is None:
            return
        if given.type is not None:
            column.type = given.type.strip().lower()
        if given.nullable is not None:
            column.nullable = given.nullable
        if given.ndv is not None:
            column.ndv = given.ndv
        if given.frequencies is not None:
            column.frequencies = tuple(given.frequencies.items())
        if given.null_frac is not None:
            column.null_frac = given.null_frac
        if given.correlation is not None:
            column.correlation = given.correlation
        if given.histogram is not None:
            column.histogram = tuple(given.histogram)
        if given.unique is not None:
            table.uniques = [u for u in table.uniques if u.columns != [key]]
            if given.unique:
                name_ = implied_name(table.key, [key], "key")
                table.uniques.append(KeyDraft(name=name_, columns=[key], origin=self.at(*path, "unique")))
        if given.references is not None:
            self._apply_reference(table, key, path, given.references)
        if given.default is not None:
            column.default = self._expression(given.default, (*path, "default"), "default").sql(
                dialect=self.dialect
            )
        if given.check is not None:
            condition = self._expression(given.check, (*path, "check"), "check")
            columns = sorted({key_of(c.name, any_case=True) for c in condition.find_all(exp.Column)})
            table.checks.append(
                CheckDraft(None, condition.sql(dialect=self.dialect), columns, self.at(*path, "check"))
            )
        if given.on_delete is not None or given.on_update is not None:
            self._apply_actions(table, key, path, given)

    def _expression(self, value: str | int | float | bool, path: tuple[PathPart, ...], kind: str) -> exp.Expr:
        """A SQL expression of the file's dialect given in YAML: exactly one ``kind`` expression
        (``advisor.spec.expressions``), or an error at its line."""
        if isinstance(value, bool):
            return exp.Boolean(this=value)
        if isinstance(value, int | float):
            return exp.Literal.number(value)
        try:
            return parse_expression(value, self.dialect, kind)
        except ValueError as exc:
            hint = "; quote strings: \"'text'\"" if kind == "default" and str(exc).startswith("not") else ""
            raise AdvisorError(f"{exc}{hint}", self.at(*path)) from None

    def _apply_actions(
        self, table: TableDraft, key: str, path: tuple[PathPart, ...], given: ColumnIn
    ) -> None:
        """``on_delete`` / ``on_update`` for the column's foreign key."""
        fk = next((f for f in table.foreign_keys if f.columns == [key]), None)
        if fk is None:
            field = "on_delete" if given.on_delete is not None else "on_update"
            raise AdvisorError("needs a foreign key: give references: table.column", self.at(*path, field))
        if given.on_delete is not None:
            fk.on_delete = given.on_delete.upper()
        if given.on_update is not None:
            fk.on_update = given.on_update.upper()

    def _apply_reference(self, table: TableDraft, key: str, path: tuple[PathPart, ...], text: str) -> None:
        """``references: table.column``: replaces any foreign key on the column."""
        where = self.at(*path, "references")
        try:
            target_table, target_column = parse_reference(text)
        except ValueError as exc:
            raise AdvisorError(str(exc), where) from None
        replaced = [fk for fk in table.foreign_keys if key in fk.columns]
        same = next((fk for fk in replaced if fk.columns == [key] and fk.target_table == target_table), None)
        table.foreign_keys = [fk for fk in table.foreign_keys if key not in fk.columns]
        table.foreign_keys.append(
            ForeignKeyDraft(
                name=same.name if same else implied_name(table.key, [key], "fkey"),
                columns=[key],
                target_table=target_table,
                target_columns=[target_column],
                origin=where,
                on_delete=same.on_delete if same else None,
                on_update=same.on_update if same else None,
                # A table of the DDL keeps the constraints its DDL declares; YAML only adds join hints.
                constraint=same is not None or table.origin.file == self.path,
            )
        )

    def _check_column_stats(self, table: TableDraft, path: tuple[PathPart, ...], given: ColumnIn) -> None:
        """Statistics that contradict each other or the table: ndv vs rows, shares vs ndv."""
        column = table.columns[key_of(str(path[-1]), any_case=True)]
        if given.ndv is not None and table.rows is not None and given.ndv > table.rows:
            raise AdvisorError(
                f"{given.ndv} distinct values is more than the table's {table.rows} rows",
                self.at(*path, "ndv"),
            )
        if given.frequencies:
            total = sum(given.frequencies.values())
            if total > 1 + FREQUENCY_TOLERANCE:
                raise AdvisorError(
                    f"the shares add up to {total:g}, more than 1 (all rows)", self.at(*path, "frequencies")
                )
            if column.ndv is not None and len(given.frequencies) > column.ndv:
                raise AdvisorError(
                    f"lists {len(given.frequencies)} values but ndv is {column.ndv}",
                    self.at(*path, "frequencies"),
                )
        key = key_of(str(path[-1]), any_case=True)
        if given.null_frac and table.primary_key is not None and key in table.primary_key.columns:
            raise AdvisorError(
                f"a primary key column has no NULLs, but null_frac says {given.null_frac:g}",
                self.at(*path, "null_frac"),
            )
        if given.null_frac and not column.nullable:
            field = "null_frac" if given.nullable is None else "nullable"
            raise AdvisorError(
                f"the column is NOT NULL but null_frac says {given.null_frac:g} of its rows are NULL",
                self.at(*path, field),
            )
        if (
            given.nullable
            and table.primary_key is not None
            and key_of(str(path[-1]), any_case=True) in table.primary_key.columns
        ):
            raise AdvisorError("a primary key column cannot be nullable", self.at(*path, "nullable"))

    def _apply_primary_key(self, table: TableDraft, base: tuple[PathPart, ...], given: TableIn) -> None:
        """Table-level ``primary_key`` wins, then one column marked ``primary_key: true``, then the DDL."""
        columns = given.columns or {}
        flagged = [name for name, col in columns.items() if col is not None and col.primary_key]
        name = table.primary_key.name if table.primary_key else implied_name(table.key, [], "pkey")
        if given.primary_key is not None:
            keys = self._require_columns(table, (*base, "primary_key"), given.primary_key)
            for number, key in enumerate(keys):
                if key in keys[:number]:
                    raise AdvisorError(
                        f"{key!r} is already in the key", self.at(*base, "primary_key", number)
                    )
            for column_name in flagged:
                if key_of(column_name, any_case=True) not in keys:
                    raise AdvisorError(
                        f"is not in the table's primary_key {given.primary_key}",
                        self.at(*base, "columns", column_name, "primary_key"),
                    )
            table.primary_key = KeyDraft(name=name, columns=keys, origin=self.at(*base, "primary_key"))
        elif len(flagged) > 1:
            raise AdvisorError(
                f"more than one column has primary_key: true; give a composite key as "
                f"{format_path((*base, 'primary_key'))}: [{', '.join(flagged)}]",
                self.at(*base, "columns", flagged[1], "primary_key"),
            )
        elif flagged:
            where = self.at(*base, "columns", flagged[0], "primary_key")
            table.primary_key = KeyDraft(name=name, columns=[key_of(flagged[0], any_case=True)], origin=where)
        pk = table.primary_key.columns if table.primary_key else []
        for column_name, col in columns.items():
            if col is not None and col.primary_key is False and key_of(column_name, any_case=True) in pk:
                raise AdvisorError(
                    "says false, but the column is part of the primary key",
                    self.at(*base, "columns", column_name, "primary_key"),
                )

    def _require_columns(self, table: TableDraft, path: tuple[PathPart, ...], names: list[str]) -> list[str]:
        """The keys of ``names``; one that is not a column is an error at its own list position."""
        keys = []
        for number, name in enumerate(names):
            key = key_of(name, any_case=True)
            if key not in table.columns:
                raise AdvisorError(
                    f"{name!r} is not a column of table {table.name!r}", self.at(*path, number)
                )
            keys.append(key)
        return keys

    def _apply_index(
        self, table: TableDraft, path: tuple[PathPart, ...], given: IndexIn, siblings: list[IndexIn]
    ) -> None:
        """An existing index from ``indexes:``; one of the same name from the DDL is replaced."""
        keys = self._require_columns(table, (*path, "columns"), [k.column for k in given.columns])
        include = self._require_columns(table, (*path, "include"), given.include or [])
        name = given.name or table.fresh_index_name("_".join([table.key, *keys, "idx"]))
        where = self._expression(given.where, (*path, "where"), "where") if given.where is not None else None
        for column in where.find_all(exp.Column) if where is not None else ():
            if key_of(column.name, any_case=True) not in table.columns:
                raise AdvisorError(
                    f"{column.name!r} is not a column of table {table.name!r}", self.at(*path, "where")
                )
        earlier = [s.name.lower() for s in siblings[: int(path[-1])] if s.name]
        if name.lower() in earlier:
            raise AdvisorError(f"index {name!r} is listed twice", self.at(*path, "name"))
        table.indexes[name.lower()] = IndexDraft(
            name=name,
            keys=[(key, k.descending) for key, k in zip(keys, given.columns, strict=True)],
            origin=self.at(*path),
            include=include,
            where=where.sql(dialect=self.dialect) if where is not None else None,
            unique=given.unique,
            yaml_line=line_at(self.raw, path),
            predicate_columns=sorted({key_of(c.name, any_case=True) for c in where.find_all(exp.Column)})
            if where
            else [],
            scans=given.scans,
        )

    def _apply_dependency(self, table: TableDraft, path: tuple[PathPart, ...], text: str) -> None:
        """A functional dependency ``a, b -> c`` over columns of the table."""
        where = self.at(*path)
        try:
            lhs, rhs = parse_dependency(text)
        except ValueError as exc:
            raise AdvisorError(str(exc), where) from None
        for name in [*lhs, *rhs]:
            if key_of(name, any_case=True) not in table.columns:
                raise AdvisorError(f"{name!r} is not a column of table {table.name!r}", where)
        table.functional_dependencies.append(
            ([key_of(n, any_case=True) for n in lhs], [key_of(n, any_case=True) for n in rhs], where)
        )
