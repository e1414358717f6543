"""The verify pass: schema, synthetic rows, ANALYZE, then each pattern's plan before and after the
recommended changes, on one engine."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Protocol

from advisor.analysis.parse import parse_statement
from advisor.dialects import dialect as facts_of
from advisor.emit.changes import Change
from advisor.emit.indexes import NameBook, create_index, drop_index
from advisor.emit.schema import column_types, dependency_order
from advisor.emit.script import existing_index_statements, recommended_index, table_statements
from advisor.engines.database import (
    DEFAULT_TIMEOUT,
    Database,
    Explained,
    interruptible,
    open_database,
)
from advisor.engines.scale import TableScale
from advisor.errors import AdvisorError
from advisor.spec.model import Index, Spec
from advisor.verify.bind import Binder
from advisor.verify.data import TableData, generate, now_utc
from advisor.verify.result import PatternCheck, RecommendationCheck, Verification
from advisor.verify.scale import full_scale_targets

if TYPE_CHECKING:
    from advisor.rules.context import Context

DEFAULT_ROWS = 10_000


class Progress(Protocol):
    """Named stages, each with its number of steps (``None``: a stage without a count)."""

    def start(self, label: str, total: int | None) -> None: ...

    def advance(self, label: str | None = None) -> None: ...


class NoProgress:
    def start(self, label: str, total: int | None) -> None:
        return None

    def advance(self, label: str | None = None) -> None:
        return None


def expected_exception(change: Change, engine: Database) -> str | None:
    """Why the planner may rightly ignore ``change`` on ``engine``, when the reason is known."""
    if change.design.where is not None and not engine.target.partial:
        return (
            f"{engine.target.label} has no partial indexes: the full index that stands in for "
            f"WHERE {change.design.where.sql} holds every row, so it is not the cheap path it is elsewhere"
        )
    return None


def verify(
    spec: Spec,
    url: str | None,
    rows: int = DEFAULT_ROWS,
    progress: Progress | None = None,
    full_scale: bool = True,
    timeout: float = DEFAULT_TIMEOUT,
    ctx: Context | None = None,
) -> Verification:
    """Run the recommended changes of ``spec`` past the planner of the engine at ``url``; with
    ``full_scale`` the planner sees the declared table sizes where the engine allows it. Each
    statement may run ``timeout`` seconds; SIGINT and SIGTERM raise ``SignalledError`` after the
    throwaway database is dropped. ``ctx`` is ``prepare(spec)`` when the caller has it already."""
    if rows < 1:
        raise AdvisorError("--rows must be at least 1")
    if not timeout > 0:
        raise AdvisorError("--timeout must be a positive number of seconds")
    progress = progress or NoProgress()
    progress.start("connecting to the database", None)
    with interruptible(), open_database(url, timeout) as db:
        try:
            return verify_on(db, spec, rows, progress, full_scale, ctx)
        except db.errors as exc:  # the server went away, a catalog update failed...
            raise AdvisorError(f"--db: {db.target.label} failed: {db.scrub(_first_line(exc))}") from None


def verify_on(
    db: Database,
    spec: Spec,
    rows: int = DEFAULT_ROWS,
    progress: Progress | None = None,
    full_scale: bool = True,
    ctx: Context | None = None,
) -> Verification:
    """``verify`` on an engine already open; the throwaway database stays for a closer look."""
    if rows < 1:
        raise AdvisorError("--rows must be at least 1")
    from advisor.recommend import planned_changes, prepare

    progress = progress or NoProgress()
    progress.start("planning the changes", None)
    ctx = ctx or prepare(spec)
    # a pattern the analysis left out (QRY011) is not run past the planner either
    spec = replace(spec, patterns=tuple(p for p in spec.patterns if p.name in ctx.shapes))
    _, changes = planned_changes(spec, ctx)
    visible = {key: tm.all_visible for key, tm in ctx.models.items()}
    return VerifyRun(spec, changes, db, rows, progress, full_scale, visible).run()


class VerifyRun:
    def __init__(
        self,
        spec: Spec,
        changes: tuple[Change, ...],
        db: Database,
        cap: int,
        progress: Progress,
        full_scale: bool = True,
        visible: Mapping[str, float] | None = None,
    ):
        # CHECK constraints do not steer index choice, and synthetic rows need not satisfy them.
        self.spec = replace(spec, tables=tuple(replace(t, checks=()) for t in spec.tables))
        self.changes = changes
        self.db = db
        self.cap = cap
        self.progress = progress
        self.target = db.target
        self.book = NameBook(self.target)
        self.now = now_utc()
        self.full_scale = full_scale
        self.visible = visible or {}
        """The cost model's share of all-visible pages per table, for the planner at full scale."""
        self.scale: tuple[TableScale, ...] = ()
        self.scaled: tuple[str, ...] = ()
        self.skipped: list[str] = []

    def load(self) -> tuple[dict[str, str], list[TableData]]:
        """The spec's tables with synthetic rows, analyzed (at full scale where allowed), and each
        pattern's statement with its placeholders bound; a statement that cannot be written for
        the engine is in ``skipped``."""
        spec, db = self.spec, self.db
        tables = table_statements(spec, self.target, self.book).statements
        existing, _ = existing_index_statements(spec, self.target, self.book, False, {})
        self.progress.start("creating the tables", len(tables) + len(existing.statements))
        for statement in [*tables, *existing.statements]:
            self._ddl(statement.sql.sql(dialect=self.target.dialect))
            self.progress.advance()
        order = dependency_order(spec.tables)
        data = generate(spec, self.cap, self.now, order)
        self.progress.start("loading rows", len(data))
        for table_data in data:
            try:
                db.insert(table_data.table.name, table_data.columns, table_data.rows)
            except Exception as exc:
                if db.timed_out(exc):
                    raise self._too_slow(f"loading the synthetic rows of {table_data.table.name}") from None
                raise AdvisorError(
                    f"{self.target.label} refused the synthetic rows for {table_data.table.name}: "
                    f"{_first_line(exc)}"
                ) from None
            self.progress.advance(f"loaded {table_data.table.name}")
        names = [t.name for t in order]
        if self.full_scale:
            self.scale = full_scale_targets(data, self.visible)
        self._analyze(names)
        binder = Binder(spec.dialect, {d.table.name.lower(): d for d in data}, self.now)
        statements, skipped = self._statements(binder)
        self.skipped = skipped
        return statements, data

    def bound(self) -> dict[str, str]:
        """Each pattern's statement with its placeholders bound to values drawn as the synthetic
        rows would be, for tables that exist already; loads nothing."""
        data = generate(self.spec, self.cap, self.now, dependency_order(self.spec.tables))
        binder = Binder(self.spec.dialect, {d.table.name.lower(): d for d in data}, self.now)
        statements, self.skipped = self._statements(binder)
        return statements

    def run(self) -> Verification:
        spec, db = self.spec, self.db
        statements, data = self.load()
        names = [t.name for t in dependency_order(spec.tables)]
        before = self.explain_all(statements, "explaining (before)", self.skipped)
        statements = {name: sql for name, sql in statements.items() if name in before}
        what_if = db.hypothetical
        created = self._apply_changes()
        if not db.hypothetical:
            self._analyze(names)
        label = "explaining (after, HypoPG)" if what_if else "explaining (after)"
        after = self.explain_all(statements, label, timeouts=self.skipped)
        checks = tuple(self._check(c, created, before, after) for c in self.changes)
        if what_if and any(c.ignored for c in checks):
            checks = self._confirm_with_real_indexes(checks, statements, before, after, names)
        return Verification(
            str(spec.path),
            self._engine_label(),
            "HypoPG what-if indexes" if what_if else "real indexes",
            db.cost_unit,
            self.cap,
            {d.table.name: len(d.rows) for d in data},
            checks,
            tuple(self.skipped),
            full_scale_rows={t.table: t.rows for t in self.scale if t.table in self.scaled},
        )

    def _too_slow(self, what: str) -> AdvisorError:
        return AdvisorError(
            f"{what} on {self.target.label} took longer than --timeout {self.db.timeout:g} s: "
            "use fewer --rows or a larger --timeout"
        )

    def _analyze(self, names: list[str]) -> None:
        """ANALYZE, then (where the engine and role allow) put the declared sizes back in place:
        ANALYZE and index builds write the loaded ones."""
        self.progress.start("analyzing the tables", None)
        try:
            self.db.analyze(names)
        except Exception as exc:
            if self.db.timed_out(exc):
                raise self._too_slow("ANALYZE") from None
            raise
        self.scaled = self.db.full_scale(self.scale)

    def _confirm_with_real_indexes(
        self,
        checks: tuple[RecommendationCheck, ...],
        statements: dict[str, str],
        before: dict[str, Explained],
        what_if: dict[str, Explained],
        names: list[str],
    ) -> tuple[RecommendationCheck, ...]:
        """HypoPG's estimates are not the planner's own for every index (partial ones with IN lists,
        for one): before calling a recommendation ignored, build the real indexes and look again."""
        self.db.build_real()
        self.book = NameBook(self.target)
        self._reclaim_names()
        created = self._apply_changes()
        self._analyze(names)
        real = self.explain_all(statements, "explaining (real indexes)", timeouts=self.skipped)
        out = []
        for change, check in zip(self.changes, checks, strict=True):
            if not check.ignored:
                out.append(check)
                continue
            again = self._check(change, created, before, real)
            notes = {
                c.pattern: f"HypoPG's what-if plan did not use it ({what_if[c.pattern].plan}, cost "
                f"{what_if[c.pattern].cost}); the figures are with the index built"
                for c in check.ignored
            }
            out.append(
                replace(
                    again,
                    checks=tuple(replace(c, note=notes.get(c.pattern)) for c in again.checks),
                )
            )
        return tuple(out)

    def _reclaim_names(self) -> None:
        """Take the names of the tables' own indexes again, as the first pass did."""
        table_statements(self.spec, self.target, self.book)
        existing_index_statements(self.spec, self.target, self.book, False, {})

    def _ddl(self, sql: str) -> None:
        """Run generated DDL; the engine refusing it is an error that names the statement."""
        try:
            self.db.execute(sql)
        except Exception as exc:
            if self.db.timed_out(exc):
                raise self._too_slow(f"running {sql[:200]!r}") from None
            raise AdvisorError(f"{self.target.label} refused {sql[:200]!r}: {_first_line(exc)}") from None

    def _engine_label(self) -> str:
        return self.db.describe()

    def _statements(self, binder: Binder) -> tuple[dict[str, str], list[str]]:
        out: dict[str, str] = {}
        skipped: list[str] = []
        for pattern in self.spec.patterns:
            kind = type(parse_statement(pattern.sql, self.spec.dialect)).__name__.lower()
            if kind == "insert":
                skipped.append(f"{pattern.name}: an INSERT, which no index serves")
                continue
            try:
                out[pattern.name] = binder.bind(pattern.sql, self.target.dialect)
            except Exception as exc:  # a pattern sqlglot cannot carry over is reported, not fatal
                skipped.append(f"{pattern.name}: cannot be written for {self.target.label} ({exc})")
        return out, skipped

    def explain_all(
        self,
        statements: dict[str, str],
        label: str,
        skipped: list[str] | None = None,
        timeouts: list[str] | None = None,
    ) -> dict[str, Explained]:
        """Each statement's plan. In the first pass (``skipped`` given) a statement the engine
        cannot run (MySQL's DELETE ... LIMIT on PostgreSQL) is skipped with the reason; in any
        pass a statement stopped at ``--timeout`` is left out with "timed out" (in ``timeouts``
        after the first pass)."""
        self.progress.start(label, len(statements))
        out = {}
        for name, sql in statements.items():
            try:
                out[name] = self.db.explain(sql)
            except Exception as exc:
                reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                if self.db.timed_out(exc):
                    note = f"{name}: timed out on {self.target.label} (longer than --timeout {self.db.timeout:g} s)"
                    if skipped is None and timeouts is not None:
                        note += " once the changes were made"
                    (skipped if skipped is not None else timeouts if timeouts is not None else []).append(
                        note
                    )
                    continue
                if skipped is not None:
                    skipped.append(f"{name}: {self.target.label} cannot run it as written ({reason})")
                    continue
                raise AdvisorError(
                    f"pattern {name!r}: {self.target.label} cannot explain {sql!r}: {reason}"
                ) from None
            finally:
                self.progress.advance()
        return out

    def _apply_changes(self) -> dict[int, str]:
        """Build (or imagine) the recommended indexes and drop (or hide) the redundant ones;
        returns each create's index name as plans show it."""
        types = {t.name.lower(): column_types(t, self.spec.dialect, self.target) for t in self.spec.tables}
        created: dict[int, str] = {}
        creates = sum(1 for c in self.changes if c.action == "create")
        self.progress.start(
            "what-if indexes (HypoPG)" if self.db.hypothetical else "building the indexes", creates
        )
        for change in self.changes:
            if change.action != "create":
                continue
            self.progress.advance()
            index: Index = recommended_index(self.spec, change, self.target, self.book)
            statement = create_index(index, self.target, self.spec.dialect, types[change.design.table], False)
            sql = statement.sql.sql(dialect=self.target.dialect)
            if self.db.hypothetical:
                statement.sql.set("exists", False)
                created[change.number] = self.db.create_hypothetical(
                    statement.sql.sql(dialect=self.target.dialect), index.name
                )
            else:
                self._ddl(sql)
                created[change.number] = index.name.lower()
        for change in self.changes:
            if change.action != "drop" or not change.design.name:
                continue
            if not (self.db.hypothetical and self.db.hide_index(change.design.name)):
                drop = drop_index(change.design.name, change.design.table, self.target, False)
                self._ddl(drop.sql.sql(dialect=self.target.dialect))
        return created

    def _grouped_path(self, sql: str, after: Explained) -> str | None:
        """SQLite has no hash aggregate: for a GROUP BY it prefers an index that returns the rows
        already grouped, a cost the advice does not weigh on the engines that hash instead."""
        if (
            self.target.facts.hash_aggregate
            or not facts_of(self.spec.dialect).hash_aggregate
            or not after.indexes
        ):
            return None
        if "TEMP B-TREE FOR GROUP BY" in after.plan.upper() or not _groups(sql, self.spec.dialect):
            return None
        return (
            f"SQLite has no hash aggregate: it reads {', '.join(sorted(after.indexes))}, which returns the "
            f"rows already grouped, rather than sort them; the advice, made for {self.spec.dialect}, counts "
            "on a hash aggregate there"
        )

    def _check(
        self,
        change: Change,
        created: dict[int, str],
        before: dict[str, Explained],
        after: dict[str, Explained],
    ) -> RecommendationCheck:
        name = created.get(change.number, (change.design.name or "").lower())
        checks = []
        expected = expected_exception(change, self.db)
        fallbacks = {
            created[c.number]: c
            for c in self.changes
            if c.number in created and c.design.where is not None and not self.target.partial
        }
        # the model costs a pattern at its tables' declared sizes: its speed-up compares with the
        # planner's only where the planner saw those sizes too
        scaled = {t.lower() for t in self.scaled}
        model_costs = {m.pattern: (m.before, m.after) for m in change.model_costs if m.tables <= scaled}
        for pattern in self.spec.patterns:
            if pattern.name not in after:
                continue
            b, a = before[pattern.name], after[pattern.name]
            claimed = pattern.name in change.serves
            if change.action == "create":
                used = name.lower() in a.indexes
                if not claimed and not used:
                    continue
            else:
                # a drop is sound when the patterns that read the old index still read an index
                if name.lower() not in b.indexes:
                    continue
                claimed, used = True, bool(a.indexes)
            why = (
                expected
                or _fallback_path(fallbacks, a, self.target.label)
                or self._grouped_path(pattern.sql, a)
            )
            model = model_costs.get(pattern.name, (None, None)) if change.action == "create" else (None, None)
            checks.append(
                PatternCheck(
                    pattern.name,
                    used,
                    b.cost,
                    a.cost,
                    b.plan,
                    a.plan,
                    claimed,
                    why if claimed and not used else None,
                    model_cost_before=model[0],
                    model_cost_after=model[1],
                )
            )
        return RecommendationCheck(change.number, change.action, change.label, name, tuple(checks))


def _groups(sql: str, dialect: str) -> bool:
    """Whether the statement has a GROUP BY (or a SELECT DISTINCT) anywhere."""
    from sqlglot import exp

    from advisor.analysis.errors import AnalysisError

    try:
        tree = parse_statement(sql, dialect)
    except AnalysisError:
        return False
    return tree.find(exp.Group) is not None or any(s.args.get("distinct") for s in tree.find_all(exp.Select))


def _fallback_path(fallbacks: dict[str, Change], after: Explained, engine: str) -> str | None:
    """The plan took another path through the full index that stands in for a partial one."""
    for name, change in fallbacks.items():
        if name in after.indexes:
            return (
                f"{engine} has no partial indexes: #{change.number}'s full stand-in index {name} "
                "opens a path the advice did not plan for, and the planner takes it"
            )
    return None


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
