"""The lint rule registry and what a rule sees: the operation, the schema before it, the session.

A rule is a function ``(op, ctx) -> Iterable[Hit]`` registered for the operation types it reads::

    @rule("MIG001", CreateIndex, dialects=POSTGRES)
    def create_index_non_concurrently(op: CreateIndex, ctx: LintContext) -> Iterator[Hit]: ...

The engine gives it every operation of those types in migration order; ``ctx.schema`` is the state
before the operation is applied. End-of-file and end-of-run checks subscribe to the pseudo-operations
:class:`~advisor.schema.ops.EndOfFile` and :class:`~advisor.schema.ops.EndOfRun`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from advisor.catalog.model import Severity
from advisor.dialects import Dialect, dialect
from advisor.schema.ops import Loc, Op
from advisor.schema.state import Schema

POSTGRES = frozenset({"postgres"})
MYSQL = frozenset({"mysql", "mariadb"})
SQLITE = frozenset({"sqlite"})

RULE_MODULES = (
    "advisor.lint.checks.locking",
    "advisor.lint.checks.destructive",
    "advisor.lint.checks.types",
    "advisor.lint.checks.design",
    "advisor.lint.checks.session",
    "advisor.lint.checks.mysql",
    "advisor.lint.checks.sqlite",
)
"""The modules whose import registers the lint rules."""

PARSE_ERROR = "MIG000"
"""An unparseable statement; reported by the engine, not by a rule function."""
UNUSED_IGNORE = "MIG090"
"""An ignore comment that silences nothing; reported by the engine."""
TRACE_RULE = "MIG091"
"""A lock or rewrite observed by ``--trace`` that no rule predicted; reported by the trace."""
ENGINE_RULES = {PARSE_ERROR: Severity.ERROR, UNUSED_IGNORE: Severity.WARNING, TRACE_RULE: Severity.WARNING}
"""The engine's own findings and their default severities."""


@dataclass(frozen=True)
class Hit:
    """What a rule reports: ``message`` states the problem, ``fix`` the remedy."""

    loc: Loc
    message: str
    fix: str
    table: str | None = None
    """The table it concerns, when one does (severity may depend on its size)."""


@dataclass
class LintContext:
    """Everything besides the operation a rule may read. The engine keeps it current."""

    dialect: str
    schema: Schema
    target_version: tuple[int, ...] | None = None
    """The server version the migrations target (``(12,)``, ``(3, 35)``); ``None``: a current one."""
    file: str = ""
    depth: int = 0
    """Explicit BEGIN nesting in the current file."""
    assume_in_transaction: bool = False
    transaction: int | None = None
    """An id for the transaction the operation runs in; ``None`` in autocommit."""
    settings: dict[str, Loc] = field(default_factory=dict)
    """Session settings set so far in this file (``lock_timeout``...), with where; a timeout set to 0
    (or reset) is absent, as it bounds nothing."""
    setting_values: dict[str, str] = field(default_factory=dict)
    """The value each setting of this file was last set to, as written (``timezone``: ``UTC``)."""
    deferred: dict[tuple[str, str], Hit] = field(default_factory=dict)
    """Findings a rule holds back until the end of the file, by (rule, key), in case a later
    statement of the same file makes them moot (a compatibility view under a renamed name)."""
    not_valid_tx: dict[tuple[str, str], int | None] = field(default_factory=dict)
    """(table, constraint) added NOT VALID, with the transaction that added it."""
    new_enum_values: dict[tuple[str, str], tuple[int, Loc]] = field(default_factory=dict)
    """(enum type, value) added by ALTER TYPE ... ADD VALUE in a transaction: its id, and where."""
    statement_text: str = ""
    """The SQL of the statement the operation comes from, where the front end keeps it."""
    reported: set[tuple[str, str]] = field(default_factory=set)
    """(rule, key) pairs a rule already reported, for rules that speak once per file."""
    unreleased: frozenset[str] = frozenset()
    """Files not deployed yet (those ``--diff`` reports on): a table one of them creates is new."""

    @property
    def in_transaction(self) -> bool:
        return self.depth > 0 or self.assume_in_transaction

    @property
    def facts(self) -> Dialect:
        """What the registry knows of the engine the migrations are linted for."""
        return dialect(self.dialect)

    def is_new(self, table: str | None) -> bool:
        """The table is still empty when this statement runs, so locking it harms nobody: created
        earlier in the same file (one deploy), or in a file not deployed yet (``--diff``). A table
        an earlier migration file created has been live since that file ran."""
        state = self.schema.table(table)
        if state is None or not state.new:
            return False
        return state.created_in == self.file or state.created_in in self.unreleased

    def is_new_object(self, kind: str, name: str) -> bool:
        """A schema or domain created earlier in this file (or in a file not deployed yet): nothing
        running uses it yet."""
        from advisor.schema.names import key_of

        created = self.schema.created.get((kind, key_of(name)))
        return created is not None and (created == self.file or created in self.unreleased)

    def version_at_least(self, *version: int) -> bool:
        """Whether the target server is at least ``version`` (unknown: assume a current server)."""
        return self.target_version is None or self.target_version >= version


CheckFunc = Callable[[Any, LintContext], Iterable[Hit]]


@dataclass(frozen=True)
class LintRule:
    id: str
    check: CheckFunc
    on: tuple[type[Op], ...]
    dialects: frozenset[str] | None
    severity: Severity = Severity.WARNING
    """The default; the catalog entry states the same (a test keeps them equal)."""
    enabled: bool = True
    """Off by default: only runs when configuration selects it."""


LINT_RULES: dict[str, LintRule] = {}


def rule(
    rule_id: str,
    *on: type[Op],
    dialects: frozenset[str] | None = None,
    severity: Severity = Severity.WARNING,
    enabled: bool = True,
) -> Callable[[CheckFunc], CheckFunc]:
    """Register ``func`` as the implementation of ``rule_id`` for operations of the types ``on``."""

    def register(func: CheckFunc) -> CheckFunc:
        known = LINT_RULES.get(rule_id)
        # the same function may be registered again when its module is imported twice (doctests)
        if known is not None and known.check.__name__ != func.__name__:
            raise ValueError(f"{rule_id} is implemented by {known.check.__name__} and {func.__name__}")
        LINT_RULES[rule_id] = LintRule(rule_id, func, on, dialects, severity, enabled)
        return func

    return register


def load_lint_rules() -> dict[str, LintRule]:
    """Import every rule module once; the registry, complete."""
    import importlib

    for module in RULE_MODULES:
        importlib.import_module(module)
    return LINT_RULES


def lint_rule_ids() -> frozenset[str]:
    """Every MIG id the linter implements, the engine's own included."""
    return frozenset(default_severities())


def default_severities() -> dict[str, Severity]:
    """Each lint rule's default severity, without loading the catalog (start-up time matters in CI)."""
    return {**{rule_id: r.severity for rule_id, r in load_lint_rules().items()}, **ENGINE_RULES}
