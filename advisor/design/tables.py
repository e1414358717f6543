"""From spec tables to relations and back: the dependencies a table declares (its keys
included), the copies of parent columns it keeps, and the migration that turns a decomposition
into DDL (new tables with keys and foreign keys, the data copied, the moved columns dropped).

>>> from advisor.spec.model import Column, FunctionalDependency, Table
>>> emp = Table(
...     "employees",
...     (Column("emp_id", "bigint", primary_key=True), Column("dept_id", "int"), Column("dept_name", "text")),
...     primary_key=("emp_id",),
...     functional_dependencies=(FunctionalDependency(("dept_id",), ("dept_name",)),),
... )
>>> [fd.text() for fd in table_dependencies(emp)]
['dept_id -> dept_name', 'emp_id -> dept_id, dept_name']
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlglot import exp

from advisor.design.decompose import Relation, project, projectable
from advisor.design.dependencies import Dependency, candidate_keys, ordered
from advisor.dialects import dialect as dialect_facts
from advisor.emit.names import table_node
from advisor.emit.tables import (
    ColumnSpec,
    ForeignKeySpec,
    NewTable,
    add_column,
    create_table,
    drop_column,
    foreign_key,
)
from advisor.spec.model import Spec, Table


def attributes(table: Table) -> tuple[str, ...]:
    """The table's columns, lower-cased, in declaration order."""
    return tuple(c.name.lower() for c in table.columns)


def keys_declared(table: Table) -> list[tuple[str, ...]]:
    """Primary key, NOT NULL unique columns and full unique indexes: each determines the row."""
    keys: list[tuple[str, ...]] = []
    if table.primary_key:
        keys.append(tuple(c.lower() for c in table.primary_key))
    keys += [(c.name.lower(),) for c in table.columns if c.unique and not c.nullable]
    keys += [
        tuple(c.lower() for c in ix.columns)
        for ix in table.indexes
        if ix.unique and ix.where is None and all(not _nullable(table, c) for c in ix.columns)
    ]
    return list(dict.fromkeys(keys))


def _nullable(table: Table, name: str) -> bool:
    col = table.column(name)
    return col is None or (col.nullable and not col.primary_key)


def declared_dependencies(table: Table) -> tuple[Dependency, ...]:
    """The table's ``functional_dependencies`` as written (lower-cased names)."""
    return tuple(
        Dependency.of((c.lower() for c in fd.lhs), (c.lower() for c in fd.rhs))
        for fd in table.functional_dependencies
    )


def table_dependencies(table: Table, skip: Iterable[Dependency] = ()) -> tuple[Dependency, ...]:
    """The declared dependencies (minus ``skip``) and one ``key -> every other column`` per key."""
    attrs = attributes(table)
    skipped = set(skip)
    out = [fd for fd in declared_dependencies(table) if fd not in skipped]
    for key in keys_declared(table):
        rest = frozenset(attrs) - frozenset(key)
        if rest:
            out.append(Dependency.of(key, rest))
    return tuple(sorted(out, key=lambda fd: (ordered(fd.lhs, attrs), ordered(fd.rhs, attrs))))


@dataclass(frozen=True)
class Copy:
    """``table.column`` holds ``parent.parent_column`` of the row ``table.via`` references."""

    table: str
    column: str
    via: str
    parent: str
    parent_column: str
    dependency: Dependency


def parent_column_for(column: str, via: str, parent: Table, same_table: bool = False) -> str | None:
    """The parent's column that ``column`` copies, by name: the same name, or the name after the
    reference's stem (``user_email`` through ``user_id`` is ``email``) or the parent's name.

    >>> from advisor.spec.model import Column, Table
    >>> users = Table("users", (Column("user_id", primary_key=True), Column("email")), primary_key=("user_id",))
    >>> parent_column_for("user_email", "user_id", users), parent_column_for("email", "user_id", users)
    ('email', 'email')
    >>> parent_column_for("user_id", "user_id", users) is None
    True
    """
    stem = via[: -len("_id")] if via.endswith("_id") else via
    name = parent.name.lower()
    prefixes = {stem + "_", name + "_", name.rstrip("s") + "_"}
    stripped = [column[len(p) :] for p in prefixes if column.startswith(p) and len(column) > len(p)]
    # In a self-reference the column's own name is itself, not a copy.
    candidates = stripped if same_table else [column, *stripped]
    pk = {c.lower() for c in parent.primary_key}
    for candidate in candidates:
        col = parent.column(candidate)
        if col is not None and candidate not in pk and not col.primary_key:
            return col.name.lower()
    return None


def copies(spec: Spec, table: Table) -> list[Copy]:
    """Columns a declared dependency through a ``references`` column ties to a parent's column."""
    out = []
    for fd in declared_dependencies(table):
        if len(fd.lhs) != 1:
            continue
        (via,) = fd.lhs
        col = table.column(via)
        if col is None or col.references is None:
            continue
        parent = spec.table(col.references[0])
        if parent is None:
            continue
        for attr in ordered(fd.rhs, attributes(table)):
            same = parent.name.lower() == table.name.lower()
            source = parent_column_for(attr, via, parent, same_table=same)
            if source is not None:
                out.append(Copy(table.name.lower(), attr, via, parent.name.lower(), source, fd))
    return out


# -- proposals --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Placement:
    """Where one relation of a decomposition goes."""

    relation: Relation
    name: str
    kind: str
    """``keep`` (the original table, narrowed), ``new`` (a new table) or ``parent`` (the columns
    move to the table that the key already references)."""


def place(
    spec: Spec,
    table: Table,
    relations: Sequence[Relation],
    keys: Sequence[frozenset[str]],
    fds: Sequence[Dependency] = (),
) -> list[Placement]:
    """Name each relation: the one holding the table's primary key (or else one of its candidate
    ``keys``) keeps the table's name; one keyed by a single ``references`` column moves into that
    parent; the others become new tables named after their key."""
    attrs = attributes(table)
    pk = frozenset(c.lower() for c in table.primary_key)
    wanted = [pk, *keys] if pk else list(keys)
    main = next((r for k in wanted for r in relations if k <= set(r.attributes)), relations[0])
    taken = {t.name.lower() for t in spec.tables}
    out = []
    for rel in relations:
        if rel is main:
            out.append(Placement(rel, table.name.lower(), "keep"))
            continue
        rel = _keyed_for(rel, main, fds)
        if len(rel.key) == 1:
            col = table.column(rel.key[0])
            if (
                col is not None
                and col.references is not None
                and col.references[0] != table.name.lower()  # a self-reference gets a table of its own
                and spec.table(col.references[0]) is not None
            ):
                out.append(Placement(rel, col.references[0], "parent"))
                continue
        key = ordered(rel.key, attrs)
        name = key[0][: -len("_id")] if len(key) == 1 and key[0].endswith("_id") else ""
        if not name or name in taken:
            name = "_".join((table.name.lower(), *key))
        base, number = name, 2
        while name in taken:  # two relations with the same key (a one-to-one between keys)
            name, number = f"{base}_{number}", number + 1
        taken.add(name)
        out.append(Placement(rel, name, "new"))
    return out


def migration(
    spec: Spec, table: Table, placements: Sequence[Placement], fds: Sequence[Dependency]
) -> list[exp.Expr]:
    """The DDL that applies ``placements``: new tables (key, foreign keys) filled from the table,
    columns added to parents, foreign keys from the narrowed table, moved columns dropped.
    Parent columns are added but not filled: which value wins per parent row is the user's call."""
    dialect = spec.dialect
    name = table.name.lower()
    kept = next(p for p in placements if p.kind == "keep")
    statements: list[exp.Expr] = []
    new_keys: list[tuple[str, tuple[str, ...]]] = []
    fresh = [p for p in placements if p.kind == "new"]
    links = {p.name: _links(p, fresh) for p in fresh}
    for p in _creation_order(fresh, links):
        fks = [
            ForeignKeySpec((c,), col.references[0], (col.references[1],))
            for c in p.relation.attributes
            if (col := table.column(c)) is not None and col.references is not None
        ]
        fks += [ForeignKeySpec(q.relation.key, q.name, q.relation.key) for q in links[p.name]]
        attrs = p.relation.attributes
        # Other candidate keys become UNIQUE constraints (skipped when projecting would be costly).
        keys = candidate_keys(attrs, project(fds, attrs), attrs) if projectable(fds, attrs) else ()
        others = tuple(ordered(k, attrs) for k in keys if set(k) != set(p.relation.key))
        new = NewTable(p.name, _specs(table, attrs), p.relation.key, tuple(fks), others)
        statements.append(create_table(new, dialect))
        statements.append(_fill(p.name, table, p.relation))
        new_keys.append((p.name, p.relation.key))
    for p in placements:
        if p.kind == "new":
            continue
        elif p.kind == "parent":
            parent = spec.table(p.name)
            for column in _specs(table, p.relation.attributes):
                if column.name not in p.relation.key and (
                    parent is None or parent.column(column.name) is None
                ):
                    statements.append(add_column(p.name, ColumnSpec(column.name, column.type), dialect))
    # SQLite cannot add a constraint to an existing table (it would need a rebuild).
    for target, key in new_keys if dialect_facts(dialect).add_constraint else ():
        if set(key) <= set(kept.relation.attributes):
            fk = foreign_key(ForeignKeySpec(key, target, key))
            statements.append(
                exp.Alter(this=table_node(name), kind="TABLE", actions=[exp.AddConstraint(expressions=[fk])])
            )
    statements += [drop_column(name, c) for c in attributes(table) if c not in kept.relation.attributes]
    return [_display(statement, spec, table) for statement in statements]


def _display(statement: exp.Expr, spec: Spec, table: Table) -> exp.Expr:
    """Names of the table, the tables of the spec and the table's columns as the user spells
    them: identifiers are compared case-insensitively, but MySQL's table names are files."""
    names = {t.name.lower(): t.name for t in spec.tables}
    names.update({c.name.lower(): c.name for c in table.columns})

    def spell(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Identifier) and not node.quoted and node.name in names:
            return exp.to_identifier(names[node.name])
        return node

    return statement.transform(spell)


def _keyed_for(relation: Relation, kept: Relation, fds: Sequence[Dependency]) -> Relation:
    """``relation`` with, as its primary key, a candidate key the narrowed table holds (so that
    the table can reference it), when it has one."""
    attrs = relation.attributes
    if set(relation.key) <= set(kept.attributes) or not fds or not projectable(fds, attrs):
        return relation
    for key in candidate_keys(attrs, project(fds, attrs), attrs):
        if key <= set(kept.attributes):
            return Relation(attrs, ordered(key, attrs))
    return relation


def _links(p: Placement, fresh: Sequence[Placement]) -> list[Placement]:
    """The new tables ``p`` should reference: those whose key it holds. Of two tables holding
    each other's key (a one-to-one), only the later one references the earlier."""
    attrs = set(p.relation.attributes)
    out = []
    for i, q in enumerate(fresh):
        if q is p or not set(q.relation.key) <= attrs or set(q.relation.key) == set(p.relation.key):
            continue
        mutual = set(p.relation.key) <= set(q.relation.attributes)
        if mutual and i > fresh.index(p):
            continue
        out.append(q)
    return out


def _creation_order(fresh: Sequence[Placement], links: dict[str, list[Placement]]) -> list[Placement]:
    """Referenced tables first."""
    done: list[Placement] = []
    pending = list(fresh)
    while pending:
        ready = [p for p in pending if all(q in done for q in links[p.name])] or pending[:1]
        done += ready
        pending = [p for p in pending if p not in ready]
    return done


def _specs(table: Table, names: Sequence[str]) -> tuple[ColumnSpec, ...]:
    out = []
    for n in names:
        col = table.column(n)
        out.append(
            ColumnSpec(col.name if col else n, col.type if col else "text", col.nullable if col else True)
        )
    return tuple(out)


def _fill(target: str, source: Table, relation: Relation) -> exp.Insert:
    """INSERT ... SELECT DISTINCT: it fails on a duplicate key exactly when the data breaks the
    dependency, which is the check one wants before dropping the columns."""
    columns = list(relation.attributes)
    select = exp.select(*columns).from_(source.name.lower()).distinct()
    nullable = [k for k in relation.key if _nullable(source, k)]
    if nullable:
        select = select.where(
            exp.and_(*(exp.Is(this=exp.column(k), expression=exp.null(), negate=True) for k in nullable))
        )
    return exp.insert(select, target, columns=columns)
