"""Read a YAML file into plain dicts and lists that remember the line of every key and item.

The nodes are composed by libyaml when it is available (the same work ``yaml.load`` does before
construction), then converted here instead of by PyYAML's constructor: that keeps the positions,
refuses duplicate keys and tags other than the core schema, and costs no more than ``yaml.load``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from advisor.errors import AdvisorError, Location

_Loader: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = (
    yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader
)

_TAG = "tag:yaml.org,2002:"
_STR = _TAG + "str"
_MAP = _TAG + "map"
_SEQ = _TAG + "seq"
_MERGE = _TAG + "merge"
_TIMESTAMP = _TAG + "timestamp"
_SAFE = SafeConstructor()
_TYPED_SCALARS: dict[str, Callable[[ScalarNode], Any]] = {
    _TAG + "int": _SAFE.construct_yaml_int,
    _TAG + "float": _SAFE.construct_yaml_float,
    _TAG + "bool": _SAFE.construct_yaml_bool,
    _TAG + "null": _SAFE.construct_yaml_null,
}

PathPart = str | int
"""One step of a field path: a mapping key or a list index."""


class LineDict(dict[str, Any]):
    """A YAML mapping with the 1-based line where it starts and the line of each key."""

    __slots__ = ("key_lines", "line")

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.key_lines: dict[str, int] = {}


class LineList(list[Any]):
    """A YAML sequence with the 1-based line where it starts and the line of each item."""

    __slots__ = ("item_lines", "line")

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.item_lines: list[int] = []


def format_path(parts: tuple[PathPart, ...] | list[PathPart]) -> str:
    """The dotted form of a field path, list indexes in brackets.

    >>> format_path(("patterns", 2, "sql"))
    'patterns[2].sql'
    >>> format_path(("tables", "orders", "columns", "status", "ndv"))
    'tables.orders.columns.status.ndv'
    """
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def line_at(root: object, parts: tuple[PathPart, ...] | list[PathPart]) -> int | None:
    """The line of the deepest element of ``parts`` that exists under ``root``.

    A path that leaves the data (a missing key) gets the line of the last mapping it reached.
    """
    node = root
    line: int | None = getattr(root, "line", None)
    for part in parts:
        if isinstance(node, LineDict) and isinstance(part, str) and part in node:
            line = node.key_lines[part]
            node = node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and 0 <= part < len(node):
            line = node.item_lines[part]
            node = node[part]
        else:
            break
    return line


def read_yaml(path: Path) -> LineDict:
    """The top-level mapping of the YAML file at ``path``; every problem is an ``AdvisorError``."""
    text = _read_text(path)
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise AdvisorError(_yaml_problem(exc), Location(path, _yaml_error_line(exc, text))) from None
    except RecursionError:
        raise AdvisorError("YAML nesting is too deep", Location(path)) from None
    if root is None:
        raise AdvisorError("the file is empty", Location(path, 1))
    if not isinstance(root, MappingNode) or root.tag != _MAP:
        raise AdvisorError("the top level must be a mapping of keys to values", Location(path, _line(root)))
    try:
        data = _Converter(path, root).value(root)
    except RecursionError:
        raise AdvisorError("YAML nesting is too deep", Location(path)) from None
    assert isinstance(data, LineDict)
    return data


def _read_text(path: Path) -> str:
    """The file's text (UTF-8, optional BOM); unreadable files become an ``AdvisorError``."""
    if path.is_dir():
        raise AdvisorError("is a directory, expected a YAML file", Location(path))
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise AdvisorError("no such file", Location(path)) from None
    except OSError as exc:
        raise AdvisorError(f"cannot read the file: {exc.strerror or exc}", Location(path)) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise AdvisorError("the file is not valid UTF-8", Location(path, line)) from None


def _yaml_problem(exc: yaml.YAMLError) -> str:
    """A one-line description of a YAML error, without PyYAML's multi-line position notes."""
    if isinstance(exc, yaml.MarkedYAMLError):
        detail = exc.problem or exc.context or "invalid YAML"
        return f"YAML syntax error: {detail}"
    if isinstance(exc, yaml.reader.ReaderError):
        return f"YAML syntax error: {exc.reason} (character #x{exc.character:04x})"
    return f"YAML syntax error: {exc}"


def _yaml_error_line(exc: yaml.YAMLError, text: str) -> int | None:
    """The 1-based line a YAML error points at, when it says."""
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        return mark.line + 1 if mark is not None else None
    if isinstance(exc, yaml.reader.ReaderError):
        return text.count("\n", 0, max(0, exc.position)) + 1
    return None


def _line(node: Node) -> int:
    return int(node.start_mark.line) + 1


class _Converter:
    """Turns composed nodes into ``LineDict`` / ``LineList`` / scalars, once per node."""

    def __init__(self, path: Path, root: Node) -> None:
        self._path = path
        self._root = root
        self._done: dict[int, Any] = {}
        self._active: set[int] = set()

    def value(self, node: Node) -> Any:
        """The Python value of ``node``; aliases share one value, and cycles are refused."""
        if isinstance(node, ScalarNode):
            return self._scalar(node)
        key = id(node)
        if key in self._done:
            # An alias: share the converted value, as PyYAML does, so anchors cannot blow up in size.
            return self._done[key]
        if key in self._active:
            raise self._error("a YAML alias refers to a node that contains it", node)
        self._active.add(key)
        if isinstance(node, MappingNode) and node.tag == _MAP:
            result: Any = self._mapping(node)
        elif isinstance(node, SequenceNode) and node.tag == _SEQ:
            result = self._sequence(node)
        else:
            raise self._error(f"unsupported YAML tag {node.tag}", node)
        self._active.discard(key)
        self._done[key] = result
        return result

    def _scalar(self, node: ScalarNode) -> Any:
        """A core-schema scalar: str, int, float, bool or None."""
        tag = node.tag
        if tag in (_STR, _TIMESTAMP):
            # Dates stay text: the spec has no date fields, and a value like 2024-01-01 is a name.
            return node.value
        construct = _TYPED_SCALARS.get(tag)
        if construct is not None:
            try:
                return construct(node)
            except (ValueError, KeyError, IndexError, yaml.YAMLError):
                raise self._error(f"not a valid {tag.removeprefix(_TAG)}: {node.value!r}", node) from None
        raise self._error(f"unsupported YAML tag {tag}", node)

    def _mapping(self, node: MappingNode) -> LineDict:
        """A mapping with its key lines; duplicate keys are refused."""
        out = LineDict(_line(node))
        merges: list[Node] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merges.append(value_node)
                continue
            if not isinstance(key_node, ScalarNode):
                raise self._error("a mapping key must be a plain value, not a list or mapping", key_node)
            key = str(key_node.value)
            if key in out.key_lines:
                first = out.key_lines[key]
                raise self._error(f"duplicate key {key!r} (first given on line {first})", key_node, node, key)
            out[key] = self.value(value_node)
            out.key_lines[key] = _line(key_node)
        for merge_node in merges:
            self._merge(out, merge_node)
        return out

    def _merge(self, out: LineDict, node: Node) -> None:
        """Apply a ``<<:`` merge: keys already present win, earlier sources win over later ones."""
        sources = node.value if isinstance(node, SequenceNode) else [node]
        for source_node in sources:
            source = self.value(source_node)
            if not isinstance(source, LineDict):
                raise self._error("a merge key (<<) needs a mapping or a list of mappings", source_node)
            for key, item in source.items():
                if key not in out:
                    out[key] = item
                    out.key_lines[key] = source.key_lines[key]

    def _sequence(self, node: SequenceNode) -> LineList:
        """A list with its item lines."""
        out = LineList(_line(node))
        for item in node.value:
            out.append(self.value(item))
            out.item_lines.append(_line(item))
        return out

    def _error(
        self, message: str, node: Node, parent: Node | None = None, key: str | None = None
    ) -> AdvisorError:
        """An error at ``node``; the field path is searched for only now, since errors are rare."""
        path = _path_to(self._root, parent if parent is not None else node)
        if path is not None and key is not None:
            path.append(key)
        field = format_path(path) if path else None
        return AdvisorError(message, Location(self._path, _line(node), field))


def _path_to(root: Node, target: Node) -> list[PathPart] | None:
    """The key/index path from ``root`` to ``target`` (iterative, so deep files cannot overflow)."""
    stack: list[tuple[Node, list[PathPart]]] = [(root, [])]
    seen: set[int] = set()
    while stack:
        node, path = stack.pop()
        if node is target:
            return path
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, MappingNode):
            for key_node, value_node in node.value:
                if key_node is target:
                    return path
                label: PathPart = str(key_node.value) if isinstance(key_node, ScalarNode) else "?"
                stack.append((value_node, [*path, label]))
        elif isinstance(node, SequenceNode):
            stack.extend((item, [*path, index]) for index, item in enumerate(node.value))
    return None
