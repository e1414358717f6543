"""The schema and the recommended indexes as a Mermaid ``erDiagram``.

Mermaid's grammar is narrow: entity and attribute names are words, attribute types may add digits,
hyphens, underscores, parentheses and brackets, and comments are double-quoted without inner
quotes. Names from the spec are mapped into that alphabet (and kept apart when two map alike), so
any schema yields a diagram that renders.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from advisor.explain.result import SchemaColumn, SchemaTable

_WORD = re.compile(r"[^A-Za-z0-9_]+")
_TYPE = re.compile(r"[^A-Za-z0-9_()\[\]-]+")


def safe_name(name: str, taken: set[str] | None = None) -> str:
    """A Mermaid-safe word for ``name``, unique among ``taken`` (which it joins).

    >>> safe_name("Order Items"), safe_name("2fa-codes"), safe_name("")
    ('Order_Items', 't_2fa_codes', 't_')
    >>> taken = {"a_b"}
    >>> safe_name("a-b", taken), sorted(taken)
    ('a_b_2', ['a_b', 'a_b_2'])
    """
    word = _WORD.sub("_", name).strip("_") or ""
    if not word or not word[0].isalpha():
        word = f"t_{word}"
    if taken is None:
        return word
    candidate, n = word, 1
    while candidate in taken:
        n += 1
        candidate = f"{word}_{n}"
    taken.add(candidate)
    return candidate


def safe_type(sql_type: str) -> str:
    """A Mermaid attribute type: ``numeric(12,2)`` -> ``numeric(12_2)``.

    >>> safe_type("numeric(12,2)"), safe_type("double precision"), safe_type("")
    ('numeric(12_2)', 'double_precision', 'unknown')
    """
    text = _TYPE.sub("_", sql_type.strip()).strip("_")
    if not text or not text[0].isalpha():
        text = f"t_{text}" if text else "unknown"
    return text


def _comment(text: str) -> str:
    return '"' + text.replace('"', "'").replace("\n", " ") + '"'


def _attribute(col: SchemaColumn, name: str) -> str:
    keys = [
        k
        for k, on in (
            ("PK", col.primary_key),
            ("FK", col.references),
            ("UK", col.unique and not col.primary_key),
        )
        if on
    ]
    line = f"        {safe_type(col.type)} {name}"
    if keys:
        line += " " + ", ".join(keys)
    notes = []
    if col.references:
        notes.append(f"references {col.references}")
    if not col.nullable and not col.primary_key:
        notes.append("not null")
    if name != col.name:
        notes.append(col.name)
    return line + (f" {_comment(', '.join(notes))}" if notes else "")


def er_diagram(tables: Sequence[SchemaTable]) -> list[str]:
    """The lines of a fenced ``mermaid`` block: one entity per table (recommended indexes as
    ``new_index`` rows), one relationship per reference."""
    taken: set[str] = set()
    entity = {t.name.lower(): safe_name(t.name, taken) for t in tables}
    lines = ["```mermaid", "erDiagram"]
    for table in tables:
        lines.append(f"    {entity[table.name.lower()]} {{")
        names: set[str] = set()
        for col in table.columns:
            lines.append(_attribute(col, safe_name(col.name, names)))
        for label, index in zip(table.recommended, table.recommended_names, strict=True):
            keys = label.split(" ", 1)[1] if " " in label else label
            lines.append(f"        new_index {safe_name(index, names)} {_comment(keys)}")
        lines.append("    }")
    for table in tables:
        for col in table.columns:
            if not col.references:
                continue
            parent = col.references.split(".", 1)[0]
            if parent not in entity:
                continue
            left = "|o" if col.nullable else "||"
            right = "o|" if col.unique else "o{"
            lines.append(
                f"    {entity[parent]} {left}--{right} {entity[table.name.lower()]} : {_comment(col.name)}"
            )
    lines.append("```")
    return lines
