"""CREATE INDEX / DROP INDEX for a target engine, with the features it has and fallbacks where it
has none: INCLUDE becomes trailing keys, a partial index on MySQL becomes a full one (and says so),
TEXT keys on MySQL get a prefix length, names fit the engine's limit and never collide."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlglot import exp
from sqlglot.dialects.dialect import Dialect

from advisor.emit.expressions import translate
from advisor.emit.names import fit_name, identifier, table_ref
from advisor.emit.schema import key_columns
from advisor.emit.target import Target
from advisor.oneline import LINE_BREAKS
from advisor.spec.model import Index, IndexKey


@dataclass(frozen=True)
class Statement:
    """One statement with the comment lines that explain it."""

    sql: exp.Expr
    notes: tuple[str, ...] = ()


class NameBook:
    """Index names already taken: per schema on PostgreSQL and SQLite, per table on MySQL
    (``Dialect.index_names_per_table``)."""

    def __init__(self, target: Target, tables: Sequence[str] = ()) -> None:
        """``tables``: the schema's table names, which PostgreSQL and SQLite keep in the same
        namespace as index names (an index called like a table cannot be created there)."""
        self.target = target
        self.taken: set[tuple[str, str]] = set()
        if not target.index_names_per_table:
            self.taken.update(("", fit_name(t, target.name_limit).lower()) for t in tables)

    def claim(self, name: str, table: str) -> str:
        """``name`` fitted to the engine's limit; made unique with a hash of its table if taken."""
        scope = table.lower() if self.target.index_names_per_table else ""
        fitted = fit_name(name, self.target.name_limit)
        if (scope, fitted.lower()) in self.taken:
            fitted = fit_name(name, self.target.name_limit, salt=f"{table}.{name}", force_hash=True)
        self.taken.add((scope, fitted.lower()))
        return fitted


def nulls_first(dialect: str, descending: bool) -> bool:
    """The engine's default null placement, so that no NULLS FIRST/LAST clause is written."""
    ordering = Dialect.get_or_raise(dialect).NULL_ORDERING
    if ordering == "nulls_are_large":
        return descending
    if ordering == "nulls_are_small":
        return not descending
    return False


def create_index(
    index: Index,
    target: Target,
    source: str,
    types: dict[str, exp.DataType],
    concurrently: bool = True,
) -> Statement:
    """CREATE INDEX for ``index`` on ``target``; ``types`` are the table's column types there."""
    dialect = target.dialect
    notes: list[str] = []
    keys = list(index.keys)
    include = list(index.include)
    if include and not target.include:
        known = {k.column.lower() for k in keys}
        keys += [IndexKey(c) for c in include if c.lower() not in known]
        include = []
        notes.append(f"{target.label} has no INCLUDE: the covering columns are trailing keys")
    where = index.where
    if where is not None and not target.partial:
        notes.append(
            f"{target.label} has no partial indexes: this is the full index; the predicate "
            f"WHERE {where} is left out, so the index also holds every other row"
        )
        where = None
    if where is not None and target.facts.partial_matched_by_text and LINE_BREAKS.intersection(where):
        # SQLite spells no string with a line break on one line (``literals``), and uses a partial
        # index only for a query whose condition matches the predicate's text
        notes.append(
            "SQLite cannot write this predicate's string on one line: this is the full index; the "
            f"predicate WHERE {where} is left out, so the index also holds every other row"
        )
        where = None
    columns = key_columns([k.column for k in keys], types, target)
    ordered = [
        exp.Ordered(this=col, desc=k.descending or None, nulls_first=nulls_first(dialect, k.descending))
        for col, k in zip(columns, keys, strict=True)
    ]
    params = exp.IndexParameters(columns=ordered)
    if include:
        params.set("include", [identifier(c, dialect) for c in include])
    if where is not None:
        params.set("where", exp.Where(this=translate(where, source, dialect)))
    node = exp.Index(
        this=identifier(index.name, dialect),
        table=table_ref(index.table, dialect),
        params=params,
    )
    create = exp.Create(
        this=node,
        kind="INDEX",
        unique=index.unique,
        exists=target.index_if_not_exists,
        concurrently=target.concurrently and concurrently,
    )
    return Statement(create, tuple(notes))


def drop_index(name: str, table: str, target: Target, concurrently: bool = True) -> Statement:
    """DROP INDEX; MySQL names the table it is on."""
    dialect = target.dialect
    drop = exp.Drop(
        tables=[exp.Table(this=identifier(name, dialect))],
        kind="INDEX",
        exists=target.index_if_not_exists,
    )
    if target.concurrently:
        drop.set("concurrently", concurrently)
    if target.index_names_per_table:
        drop.set("cluster", exp.OnProperty(this=table_ref(table, dialect)))
    return Statement(drop)


def index_keys_text(keys: Sequence[IndexKey]) -> str:
    return ", ".join(k.column + (" DESC" if k.descending else "") for k in keys)
