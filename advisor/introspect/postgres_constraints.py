"""The second stage of reading PostgreSQL: constraints (``pg_constraint``: the primary key, unique
columns, references, checks) and B-tree indexes (``pg_index``) with the scans each had
(``pg_stat_user_indexes``); what the spec format cannot say is left out with a comment."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from advisor.introspect.model import Fetch, IndexFacts, Options
from advisor.introspect.postgres_common import PgTable, portable

_ACTIONS = {"r": "restrict", "c": "cascade", "n": "set null", "d": "set default"}
"""``pg_constraint.confdeltype`` / ``confupdtype``; ``a`` (no action) is the default, left out."""


def read_constraints(fetch: Fetch, tables: dict[int, PgTable], options: Options) -> None:
    rows = fetch(
        "SELECT con.conrelid, con.conname, con.contype, "
        "ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(n, i) "
        "  JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.i), "
        "con.confrelid, fc.relname, fn.nspname, "
        "ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(n, i) "
        "  JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.i), "
        "con.confdeltype, con.confupdtype, pg_get_expr(con.conbin, con.conrelid), con.convalidated, "
        "pg_get_constraintdef(con.oid) "
        "FROM pg_constraint con LEFT JOIN pg_class fc ON fc.oid = con.confrelid "
        "LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace "
        "WHERE con.conrelid = ANY(%s) ORDER BY con.conrelid, con.contype, con.conname",
        (list(tables),),
    )
    for (
        oid,
        name,
        kind,
        keys,
        target_oid,
        target,
        target_schema,
        target_keys,
        on_del,
        on_upd,
        check,
        valid,
        text,
    ) in rows:
        table = tables[oid]
        if kind == "p":
            table.primary_key = tuple(keys)
        elif kind == "u" and len(keys) == 1:
            _set(table, keys[0], unique=True, note=("unique", f"constraint {name}"))
        elif kind == "u":  # the format has per-column unique only: the index stands for it
            continue
        elif kind == "f":
            _foreign_key(
                tables,
                options,
                table,
                name,
                keys,
                target_oid,
                target,
                target_schema,
                target_keys,
                on_del,
                on_upd,
                text,
            )
        elif kind == "c":
            _check(table, name, keys, check, valid)
        else:
            table.comments.append(f"constraint {name} left out (the spec format has none like it): {text}")


def _set(table: PgTable, column: str, note: tuple[str, str] | None = None, **changes: Any) -> None:
    current = table.columns[column]
    notes = (*current.notes, note) if note else current.notes
    if "comments" in changes:  # added to, never replaced
        changes["comments"] = (*current.comments, *changes["comments"])
    table.columns[column] = replace(current, notes=notes, **changes)


def _foreign_key(
    tables: dict[int, PgTable],
    options: Options,
    table: PgTable,
    name: str,
    keys: list[str],
    target_oid: int,
    target: str,
    target_schema: str,
    target_keys: list[str],
    on_delete: str,
    on_update: str,
    text: str,
) -> None:
    if len(keys) > 1:
        table.comments.append(
            f"foreign key {name} left out: the spec format has no composite references: {text}"
        )
        return
    if target_schema != options.schema or target_oid not in tables:
        why = (
            "another schema's"
            if target_schema != options.schema
            else "a table left out by --include / --exclude"
        )
        _set(table, keys[0], comments=(f"foreign key {name} left out: it references {why}: {text}",))
        return
    _set(
        table,
        keys[0],
        references=f"{target}.{target_keys[0]}",
        on_delete=_ACTIONS.get(on_delete),
        on_update=_ACTIONS.get(on_update),
        note=("references", f"constraint {name}"),
    )


def _check(table: PgTable, name: str, keys: list[str], check: str | None, valid: bool) -> None:
    if not keys or check is None:
        table.comments.append(f"check {name} left out: it names no column: {check}")
        return
    try:
        check = portable(check, "check")
    except ValueError as exc:
        _set(table, keys[0], comments=(f"check {name} left out ({exc}): {check}",))
        return
    column = table.columns[keys[0]]
    combined = check if column.check is None else f"({column.check}) AND ({check})"
    label = f"constraint {name}" + ("" if valid else " (NOT VALID on the server)")
    earlier = column.note("check")
    _set(table, keys[0], check=combined, note=("check", f"{earlier}, {label}" if earlier else label))


def read_indexes(fetch: Fetch, tables: dict[int, PgTable]) -> None:
    rows = fetch(
        "SELECT i.indrelid, ic.relname, am.amname, i.indisunique, i.indisvalid, i.indnkeyatts, "
        "ARRAY(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(n, o) "
        "  LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n ORDER BY k.o), "
        "i.indoption::int2[], pg_get_expr(i.indpred, i.indrelid), pg_get_indexdef(i.indexrelid), "
        "con.contype, 0 = ANY(i.indkey::int2[]) "
        "FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam "
        "LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid "
        "  AND con.contype IN ('p', 'u', 'x') "
        "WHERE i.indrelid = ANY(%s) ORDER BY i.indrelid, ic.relname",
        (list(tables),),
    )
    for (
        oid,
        name,
        method,
        unique,
        valid,
        nkeys,
        columns,
        options,
        where,
        text,
        constraint,
        expression,
    ) in rows:
        table = tables[oid]
        if constraint == "p" or constraint == "x":
            continue  # implied by primary_key; an exclusion constraint is a table comment already
        if constraint == "u" and len(columns) == 1:
            continue  # implied by the column's unique: true
        why = _unfit_index(method, valid, expression, where)
        if why is not None:
            table.comments.append(f"index {name} left out ({why}): {text}")
            continue
        keys = tuple((c, bool(o & 1)) for c, o in zip(columns[:nkeys], options, strict=False))
        if unique and where is None and len(keys) == 1 and not keys[0][1] and nkeys == len(columns):
            # a unique index on one column is a unique column to the spec (a foreign key may need it)
            if not table.columns[keys[0][0]].unique:
                _set(table, keys[0][0], unique=True, note=("unique", f"unique index {name}"))
            continue
        table.indexes.append(
            IndexFacts(
                name=name,
                columns=keys,
                unique=unique,
                include=tuple(columns[nkeys:]),
                where=portable(where, "where") if where is not None else None,
                note=f"constraint {name}" if constraint == "u" else None,
            )
        )


def read_index_scans(fetch: Fetch, tables: dict[int, PgTable]) -> None:
    """Each index's scans since the statistics were reset (``pg_stat_user_indexes``): an index
    no query of the real workload used is one the spec's patterns cannot vouch for either."""
    reset = fetch("SELECT stats_reset FROM pg_stat_database WHERE datname = current_database()")
    since = (
        f"since {reset[0][0]:%Y-%m-%d %H:%M} UTC"
        if reset and reset[0][0] is not None
        else "since the server started"
    )
    rows = fetch(
        "SELECT relid, indexrelname, idx_scan FROM pg_stat_user_indexes WHERE relid = ANY(%s)",
        (list(tables),),
    )
    counts = {(oid, str(name)): int(scans) for oid, name, scans in rows if scans is not None}
    for oid, table in tables.items():
        table.indexes = [
            replace(ix, scans=counts[(oid, ix.name)], scans_note=f"pg_stat_user_indexes.idx_scan {since}")
            if (oid, ix.name) in counts
            else ix
            for ix in table.indexes
        ]


def _unfit_index(method: str, valid: bool, expression: bool, where: str | None) -> str | None:
    """Why an index cannot be written in the spec (which knows B-tree indexes on columns), or ``None``.

    >>> _unfit_index("gin", True, False, None), _unfit_index("btree", True, False, "a > 0")
    ('a gin index: the spec describes B-tree indexes only', None)
    """
    if not valid:
        return "invalid: a CREATE INDEX CONCURRENTLY that failed; the planner does not use it"
    if method != "btree":
        return f"a {method} index: the spec describes B-tree indexes only"
    if expression:
        return "an expression index: the spec's indexes are on columns"
    if where is not None:
        try:
            portable(where, "where")
        except ValueError as exc:
            return f"its predicate {exc}"
    return None
