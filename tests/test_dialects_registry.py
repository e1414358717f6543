"""The dialect registry answers for every engine, and each stage asks it rather than keeping its
own table: the spec's, the DDL writer's, the linter's and the cost model's answers agree."""

from __future__ import annotations

import pytest

from advisor.cost.physical import engine_for
from advisor.dialects import REGISTRY, dialect
from advisor.emit.target import resolve_target
from advisor.lint.config import normalize
from advisor.spec.dialects import normalize_dialect


@pytest.mark.parametrize("facts", REGISTRY, ids=lambda d: d.name)
def test_every_name_of_an_engine_resolves_to_it_everywhere(facts: object) -> None:
    from advisor.dialects import Dialect

    assert isinstance(facts, Dialect)
    for name in (facts.name, *facts.aliases, facts.name.upper()):
        assert dialect(name) is facts
        assert normalize_dialect(name) == facts.sqlglot
        target = resolve_target(name)
        assert (target.name, target.dialect, target.include, target.partial) == (
            facts.name,
            facts.sqlglot,
            facts.include,
            facts.partial,
        )
        engine = engine_for(facts.sqlglot)
        assert (engine.page_size, engine.supports_include) == (facts.storage.page_size, facts.include)
        if facts.migrations:
            assert normalize(name) == facts.name
        else:
            with pytest.raises(ValueError, match="the linter knows postgres, mysql, mariadb, sqlite"):
                normalize(name)


def test_mariadb_writes_mysql_sql_with_re_runnable_indexes() -> None:
    mysql, mariadb = resolve_target("mysql"), resolve_target("MariaDB")
    assert mysql.dialect == mariadb.dialect == "mysql"
    assert (mysql.index_if_not_exists, mariadb.index_if_not_exists) == (False, True)
    assert mysql.label == "MySQL" and mariadb.label == "MariaDB"
    assert mysql.index_names_per_table and not resolve_target("postgres").index_names_per_table
    assert [d.name for d in REGISTRY if not d.add_constraint] == ["sqlite"]


def test_only_postgres_heap_rewrites_every_index_on_an_indexed_update() -> None:
    assert [d.name for d in REGISTRY if engine_for(d.sqlglot).hot_updates] == ["postgres"]


def test_a_sqlglot_dialect_without_an_entry_gets_the_defaults() -> None:
    duck = dialect("duckdb")
    assert (duck.sqlglot, duck.include, duck.partial, duck.name_limit) == ("duckdb", False, False, 63)
    # the cost model and the DDL writer agree: no INCLUDE for a dialect whose DDL cannot say it
    assert engine_for("duckdb").supports_include is resolve_target("duckdb").include is False
    assert dialect("starrocks").storage is dialect("mysql").storage


def test_an_unknown_name_names_the_closest_known_one() -> None:
    with pytest.raises(ValueError, match=r"unknown dialect 'postgress' \(did you mean 'postgres'\?\)"):
        dialect("postgress")
