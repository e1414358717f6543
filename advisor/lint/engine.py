"""Lint a set of migration files: parse each, replay its operations in order, run the rules on each
operation against the schema before it, then apply ignore comments and configured severities."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from advisor.catalog.fixes import fix_line
from advisor.catalog.model import Severity
from advisor.lint.checks.base import (
    PARSE_ERROR,
    UNUSED_IGNORE,
    Hit,
    LintContext,
    LintRule,
    default_severities,
    load_lint_rules,
)
from advisor.schema.names import key_of
from advisor.schema.ops import (
    AddConstraint,
    AlterEnum,
    EndOfFile,
    EndOfRun,
    Loc,
    Op,
    SetSetting,
    Statement,
    Transaction,
    TxKind,
    Unparseable,
)
from advisor.schema.read import read_statements
from advisor.schema.source import Source
from advisor.schema.state import Schema

_DIRECTIVE = re.compile(
    r"(?:--|#|/\*)\s*advisor:\s*(?P<kind>ignore-file|ignore)\b(?:\[(?P<rules>[^\]]*)\])?", re.IGNORECASE
)
_NO_TRANSACTION = re.compile(
    r"^\s*--\s*(?:\+goose\s+NO\s+TRANSACTION|migrate:up\b.*\btransaction:\s*false|no-transaction)\b",
    re.IGNORECASE | re.MULTILINE,
)
"""How goose, dbmate and sqlx mark a migration their tool must not wrap in a transaction."""


@dataclass(frozen=True)
class LintFinding:
    """One problem at one place; ``message`` states it, ``fix`` says what to do instead."""

    rule: str
    severity: Severity
    file: str
    line: int
    column: int
    message: str
    fix: str
    context: str = ""
    """What the finding is about, without line numbers: the statement's text with whitespace
    folded, after how many identical statements earlier in the file (``"0:DROP TABLE t;"``), or
    the end of the file, or an ignore comment. Fingerprints hash it, so they survive lines added
    above; empty for findings made elsewhere (the trace's), which fall back to the line."""

    def at_least(self, severity: Severity) -> bool:
        return self.severity.at_least(severity)


@dataclass(frozen=True)
class Options:
    """How to lint: the dialect, the server version, which rules and with which severities."""

    dialect: str = "postgres"
    target_version: tuple[int, ...] | None = None
    assume_in_transaction: bool = False
    select: frozenset[str] = frozenset()
    """Rules that are off by default and switched on."""
    ignore: frozenset[str] = frozenset()
    severities: Mapping[str, Severity] = field(default_factory=dict)
    table_rows: Mapping[str, int] = field(default_factory=dict)
    """Known table sizes (from ``--spec``): locking findings on big tables become errors."""
    big_table_rows: int = 1_000_000
    report_files: frozenset[str] | None = None
    """Only report findings in these files (``--diff``); the others are still replayed."""


@dataclass(frozen=True)
class Directive:
    line: int
    rules: frozenset[str] | None
    """``None`` silences every rule."""
    file_wide: bool


def directives(text: str) -> list[Directive]:
    """The ``advisor: ignore[...]`` / ``ignore-file[...]`` comments of a file.

    >>> found = directives("-- advisor: ignore[MIG012, mig013]\\nDROP TABLE a;\\n-- advisor: ignore-file")
    >>> [(d.line, sorted(d.rules or ["*"]), d.file_wide) for d in found]
    [(1, ['MIG012', 'MIG013'], False), (3, ['*'], True)]
    """
    found: list[Directive] = []
    if "advisor" not in text:
        return found
    for number, line in enumerate(text.split("\n"), start=1):
        for match in _DIRECTIVE.finditer(line):
            names = match.group("rules")
            rules = (
                frozenset(part.strip().upper() for part in names.split(",") if part.strip())
                if names is not None
                else None
            )
            found.append(Directive(number, rules, match.group("kind").lower() == "ignore-file"))
    return found


class _Run:
    """One lint run: the context the rules see and the hits they report."""

    def __init__(self, options: Options, schema: Schema, rules: Iterable[LintRule]) -> None:
        self.options = options
        self.ctx = LintContext(
            dialect=options.dialect,
            schema=schema,
            target_version=options.target_version,
            assume_in_transaction=options.assume_in_transaction,
            unreleased=options.report_files or frozenset(),
        )
        self.by_type: dict[type[Op], list[LintRule]] = {}
        for item in rules:
            for op_type in item.on:
                self.by_type.setdefault(op_type, []).append(item)
        self.hits: list[tuple[str, Hit]] = []
        self._tx_counter = 0

    def start_file(self, source: Source) -> None:
        ctx = self.ctx
        ctx.file, ctx.depth, ctx.settings, ctx.setting_values = source.name, 0, {}, {}
        wrapped = self.options.assume_in_transaction and not _NO_TRANSACTION.search(source.text)
        ctx.assume_in_transaction = wrapped
        ctx.transaction = self._new_tx() if wrapped else None

    def _new_tx(self) -> int:
        self._tx_counter += 1
        return self._tx_counter

    def visit(self, op: Op) -> None:
        if isinstance(op, Unparseable) and PARSE_ERROR not in self.options.ignore:
            self.hits.append(
                (
                    PARSE_ERROR,
                    Hit(
                        op.loc,
                        f"cannot parse this statement: {' '.join(op.message.split())}",
                        fix_line(PARSE_ERROR),
                    ),
                )
            )
        for item in self.by_type.get(type(op), ()):
            self.hits.extend((item.id, hit) for hit in item.check(op, self.ctx))
        self._advance(op)

    def _advance(self, op: Op) -> None:
        """Update the session (transactions, settings) and the schema after ``op``."""
        ctx = self.ctx
        if isinstance(op, Transaction):
            if op.kind is TxKind.BEGIN:
                ctx.depth += 1
                if ctx.depth == 1 and not ctx.assume_in_transaction:
                    ctx.transaction = self._new_tx()
            elif op.kind in (TxKind.COMMIT, TxKind.ROLLBACK):
                ctx.depth = max(0, ctx.depth - 1)
                if ctx.depth == 0:
                    ctx.transaction = self._new_tx() if ctx.assume_in_transaction else None
        elif isinstance(op, SetSetting):
            if op.value == "VAR_RESET_ALL":
                ctx.settings.clear()
                ctx.setting_values.clear()
            elif disables_timeout(op) or op.value in _TO_DEFAULT:
                ctx.settings.pop(op.name, None)
                ctx.setting_values.pop(op.name, None)
            else:
                ctx.settings[op.name] = op.loc
                ctx.setting_values[op.name] = op.value
        elif isinstance(op, AlterEnum) and op.action == "add" and ctx.transaction is not None:
            ctx.new_enum_values[(op.type_name, op.value)] = (ctx.transaction, op.loc)
        elif isinstance(op, AddConstraint) and op.constraint.not_valid and op.constraint.name:
            ctx.not_valid_tx[(key_of(op.table), key_of(op.constraint.name))] = ctx.transaction
        ctx.schema.apply(op)


_ZERO = re.compile(r"0+(?:\.0*)?\s*(?:us|ms|s|min|h|d)?", re.IGNORECASE)
_TO_DEFAULT = ("VAR_SET_DEFAULT", "VAR_RESET")


def disables_timeout(op: SetSetting) -> bool:
    """A ``*_timeout`` set to 0 (or back to the server's default, usually 0) means no timeout.

    >>> disables_timeout(SetSetting(loc=Loc("m.sql", 1), name="statement_timeout", value="0"))
    True
    >>> disables_timeout(SetSetting(loc=Loc("m.sql", 1), name="lock_timeout", value="0s"))
    True
    >>> disables_timeout(SetSetting(loc=Loc("m.sql", 1), name="lock_timeout", value="2s"))
    False
    """
    if not op.name.endswith("_timeout"):
        return False
    return op.value in _TO_DEFAULT or _ZERO.fullmatch(op.value.strip()) is not None


def lint(sources: list[Source], options: Options, schema: Schema | None = None) -> list[LintFinding]:
    """Findings for ``sources`` (already in migration order), sorted by file, line and column."""
    registry = load_lint_rules()
    active = [
        item
        for rule_id, item in registry.items()
        if rule_id not in options.ignore
        and (item.enabled or rule_id in options.select)
        and (item.dialects is None or options.dialect in item.dialects)
    ]
    run = _Run(options, schema or Schema(), active)
    file_directives: dict[str, list[tuple[Directive, int | None]]] = {}
    contexts: dict[tuple[str, int], str] = {}
    for source in sources:
        statements = read_statements(source, options.dialect)
        contexts.update(statement_contexts(source, statements))
        file_directives[source.name] = _attach(directives(source.text), statements)
        run.start_file(source)
        for statement in statements:
            run.ctx.statement_text = statement.text
            for op in statement.ops:
                run.visit(op)
        last = statements[-1].end_line if statements else 1
        run.visit(EndOfFile(loc=Loc(source.name, last, 1, _end_index(statements))))
    if sources:
        run.visit(EndOfRun(loc=Loc(sources[-1].name, 1, 1, -1)))
    return _findings(run.hits, file_directives, options, [s.name for s in sources], contexts)


def _end_index(statements: list[Statement]) -> int:
    """The statement index :class:`EndOfFile` takes: past every statement's, so no finding at the
    end of a file is taken for one on a statement (a comment-only piece leaves a gap in them)."""
    return max((s.loc.statement for s in statements), default=-1) + 1


_COMMENT_LINE = re.compile(r"^\s*--.*$", re.MULTILINE)


def statement_contexts(source: Source, statements: list[Statement]) -> dict[tuple[str, int], str]:
    """Each statement's :attr:`LintFinding.context` by (file, statement index), and the end of
    the file's (at :func:`_end_index`, where :class:`EndOfFile` points).

    >>> src = Source("m.sql", "DROP TABLE a;\\n-- again\\nDROP   TABLE a;")
    >>> sorted(statement_contexts(src, read_statements(src, "sqlite")).values())
    ['0:DROP TABLE a', '1:DROP TABLE a', 'end of file']
    """
    lines = source.text.split("\n")
    texts: dict[int, list[str]] = {}
    for statement in statements:
        # the generic front end keeps no text for a statement it cannot parse: its lines stand in
        text = statement.text or "\n".join(lines[statement.loc.line - 1 : statement.end_line])
        texts.setdefault(statement.loc.statement, []).append(" ".join(_COMMENT_LINE.sub("", text).split()))
    seen: dict[str, int] = {}
    out: dict[tuple[str, int], str] = {}
    for index, parts in texts.items():
        text = " ".join(parts)
        out[(source.name, index)] = f"{seen.get(text, 0)}:{text}"
        seen[text] = seen.get(text, 0) + 1
    out[(source.name, _end_index(statements))] = "end of file"
    return out


def _attach(found: list[Directive], statements: list[Statement]) -> list[tuple[Directive, int | None]]:
    """Each directive with the statement it silences: the first one not ended before its line."""
    attached: list[tuple[Directive, int | None]] = []
    for directive in found:
        if directive.file_wide:
            attached.append((directive, None))
            continue
        target = next((s.loc.statement for s in statements if s.end_line >= directive.line), -2)
        attached.append((directive, target))
    return attached


def _findings(
    hits: list[tuple[str, Hit]],
    file_directives: dict[str, list[tuple[Directive, int | None]]],
    options: Options,
    order: list[str],
    contexts: Mapping[tuple[str, int], str],
) -> list[LintFinding]:
    defaults = default_severities()
    used: set[tuple[str, int]] = set()
    out: list[LintFinding] = []
    for rule_id, hit in hits:
        context = contexts.get((hit.loc.file, hit.loc.statement), "end of run")
        silenced = False
        for number, (directive, statement) in enumerate(file_directives.get(hit.loc.file, ())):
            covers = directive.rules is None or rule_id in directive.rules
            if covers and (statement is None or statement == hit.loc.statement):
                used.add((hit.loc.file, number))
                silenced = True
        if not silenced:
            out.append(_finding(rule_id, hit, options, defaults[rule_id], context))
    if UNUSED_IGNORE not in options.ignore:
        for file, attached in file_directives.items():
            seen: dict[str, int] = {}
            for number, (directive, _) in enumerate(attached):
                # an ignore comment has no statement of its own: what it names, and how many
                # such comments came before it in the file, identify it
                kind = "ignore-file" if directive.file_wide else "ignore"
                text = f"{kind}[{','.join(sorted(directive.rules or ['*']))}]"
                context = f"comment {seen.get(text, 0)}:{text}"
                seen[text] = seen.get(text, 0) + 1
                if (file, number) not in used:
                    hit = _unused(directive, Loc(file, directive.line, 1), frozenset(defaults))
                    out.append(_finding(UNUSED_IGNORE, hit, options, defaults[UNUSED_IGNORE], context))
    if options.report_files is not None:
        out = [f for f in out if f.file in options.report_files]
    rank = {name: index for index, name in enumerate(order)}
    return sorted(out, key=lambda f: (rank.get(f.file, len(rank)), f.line, f.column, f.rule))


def _unused(directive: Directive, loc: Loc, known: frozenset[str]) -> Hit:
    """The finding for an ignore comment that silenced nothing; a misspelt rule id is named."""
    unknown = sorted((directive.rules or frozenset()) - known)
    if unknown:
        return Hit(
            loc,
            f"this ignore comment names {', '.join(unknown)}, which is no lint rule",
            fix_line(UNUSED_IGNORE, "unknown rule"),
        )
    names = ", ".join(sorted(directive.rules)) if directive.rules else "every rule"
    return Hit(
        loc,
        f"this ignore comment for {names} silences nothing",
        fix_line(UNUSED_IGNORE, "silences nothing"),
    )


def _finding(rule_id: str, hit: Hit, options: Options, default: Severity, context: str) -> LintFinding:
    severity = options.severities.get(rule_id, default)
    rows = options.table_rows.get(key_of(hit.table)) if hit.table else None
    message = hit.message
    if rows is not None and rows >= options.big_table_rows and severity is not Severity.INFO:
        severity = Severity.ERROR
        message += f" ({hit.table} has about {rows:,} rows)"
    return LintFinding(
        rule_id, severity, hit.loc.file, hit.loc.line, hit.loc.column, message, hit.fix, context
    )
