"""The validated spec as the rest of the pipeline sees it: frozen, typed, no YAML left in it.

Loading (``advisor.spec.load``) is the only place that builds these; every later stage reads them.
Names of tables and columns are kept as the user wrote them but compared case-insensitively
(lower-cased keys), the way unquoted identifiers behave on the engines we target. A name whose
spelling the engine keeps is an ``ExactName``: DDL quotes it as written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from pathlib import Path

from advisor.dialects import lookup
from advisor.schema.names import ExactName as ExactName
from advisor.spec.settings import Settings


def spelled(name: str, quoted: bool, dialect: str, table: bool = False) -> str:
    """``name`` as read from DDL of ``dialect``: an ``ExactName`` where the engine keeps its case.

    >>> [type(spelled(*case)).__name__ for case in [
    ...     ("Orders", True, "postgres"), ("Orders", False, "postgres"), ("orders", True, "postgres"),
    ...     ("Orders", False, "mysql", True), ("Total", True, "mysql")]]
    ['ExactName', 'str', 'str', 'ExactName', 'str']
    """
    if name == name.lower():
        return name
    facts = lookup(dialect)
    if facts is not None and ((facts.quoted_case and quoted) or (facts.table_case and table)):
        return ExactName(name)
    return name


class Consistency(StrEnum):
    STRICT = "strict"
    EVENTUAL = "eventual"


class FrequencySource(StrEnum):
    """How a pattern's frequency was given; ``weight`` is relative, not a rate."""

    PER_SEC = "per_sec"
    PER_DAY = "per_day"
    WEIGHT = "weight"


BOOLEAN_TYPES = frozenset({"boolean", "bool", "tinyint(1)", "bit", "bit(1)"})
"""Column types that hold a truth value (MySQL's BOOLEAN is ``tinyint(1)``)."""

_TRUTH = {
    **dict.fromkeys(("true", "t", "yes", "y", "on", "1"), "true"),
    **dict.fromkeys(("false", "f", "no", "n", "off", "0"), "false"),
}


_TESTS = {"is true": "true", "is false": "false"}
"""``x IS TRUE`` as the analysis records it: the same rows as ``x = TRUE`` (NULL aside)."""


def value_text(value: object, boolean: bool = False, tests: bool = False) -> str:
    """A value as the text ``frequencies`` and partial-index predicates compare: as written,
    except that on a boolean column every spelling of a truth value is ``true`` or ``false``
    (SQL's ``FALSE``, ``'f'``, ``0``; a YAML key ``false`` or ``no``), as the engines read them.
    ``IS TRUE`` / ``IS FALSE`` tests are that value too, unless ``tests`` keeps them apart (a
    partial index on ``x IS TRUE`` serves only ``x IS TRUE`` on PostgreSQL, and the reverse).

    >>> [value_text(v, boolean=True) for v in (False, "f", 0, "FALSE", "No", True, "t", 1, "IS TRUE")]
    ['false', 'false', 'false', 'false', 'false', 'true', 'true', 'true', 'true']
    >>> value_text(0), value_text("maybe", boolean=True), value_text("IS TRUE", True, tests=True)
    ('0', 'maybe', 'is true')
    """
    text = str(value)
    if not boolean:
        return text
    key = text.strip().lower()
    if key in _TESTS:
        return key if tests else _TESTS[key]
    return _TRUTH.get(key, text)


@dataclass(frozen=True)
class Column:
    name: str
    type: str = "text"
    """SQL type as written (``bigint``, ``varchar(255)``), lower-cased."""
    nullable: bool = True
    unique: bool = False
    primary_key: bool = False
    ndv: int | None = None
    """Number of distinct values; ``None`` when not given (the cost model assumes and says so)."""
    frequencies: tuple[tuple[str, float], ...] = ()
    """Share of rows per value, for skewed columns: ``(("delivered", 0.9), ("pending", 0.02))``."""
    references: tuple[str, str] | None = None
    """``(table, column)`` this column points to, lower-cased. A column of a composite foreign
    key points to its counterpart (sample data and diagrams read it per column); whatever
    concerns the key as a whole (IDX003, a composite's selectivity) reads ``Table.foreign_keys``."""
    line: int | None = None
    default: str | None = None
    """The DEFAULT expression as SQL of the spec's dialect, when the DDL gives one."""
    identity: bool = False
    """Values come from the engine (AUTO_INCREMENT, IDENTITY, SERIAL)."""
    null_frac: float | None = None
    """Share of rows where the column is NULL, when the statistics give it."""
    correlation: float | None = None
    """Physical order against this column's order, -1 to 1 (``pg_stats.correlation``)."""
    histogram: tuple[str | int | float, ...] = ()
    """Equal-count bucket bounds of the values outside ``frequencies`` (``histogram_bounds``)."""
    checks: tuple[str, ...] = ()
    """CHECK conditions that involve the column, as SQL text (from the DDL or ``check:``)."""
    foreign_key: bool = False
    """``references`` is enforced by a FOREIGN KEY constraint of the DDL (a ``references:`` given
    only in YAML on a table from the DDL is not)."""
    references_ndv: int | None = None
    """Distinct values the referenced column holds (its ``ndv``, at most its table's ``rows``),
    when the parent's statistics tell: a referencing column cannot hold more."""

    @property
    def boolean(self) -> bool:
        """Whether the column holds truth values (see ``value_text``)."""
        return self.type in BOOLEAN_TYPES

    def frequency_of(self, value: object) -> float | None:
        """The declared share of rows holding ``value``, compared as text (``value_text``: on a
        boolean column ``FALSE``, ``'f'``, ``0`` and the key ``false`` are one value).

        >>> Column("status", frequencies=(("pending", 0.02),)).frequency_of("pending")
        0.02
        >>> Column("deleted", "boolean", frequencies=(("false", 0.99),)).frequency_of(False)
        0.99
        """
        text = value_text(value, self.boolean)
        for known, share in self.frequencies:
            if value_text(known, self.boolean) == text:
                return share
        return None


@dataclass(frozen=True)
class IndexKey:
    column: str
    descending: bool = False


@dataclass(frozen=True)
class Index:
    """An index that exists (declared, or implied by a primary key or unique constraint)."""

    name: str
    table: str
    keys: tuple[IndexKey, ...]
    include: tuple[str, ...] = ()
    where: str | None = None
    """The predicate of a partial index, as SQL text in the spec's dialect."""
    unique: bool = False
    origin: str = "declared"
    """``declared``, ``primary_key`` or ``unique``: the last two cannot be dropped as redundant."""
    line: int | None = None
    scans: int | None = None
    """Scans the server counted since its statistics were reset, when recorded."""

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(k.column for k in self.keys)


@dataclass(frozen=True)
class ForeignKey:
    """A foreign key as declared: column names as written, actions as SQL (``CASCADE``) if given."""

    name: str
    columns: tuple[str, ...]
    ref_table: str
    ref_columns: tuple[str, ...]
    on_delete: str | None = None
    on_update: str | None = None
    constraint: bool = True
    """False when only YAML's ``references:`` names it for a table whose DDL has no such constraint."""
    ref_rows: int | None = None
    """Rows of the referenced table, when given: the referencing columns together cannot hold
    more distinct combinations."""


@dataclass(frozen=True)
class Check:
    """A CHECK constraint; ``sql`` is its condition in the spec's dialect."""

    name: str | None
    sql: str


@dataclass(frozen=True)
class FunctionalDependency:
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]
    source: str | None = None
    """For a dependency discovered in sample rows (``--sample``): the file it came from."""
    error: float = 0.0
    """Share of the sample's rows that break it; declared dependencies hold exactly."""
    sample_rows: int = 0


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    rows: int | None = None
    growth_per_day: int | None = None
    all_visible: float | None = None
    """Share of pages all-visible (``relallvisible / relpages``), when the statistics give it."""
    consistency: Consistency | None = None
    primary_key: tuple[str, ...] = ()
    indexes: tuple[Index, ...] = ()
    functional_dependencies: tuple[FunctionalDependency, ...] = ()
    line: int | None = None
    foreign_keys: tuple[ForeignKey, ...] = ()
    checks: tuple[Check, ...] = ()
    sensitive: bool = False
    """Declared to hold sensitive data (personal, financial): changes deserve an audit trail."""
    from_ddl: bool = False
    """Defined by the ``schema:`` DDL (``tables:`` may still add statistics to it)."""
    partitioned: bool = False
    """Its DDL partitions it (``PARTITION BY``)."""
    engine: str | None = None
    """The storage engine its DDL names (MySQL's ``ENGINE=``), in lower case."""
    trigram_columns: frozenset[str] = frozenset()
    """Columns (lower case) a PostgreSQL trigram index of its DDL covers: infix LIKE can use it."""
    implied_dependencies: tuple[FunctionalDependency, ...] = ()
    """Dependencies the foreign keys imply: a reference to a parent determines the columns that
    reference what the parent's own row references (``issues.project_id`` fixes
    ``issues.tenant_id`` when ``projects.tenant_id`` and ``issues.tenant_id`` both reference
    ``tenants``). Selectivity reads them; the normalization rules read only the declared ones."""

    def column(self, name: str) -> Column | None:
        """The column called ``name`` (case-insensitive), or ``None``."""
        return self._by_name.get(name.lower())

    def declared(self, column: str) -> str:
        """``column`` as the table declares it (an ``ExactName`` DDL must quote as written), or
        as given when the table has no such column."""
        found = self.column(column)
        return found.name if found is not None else column

    @cached_property
    def _by_name(self) -> dict[str, Column]:
        # the cost model asks for columns by name about a million times on a large spec
        out: dict[str, Column] = {}
        for col in self.columns:
            out.setdefault(col.name.lower(), col)
        return out


@dataclass(frozen=True)
class Pattern:
    name: str
    sql: str
    per_sec: float
    """Frequency as a rate. A ``weight`` pattern starts with its weight here; the recommend
    pipeline turns it into a share of the workload's totals when those are given."""
    source: FrequencySource = FrequencySource.PER_SEC
    weight: float | None = None
    """The relative weight as given, for ``weight`` patterns."""
    line: int | None = None
    sql_line: int | None = None
    """Line of the ``sql`` value: where SQL errors point."""
    origin: str | None = None
    """Where a recorded pattern came from (``pg_stat_statements``); ``None`` when written by hand."""


@dataclass(frozen=True)
class Budget:
    storage_bytes: int | None = None
    """Total size of all new indexes together."""
    max_indexes_per_table: int | None = None
    """Counting the indexes that exist (primary key included)."""
    max_write_overhead: float | None = None
    """Extra page writes per second that new indexes may add, summed over all write patterns."""


@dataclass(frozen=True)
class Workload:
    """System-wide rates: the read and write statements per second of the whole application."""

    reads_per_sec: float | None = None
    writes_per_sec: float | None = None
    reads_line: int | None = None
    writes_line: int | None = None


Fact = bool | str | None
"""An operational fact: ``None`` not declared, ``False`` declared absent, ``True`` or a
description when it is in place."""


@dataclass(frozen=True)
class Operations:
    monitoring: Fact = None
    backups: Fact = None
    replication: Fact = None
    partitioning: Fact = None
    connection_pooling: Fact = None
    explain_review: Fact = None
    migration_plan: Fact = None
    disaster_recovery: Fact = None


@dataclass(frozen=True)
class Spec:
    path: Path
    dialect: str
    tables: tuple[Table, ...]
    patterns: tuple[Pattern, ...]
    budget: Budget = field(default_factory=Budget)
    workload: Workload = field(default_factory=Workload)
    operations: Operations = field(default_factory=Operations)
    settings: Settings = field(default_factory=Settings)
    """The project's rule settings (``[tool.advisor.recommend]``), not part of the input file."""
    inputs: tuple[Path, ...] = ()
    """The files the spec reads: itself and its ``schema:`` entries (never written over)."""

    def declared(self, table: str, column: str | None = None) -> str:
        """``table``, or its ``column``, as the spec declares it (see ``Table.declared``); a name
        the spec does not know is returned as given.

        >>> spec = Spec(Path("p.yaml"), "postgres", (Table(ExactName("Orders"), (Column(ExactName("Id")),)),), ())
        >>> spec.declared("orders"), spec.declared("orders", "id"), spec.declared("other", "x")
        ('Orders', 'Id', 'x')
        """
        found = self.table(table)
        if found is None:
            return column or table
        return found.declared(column) if column is not None else found.name

    def table(self, name: str) -> Table | None:
        """The table called ``name`` (case-insensitive, schema prefix ignored), or ``None``."""
        return self._by_name.get(name.lower().rsplit(".", 1)[-1])

    @cached_property
    def _by_name(self) -> dict[str, Table]:
        out: dict[str, Table] = {}
        for tbl in self.tables:
            out.setdefault(tbl.name.lower(), tbl)
        return out
