"""The first stage of reading PostgreSQL: the schema's tables (``pg_class``) and their columns
(``pg_attribute``), each column's type and default written as the spec takes them, with a note
where one was translated (an enum, a domain, a serial)."""

from __future__ import annotations

from advisor.errors import AdvisorError
from advisor.introspect.model import ColumnFacts, Fetch, Options, wanted
from advisor.introspect.postgres_common import PgTable, portable

_SERIALS = {"integer": "serial", "bigint": "bigserial", "smallint": "smallserial"}
_NUMBERS = frozenset({"int2", "int4", "int8", "numeric", "float4", "float8", "oid"})


def read_tables(fetch: Fetch, options: Options) -> dict[int, PgTable]:
    rows = fetch(
        "SELECT c.oid, c.relname, c.relkind, c.reltuples::float8, c.relpages, c.relallvisible, "
        "to_char(greatest(s.last_analyze, s.last_autoanalyze) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'), "
        "CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "LEFT JOIN pg_stat_all_tables s ON s.relid = c.oid "
        "WHERE n.nspname = %s AND c.relkind IN ('r', 'p') AND NOT c.relispartition "
        "ORDER BY c.relname",
        (options.schema,),
    )
    out = {}
    for oid, name, kind, reltuples, pages, visible, analyzed, partitioning in rows:
        if wanted(name, options.include, options.exclude):
            out[oid] = PgTable(oid, name, kind, reltuples, pages, visible, analyzed)
            if partitioning:
                out[oid].comments.append(
                    f"partitioned: PARTITION BY {partitioning}; its partitions are read as this one table"
                )
    return out


def read_columns(fetch: Fetch, tables: dict[int, PgTable]) -> None:
    rows = fetch(
        "SELECT a.attrelid, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, "
        "pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated, t.typtype, t.typname, "
        "format_type(t.typbasetype, t.typtypmod), "
        "ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder), "
        "EXISTS (SELECT 1 FROM pg_depend dep JOIN pg_class sq ON sq.oid = dep.objid AND sq.relkind = 'S' "
        "  WHERE dep.refobjid = a.attrelid AND dep.refobjsubid = a.attnum AND dep.deptype = 'a'), "
        "coalesce(bt.typname, t.typname) "
        "FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
        "LEFT JOIN pg_type bt ON bt.oid = t.typbasetype "
        "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
        "WHERE a.attrelid = ANY(%s) AND a.attnum > 0 AND NOT a.attisdropped "
        "ORDER BY a.attrelid, a.attnum",
        (list(tables),),
    )
    for row in rows:
        table = tables[row[0]]
        column = _column(*row[1:12])
        table.columns[column.name] = column
        table.numbers[column.name] = row[12] in _NUMBERS
        table.padded[column.name] = row[12] == "bpchar"


def _column(
    name: str,
    type_text: str,
    not_null: bool,
    default: str | None,
    identity: str,
    generated: str,
    typtype: str,
    typname: str,
    base: str | None,
    labels: list[str],
    owned_sequence: bool,
) -> ColumnFacts:
    """A column's declaration as the spec writes it, with notes where the type was translated."""
    from advisor.emit.types import parse_type

    notes: list[tuple[str, str]] = []
    comments: list[str] = []
    written = type_text
    if typtype == "e":
        written = "enum(" + ", ".join("'" + label.replace("'", "''") + "'" for label in labels) + ")"
        notes.append(("type", f"enum type {typname}"))
    elif typtype == "d" and base:
        written = base
        notes.append(("type", f"domain {typname} (its checks are left out)"))
    if identity in ("a", "d") and type_text in _SERIALS:
        written = _SERIALS[type_text]
        kind = "ALWAYS" if identity == "a" else "BY DEFAULT"
        notes.append(("type", f"{type_text} GENERATED {kind} AS IDENTITY"))
        default = None
    elif owned_sequence and default and default.startswith("nextval(") and type_text in _SERIALS:
        written = _SERIALS[type_text]
        notes.append(("type", f"{type_text} DEFAULT {default}"))
        default = None
    if generated == "s":
        comments.append(f"generated always as ({default}) stored: written as a plain column")
        default = None
    try:
        parse_type(written, "postgres")
    except AdvisorError:
        notes.append(("type", f"{type_text}, which the spec cannot read: written as text"))
        written = "text"
    if default is not None:
        if "nextval(" in default:
            comments.append(f"default {default} left out: advisor ddl does not create sequences")
            default = None
        else:
            try:
                default = portable(default, "default")
            except ValueError as exc:
                comments.append(f"default {default} left out: {exc}")
                default = None
    return ColumnFacts(
        name=name,
        type=written,
        nullable=not not_null,
        default=default,
        notes=tuple(notes),
        comments=tuple(comments),
    )
