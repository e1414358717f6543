"""Statement-level rewrites for the QRY rules; each returns a new tree or None.

>>> from advisor.rewrite.render import parse, render
>>> tree = parse("SELECT id, title FROM posts ORDER BY id LIMIT 20 OFFSET 100000", "postgres")
>>> render(keyset(tree, ["id"], []), "postgres")
'SELECT id, title FROM posts WHERE id > :last_id ORDER BY id LIMIT 20'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlglot import exp

from advisor.rewrite.render import Schema, column_table, conjuncts, sources, where_of, with_where
from advisor.spec.model import ExactName


def explicit_columns(tree: exp.Expr, columns: Mapping[str, Sequence[str]]) -> exp.Expr | None:
    """``SELECT *`` (or ``t.*``) with the columns of each table spelled out; ``columns`` maps
    each table name to its columns.

    >>> from advisor.rewrite.render import parse, render
    >>> render(explicit_columns(parse("SELECT * FROM t WHERE a = 1", "sqlite"), {"t": ["a", "b"]}), "sqlite")
    'SELECT a, b FROM t WHERE a = 1'
    """
    if not isinstance(tree, exp.Select):
        return None
    tables = sources(tree)
    qualify = len(tables) > 1
    items: list[exp.Expr] = []
    changed = False
    for item in tree.expressions:
        star_of: list[str] | None = None
        if type(item) is exp.Star:
            star_of = list(tables)
        elif isinstance(item, exp.Column) and isinstance(item.this, exp.Star):
            star_of = [item.table.lower()]
        if star_of is None:
            items.append(item.copy())
            continue
        for alias in star_of:
            names = columns.get(tables.get(alias, ""), ())
            if not names:
                return None
            items += [exp.column(n, table=alias if qualify else None) for n in names]
        changed = True
    if not changed:
        return None
    out = tree.copy()
    out.set("expressions", items)
    return out


def retype_literals(tree: exp.Expr, column: str, numeric: bool) -> exp.Expr | None:
    """Literals compared with ``column`` turned into numbers (``numeric``) or strings.

    >>> from advisor.rewrite.render import parse, render
    >>> render(retype_literals(parse("SELECT a FROM t WHERE id = '42'", "mysql"), "id", True), "mysql")
    'SELECT a FROM t WHERE id = 42'
    >>> render(retype_literals(parse("SELECT a FROM t WHERE code IN (7, 8)", "mysql"), "code", False), "mysql")
    "SELECT a FROM t WHERE code IN ('7', '8')"
    """
    out = tree.copy()
    changed = False
    for node in list(out.find_all(exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.In)):
        target = node.this
        if not (isinstance(target, exp.Column) and target.name.lower() == column):
            continue
        key = "expressions" if isinstance(node, exp.In) else "expression"
        old = node.expressions if isinstance(node, exp.In) else [node.expression]
        new = [_retyped(value, numeric) for value in old]
        if any(value is None for value in new):
            return None  # '42abc' has no number to become
        if all(a is b for a, b in zip(old, new, strict=True)):
            continue
        # one set for the whole list: replacing members one by one re-parents the list each time,
        # which is quadratic in the length of an IN list
        node.set(key, new if key == "expressions" else new[0])
        changed = True
    return out if changed else None


def _retyped(value: exp.Expr, numeric: bool) -> exp.Expr | None:
    """``value`` as a number (``numeric``) or a string literal; itself when there is nothing to
    change, None when a string holds no number."""
    if not isinstance(value, exp.Literal) or value.is_string == (not numeric):
        return value
    if not numeric:
        return exp.Literal.string(value.this)
    text = value.this.strip()
    try:
        float(text)
    except ValueError:
        return None
    return exp.Literal.number(text)


def or_to_union(tree: exp.Expr) -> exp.Expr | None:
    """A SELECT whose WHERE holds ``a OR b`` as one conjunct, as ``... WHERE a UNION ALL ...
    WHERE b AND NOT COALESCE(a, FALSE)``: each branch can use its own index, and the second
    skips rows the first returned (COALESCE keeps rows where ``a`` is NULL). Not applied under
    ORDER BY, LIMIT, GROUP BY, DISTINCT or aggregates, whose meaning would change.

    >>> from advisor.rewrite.render import parse, render
    >>> render(or_to_union(parse("SELECT id FROM t WHERE x = 1 AND (a = :a OR b = :b)", "postgres")), "postgres")
    'SELECT id FROM t WHERE x = 1 AND a = :a UNION ALL SELECT id FROM t WHERE x = 1 AND b = :b AND NOT COALESCE(a = :a, FALSE)'
    """
    if not isinstance(tree, exp.Select) or any(
        tree.args.get(k) for k in ("order", "limit", "offset", "group", "distinct", "having")
    ):
        return None
    if any(e.find(exp.AggFunc) for e in tree.expressions):
        return None
    parts = conjuncts(where_of(tree))
    index = next((i for i, p in enumerate(parts) if isinstance(p, exp.Or)), None)
    if index is None:
        return None
    branches = _disjuncts(parts[index])
    rest = parts[:index] + parts[index + 1 :]
    selects: list[exp.Expr] = []
    seen: list[exp.Expr] = []
    for branch in branches:
        excluded = [exp.Not(this=exp.Coalesce(this=b.copy(), expressions=[exp.false()])) for b in seen]
        selects.append(with_where(tree, [*rest, branch, *excluded]))
        seen.append(branch)
    union = selects[0]
    for select in selects[1:]:
        union = exp.Union(this=union, expression=select, distinct=False)
    return union


def _disjuncts(node: exp.Expr) -> list[exp.Expr]:
    while isinstance(node, exp.Paren):
        node = node.this
    if isinstance(node, exp.Or):
        return _disjuncts(node.this) + _disjuncts(node.expression)
    return [node]


def keyset(tree: exp.Expr, order: Sequence[str], tiebreak: Sequence[str]) -> exp.Expr | None:
    """OFFSET pagination as keyset pagination: the ORDER BY columns (plus ``tiebreak`` columns,
    a unique key, when the order is not unique) compared with the last row of the previous page;
    needs every ORDER BY key to be a plain column and one direction for all of them.

    >>> from advisor.rewrite.render import parse, render
    >>> tree = parse("SELECT id FROM t WHERE a = 1 ORDER BY created_at DESC LIMIT 50 OFFSET 5000", "mysql")
    >>> render(keyset(tree, ["created_at"], ["id"]), "mysql")
    'SELECT id FROM t WHERE a = 1 AND (created_at, id) < (:last_created_at, :last_id) ORDER BY created_at DESC, id DESC LIMIT 50'
    """
    if not isinstance(tree, exp.Select) or not isinstance(tree.args.get("order"), exp.Order):
        return None
    ordered = tree.args["order"].expressions
    directions = {bool(o.args.get("desc")) for o in ordered}
    if len(directions) != 1 or not all(isinstance(o.this, exp.Column) for o in ordered):
        return None
    descending = directions.pop()
    keys = [o.this.copy() for o in ordered]
    names = [k.name.lower() for k in keys]
    # Tie-breakers sort like the first key (same direction and NULL placement as written).
    extra = [exp.column(c) for c in tiebreak if c not in names]
    order_items = [o.copy() for o in ordered]
    for column in extra:
        item = ordered[0].copy()
        item.set("this", column)
        order_items.append(item)
    keys += extra
    last = [exp.Placeholder(this=f"last_{k.name.lower()}") for k in keys]
    op = exp.LT if descending else exp.GT
    if len(keys) == 1:
        condition: exp.Expr = op(this=keys[0], expression=last[0])
    else:
        condition = op(this=exp.Tuple(expressions=keys), expression=exp.Tuple(expressions=last))
    out = with_where(tree, [*conjuncts(where_of(tree)), condition])
    out.set("offset", None)
    out.set("order", exp.Order(expressions=order_items))
    return out


def not_exists(tree: exp.Expr, schema: Schema) -> exp.Expr | None:
    """``x NOT IN (SELECT c FROM s ...)`` as ``NOT EXISTS (SELECT 1 FROM s ... AND s.c = x)``,
    which does not turn empty when the subquery yields a NULL.

    >>> from advisor.rewrite.render import parse, render
    >>> tree = parse("SELECT id FROM users WHERE id NOT IN (SELECT user_id FROM bans)", "postgres")
    >>> render(not_exists(tree, {"users": {"id"}, "bans": {"user_id"}}), "postgres")
    'SELECT id FROM users WHERE NOT EXISTS(SELECT 1 FROM bans WHERE bans.user_id = users.id)'
    >>> tree = parse("DELETE FROM users WHERE id NOT IN (SELECT user_id FROM bans)", "postgres")
    >>> render(not_exists(tree, {"users": {"id"}, "bans": {"user_id"}}), "postgres")
    'DELETE FROM users WHERE NOT EXISTS(SELECT 1 FROM bans WHERE bans.user_id = users.id)'
    """
    if not isinstance(tree, (exp.Select, exp.Update, exp.Delete)):
        return None
    out = tree.copy()
    changed = False
    for node in list(out.find_all(exp.Not)):
        inner = node.this
        if not isinstance(inner, exp.In) or not isinstance(inner.args.get("query"), exp.Expr):
            continue
        query = inner.args["query"]
        sub = query.this if isinstance(query, exp.Subquery) else query
        outer = inner.this
        if not isinstance(sub, exp.Select) or len(sub.expressions) != 1 or not isinstance(outer, exp.Column):
            continue
        picked = sub.expressions[0].unalias()
        sub_tables = sources(sub)
        if not isinstance(picked, exp.Column) or len(sub_tables) != 1:
            continue
        (alias,) = sub_tables
        outer_table = column_table(outer, out, schema)
        outer_alias = outer.table or next((a for a, t in sources(out).items() if t == outer_table), None)
        if outer_alias is None or outer_alias.lower() == alias:
            continue  # the same name inside and outside: a correlated rewrite would be ambiguous
        correlation = exp.EQ(
            this=exp.column(picked.name, table=alias), expression=exp.column(outer.name, table=outer_alias)
        )
        body = with_where(sub, [*conjuncts(where_of(sub)), correlation])
        body.set("expressions", [exp.Literal.number(1)])
        node.replace(exp.Not(this=exp.Exists(this=body)))
        changed = True
    return out if changed else None


def random_pick(tree: exp.Expr, key: str) -> exp.Expr | None:
    """``ORDER BY random() LIMIT n`` as a seek to a random key drawn by the caller between the
    table's smallest and largest key: ``WHERE key >= :random_key ORDER BY key LIMIT n``.

    >>> from advisor.rewrite.render import parse, render
    >>> render(random_pick(parse("SELECT id, q FROM quotes ORDER BY random() LIMIT 1", "postgres"), "id"), "postgres")
    'SELECT id, q FROM quotes WHERE id >= :random_id ORDER BY id LIMIT 1'
    """
    if not isinstance(tree, exp.Select) or not isinstance(tree.args.get("order"), exp.Order):
        return None
    out = with_where(
        tree,
        [
            *conjuncts(where_of(tree)),
            exp.GTE(this=exp.column(key), expression=exp.Placeholder(this=f"random_{key}")),
        ],
    )
    out.set("order", exp.Order(expressions=[exp.Ordered(this=exp.column(key), nulls_first=False)]))
    if isinstance(out, exp.Select) and not out.args.get("limit"):
        out = out.limit(1)
    return out


def bounded(tree: exp.Expr, key: Sequence[str], page: int) -> exp.Expr | None:
    """An unbounded SELECT as the first page of a keyset walk: ORDER BY the key, LIMIT ``page``.

    >>> from advisor.rewrite.render import parse, render
    >>> render(bounded(parse("SELECT id, body FROM logs WHERE level = 'error'", "sqlite"), ["id"], 1000), "sqlite")
    "SELECT id, body FROM logs WHERE level = 'error' ORDER BY id LIMIT 1000"
    """
    if not isinstance(tree, exp.Select) or not key:
        return None
    out = tree.copy()
    if not out.args.get("order"):
        # a key the engine keeps as spelled is quoted as declared
        keys = (exp.column(k, quoted=True if isinstance(k, ExactName) else None) for k in key)
        out = out.order_by(*keys, copy=False)
    return out.limit(page, copy=False)  # the copy above is ours


def join_lookup(
    listing: exp.Expr,
    via: exp.Column,
    table: str,
    key: str,
    columns: Sequence[str],
) -> exp.Expr | None:
    """The list query joined with the per-row lookup: ``LEFT JOIN table ON table.key = via``,
    the lookup's columns added to the select list.

    >>> from advisor.rewrite.render import parse, render
    >>> listing = parse("SELECT o.order_id, o.user_id FROM orders AS o WHERE o.status = :s", "postgres")
    >>> via = exp.column("user_id", table="o")
    >>> render(join_lookup(listing, via, "users", "user_id", ["email"]), "postgres")
    'SELECT o.order_id, o.user_id, users.email FROM orders AS o LEFT JOIN users ON users.user_id = o.user_id WHERE o.status = :s'
    """
    if not isinstance(listing, exp.Select):
        return None
    alias = table if table not in sources(listing) else f"{table}_1"
    target = _table(table) if alias == table else exp.alias_(_table(table), alias, table=True)
    # LEFT: a row whose key finds nothing (or is NULL) stays, as it did with one lookup per row.
    on = exp.EQ(this=exp.column(key, table=alias), expression=via.copy())
    out = listing.copy().join(target, on=on, join_type="left")
    return out.select(*(exp.column(c, table=alias) for c in columns), copy=False)


def materialize(tree: exp.Expr, name: str) -> exp.Create | None:
    """A materialized view of a join pattern: its joins and constant conditions kept, the
    conditions on parameters dropped and their columns added to the output (so the view is
    filtered on them at read time), ORDER BY and LIMIT dropped, outputs named uniquely.

    >>> from advisor.rewrite.render import parse, render
    >>> tree = parse(
    ...     "SELECT p.name, c.name FROM products AS p JOIN categories AS c ON c.id = p.category_id "
    ...     "WHERE p.id = :id AND c.visible", "postgres")
    >>> render(materialize(tree, "mv_product_page"), "postgres")
    'CREATE MATERIALIZED VIEW mv_product_page AS SELECT p.name AS p_name, c.name AS c_name, p.id AS p_id FROM products AS p JOIN categories AS c ON c.id = p.category_id WHERE c.visible'
    """
    if not isinstance(tree, exp.Select) or not tree.args.get("joins"):
        return None
    if any(e.find(exp.AggFunc) for e in tree.expressions) or any(
        isinstance(e, exp.Star) or (isinstance(e, exp.Column) and isinstance(e.this, exp.Star))
        for e in tree.expressions
    ):
        return None
    kept: list[exp.Expr] = []
    dropped: list[exp.Expr] = []
    for part in conjuncts(where_of(tree)):
        (dropped if part.find(exp.Placeholder) else kept).append(part)
    outputs: list[exp.Expr] = []
    names: set[str] = set()
    extra = [c for part in dropped for c in part.find_all(exp.Column)]
    for item in [*tree.expressions, *extra]:
        value = item.unalias()
        if isinstance(item, exp.Alias):
            label = item.alias
        elif isinstance(value, exp.Column):
            label = f"{value.table}_{value.name}" if value.table else value.name
        else:
            return None
        if label.lower() in names:
            continue
        names.add(label.lower())
        outputs.append(exp.alias_(value.copy(), label))
    body = with_where(tree, kept)
    body.set("expressions", outputs)
    for key in ("order", "limit", "offset"):
        body.set(key, None)
    return exp.Create(
        this=_table(name),
        kind="VIEW",
        expression=body,
        properties=exp.Properties(expressions=[exp.MaterializedProperty()]),
    )


def _table(name: str) -> exp.Table:
    """A table called ``name`` as an identifier (``exp.to_table`` would parse it as SQL)."""
    return exp.Table(this=exp.to_identifier(name))
