"""What the analysis passes ask of any sqlglot node: where a nested query starts, what is under the
parentheses, and which column nodes belong to the block a node is in."""

from __future__ import annotations

from sqlglot import exp

QUERIES = (exp.Select, exp.SetOperation, exp.Subquery)
"""The nodes that open a nested query block."""


def unparen(node: exp.Expr) -> exp.Expr:
    """``node`` without enclosing parentheses."""
    while type(node) is exp.Paren:
        node = node.this
    return node


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
