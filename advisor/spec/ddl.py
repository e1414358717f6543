"""Replay DDL files (a schema dump or migrations) into table drafts.

The schema package reads them: the dialect's front end (PostgreSQL's own parser for PostgreSQL,
sqlglot for the others) turns each statement into operations, and its state replays them, as it
does for ``advisor lint``. Each table the replay ends with becomes a draft. One statement the front
end cannot parse is an error naming its file and the line the parser stopped at. The DDL ran on a
real database, so a statement about a table we do not know (created by something skipped)
changes nothing.

Not represented, because the model cannot hold them: expression indexes, indexes with a non-default
operator class, non-B-tree indexes other than trigram ones (GIN, GiST, FULLTEXT...), temporary
tables, ``CREATE TABLE ... AS`` and ``PARTITION OF`` (their columns are not in the statement), and a
DEFAULT or CHECK that sqlglot, which writes the DDL we emit, cannot read.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from advisor.errors import AdvisorError, Location
from advisor.schema.names import key_of
from advisor.schema.ops import Expression, Loc
from advisor.schema.read import replay
from advisor.schema.state import implied_name
from advisor.schema.tables import IndexState, TableState
from advisor.spec.draft import (
    CheckDraft,
    ColumnDraft,
    ForeignKeyDraft,
    IndexDraft,
    KeyDraft,
    TableDraft,
)
from advisor.spec.model import spelled

_BTREE = frozenset({"btree", ""})
_TRIGRAM_METHODS = frozenset({"gin", "gist"})
_TRIGRAM_CLASSES = frozenset({"gin_trgm_ops", "gist_trgm_ops"})


def replay_files(files: list[Path], dialect: str, tables: dict[str, TableDraft]) -> None:
    """Apply every statement of ``files``, in order, and add the tables they leave to ``tables``
    (keyed by ``key_of`` name)."""
    schema = replay(files, dialect)
    drafter = _Drafter(dialect, {str(path): path for path in files})
    for state in schema.tables.values():
        if state.loc is not None and not (state.temporary or state.from_query or state.partition_of):
            draft = drafter.table(state)
            _refuse_twins(tables.get(draft.key), draft.name, "tables", draft.origin)
            tables[draft.key] = draft


class _Drafter:
    """Turns replayed tables into drafts: names spelled as the engine keeps them, expressions
    rebuilt by sqlglot without comments, unnamed keys and indexes named as PostgreSQL names them."""

    def __init__(self, dialect: str, paths: dict[str, Path]) -> None:
        self.dialect = dialect
        self.paths = paths

    def where(self, loc: Loc) -> Location:
        return Location(self.paths.get(loc.file, Path(loc.file)), loc.line)

    def name(self, name: str, table: bool = False) -> str:
        # Names arrive as the engine keeps them: PostgreSQL's parser folds unquoted ones, so
        # capitals there were quoted; the other engines' rules do not depend on quoting.
        return spelled(name.rsplit(".", 1)[-1] if table else name, True, self.dialect, table)

    def table(self, state: TableState) -> TableDraft:
        assert state.loc is not None
        origin = self.where(state.loc)
        table = TableDraft(name=self.name(state.name, table=True), origin=origin, from_ddl=True)
        table.partitioned, table.engine = state.partitioned, state.engine
        for column in state.columns.values():
            at = self.where(column.loc) if column.loc else origin
            default = column.default.text if column.default else None
            _refuse_twins(table.columns.get(key_of(column.name, any_case=True)), column.name, "columns", at)
            spelling = column.type_sql or (
                _type_text(str(column.type), self.dialect) if column.type else "text"
            )
            table.add_column(
                ColumnDraft(
                    name=self.name(column.name),
                    origin=at,
                    type=spelling,
                    nullable=not column.not_null,
                    default=self.expression(default, "default", at) if default else None,
                    identity=column.identity,
                )
            )
        for index in state.indexes:
            self.index(table, index, origin)
        table.foreign_keys = [
            ForeignKeyDraft(
                name=fk.name or fk.implied_name or implied_name(table.key, list(fk.columns), "fkey"),
                columns=[key_of(c, any_case=True) for c in fk.columns],
                target_table=key_of(fk.ref_table, any_case=True),
                target_columns=[key_of(c, any_case=True) for c in fk.ref_columns] or None,
                origin=self.where(fk.loc) if fk.loc else origin,
                on_delete=fk.on_delete,
                on_update=fk.on_update,
            )
            for fk in state.foreign_keys
        ]
        for check in state.checks:
            at = self.where(check.loc) if check.loc else origin
            sql = self.expression(check.expression, "check", at)
            if sql is not None:
                table.checks.append(CheckDraft(check.name, sql, _keys(check.expression), at))
        return table

    def index(self, table: TableDraft, index: IndexState, origin: Location) -> None:
        """A key's or an index's draft, where the model can hold it (see the module's docstring)."""
        at = self.where(index.loc) if index.loc else origin
        name = index.name or index.implied_name or ""
        columns = [key_of(c, any_case=True) for c in index.columns if c]
        if index.constraint is not None:
            suffix = "pkey" if index.constraint.value == "primary key" else "key"
            key = KeyDraft(name or implied_name(table.key, columns, suffix), columns, at)
            if suffix == "pkey":
                table.primary_key = key
            else:
                table.uniques.append(key)
            return
        if index.method in _TRIGRAM_METHODS:
            if _trigram(index) and columns[0] in table.columns:
                table.trigram[name.lower()] = columns[0]
            return
        plain = index.method in _BTREE and not any(index.opclasses) and len(columns) == len(index.columns)
        if not plain or not columns or None in index.include:
            return
        where = self.expression(index.where, "where", at) if index.where else None
        if index.where and where is None:
            return
        descending = index.descending or (False,) * len(columns)
        table.indexes[name.lower()] = IndexDraft(
            name=self.name(name),
            keys=list(zip(columns, descending, strict=True)),
            origin=at,
            include=[key_of(c, any_case=True) for c in index.include if c],
            where=where,
            unique=index.unique,
            predicate_columns=_keys(index.where) if index.where else [],
        )

    def expression(self, expression: Expression, kind: str, where: Location) -> str | None:
        """A DEFAULT, CHECK or index predicate as sqlglot writes it back, without comments; ``None``
        if sqlglot cannot read it, and an error if it holds what no engine takes there."""
        if expression.foreign is not None:
            raise AdvisorError(f"{kind.upper()} {expression.foreign}", where)
        if expression.rebuilt:
            return expression.sql
        import sqlglot
        from sqlglot.errors import SqlglotError

        from advisor.dialects import dialect as facts_of
        from advisor.schema.sqlglot_nodes import foreign_part
        from advisor.schema.statements import quiet_sqlglot
        from advisor.spec.expressions import without_comments

        engine = facts_of(self.dialect).sqlglot
        try:
            with quiet_sqlglot():
                tree = sqlglot.parse_one(expression.sql, read=engine)
        except SqlglotError:
            return None
        reason = foreign_part(tree, kind)
        if reason is not None:
            raise AdvisorError(f"{kind.upper()} {reason}", where)
        return without_comments(tree).sql(dialect=engine)


def _refuse_twins(known: TableDraft | ColumnDraft | None, name: str, what: str, where: Location) -> None:
    """Two tables, or two columns of a table, whose names differ only in case (``"Orders"`` and
    ``orders`` on PostgreSQL) are an error: a spec's YAML and patterns name them without quotes."""
    if known is not None:
        raise AdvisorError(
            f"{what} {known.name!r} and {name!r} differ only in case; advisor matches names without "
            "regard to case, as a spec and its patterns write them, so it cannot tell them apart",
            where,
        )


def _trigram(index: IndexState) -> bool:
    """A PostgreSQL trigram index: one column, ``gin_trgm_ops`` or ``gist_trgm_ops``."""
    return len(index.columns) == 1 and index.opclasses[:1] in {(c,) for c in _TRIGRAM_CLASSES}


def _keys(expression: Expression) -> list[str]:
    return sorted({key_of(c, any_case=True) for c in expression.columns})


@cache
def _type_text(text: str, dialect: str) -> str:
    """A type as the dialect's sqlglot writes it in lower case (``integer`` becomes ``int``), as a
    type written in YAML is; the text as it is if sqlglot cannot read it."""
    from sqlglot import exp
    from sqlglot.errors import SqlglotError

    from advisor.dialects import dialect as facts_of

    engine = facts_of(dialect).sqlglot
    try:
        return exp.DataType.build(text, dialect=engine).sql(dialect=engine).lower()
    except SqlglotError:
        return text
