"""Whether a column default is volatile on PostgreSQL, which decides whether ADD COLUMN rewrites.

Since PostgreSQL 11 a new column's non-volatile default is stored once in the catalog; a volatile
one (a function that may return a different value per row) is computed and written into every
row. A function the migrations create is VOLATILE unless declared IMMUTABLE or STABLE; built-in
functions are looked up in ``pg_functions.txt`` (from PostgreSQL 15's ``pg_proc``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

from advisor.schema.ops import Default
from advisor.schema.tables import FunctionState


@cache
def builtin_functions() -> dict[str, bool]:
    """Built-in function name -> whether some overload of it is volatile."""
    text = (resources.files("advisor.lint") / "pg_functions.txt").read_text(encoding="utf-8")
    found: dict[str, bool] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, kind = line.split()
            found[name] = kind == "v"
    return found


@dataclass(frozen=True)
class VolatileCall:
    """The volatile function a default calls; ``known`` says whether its volatility is known (built
    in, a known extension function, or created by the migrations) rather than assumed: a function
    nobody declared IMMUTABLE or STABLE is VOLATILE."""

    name: str
    known: bool


def volatile_call(default: Default | None, functions: dict[str, FunctionState]) -> VolatileCall | None:
    """The first function of ``default`` that makes it volatile, given the functions the migrations
    created. A SQL function PostgreSQL inlines counts by what its body calls, as the server sees it
    after inlining.

    >>> from advisor.schema.ops import Default
    >>> volatile_call(Default(calls=("now",)), {}) is None
    True
    >>> volatile_call(Default(calls=("lower", "my_id")), {"my_id": FunctionState("volatile")})
    VolatileCall(name='my_id', known=True)
    >>> volatile_call(Default(calls=("my_id",)), {"my_id": FunctionState("stable")}) is None
    True
    >>> volatile_call(Default(calls=("code",)), {"code": FunctionState("volatile", ("md5", "now"))}) is None
    True
    """
    if default is None:
        return None
    if default.volatile:
        return VolatileCall(default.volatile, True)
    for name in default.calls:
        if _is_volatile(name, functions, depth=0):
            return VolatileCall(name, name in functions or name in builtin_functions())
    return None


def _is_volatile(name: str, functions: dict[str, FunctionState], depth: int) -> bool:
    declared = functions.get(name)
    if declared is None:
        return builtin_functions().get(name, True)  # an unknown function is VOLATILE by default
    if declared.volatility != "volatile":
        return False
    if declared.inlined_calls is None or depth > 10:
        return True
    return any(_is_volatile(call, functions, depth + 1) for call in declared.inlined_calls)
