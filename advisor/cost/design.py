"""An index as the cost model sees it, whether it exists or is only proposed."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from advisor.spec.model import IndexKey, value_text


@dataclass(frozen=True)
class PartialWhere:
    """The predicate of a partial index: ``column`` holds one of ``values``.

    Only this form is modelled (it is what equality and IN predicates give); a query can use
    the index when its own predicate on the column allows no value outside ``values``.
    """

    column: str
    values: tuple[str, ...]
    sql: str
    boolean: bool = False
    """The column holds truth values: ``FALSE``, ``'f'`` and ``0`` are one value (``value_text``)."""

    def implied_by(self, column: str, values: tuple[str, ...]) -> bool:
        """Whether ``column IN values`` guarantees this predicate.

        >>> PartialWhere("status", ("pending", "processing"), "").implied_by("status", ("pending",))
        True
        >>> PartialWhere("deleted", ("False",), "", boolean=True).implied_by("deleted", ("f",))
        True
        >>> PartialWhere("deleted", ("IS TRUE",), "", boolean=True).implied_by("deleted", ("True",))
        False
        """
        if column != self.column or not values:
            return False
        mine = {value_text(v, self.boolean, tests=True) for v in self.values}
        return {value_text(v, self.boolean, tests=True) for v in values} <= mine


@dataclass(frozen=True)
class IndexDesign:
    table: str
    keys: tuple[IndexKey, ...]
    include: tuple[str, ...] = ()
    where: PartialWhere | None = None
    unique: bool = False
    name: str | None = None
    """Set for an index that exists."""
    origin: str = "proposed"
    """``proposed``, ``declared``, ``primary_key`` or ``unique``."""

    def __hash__(self) -> int:
        # cached: designs key the selection's memos and sets, and the hash of the generated
        # method hashes every key and the predicate again on each lookup
        known: int | None = self.__dict__.get("_hash")
        if known is None:
            fields = (self.table, self.keys, self.include, self.where, self.unique, self.name, self.origin)
            known = self.__dict__["_hash"] = hash(fields)
        return known

    # cached: selection asks every candidate for these on every trial
    @cached_property
    def columns(self) -> tuple[str, ...]:
        return tuple(k.column for k in self.keys)

    @cached_property
    def _stored(self) -> frozenset[str]:
        return frozenset(self.columns) | frozenset(self.include)

    @property
    def existing(self) -> bool:
        return self.origin != "proposed"

    @property
    def droppable(self) -> bool:
        """Constraint-backed indexes enforce something; only plain declared ones may go."""
        return self.origin == "declared"

    def stored_columns(self) -> frozenset[str]:
        return self._stored

    def same_shape(self, other: IndexDesign) -> bool:
        """Same table, keys (with directions), include set and predicate."""
        return (
            self.table == other.table
            and self.keys == other.keys
            and set(self.include) == set(other.include)
            and self.where == other.where
        )

    def keys_lead(self, other: IndexDesign) -> bool:
        """This index's keys lead ``other``'s: same table and predicate, same columns in order,
        directions all equal or all reversed (a B-tree scans both ways).

        >>> a = IndexDesign("t", (IndexKey("a", True),))
        >>> a.keys_lead(IndexDesign("t", (IndexKey("a"), IndexKey("b")))), a.keys_lead(IndexDesign("t", ()))
        (True, False)
        """
        if self.table != other.table or self.where != other.where or len(self.keys) > len(other.keys):
            return False
        head = other.keys[: len(self.keys)]
        if [k.column for k in head] != list(self.columns):
            return False
        return len({a.descending != b.descending for a, b in zip(self.keys, head, strict=True)}) <= 1

    def serves_as_prefix_of(self, other: IndexDesign) -> bool:
        """Every lookup this index can do, ``other`` does as well: its keys lead ``other``'s and
        ``other`` stores every included column (a unique index enforces something, so never).

        >>> a = IndexDesign("t", (IndexKey("a"),))
        >>> b = IndexDesign("t", (IndexKey("a"), IndexKey("b", True)))
        >>> a.serves_as_prefix_of(b), b.serves_as_prefix_of(a)
        (True, False)
        """
        return not self.unique and self.keys_lead(other) and set(self.include) <= other.stored_columns()

    def label(self) -> str:
        """A short human form: ``orders (user_id, created_at DESC) INCLUDE (total_amount)``."""
        keys = ", ".join(k.column + (" DESC" if k.descending else "") for k in self.keys)
        text = f"{self.table} ({keys})"
        if self.include:
            text += f" INCLUDE ({', '.join(self.include)})"
        if self.where is not None:
            text += f" WHERE {self.where.sql}"
        return text
