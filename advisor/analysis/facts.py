"""The facts a condition states, and the operands they are read from.

A fact is a ``Restriction`` of one column of one table reference, an ``Equijoin`` between two
table references, or a ``Disjunction`` over the table references an OR mixes. Each side of a
comparison is first read as an ``Operand``: a value, a column of a real table, an expression over
such columns, or something opaque (a column that belongs to no real table). The builders here turn
operands into facts for the classifiers (``predicates``, ``membership``, ``ranges``).

A value that is not a literal (placeholder, outer column, ``now()``, ``CURRENT_DATE - 1``, any
expression) makes the restriction ``parameterized``: its value is known only at run time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlglot import exp

from advisor.analysis.literals import literal_value, literals
from advisor.analysis.nodes import block_columns, unparen
from advisor.analysis.resolve import resolution_name
from advisor.analysis.shape import Literal, PredicateKind


class Opaque:
    """The role of a column of the block that belongs to no real table."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "OPAQUE"


OPAQUE = Opaque()

S = TypeVar("S")
Role = Callable[[exp.Column], S | Opaque | None]
Namer = Callable[[exp.Func], str]
"""The name of a function as the dialect spells it (``DATE`` rather than ``TS_OR_DS_TO_DATE``)."""


@dataclass(slots=True)
class Restriction(Generic[S]):
    """A conjunct restricting ``column`` of ``source``.

    ``node`` renders the conjunct once the columns in ``unqualify`` lose their table qualifier.
    """

    source: S
    column: str
    kind: PredicateKind
    node: exp.Expr
    unqualify: tuple[exp.Column, ...] = ()
    values: tuple[Literal, ...] = ()
    parameterized: bool = False
    members: int = 1
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Equijoin(Generic[S]):
    left: S
    left_column: str
    right: S
    right_column: str


@dataclass(frozen=True, slots=True)
class Disjunction(Generic[S]):
    sources: tuple[S, ...]


Fact = Restriction[S] | Equijoin[S] | Disjunction[S]


# Operand kinds.
VALUE_OPERAND, COLUMN_OPERAND, EXPRESSION_OPERAND, OPAQUE_OPERAND = range(4)


@dataclass(slots=True)
class Operand(Generic[S]):
    """One side of a comparison, classified."""

    kind: int
    node: exp.Expr
    columns: list[tuple[S, exp.Column]]
    """For a plain column: itself; for an expression: the real tables' columns inside it."""


_LEAF_VALUES = (exp.Literal, exp.Placeholder, exp.Parameter, exp.Null, exp.Boolean, exp.SessionParameter)
_ARITHMETIC = (
    exp.Add,
    exp.Sub,
    exp.Mul,
    exp.Div,
    exp.Mod,
    exp.IntDiv,
    exp.Neg,
    exp.BitwiseAnd,
    exp.BitwiseOr,
    exp.BitwiseXor,
    exp.BitwiseNot,
    exp.BitwiseLeftShift,
    exp.BitwiseRightShift,
)
_JSON_EXTRACTIONS = (exp.JSONExtract, exp.JSONExtractScalar, exp.JSONBExtract, exp.JSONBExtractScalar)


def read_operand(node: exp.Expr, role: Role[S]) -> Operand[S]:
    """``node`` as one side of a comparison, its columns placed by ``role``."""
    node = unparen(node)
    if isinstance(node, _LEAF_VALUES):
        return Operand(VALUE_OPERAND, node, [])
    if type(node) is exp.Column:
        source = role(node)
        if source is None:
            return Operand(VALUE_OPERAND, node, [])
        if isinstance(source, Opaque):
            return Operand(OPAQUE_OPERAND, node, [])
        return Operand(COLUMN_OPERAND, node, [(source, node)])
    columns: list[tuple[S, exp.Column]] = []
    opaque = False
    for column in block_columns(node):
        source = role(column)
        if isinstance(source, Opaque):
            opaque = True
        elif source is not None:
            columns.append((source, column))
    if columns:
        return Operand(EXPRESSION_OPERAND, node, columns)
    return Operand(OPAQUE_OPERAND if opaque else VALUE_OPERAND, node, [])


def all_columns(node: exp.Expr, role: Role[S]) -> tuple[exp.Column, ...]:
    """The real-table columns of the block under ``node``."""
    return tuple(
        column
        for column in block_columns(node)
        if (source := role(column)) is not None and not isinstance(source, Opaque)
    )


def restriction(
    target: Operand[S],
    kind: PredicateKind,
    node: exp.Expr,
    value: exp.Expr | None = None,
    *,
    values: tuple[Literal, ...] | None = None,
    parameterized: bool = False,
    members: int = 1,
    reason: str = "",
    unqualify: tuple[exp.Column, ...] | None = None,
) -> Restriction[S]:
    """A restriction of ``target``'s column; its values are ``value``'s when given (none, and
    parameterized, when it is not a literal), else ``values``."""
    source, column = target.columns[0]
    if value is not None:
        literal, found = literal_value(value)
        values, parameterized = ((found,), False) if literal else ((), True)
    return Restriction(
        source,
        resolution_name(column),
        kind,
        node,
        (column,) if unqualify is None else unqualify,
        values or (),
        parameterized,
        members,
        reason,
    )


def not_sargable_restriction(
    target: Operand[S], node: exp.Expr, reason: str, values: tuple[Literal, ...], parameterized: bool
) -> Restriction[S]:
    return restriction(
        target, PredicateKind.NOT_SARGABLE, node, values=values, parameterized=parameterized, reason=reason
    )


def not_sargable(
    node: exp.Expr, operand: Operand[S], reason: str, value: exp.Expr | None = None
) -> list[Fact[S]]:
    """A NOT_SARGABLE restriction per distinct real-table column inside ``operand``, compared with
    ``value`` when there is one."""
    if operand.kind not in (COLUMN_OPERAND, EXPRESSION_OPERAND):
        return []
    values: tuple[Literal, ...] = ()
    parameterized = False
    if value is not None:
        values, parameterized = literals([value])
    facts: list[Fact[S]] = []
    seen: set[tuple[int, str]] = set()
    for source, column in operand.columns:
        key = (id(source), resolution_name(column))
        if key in seen:
            continue
        seen.add(key)
        unqualify = tuple(other for owner, other in operand.columns if owner is source)
        facts.append(
            Restriction(
                source,
                key[1],
                PredicateKind.NOT_SARGABLE,
                node,
                unqualify,
                values,
                parameterized,
                reason=reason,
            )
        )
    return facts


def expression_reason(node: exp.Expr, name_of: Namer) -> str:
    """Why an index on a column cannot serve a condition on the expression ``node`` around it."""
    node = unparen(node)
    if isinstance(node, exp.Cast):
        return "CAST on the column"
    if isinstance(node, exp.Collate):
        return "COLLATE on the column"
    if isinstance(node, exp.DPipe):
        return "concatenation on the column"
    if isinstance(node, _ARITHMETIC):
        return "arithmetic on the column"
    if isinstance(node, exp.Case):
        return "CASE expression on the column"
    if isinstance(node, _JSON_EXTRACTIONS):
        return "JSON extraction on the column"
    if isinstance(node, exp.Func):
        name = name_of(node)
        return f"function {name}() on the column" if name else "expression on the column"
    return "expression on the column"


def bare_column(column: exp.Column) -> exp.Column:
    """A new, unqualified column node with the same name (and quoting) as ``column``."""
    this = column.this
    if isinstance(this, exp.Identifier):
        return exp.Column(this=exp.Identifier(this=this.this, quoted=this.quoted))
    return exp.Column(this=copy_node(this))


def copy_node(node: exp.Expr) -> exp.Expr:
    """A copy of ``node`` for a built condition (the parsed tree must keep its parents); literals,
    the usual case, are rebuilt directly, which is much cheaper than a deep copy."""
    if type(node) is exp.Literal:
        return exp.Literal(this=node.this, is_string=node.args.get("is_string"))
    return node.copy()
