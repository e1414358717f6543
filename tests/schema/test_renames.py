"""MySQL's RENAME TABLE with several pairs, read alike by the migration reader and recommend's
loader (one reading of the statement, ``schema.sqlglot_tree.renamed_tables``)."""

from __future__ import annotations

from pathlib import Path

from advisor.schema.ops import Rename, RenameKind
from advisor.schema.read import existing_schema, read_statements
from advisor.schema.source import Source
from advisor.spec.load import load_ddl

DDL = "CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE c (id int PRIMARY KEY);\nRENAME TABLE a TO b, shop.c TO d;\n"


def test_the_migration_reader_renames_every_pair() -> None:
    ops = [
        op for s in read_statements(Source("m.sql", DDL), "mysql") for op in s.ops if isinstance(op, Rename)
    ]
    assert [(op.kind, op.old, op.new) for op in ops] == [
        (RenameKind.TABLE, "a", "b"),
        (RenameKind.TABLE, "c", "d"),
    ]


def test_the_replayed_schema_and_the_spec_agree(tmp_path: Path) -> None:
    (tmp_path / "schema.sql").write_text(DDL)
    assert sorted(existing_schema([tmp_path / "schema.sql"], "mysql").tables) == ["b", "d"]
    assert [t.name for t in load_ddl([tmp_path / "schema.sql"], "mysql")] == ["b", "d"]
