"""SQL files through their dialect's front end: statements and the operations they perform, and
the schema that replaying them builds.

>>> from advisor.schema.source import Source
>>> [type(op).__name__ for s in read_statements(Source("m.sql", "CREATE TABLE t (id int);"), "sqlite")
...  for op in s.ops]
['CreateTable']
"""

from __future__ import annotations

from pathlib import Path

from advisor.errors import AdvisorError, Location
from advisor.schema.files import migration_files
from advisor.schema.ops import Statement, Unparseable
from advisor.schema.source import Source, read_source
from advisor.schema.state import Schema


def read_statements(source: Source, dialect: str) -> list[Statement]:
    """The statements of one file through the dialect's front end (``Dialect.migrations``)."""
    from advisor.dialects import dialect as facts_of

    facts = facts_of(dialect)
    if facts.migrations == "pglast":
        from advisor.schema.postgres import parse_postgres

        return parse_postgres(source)
    from advisor.schema.generic import parse_generic

    return parse_generic(source, facts.sqlglot)


def replay(files: list[Path], dialect: str) -> Schema:
    """The schema the DDL ``files`` build, replayed in order; a statement the front end cannot read
    is an input error naming its file and the line the parser stopped at."""
    from advisor.dialects import dialect as facts_of

    schema = Schema(facts_of(dialect).sqlglot)
    for path in files:
        for statement in read_statements(read_source(path), dialect):
            for op in statement.ops:
                if isinstance(op, Unparseable):
                    message = " ".join(op.message.split())
                    raise AdvisorError(f"cannot parse this statement: {message}", Location(path, op.loc.line))
                schema.apply(op)
    return schema


def existing_schema(files: list[Path], dialect: str) -> Schema:
    """The schema the DDL ``files`` build (a folder stands for its migrations, in order), as tables
    that stand before what is read next: existing, with rows."""
    schema = replay(
        [f for given in files for f in (migration_files(given) if given.is_dir() else [given])], dialect
    )
    for table in schema.tables.values():
        table.new, table.created_in = False, ""
    schema.created.clear()
    return schema
