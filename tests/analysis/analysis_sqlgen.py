"""A random generator of SQL-ish statements over a small schema, for the no-crash property tests.

The statements are mostly valid SQL with every construct the analysis handles (joins, subqueries,
CTEs, UNION, writes, each placeholder style, each predicate kind), and now and then an unknown
name, a missing token or a stray keyword, so that both the success and the error paths run.
``statement(choose)`` takes the random choice as a function, so the same grammar serves
hypothesis (``draw(sampled_from(...))``) and plain ``random`` (``rng.choice``) for benchmarks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
Choose = Callable[[Sequence[T]], T]

SCHEMA: dict[str, frozenset[str]] = {
    "users": frozenset({"user_id", "email", "created_at", "name", "active"}),
    "orders": frozenset({"order_id", "user_id", "status", "created_at", "total_amount", "deleted_at"}),
    "order_items": frozenset({"order_id", "line_no", "qty", "price"}),
}
_ALIASES = {"users": ["u", "u2"], "orders": ["o", "o2"], "order_items": ["i", "li"]}
_PLACEHOLDERS = [":p", ":uid", "?", "$1", "$2", "%s", "%(name)s", "?1", "@x"]
_LITERALS = ["1", "42", "-7", "2.5", "'a'", "'pending'", "'2024-01-01'", "NULL", "TRUE", "''"]
_RUNTIME = ["now()", "CURRENT_DATE", "CURRENT_DATE - INTERVAL '1 day'", "now() - INTERVAL '7 days'"]
_FUNCTIONS = ["lower", "upper", "date", "coalesce", "abs", "length"]
_COMPARE = ["=", "=", "=", "<", "<=", ">", ">=", "<>", "!="]
_NOISE = [""] * 80 + [" ,", " (", " )", " AND", " WHERE", " ;", " FROM", "; SELECT 1", " ??"]


class _Gen:
    def __init__(self, choose: Choose[object]) -> None:
        self._choose = choose

    def pick(self, options: Sequence[T]) -> T:
        return self._choose(options)  # type: ignore[return-value]

    def flag(self, weight: int = 2) -> bool:
        """True once in ``weight`` draws."""
        return self.pick(range(weight)) == 0

    # -- statements --------------------------------------------------------------------------------

    def statement(self, depth: int) -> str:
        kind = self.pick(["select"] * 6 + ["union", "with", "insert", "update", "delete", "other"])
        if kind == "select":
            return self.select(depth, scope=[])
        if kind == "union":
            op = self.pick(["UNION", "UNION ALL", "INTERSECT", "EXCEPT"])
            tail = self.pick(["", " ORDER BY 1", " LIMIT 5", " ORDER BY 1 DESC LIMIT :n OFFSET 3"])
            return f"{self.select(depth, [], branch=True)} {op} {self.select(depth, [], branch=True)}{tail}"
        if kind == "with":
            body = self.select(depth, [])
            name = self.pick(["recent", "cte", "orders"])
            recursive = self.pick(["", "RECURSIVE "])
            columns = self.pick(["", "(x, y)"])
            user = self.pick(
                [f"SELECT * FROM {name}", f"SELECT x FROM {name} WHERE y = 1", self.select(depth, [])]
            )
            return f"WITH {recursive}{name}{columns} AS ({body}) {user}"
        if kind == "insert":
            return self.insert(depth)
        if kind == "update":
            return self.update(depth)
        if kind == "delete":
            return self.delete(depth)
        return self.pick(
            ["CREATE INDEX i ON orders (user_id)", "VACUUM", "BEGIN", "SET x = 1", "hello world"]
        )

    def select(self, depth: int, scope: list[tuple[str, str]], branch: bool = False) -> str:
        """A SELECT; a UNION ``branch`` has no ORDER BY or LIMIT of its own."""
        sources = self.from_items(depth)
        visible = sources + scope
        items = self.pick(["*", "select", "select", "count(*)", "alias.*"])
        if items == "select" or (items == "alias.*" and not sources):
            columns = [self.column(visible) for _ in range(self.pick([1, 1, 2, 3]))]
            if self.flag(3):
                columns.append(f"{self.expression(visible, depth)} AS total")
            items = ", ".join(columns)
        elif items == "alias.*":
            items = f"{self.pick(sources)[1]}.*"
        distinct = self.pick(["", "", "DISTINCT ", "DISTINCT ON (1) "])
        sql = f"SELECT {distinct}{items}"
        if sources:
            sql += " FROM " + self.join_clause(sources, visible, depth)
        if self.flag(4) is False:
            sql += " WHERE " + self.condition(visible, depth)
        if self.flag(4):
            sql += f" GROUP BY {self.pick(['1', self.column(visible), 'total'])}"
            if self.flag():
                sql += " HAVING count(*) > 1"
        if branch:
            return sql
        if self.flag(3):
            direction = self.pick(["", " DESC", " ASC NULLS LAST"])
            sql += f" ORDER BY {self.pick(['1', self.column(visible), 'total'])}{direction}"
        limit = self.pick(
            ["", "", " LIMIT 20", " LIMIT :n", " LIMIT 5 OFFSET 10", " FETCH FIRST 3 ROWS ONLY"]
        )
        return sql + limit

    def from_items(self, depth: int) -> list[tuple[str, str]]:
        count = self.pick([0, 1, 1, 1, 2, 2, 3])
        out: list[tuple[str, str]] = []
        for _ in range(count):
            table = self.pick(
                [*SCHEMA, *SCHEMA, "public.orders", "derived", "derived"] + ["nosuch"] * self.flag(8)
            )
            if table == "derived" and depth > 0:
                out.append(("derived", self.pick(["d", "sub"])))
                continue
            table = "orders" if table in ("derived", "public.orders") else table
            alias = self.pick([table, *_ALIASES.get(table, ["z"])])
            out.append((table, alias))
        return out

    def join_clause(self, sources: list[tuple[str, str]], visible: list[tuple[str, str]], depth: int) -> str:
        parts: list[str] = []
        for position, (table, alias) in enumerate(sources):
            if table == "derived":
                item = f"({self.select(depth - 1, [])}) AS {alias}"
                if self.flag(4):
                    item = f"LATERAL {item}"
            else:
                item = table if alias == table else f"{table} {self.pick(['', 'AS '])}{alias}"
            if position == 0:
                parts.append(item)
                continue
            join = self.pick(
                ["JOIN", "LEFT JOIN", "RIGHT JOIN", "FULL JOIN", ",", "CROSS JOIN", "NATURAL JOIN"]
            )
            if join in (",", "CROSS JOIN", "NATURAL JOIN"):
                parts.append(f"{join} {item}" if join != "," else f", {item}")
            elif self.flag(4):
                parts.append(f"{join} {item} USING ({self.pick(['user_id', 'order_id', 'nope'])})")
            else:
                parts.append(f"{join} {item} ON {self.condition(visible, depth)}")
        return " ".join(parts)

    def insert(self, depth: int) -> str:
        table = self.pick(["orders", "users", "nosuch"])
        columns = sorted(SCHEMA.get(table, frozenset({"x"})))[: self.pick([1, 2, 3])]
        listed = self.pick([f" ({', '.join(columns)})", "", " (nope)"])
        width = len(columns) if listed.strip(" ()") == ", ".join(columns) else 1
        row = "(" + ", ".join(self.value([], depth) for _ in range(width)) + ")"
        body = self.pick([f"VALUES {row}", f"VALUES {row}, {row}", self.select(depth - 1, [])])
        tail = self.pick(
            [
                "",
                " ON CONFLICT DO NOTHING",
                f" ON CONFLICT ({columns[0]}) DO UPDATE SET {columns[0]} = EXCLUDED.{columns[0]}",
                f" ON DUPLICATE KEY UPDATE {columns[0]} = VALUES({columns[0]})",
                " RETURNING *",
                f" RETURNING {columns[0]}",
            ]
        )
        return f"INSERT INTO {table}{listed} {body}{tail}"

    def update(self, depth: int) -> str:
        table, alias = self.pick([("orders", "o"), ("users", "u"), ("orders", "orders"), ("nosuch", "n")])
        scope = [(table, alias)]
        target = table if alias == table else f"{table} {alias}"
        assignments = ", ".join(
            f"{self.pick([*sorted(SCHEMA.get(table, frozenset({'x'}))), 'nope'])} = {self.value(scope, depth)}"
            for _ in range(self.pick([1, 2]))
        )
        sql = f"UPDATE {target} SET {assignments}"
        if self.flag(3):
            sql += " FROM users u2"
            scope.append(("users", "u2"))
        if self.flag(5) is False:
            sql += " WHERE " + self.condition(scope, depth)
        return sql + self.pick(["", " RETURNING *", f" RETURNING {self.column(scope)}"])

    def delete(self, depth: int) -> str:
        table, alias = self.pick([("orders", "o"), ("order_items", "order_items"), ("nosuch", "n")])
        scope = [(table, alias)]
        sql = f"DELETE FROM {table}" if alias == table else f"DELETE FROM {table} {alias}"
        if self.flag(3):
            sql += " USING users u2"
            scope.append(("users", "u2"))
        if self.flag(5) is False:
            sql += " WHERE " + self.condition(scope, depth)
        return sql + self.pick(["", " RETURNING *"])

    # -- expressions ---------------------------------------------------------------------------------

    def column(self, visible: list[tuple[str, str]]) -> str:
        if not visible or self.flag(40):
            return self.pick(["nope", "x.user_id", "totl", "user_id"])
        table, alias = self.pick(visible)
        names = sorted(SCHEMA.get(table, frozenset({"x", "y", "user_id"})))
        name = self.pick(names)
        return self.pick([f"{alias}.{name}", name, f'"{name}"'])

    def value(self, visible: list[tuple[str, str]], depth: int) -> str:
        kind = self.pick(
            ["literal", "literal", "placeholder", "placeholder", "runtime", "column", "subquery"]
        )
        if kind == "literal":
            return self.pick(_LITERALS)
        if kind == "placeholder":
            return self.pick(_PLACEHOLDERS)
        if kind == "runtime":
            return self.pick(_RUNTIME)
        if kind == "column":
            return self.column(visible)
        if depth <= 0:
            return self.pick(_LITERALS)
        return f"({self.select(depth - 1, visible)})"

    def expression(self, visible: list[tuple[str, str]], depth: int) -> str:
        kind = self.pick(["column", "column", "function", "arithmetic", "cast", "value"])
        if kind == "column":
            return self.column(visible)
        if kind == "function":
            return f"{self.pick(_FUNCTIONS)}({self.column(visible)})"
        if kind == "arithmetic":
            return f"{self.column(visible)} {self.pick(['+', '*', '-', '||'])} {self.pick(['1', ':p'])}"
        if kind == "cast":
            return self.pick([f"CAST({self.column(visible)} AS date)", f"{self.column(visible)}::text"])
        return self.value(visible, depth)

    def condition(self, visible: list[tuple[str, str]], depth: int) -> str:
        kind = self.pick(
            ["compare"] * 5
            + ["in", "between", "like", "null", "not", "or", "and", "exists", "any", "row", "bool"]
        )
        left = self.expression(visible, depth)
        if kind == "compare":
            return f"{left} {self.pick(_COMPARE)} {self.value(visible, depth)}"
        if kind == "in":
            members = ", ".join(self.value(visible, 0) for _ in range(self.pick([1, 2, 3])))
            if depth > 0 and self.flag(4):
                members = self.select(depth - 1, visible)
            return f"{left} {self.pick(['IN', 'NOT IN'])} ({members})"
        if kind == "between":
            return f"{left} {self.pick(['', 'NOT '])}BETWEEN {self.value(visible, 0)} AND {self.value(visible, 0)}"
        if kind == "like":
            pattern = self.pick(["'abc%'", "'%abc'", "'_x'", ":p", ":p || '%'", "'%'"])
            return f"{left} {self.pick(['LIKE', 'ILIKE', 'NOT LIKE'])} {pattern}"
        if kind == "null":
            return f"{left} IS {self.pick(['', 'NOT '])}{self.pick(['NULL', 'TRUE'])}"
        if kind == "not":
            return f"NOT ({self.condition(visible, depth - 1) if depth > 0 else left + ' = 1'})"
        if kind in ("or", "and") and depth > 0:
            joiner = " OR " if kind == "or" else " AND "
            parts = [self.condition(visible, depth - 1) for _ in range(self.pick([2, 3]))]
            return "(" + joiner.join(parts) + ")"
        if kind == "exists" and depth > 0:
            return f"{self.pick(['', 'NOT '])}EXISTS ({self.select(depth - 1, visible)})"
        if kind == "any":
            return f"{left} = ANY({self.pick([':ids', 'ARRAY[1, 2]', '$1'])})"
        if kind == "row":
            return f"({left}, {self.column(visible)}) {self.pick(['=', '<', 'IN'])} (1, :p)"
        return left


def statement(choose: Choose[object], depth: int = 2) -> str:
    """One random statement; ``choose`` picks one item of a sequence."""
    generator = _Gen(choose)
    return generator.statement(depth) + generator.pick(_NOISE)
