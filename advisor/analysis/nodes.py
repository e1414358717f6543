"""What the analysis passes ask of any sqlglot node: where a nested query starts, what is under
parentheses and bare ``( query )`` wrappers, and which column nodes belong to the block a node is in."""

from __future__ import annotations

from sqlglot import exp

QUERIES = (exp.Select, exp.SetOperation, exp.Subquery)
"""The nodes that open a nested query block."""


def unparen(node: exp.Expr) -> exp.Expr:
    """``node`` without enclosing parentheses."""
    while type(node) is exp.Paren:
        node = node.this
    return node


def unwrap(node: exp.Expr) -> exp.Expr:
    """``node`` without enclosing parentheses and bare ``( query )`` wrappers."""
    while True:
        bare_query = type(node) is exp.Subquery and isinstance(node.this, exp.Expr) and not node.alias
        if type(node) is not exp.Paren and not bare_query:
            return node
        node = node.this


def block_columns(node: exp.Expr) -> list[exp.Column]:
    """The column nodes under ``node`` that belong to its block (not to nested queries)."""
    found: list[exp.Column] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if type(current) is exp.Column:
            found.append(current)
            continue
        if isinstance(current, QUERIES) or type(current) is exp.Lambda:
            continue
        for value in current.args.values():
            if type(value) is list:
                stack.extend(item for item in value if isinstance(item, exp.Expr))
            elif isinstance(value, exp.Expr):
                stack.append(value)
    return found
