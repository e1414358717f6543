"""The rule catalog as the rest of the program sees it: frozen records, no YAML, no pydantic.

Only :mod:`advisor.catalog.load` builds these; the CLI, the report and the rules read them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from advisor.errors import AdvisorError


class Family(StrEnum):
    """Rule families; the value is the id prefix. Declaration order is the catalog's order."""

    IDX = "IDX"
    COV = "COV"
    PAR = "PAR"
    NRM = "NRM"
    QRY = "QRY"
    CAP = "CAP"
    INT = "INT"
    MIG = "MIG"

    @property
    def label(self) -> str:
        """A word for headings.

        >>> Family.COV.label
        'covering'
        """
        return _FAMILY_LABELS[self]


_FAMILY_LABELS = {
    Family.IDX: "indexes",
    Family.COV: "covering",
    Family.PAR: "partial",
    Family.NRM: "normalization",
    Family.QRY: "query anti-patterns",
    Family.CAP: "capacity and layout",
    Family.INT: "integrity",
    Family.MIG: "migrations",
}


RECOMMEND_FAMILIES = frozenset(Family) - {Family.MIG}
"""The families whose rules ``recommend`` runs; MIG rules are ``lint``'s."""


class Severity(StrEnum):
    """Default severity of a rule's findings; configuration may change it per project."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    def at_least(self, other: Severity) -> bool:
        """As severe as ``other`` or more (the members are declared worst first).

        >>> Severity.ERROR.at_least(Severity.WARNING), Severity.INFO.at_least(Severity.WARNING)
        (True, False)
        """
        order = list(Severity)
        return order.index(self) <= order.index(other)


Number = int | float


@dataclass(frozen=True)
class Threshold:
    """A tunable number a rule compares with, its default and what it means."""

    name: str
    default: Number
    description: str


_SPEC_KEY = re.compile(r"(dialect|tables|patterns|workload|budget|operations):")
"""A top-level key of the input file ``advisor recommend`` reads, at the start of a line."""


@dataclass(frozen=True)
class Example:
    """The input a rule judges, as the docs show it (``bad``), and the same input done right
    (``good``); ``context`` holds what both run against and the docs leave out.

    Every example runs in the test suite (``tests/catalog/test_catalog_examples.py``): the rule
    must fire on ``bad`` and stay silent on ``good``.

    - A migration rule's (MIG) ``bad`` and ``good`` are migrations, linted in the rule's dialect;
      ``context`` is an earlier migration (SQL) that builds what they change, so the tables it
      creates exist and hold rows when the example runs.
    - A design rule's are SQL or a YAML fragment of the input file (:func:`language`) and
      ``context`` is an input file (YAML) holding what the example does not show: table sizes and
      statistics, the tables it only names, other patterns. SQL is split into statements: the
      DDL builds the schema (after the DDL of the context's ``ddl:`` key), each query becomes a
      pattern run at the context's ``per_sec:`` or ``per_day:`` (once a second when it gives
      neither). A YAML fragment is merged into the context: mappings key by key, lists appended.
    """

    bad: str
    good: str
    context: str | None = None


def language(example: str) -> str:
    """``yaml`` for a fragment of the input file (its first line that is not a comment starts
    with one of the file's top-level keys), ``sql`` otherwise.

    >>> language("# sizes\\ntables:\\n  t: {rows: 1}"), language("-- tables: t\\nSELECT 1;")
    ('yaml', 'sql')
    """
    lines = [line for line in example.splitlines() if line.strip() and not line.startswith("#")]
    return "yaml" if lines and _SPEC_KEY.match(lines[0]) else "sql"


def paragraphs(text: str) -> list[list[str]]:
    """Blank-line separated paragraphs, each as its stripped, non-empty lines."""
    blocks: list[list[str]] = [[]]
    for line in text.strip().splitlines():
        if line.strip():
            blocks[-1].append(line.strip())
        elif blocks[-1]:
            blocks.append([])
    return [block for block in blocks if block]


def items(block: list[str]) -> list[str]:
    """A paragraph as one string, or a list paragraph as its items (continuation lines joined)."""
    if not block[0].startswith("- "):
        return [" ".join(block)]
    out: list[str] = []
    for line in block:
        if line.startswith("- ") or not out:
            out.append(line)
        else:
            out[-1] += " " + line
    return out


_CASE = re.compile(r"- \*\*(?P<case>[^*]+)\*\*: (?P<fix>\S.*)", re.DOTALL)
"""A list item of a fix's first paragraph: ``- **case**: the fix for that case``."""


def fix_lines(fix: str) -> dict[str | None, str]:
    """The fixes a rule's findings state, from its catalog ``fix``: the first paragraph on one
    line (key ``None``), or, when the findings state a different fix for each case, that
    paragraph's list items ``- **case**: fix`` by case. The paragraphs after it are for the docs.

    >>> fix_lines("Use text.\\n\\nMore for the docs.")
    {None: 'Use text.'}
    >>> fix_lines("- **float**: Use numeric.\\n- **money**: Add a currency\\n  column.\\n\\nMore.")
    {'float': 'Use numeric.', 'money': 'Add a currency column.'}

    Raises ``ValueError`` for a list item that names no case, or a case named twice.
    """
    first = items(paragraphs(fix)[0])
    if not first[0].startswith("- "):
        return {None: first[0]}
    out: dict[str | None, str] = {}
    for item in first:
        match = _CASE.fullmatch(item)
        if match is None:
            raise ValueError(f"a fix for one case of several is written '- **case**: fix', not {item!r}")
        if match["case"] in out:
            raise ValueError(f"the case {match['case']!r} has two fixes")
        out[match["case"]] = match["fix"]
    return out


def pick_fix(rule_id: str, fixes: dict[str | None, str], case: str | None) -> str:
    """The fix for ``case`` among a rule's ``fixes`` (:func:`fix_lines`); ``KeyError`` naming
    the rule when it states none for that case."""
    try:
        return fixes[case]
    except KeyError:
        stated = ", ".join(repr(key) for key in fixes)
        raise KeyError(f"{rule_id}'s catalog fix has no case {case!r} (it states {stated})") from None


def clause(fix: str) -> str:
    """A fix as the clause ``recommend``'s reports end with a period (``Fix: {clause}.``): the
    final period dropped, and the first word in lower case when it is an ordinary capitalized
    word.

    >>> clause("No new index needed."), clause("A trigram index."), clause("CREATE INDEX first.")
    ('no new index needed', 'a trigram index', 'CREATE INDEX first')
    """
    text = fix.removesuffix(".")
    word = text.split(" ", 1)[0]
    if word[:1].isupper() and (len(word) == 1 or word[1:].islower()):
        text = text[0].lower() + text[1:]
    return text


@dataclass(frozen=True)
class RuleDoc:
    """One catalog entry: everything ``advisor rules ID`` prints about a rule."""

    id: str
    name: str
    title: str
    family: Family
    severity: Severity
    thresholds: tuple[Threshold, ...]
    what: str
    why: str
    example: Example
    fix: str
    dialects: tuple[tuple[str, str], ...] = ()
    """Per-dialect notes, ``(dialect, text)``, in the order the file gives them."""

    def fix_line(self, case: str | None = None) -> str:
        """The fix its findings state (for ``case``, when they state one per case): see
        :func:`fix_lines`.

        >>> _sample_rule().fix_line()
        'Nothing to fix.'
        """
        return pick_fix(self.id, fix_lines(self.fix), case)

    def threshold(self, name: str) -> Threshold:
        """The threshold called ``name``; ``KeyError`` when the rule has none by that name.

        >>> rule = _sample_rule()
        >>> rule.threshold("min_table_rows").default
        10000
        """
        for item in self.thresholds:
            if item.name == name:
                return item
        raise KeyError(f"{self.id} has no threshold {name!r}")

    @property
    def defaults(self) -> dict[str, Number]:
        """Threshold defaults by name, the starting point configuration overrides.

        >>> _sample_rule().defaults
        {'min_table_rows': 10000}
        """
        return {item.name: item.default for item in self.thresholds}


class Catalog:
    """All rule docs, ordered by family (as :class:`Family` lists them) then id.

    >>> catalog = Catalog([_sample_rule()])
    >>> catalog.ids
    ('IDX999',)
    >>> catalog.get("idx999").name, catalog.get("sample-rule").id, catalog.get("NOPE")
    ('sample-rule', 'IDX999', None)
    """

    def __init__(self, rules: list[RuleDoc] | tuple[RuleDoc, ...]) -> None:
        order = list(Family)
        self._rules = tuple(sorted(rules, key=lambda r: (order.index(r.family), r.id)))
        self._by_key: dict[str, RuleDoc] = {}
        for rule in self._rules:
            self._by_key[rule.id.lower()] = rule
            self._by_key[rule.name.lower()] = rule

    @property
    def ids(self) -> tuple[str, ...]:
        """Every rule id, in catalog order."""
        return tuple(rule.id for rule in self._rules)

    def get(self, key: str) -> RuleDoc | None:
        """The rule whose id or name is ``key`` (case-insensitive), or ``None``."""
        return self._by_key.get(key.strip().lower())

    def require(self, key: str) -> RuleDoc:
        """The rule whose id or name is ``key``; an :class:`AdvisorError` with a hint otherwise.

        >>> Catalog([_sample_rule()]).require("IDX99")
        Traceback (most recent call last):
        ...
        advisor.errors.AdvisorError: unknown rule 'IDX99' (did you mean IDX999?); `advisor rules` lists them
        """
        rule = self.get(key)
        if rule is None:
            close = self.suggest(key)
            hint = f" (did you mean {' or '.join(close)}?)" if close else ""
            raise AdvisorError(f"unknown rule {key!r}{hint}; `advisor rules` lists them")
        return rule

    def __getitem__(self, key: str) -> RuleDoc:
        rule = self.get(key)
        if rule is None:
            raise KeyError(key)
        return rule

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def __iter__(self) -> Iterator[RuleDoc]:
        return iter(self._rules)

    def __len__(self) -> int:
        return len(self._rules)

    def family(self, family: Family) -> tuple[RuleDoc, ...]:
        """The rules of one family, in id order."""
        return tuple(rule for rule in self._rules if rule.family is family)

    def suggest(self, key: str, limit: int = 3) -> list[str]:
        """Ids and names close to a mistyped ``key``, for an error message's hint.

        >>> Catalog([_sample_rule()]).suggest("IDX99")
        ['IDX999']
        """
        import difflib  # only on the error path

        wanted = key.strip().lower()
        found = difflib.get_close_matches(wanted, list(self._by_key), n=limit, cutoff=0.6)
        return list(dict.fromkeys(self._by_key[item].id for item in found))


def _sample_rule() -> RuleDoc:
    """A made-up rule for the doctests above."""
    return RuleDoc(
        id="IDX999",
        name="sample-rule",
        title="A sample",
        family=Family.IDX,
        severity=Severity.INFO,
        thresholds=(Threshold("min_table_rows", 10000, "Smaller tables are skipped."),),
        what="Checks nothing.",
        why="It is a sample.",
        example=Example(bad="SELECT 1;", good="SELECT 2;"),
        fix="Nothing to fix.",
    )
