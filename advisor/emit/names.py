"""Identifiers for generated DDL: quoted only where the engine needs it, within its length limit."""

from __future__ import annotations

import hashlib
import re

from sqlglot import exp
from sqlglot.dialects.dialect import Dialect

from advisor.dialects import lookup
from advisor.spec.model import ExactName

_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

# PostgreSQL's reserved key words (the "reserved" column of its key word appendix).
POSTGRES_RESERVED = frozenset(
    """
    all analyse analyze and any array as asc asymmetric authorization binary both case cast check
    collate collation column concurrently constraint create cross current_catalog current_date
    current_role current_schema current_time current_timestamp current_user default deferrable desc
    distinct do else end except false fetch for foreign freeze from full grant group having ilike in
    initially inner intersect into is isnull join lateral leading left like limit localtime
    localtimestamp natural not notnull null offset on only or order outer overlaps placing primary
    references returning right select session_user similar some symmetric system_user table
    tablesample then to trailing true union unique user using variadic verbose when where window
    with
    """.split()  # noqa: SIM905  (a word list reads best as text)
)

# SQLite's key words: it takes some back as names in some positions, but quoting them is always safe.
_SQLITE_RESERVED = frozenset(
    """
    abort action add after all alter always analyze and as asc attach autoincrement before begin
    between by cascade case cast check collate column commit conflict constraint create cross
    current current_date current_time current_timestamp database default deferrable deferred delete
    desc detach distinct do drop each else end escape except exclude exclusive exists explain fail
    filter first following for foreign from full generated glob group groups having if ignore
    immediate in index indexed initially inner insert instead intersect into is isnull join key last
    left like limit match materialized natural no not nothing notnull null nulls of offset on or
    order others outer over partition plan pragma preceding primary query raise range recursive
    references regexp reindex release rename replace restrict returning right rollback row rows
    savepoint select set table temp temporary then ties to transaction trigger unbounded union
    unique update using vacuum values view virtual when where window with without
    """.split()  # noqa: SIM905  (a word list reads best as text)
)


def _reserved(dialect: str) -> frozenset[str]:
    """The words to quote on ``dialect``, from the list the registry says the engine follows."""
    facts = lookup(dialect)
    own = _OWN_LISTS.get(facts.reserved_words) if facts is not None else None
    if own is not None:
        return own
    words: set[str] = getattr(Dialect.get_or_raise(dialect).generator_class, "RESERVED_KEYWORDS", set())
    return frozenset(w.lower() for w in words) | POSTGRES_RESERVED


_OWN_LISTS = {"postgres": POSTGRES_RESERVED, "sqlite": _SQLITE_RESERVED}
"""The reserved word lists kept here, by the registry's name for them."""


def needs_quotes(name: str, dialect: str) -> bool:
    """Whether ``name`` must be quoted: not a plain word, or a reserved key word of the engine.

    >>> needs_quotes("order", "postgres"), needs_quotes("orders", "postgres"), needs_quotes("a b", "mysql")
    (True, False, True)
    """
    return _PLAIN.match(name) is None or name.lower() in _reserved(dialect)


def identifier(name: str, dialect: str) -> exp.Identifier:
    """``name`` as an identifier, quoted where needed.

    Names are case-insensitive in the spec and the patterns are written unquoted, so a quoted name
    on PostgreSQL is spelled as PostgreSQL folds unquoted names: lower case. A name the DDL
    declared with a spelling the engine keeps (``ExactName``) is quoted as written.

    >>> identifier("User", "postgres").sql("postgres"), identifier("Users", "postgres").sql("postgres")
    ('"user"', 'Users')
    >>> from advisor.spec.model import ExactName
    >>> identifier(ExactName("Customer Id"), "postgres").sql("postgres")
    '"Customer Id"'
    """
    if isinstance(name, ExactName):
        return name_node(name)
    if not needs_quotes(name, dialect):
        return exp.to_identifier(name)
    facts = lookup(dialect)
    return exp.to_identifier(name.lower() if facts is not None and facts.quoted_case else name, quoted=True)


def name_node(name: str) -> exp.Identifier:
    """``name`` as sqlglot quotes it (where it is not a plain word), an ``ExactName`` always.

    >>> from advisor.spec.model import ExactName
    >>> name_node("total").sql("postgres"), name_node(ExactName("createdAt")).sql("postgres")
    ('total', '"createdAt"')
    """
    if isinstance(name, ExactName):
        return exp.to_identifier(str(name), quoted=True)
    return exp.to_identifier(name)


def plain_word(text: str) -> str:
    """``text`` as a generated name: lower case, each run of other characters than letters, digits
    and ``_`` one ``_``.

    >>> plain_word("ix_Orders_Customer Id")
    'ix_orders_customer_id'
    """
    return _NOT_WORD.sub("_", text.lower())


_NOT_WORD = re.compile(r"\W+")


def column_node(name: str) -> exp.Column:
    """A column called ``name``, quoted as ``name_node`` quotes it."""
    return exp.Column(this=name_node(name))


def table_node(name: str) -> exp.Table:
    """A table called ``name``, built as an identifier and never parsed as SQL (``exp.to_table``
    reads ``a;b`` as two statements and stops at a quote), quoted unless a plain word.

    >>> table_node('a"b; DROP TABLE t').sql("postgres"), table_node("orders").sql("postgres")
    ('"a""b; DROP TABLE t"', 'orders')
    """
    return exp.Table(this=name_node(name))


def table_ref(name: str, dialect: str) -> exp.Table:
    return exp.Table(this=identifier(name, dialect))


def column_ref(name: str, dialect: str) -> exp.Column:
    return exp.Column(this=identifier(name, dialect))


def name_problem(name: str, dialect: str) -> str | None:
    """Why the engine would refuse (or, PostgreSQL, silently cut) ``name`` as a table or column
    name, or ``None``. Generated names (indexes, constraints) are fitted instead.

    >>> name_problem("x" * 64, "postgres"), name_problem("total ", "mysql"), name_problem("total ", "sqlite")
    ('PostgreSQL keeps only 63 bytes of a name (this one has 64)', 'MySQL refuses a name that ends in a space', None)
    """
    facts = lookup(dialect)
    if facts is None:
        return None
    size = len(name.encode()) if facts.name_unit == "bytes" else len(name)
    limit, label = facts.name_limit, facts.label
    if facts.long_names == "truncated" and size > limit:
        return f"{label} keeps only {limit} {facts.name_unit} of a name (this one has {size})"
    if facts.long_names == "refused" and size > limit:
        return f"{label} takes names of up to {limit} {facts.name_unit} (this one has {size})"
    if facts.strict_names and name.endswith(" "):
        return f"{label} refuses a name that ends in a space"
    if facts.strict_names and any(ord(ch) > 0xFFFF for ch in name):
        return f"{label} takes no character beyond U+FFFF in a name"
    return None


def fit_name(name: str, limit: int, salt: str = "", force_hash: bool = False) -> str:
    """``name`` if it fits in ``limit`` bytes; otherwise cut and given a stable 8-hex hash suffix of
    ``salt`` (by default the whole name), so two long names that share a prefix stay distinct.

    >>> fit_name("ix_orders_user_id", 63)
    'ix_orders_user_id'
    >>> fit_name("ix_" + "x" * 70, 63)
    'ix_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx_c9dd958c'
    """
    raw = name.encode()
    if len(raw) <= limit and not force_hash:
        return name
    digest = hashlib.sha1((salt or name).encode()).hexdigest()[:8]
    head = raw[: limit - 9].decode(errors="ignore")
    return f"{head}_{digest}"
