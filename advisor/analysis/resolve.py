"""Resolve the names of one query block: which table reference each column belongs to.

A light stand-in for sqlglot's ``qualify`` (which rewrites the whole tree and costs about twice the
parse): the advisor only needs, per column node, the table reference it reads, or that it is a
value known at run time because it comes from an enclosing block.

Identifiers are compared case-insensitively, quoted ones included: ``"Orders"`` is ``orders``.
PostgreSQL would keep the quoted name's case, but a patterns file names each table once in
``tables:``, and folding everything keeps one spelling per table across dialects.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable, Mapping

from sqlglot import exp

from advisor.analysis.errors import AnalysisError
from advisor.analysis.shape import Predicate


class Marker:
    """A resolution that is not a table reference of the block itself."""

    __slots__ = ("label",)

    def __init__(self, label: str) -> None:
        self.label = label

    def __repr__(self) -> str:
        return self.label.upper()


OUTER = Marker("outer")
"""A column of an enclosing block: inside this block it is a value known at run time."""
ALIAS = Marker("alias")
"""A select-list alias referenced from ORDER BY, GROUP BY or HAVING."""


class Source:
    """One table reference of a block: a real table, or a CTE, derived table or table function.

    The ``referenced`` ... ``predicates`` slots collect what the analysis learns about it.
    """

    __slots__ = (
        "alias",
        "columns",
        "has_or",
        "name",
        "predicates",
        "projected",
        "referenced",
        "star",
        "table",
    )

    def __init__(
        self, name: str, table: str | None, columns: Collection[str] | None, alias: str | None = None
    ) -> None:
        self.name = name
        """How the block refers to it: its alias, else its table name."""
        self.table = table
        """The real table's name, None for a CTE, derived table or table function."""
        self.columns = columns
        """Its column names, None when unknown (then any name is accepted)."""
        self.alias = alias
        self.referenced: set[str] = set()
        self.projected: set[str] = set()
        self.star = False
        self.has_or = False
        self.predicates: list[Predicate] = []

    @property
    def label(self) -> str:
        """How error messages name it: ``orders``, ``orders o`` or a derived table's alias."""
        if self.table is None:
            return self.name
        return f"{self.table} {self.alias}" if self.alias and self.alias != self.table else self.table

    def __repr__(self) -> str:
        return f"Source({self.label})"


Resolution = Source | Marker


class Block:
    """The names visible in one query block: its table references, the CTEs in scope, the enclosing
    block (for correlated references) and its select-list aliases.

    >>> block = Block(None, {})
    >>> block.add(Source("o", "orders", {"user_id", "total"}, "o"))
    >>> block.resolve(exp.column("total"))
    Source(orders o)
    >>> block.resolve(exp.column("totl", table="o"))
    Traceback (most recent call last):
    advisor.analysis.errors.AnalysisError: unknown column orders.totl (did you mean total?)
    """

    __slots__ = ("aliases", "ctes", "outer", "resolved", "sources", "using")

    def __init__(self, outer: Block | None, ctes: Mapping[str, Collection[str] | None]) -> None:
        self.outer = outer
        self.ctes = ctes
        """CTE name -> its output column names (None when unknown)."""
        self.sources: dict[str, Source] = {}
        self.aliases: dict[str, exp.Expr] = {}
        """Select-list alias -> the aliased expression."""
        self.using: set[str] = set()
        """Column names merged by JOIN ... USING: unqualified, they are not ambiguous."""
        self.resolved: dict[int, Resolution] = {}
        """``id(column node)`` -> what it resolved to, for every column node of the block."""

    def add(self, source: Source) -> None:
        if source.name in self.sources:
            raise AnalysisError(f"table name {source.name} is used twice in one FROM: give one an alias")
        self.sources[source.name] = source

    def resolve(self, column: exp.Column, projected: bool = False, read: bool = True) -> Resolution:
        """What ``column`` refers to; records it as read (``read``) and as projected (``projected``)
        by its table reference. Raises AnalysisError for an unknown or ambiguous column."""
        name = resolution_name(column)
        if not name:
            # Not a name sqlglot could read (a column node around something else): nothing to check.
            return ALIAS
        source, local = self._find(column, name)
        resolution: Resolution
        if source is None:
            resolution = ALIAS
        else:
            resolution = source if local else OUTER
            if read and source.table is not None:
                if name == "*":
                    source.star = source.star or local
                else:
                    # A correlated reference is read by the outer block too: it feeds the subquery.
                    source.referenced.add(name)
                    if projected and local:
                        source.projected.add(name)
        self.resolved[id(column)] = resolution
        return resolution

    def _find(self, column: exp.Column, name: str) -> tuple[Source | None, bool]:
        """The table reference holding ``column`` and whether it is this block's own; no
        reference (None) for a select-list alias."""
        qualifier = column.args.get("table")
        if isinstance(qualifier, exp.Identifier):
            return self._qualified(str(qualifier.this).lower(), name)
        block: Block | None = self
        while block is not None:
            found = block._unqualified(name)
            if found is not None:
                return found, block is self
            if block is self and name in self.aliases:
                return None, True
            block = block.outer
        raise AnalysisError(self._unknown_column(name))

    def _qualified(self, qualifier: str, name: str) -> tuple[Source, bool]:
        block: Block | None = self
        while block is not None:
            source = block.sources.get(qualifier)
            if source is not None:
                if name != "*" and source.columns is not None and name not in source.columns:
                    where = source.table or source.name
                    raise AnalysisError(f"unknown column {where}.{name}{suggest(name, source.columns)}")
                return source, block is self
            block = block.outer
        sources = list(self.visible())
        aliased = [source.name for source in sources if source.table == qualifier]
        hint = f" ({qualifier} is aliased as {aliased[0]})" if aliased else ""
        raise AnalysisError(
            f"unknown table or alias {qualifier} in {qualifier}.{name}"
            + (hint or suggest(qualifier, [source.name for source in sources]))
        )

    def _unqualified(self, name: str) -> Source | None:
        """The table reference of this block holding ``name``: a known match first, else the first
        reference whose columns are unknown."""
        found: Source | None = None
        unsure: Source | None = None
        for source in self.sources.values():
            columns = source.columns
            if columns is None:
                if unsure is None:
                    unsure = source
            elif name in columns:
                if found is None:
                    found = source
                elif name not in self.using:
                    raise AnalysisError(
                        f"ambiguous column {name}: both {found.label} and {source.label} have it"
                    )
        return found if found is not None else unsure

    def visible(self) -> Iterable[Source]:
        """The table references of this block, then of the enclosing ones."""
        block: Block | None = self
        while block is not None:
            yield from block.sources.values()
            block = block.outer

    def _unknown_column(self, name: str) -> str:
        known = [source for source in self.visible() if source.columns is not None]
        if len(known) == 1 and known[0].columns is not None:
            where = known[0].table or known[0].name
            return f"unknown column {where}.{name}{suggest(name, known[0].columns)}"
        best, best_score = "", 0.6
        for source in known:
            for column in source.columns or ():
                score = _similarity(name, column)
                if score > best_score:
                    best, best_score = f"{source.table or source.name}.{column}", score
        return f"unknown column {name}" + (f" (did you mean {best}?)" if best else "")


def resolution_name(column: exp.Column) -> str:
    """The lower-cased column name, ``*`` for ``t.*``.

    >>> resolution_name(exp.column("Total", quoted=True)), resolution_name(exp.column(exp.Star(), "t"))
    ('total', '*')
    """
    this = column.args.get("this")
    if type(this) is exp.Identifier:
        # The common case, read without the generic `name` property: this runs for every column.
        text = this.args.get("this")
        if type(text) is str:
            return text.lower()
    if isinstance(this, exp.Star):
        return "*"
    return column.name.lower()


def suggest(word: str, candidates: Iterable[str]) -> str:
    """`` (did you mean x?)`` for the closest candidate, or nothing when none is close.

    A candidate is scored on its whole name and on each ``_``-separated part, so that a short typo
    finds the long name it abbreviates.

    >>> suggest("totl", ["status", "total_amount"])
    ' (did you mean total_amount?)'
    >>> suggest("xyz", ["status"])
    ''
    """
    best, best_score = "", 0.6
    for candidate in candidates:
        score = _similarity(word, candidate)
        if score > best_score:
            best, best_score = candidate, score
    return f" (did you mean {best}?)" if best else ""


def _similarity(word: str, candidate: str) -> float:
    matcher = difflib.SequenceMatcher(None, word, candidate)
    score = matcher.ratio()
    if "_" in candidate:
        for part in candidate.split("_"):
            matcher.set_seq2(part)
            # A part match ranks a little below an equally good whole-name match.
            score = max(score, 0.95 * matcher.ratio())
    return score


def table_source(
    table: exp.Table,
    schema: Mapping[str, Collection[str]],
    ctes: Mapping[str, Collection[str] | None],
) -> Source:
    """The table reference ``table`` makes: a CTE in scope, a real table of ``schema``, or (for a
    table function) a reference of unknown columns. Raises AnalysisError for an unknown table.

    >>> table_source(exp.to_table("public.Orders"), {"orders": ["id"]}, {}).table
    'orders'
    >>> table_source(exp.to_table("ordrs"), {"orders": ["id"]}, {})
    Traceback (most recent call last):
    advisor.analysis.errors.AnalysisError: unknown table ordrs (did you mean orders?)
    """
    alias = table.alias.lower() or None
    if not isinstance(table.this, exp.Identifier):
        # A table function (generate_series(...), json_table(...)): its columns are unknown.
        return Source(alias or table.name.lower() or "?", None, None, alias)
    name = table.name.lower()
    if not table.args.get("db") and name in ctes:
        return Source(alias or name, None, ctes[name], alias)
    columns = schema.get(name)
    if columns is None:
        raise AnalysisError(f"unknown table {name}{suggest(name, [*schema, *ctes])}")
    return Source(alias or name, name, columns, alias)
