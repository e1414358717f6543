"""sqlglot definitions to operations' parts: columns, constraints, indexes and CREATE TABLE, with
everything the schema keeps (types as the dialect writes them, default and CHECK text, REFERENCES
actions, DESC keys, INCLUDE, a partial index's predicate, operator classes).
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.schema.ops import (
    ColumnDef,
    ColumnParts,
    Constraint,
    ConstraintKind,
    CreateIndex,
    CreateTable,
    Loc,
)
from advisor.schema.source import Positions
from advisor.schema.sqlglot_nodes import (
    column_name,
    default_of,
    identifiers,
    name_of,
    partitioned,
    properties_of,
    rebuilt,
    reference,
    reference_actions,
    storage_engine,
    type_ref,
)

_SPECIAL_KINDS = ("FULLTEXT", "SPATIAL")


def _label(node: exp.Expr) -> str | None:
    """The name a constraint node carries (``CONSTRAINT name ...``), if any."""
    return node.this.name if isinstance(node.this, exp.Identifier) else None


def key_of_node(node: exp.Expr) -> tuple[str | None, bool, str]:
    """An index key: its column (``None`` for an expression), DESC, and its operator class."""
    descending = isinstance(node, exp.Ordered) and bool(node.args.get("desc"))
    inner = node.this if isinstance(node, exp.Ordered) else node
    opclass = ""
    if isinstance(inner, exp.Opclass):
        opclass, inner = inner.expression.name, inner.this
    return column_name(inner), descending, opclass


class DefinitionReader:
    """Reads the definitions of one statement; ``at`` places a node, ``dialect`` writes SQL."""

    def __init__(self, loc: Loc, positions: Positions, dialect: str = "") -> None:
        self.loc = loc
        self.positions = positions
        self.dialect = dialect

    def at(self, node: exp.Expr) -> Loc:
        """The position of the first identifier of ``node``, or the statement's."""
        ident = node if isinstance(node, exp.Identifier) else node.find(exp.Identifier)
        start = ident.meta.get("start") if ident is not None else None
        if not isinstance(start, int):
            return self.loc
        line, column = self.positions.from_char(start)
        return Loc(self.loc.file, line, column, self.loc.statement)

    def check(self, node: exp.CheckColumnConstraint, name: str | None) -> Constraint | None:
        condition = node.this
        if not isinstance(condition, exp.Expr):
            return None
        return Constraint(ConstraintKind.CHECK, name, check=rebuilt(condition, self.dialect, "check"))

    def foreign_key(self, node: exp.Reference, name: str | None, columns: tuple[str, ...]) -> Constraint:
        table, ref_columns = reference(node)
        actions = reference_actions(node)
        return Constraint(
            ConstraintKind.FOREIGN_KEY,
            name,
            columns,
            table,
            ref_columns,
            on_delete=actions.get("DELETE"),
            on_update=actions.get("UPDATE"),
        )

    def column(self, node: exp.ColumnDef) -> ColumnDef:
        parts = ColumnParts()
        for item in node.constraints:
            kind, label = item.kind, _label(item)
            if isinstance(kind, exp.NotNullColumnConstraint):
                parts.not_null = not kind.args.get("allow_null")
            elif isinstance(kind, exp.DefaultColumnConstraint):
                parts.default = default_of(kind.this, self.dialect)
            elif isinstance(kind, exp.PrimaryKeyColumnConstraint):
                parts.primary_key = parts.not_null = True
                parts.primary_key_name = label
            elif isinstance(kind, exp.UniqueColumnConstraint):
                parts.unique, parts.unique_name = True, label
            elif isinstance(
                kind, exp.AutoIncrementColumnConstraint | exp.GeneratedAsIdentityColumnConstraint
            ):
                parts.identity = True
            elif isinstance(kind, exp.ComputedColumnConstraint):
                parts.generated_stored = bool(kind.args.get("persisted"))
            elif isinstance(kind, exp.Reference):
                parts.references = self.foreign_key(kind, label, ())
            elif isinstance(kind, exp.CheckColumnConstraint):
                check = self.check(kind, label)
                parts.checks += [check] if check is not None else []
        data_type = node.args.get("kind")
        spelling = (
            data_type.sql(dialect=self.dialect).lower() if isinstance(data_type, exp.DataType) else None
        )
        return parts.definition(node.name, type_ref(data_type), self.at(node), spelling)

    def constraints(self, node: exp.Expr, name: str | None = None) -> list[Constraint]:
        """A table constraint (several for ``CONSTRAINT name`` with more than one part)."""
        if isinstance(node, exp.Constraint):
            return self.named(node)
        if isinstance(node, exp.PrimaryKey):
            return [Constraint(ConstraintKind.PRIMARY_KEY, name, identifiers(node.expressions))]
        if isinstance(node, exp.ForeignKey):
            target = node.args.get("reference")
            columns = identifiers(node.expressions)
            return [self.foreign_key(target, name, columns)] if isinstance(target, exp.Reference) else []
        if isinstance(node, exp.UniqueColumnConstraint):
            schema = node.this
            columns = identifiers(schema.expressions) if isinstance(schema, exp.Schema) else ()
            own = _label(schema) if isinstance(schema, exp.Schema) else None
            return [Constraint(ConstraintKind.UNIQUE, own or name, columns)]
        if isinstance(node, exp.CheckColumnConstraint):
            check = self.check(node, name)
            return [check] if check is not None else []
        return []

    def named(self, node: exp.Constraint) -> list[Constraint]:
        """``CONSTRAINT name ...``: the parts get the name."""
        label = node.name or None
        parts = list(node.expressions)
        # T-SQL writes the key's columns in the CLUSTERED / NONCLUSTERED part that follows it.
        clustered = next(
            (
                p
                for p in parts
                if isinstance(p, exp.ClusteredColumnConstraint | exp.NonClusteredColumnConstraint)
            ),
            None,
        )
        keys = (
            identifiers(clustered.this) if clustered is not None and isinstance(clustered.this, list) else ()
        )
        found: list[Constraint] = []
        for part in parts:
            if isinstance(part, exp.PrimaryKeyColumnConstraint) and keys:
                found.append(Constraint(ConstraintKind.PRIMARY_KEY, label, keys))
            elif isinstance(part, exp.UniqueColumnConstraint) and part.this is None and keys:
                found.append(Constraint(ConstraintKind.UNIQUE, label, keys))
            else:
                found += self.constraints(part, label)
        return found

    def inline_index(self, table: str, node: exp.IndexColumnConstraint) -> CreateIndex:
        """MySQL's ``KEY name (cols)`` / ``INDEX`` inside CREATE TABLE or ALTER TABLE ADD."""
        kind = str(node.args.get("kind") or "").upper()
        methods = [node.args.get("index_type")] + [
            o.args.get("using") for o in node.args.get("options") or []
        ]
        method = next((str(m).lower() for m in methods if m), "btree")
        keys = [key_of_node(key) for key in node.expressions]
        return CreateIndex(
            loc=self.at(node),
            table=table,
            name=node.name or None,
            columns=tuple(column for column, _, _ in keys),
            method=kind.lower() if kind in _SPECIAL_KINDS else method,
            descending=tuple(desc for _, desc, _ in keys),
        )

    def create_index(self, node: exp.Create) -> CreateIndex:
        """CREATE [UNIQUE] INDEX, with DESC, INCLUDE, WHERE and operator classes."""
        index = node.this
        params = index.args.get("params")
        args = params.args if isinstance(params, exp.IndexParameters) else {}
        keys = [key_of_node(key) for key in args.get("columns") or []]
        using = args.get("using")
        where = args.get("where")
        predicate = where.this if isinstance(where, exp.Where) else None
        return CreateIndex(
            loc=self.loc,
            table=name_of(index.args.get("table")),
            name=index.name or None,
            columns=tuple(column for column, _, _ in keys),
            unique=bool(node.args.get("unique")),
            concurrently=bool(node.args.get("concurrently")),
            partial=predicate is not None,
            method=str(using.name if isinstance(using, exp.Expr) else using or "btree").lower() or "btree",
            descending=tuple(desc for _, desc, _ in keys),
            include=tuple(column_name(c) for c in args.get("include") or []),
            where=rebuilt(predicate, self.dialect, "where") if isinstance(predicate, exp.Expr) else None,
            opclasses=tuple(opclass for _, _, opclass in keys),
            if_not_exists=bool(node.args.get("exists")),
        )

    def create_table(self, node: exp.Create) -> Iterator[CreateTable | CreateIndex]:
        """CREATE TABLE, then the indexes MySQL declares inside it."""
        schema = node.this
        properties = properties_of(node)
        temporary = any(isinstance(p, exp.TemporaryProperty) for p in properties)
        like = [name_of(p.this) for p in properties if isinstance(p, exp.LikeProperty)]
        parent = next((name_of(p.this) for p in properties if isinstance(p, exp.PartitionedOfProperty)), None)
        if not isinstance(schema, exp.Schema):  # AS SELECT, PARTITION OF, or MySQL's CREATE TABLE t LIKE o
            yield CreateTable(
                loc=self.loc,
                table=name_of(schema),
                copied=parent is None,
                from_query=not like and parent is None,
                like=tuple(like),
                temporary=temporary,
                partition_of=parent,
            )
            return
        columns: list[ColumnDef] = []
        constraints: list[Constraint] = []
        indexes: list[exp.IndexColumnConstraint] = []
        for element in schema.expressions:
            if isinstance(element, exp.ColumnDef):
                columns.append(self.column(element))
            elif isinstance(element, exp.Identifier):  # SQLite's column without a type
                columns.append(ColumnDef(name=element.name, type=None, loc=self.at(element)))
            elif isinstance(element, exp.LikeProperty):
                like.append(name_of(element.this))
            elif isinstance(element, exp.IndexColumnConstraint):
                indexes.append(element)
            else:
                constraints += self.constraints(element)
        name = name_of(schema)
        yield CreateTable(
            loc=self.loc,
            table=name,
            columns=tuple(columns),
            constraints=tuple(constraints),
            if_not_exists=bool(node.args.get("exists")),
            temporary=temporary,
            copied=bool(like),
            partitioned=partitioned(node),
            like=tuple(like),
            engine=storage_engine(node),
        )
        for index in indexes:  # MySQL's inline KEY k (a, b): a plain index of the new table
            yield self.inline_index(name, index)
