"""Reading sqlglot DDL nodes: column names, REFERENCES actions, MySQL's RENAME TABLE pairs, a
table's partitioning and storage engine, trigram indexes; what the migration builder
(``sqlglot_tree``) and recommend's loader (``spec.ddl``) both read the same way.
"""

from __future__ import annotations

from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import TokenError
from sqlglot.tokenizer_core import TokenType

from advisor.schema.statements import split_on


def column_name(node: exp.Expr | None) -> str | None:
    """The plain column name of an identifier, column or ordered column; ``None`` for expressions."""
    # A MySQL prefix key (``name(20)``) indexes the column: close enough for the cost model.
    while isinstance(node, exp.Ordered | exp.Collate | exp.ColumnPrefix):
        node = node.this
    if isinstance(node, exp.Identifier):
        return str(node.this)
    if isinstance(node, exp.Column) and not node.table:
        return node.name
    return None


def reference_actions(reference: exp.Reference) -> dict[str, str]:
    """``{"DELETE": "CASCADE", "UPDATE": "SET NULL"}`` from a REFERENCES clause's options."""
    actions = {}
    for option in reference.args.get("options") or []:
        words = str(option).upper().split()
        if len(words) > 2 and words[0] == "ON" and words[1] in ("DELETE", "UPDATE"):
            actions[words[1]] = " ".join(words[2:])
    return actions


def renamed_tables(text: str) -> list[tuple[str, str]]:
    """The ``(old, new)`` table names of MySQL's ``RENAME TABLE a TO b, c TO d`` (the text after
    RENAME, which sqlglot keeps as an opaque command), schema prefixes dropped.

    >>> renamed_tables("TABLE shop.a TO shop.b, `c` TO d")
    [('a', 'b'), ('c', 'd')]
    """
    try:
        tokens = Dialect.get_or_raise("mysql").tokenize(text)
    except TokenError:
        return []
    if not tokens or tokens[0].token_type != TokenType.TABLE:
        return []
    pairs = []
    for pair in split_on(tokens[1:], TokenType.COMMA):
        words = [t for t in pair if t.token_type != TokenType.DOT]
        at = next((i for i, t in enumerate(words) if t.text.upper() == "TO"), None)
        if at is not None and 0 < at < len(words) - 1:
            pairs.append((words[at - 1].text, words[-1].text))
    return pairs


_PARTITIONING = (exp.PartitionedByProperty, exp.PartitionByRangeProperty, exp.PartitionByListProperty)


def partitioned(node: exp.Create) -> bool:
    """Whether a CREATE TABLE partitions its table (PostgreSQL's PARTITION BY, MySQL's RANGE or
    LIST; sqlglot keeps MySQL's HASH and KEY partitioning as text it does not read)."""
    return any(isinstance(p, _PARTITIONING) for p in properties_of(node))


def storage_engine(node: exp.Create) -> str | None:
    """The ``ENGINE=`` of a MySQL CREATE TABLE, in lower case.

    >>> from sqlglot import parse_one
    >>> storage_engine(parse_one("CREATE TABLE t (id int) ENGINE=RocksDB", read="mysql"))
    'rocksdb'
    """
    return next((p.name.lower() for p in properties_of(node) if isinstance(p, exp.EngineProperty)), None)


_TRIGRAM_CLASSES = frozenset({"gin_trgm_ops", "gist_trgm_ops"})


def trigram_column(params: exp.IndexParameters) -> str | None:
    """The column a PostgreSQL trigram index covers (``USING gin (name gin_trgm_ops)``), or
    ``None`` for any other index.

    >>> from sqlglot import parse_one
    >>> tree = parse_one("CREATE INDEX i ON p USING gin (name gin_trgm_ops)", read="postgres")
    >>> trigram_column(tree.this.args["params"])
    'name'
    """
    columns = params.args.get("columns") or []
    key = columns[0].this if len(columns) == 1 and isinstance(columns[0], exp.Ordered) else None
    if not isinstance(key, exp.Opclass) or key.expression.name.lower() not in _TRIGRAM_CLASSES:
        return None
    return column_name(key.this)


def properties_of(node: exp.Create) -> list[exp.Expr]:
    props = node.args.get("properties")
    return list(props.expressions) if isinstance(props, exp.Properties) else []
