"""What the stages of reading PostgreSQL share: the record of a table being read (``PgTable``), which
each stage fills in, quoting a name, rows from ``reltuples``, and ``portable``, the expressions
(defaults, checks, index predicates) as the spec takes them."""

from __future__ import annotations

from dataclasses import dataclass, field

from advisor.introspect.model import ColumnFacts, IndexFacts


def quote_ident(name: str) -> str:
    """``name`` as a quoted identifier: in double quotes, a double quote in it doubled."""
    return '"' + name.replace('"', '""') + '"'


@dataclass
class PgTable:
    """A table being read: its facts so far, by column name."""

    oid: int
    name: str
    kind: str
    rows: float
    pages: int
    visible: int
    analyzed: str | None
    columns: dict[str, ColumnFacts] = field(default_factory=dict)
    numbers: dict[str, bool] = field(default_factory=dict)
    """Column -> whether its statistics' values are numbers."""
    padded: dict[str, bool] = field(default_factory=dict)
    primary_key: tuple[str, ...] = ()
    indexes: list[IndexFacts] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)


def known_rows(reltuples: float) -> int | None:
    """``reltuples`` as rows; -1 (PostgreSQL 14+) means never analyzed nor vacuumed."""
    return None if reltuples < 0 else round(reltuples)


def portable(text: str, kind: str) -> str:
    """A default, check or index predicate as the spec takes it: parsed (``ValueError`` if it is
    not one ``kind`` expression), without the casts to the database's own types (an enum, a domain:
    ``'new'::order_status``), which a fresh database built from the spec would not have.

    >>> portable("(status = 'new'::order_status)", "where"), portable("(qty > (0)::numeric)", "check")
    ("status = 'new'", 'qty > CAST(0 AS DECIMAL)')
    >>> portable("'new'::order_status", "default")
    "'new'"
    """
    from sqlglot import exp

    from advisor.spec.expressions import parse_expression

    tree = parse_expression(text, "postgres", kind)
    for cast in list(tree.find_all(exp.Cast)):
        if cast.to.this == exp.DataType.Type.USERDEFINED:
            if cast is tree:
                tree = cast.this
            else:
                cast.replace(cast.this)
    for paren in list(tree.find_all(exp.Paren)):
        if isinstance(paren.this, exp.Literal | exp.Column):
            paren.replace(paren.this)
    while isinstance(tree, exp.Paren):
        tree = tree.this
    return tree.sql(dialect="postgres")
