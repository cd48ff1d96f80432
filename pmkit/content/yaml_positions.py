"""Safe YAML loading that remembers where every value came from.

libyaml (when present) composes the node graph; this module turns nodes into
plain Python data itself, so that it can

* keep a 1-based (line, column) for every value and every mapping key,
* reject duplicate keys, merge keys and every tag beyond plain YAML,
* refuse alias bombs *before* expanding them (the expanded size of the graph is
  computed with memoisation over the un-expanded nodes, so a "billion laughs"
  document costs microseconds to refuse),
* report undecodable bytes, tabs, empty files and syntax errors with a position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from pmkit.issues import Issue

try:  # libyaml is several times faster; the pure-Python loader gives the same nodes.
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

#: Nodes that aliases may add beyond the document's own nodes.
MAX_ALIAS_EXPANSION = 100_000
#: Nesting deeper than any course needs; guards the recursive walk.
MAX_DEPTH = 64
#: libyaml composes recursively in C and overflows the C stack (a crash, not an
#: exception) on absurdly deep flow nesting; above this bound the pure-Python
#: composer, whose overflow is a catchable RecursionError, is used instead.
LIBYAML_SAFE_DEPTH = 1000
_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")

Path = tuple[Any, ...]

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_MERGE = "tag:yaml.org,2002:merge"

_scalar_constructor = yaml.constructor.SafeConstructor()


@dataclass
class YamlDocument:
    """A loaded YAML file: its data and the position of every value and key.

    ``marks[path]`` is the (line, column) of the value at ``path`` (a tuple of
    mapping keys and list indexes); ``key_marks[path]`` that of the key that
    introduced it. Both are 1-based.
    """

    file: str
    data: Any
    marks: dict[Path, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def position(self, path: Path, *, key: bool = False) -> tuple[int, int]:
        """Where ``path`` is, or its nearest ancestor that exists."""
        table = self.key_marks if key else self.marks
        p = tuple(path)
        while p:
            if p in table:
                return table[p]
            if key and p in self.marks:
                return self.marks[p]
            p = p[:-1]
        return self.marks.get((), (1, 1))

    def issue(self, path: Path, message: str, *, key: bool = False, code: str = "content",
              severity: str = "error") -> Issue:
        """An :class:`Issue` located at ``path`` in this document."""
        line, column = self.position(path, key=key)
        return Issue(self.file, line, column, message, severity, code)  # type: ignore[arg-type]


class _Refused(Exception):
    """Stops the walk with one positioned message."""

    def __init__(self, node: yaml.Node | None, message: str):
        self.node = node
        self.message = message


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def decode_text(raw: bytes, file: str) -> tuple[str | None, list[Issue]]:
    """Decode UTF-8 (a BOM is allowed) or say exactly where it is not UTF-8."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        line_start = before.rfind(b"\n") + 1
        column = len(before[line_start:].decode("utf-8", errors="replace")) + 1
        return None, [Issue(file, line, column,
                            f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x}); "
                            "save it as UTF-8", code="yaml")]


def load_yaml(raw: bytes, file: str) -> tuple[YamlDocument | None, list[Issue]]:
    """Load one YAML document safely. Returns the document or the issues that stop it."""
    text, issues = decode_text(raw, file)
    if text is None:
        return None, issues
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        return None, [Issue(file, 1, 1, "the file is empty; give it content or remove it "
                            "from `include`", code="yaml")]
    loader_class = _Loader if _flow_depth_bound(text) <= LIBYAML_SAFE_DEPTH else yaml.SafeLoader
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_issue(exc, file, text)]
    except yaml.reader.ReaderError as exc:
        line, column = _line_column(text, exc.position)
        return None, [Issue(file, line, column, f"the character U+{exc.character:04X} is not "
                            "allowed in YAML; remove it", code="yaml")]
    except RecursionError:
        return None, [Issue(file, 1, 1, f"nesting deeper than {MAX_DEPTH} levels; flatten "
                            "the data", code="yaml")]
    except yaml.YAMLError as exc:  # pragma: no cover - every other YAML error is marked
        return None, [Issue(file, 1, 1, f"YAML error: {exc}", code="yaml")]
    finally:
        loader.dispose()
    if node is None:
        return None, [Issue(file, 1, 1, "the file holds no YAML document", code="yaml")]
    doc = YamlDocument(file=file, data=None)
    try:
        _check_expansion(node)
        doc.data = _Builder(doc).build(node, (), 0)
    except _Refused as exc:
        line, column = _mark(exc.node) if exc.node is not None else (1, 1)
        return None, [Issue(file, line, column, exc.message, code="yaml")]
    return doc, []


def _flow_depth_bound(text: str) -> int:
    """An upper bound of ``[``/``{`` nesting (brackets inside strings count too)."""
    depth = deepest = 0
    for ch in _NOT_BRACKETS.sub("", text):
        if ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif depth:
            depth -= 1
    return deepest


def _line_column(text: str, position: int) -> tuple[int, int]:
    before = text[:position]
    return before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1


def _syntax_issue(exc: yaml.MarkedYAMLError, file: str, text: str) -> Issue:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = exc.problem or "invalid YAML"
    lines = text.splitlines()
    at = lines[line - 1][column - 1 : column] if 0 < line <= len(lines) else ""
    hint = ""
    if at == "\t" or "\\t" in problem:
        hint = "; indent with spaces, YAML does not allow tabs there"
    elif "another document" in problem:
        hint = "; keep one document per file (remove the `---` separator)"
    context = f" ({exc.context})" if exc.context else ""
    return Issue(file, line, column, f"YAML syntax error: {problem}{context}{hint}", code="yaml")


def _check_expansion(root: yaml.Node) -> None:
    """Refuse alias bombs and recursive aliases before building anything."""
    sizes: dict[int, int] = {}
    visiting: set[int] = set()

    def size(node: yaml.Node, depth: int) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in visiting:
            raise _Refused(node, "a YAML alias refers to itself; remove the recursive alias")
        if depth > MAX_DEPTH:
            raise _Refused(node, f"nesting deeper than {MAX_DEPTH} levels; flatten the data")
        visiting.add(key)
        total = 1
        if isinstance(node, yaml.SequenceNode):
            for child in node.value:
                total += size(child, depth + 1)
        elif isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                total += size(k, depth + 1) + size(v, depth + 1)
        visiting.discard(key)
        sizes[key] = total
        return total

    expanded = size(root, 0)
    distinct = len(sizes)
    if expanded - distinct > MAX_ALIAS_EXPANSION:
        raise _Refused(root, f"YAML aliases would expand this file to {expanded:,} values "
                       f"(more than {MAX_ALIAS_EXPANSION:,} beyond what it writes); "
                       "write the values out instead of repeating aliases")


class _Builder:
    """Turns a checked node graph into plain data, recording marks on the way."""

    def __init__(self, doc: YamlDocument):
        self.marks = doc.marks
        self.key_marks = doc.key_marks

    def build(self, node: yaml.Node, path: Path, depth: int) -> Any:
        self.marks[path] = _mark(node)
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                raise _Refused(node, f"the tag {node.tag!r} is not allowed; remove it")
            return [self.build(child, (*path, i), depth + 1) for i, child in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            if node.tag != _MAP:
                raise _Refused(node, f"the tag {node.tag!r} is not allowed; remove it")
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == _MERGE:
                    raise _Refused(key_node, "merge keys (`<<`) are not supported; "
                                   "write the fields out")
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _STR:
                    raise _Refused(key_node, "a mapping key must be plain text; "
                                   "quote it if it looks like a number, date or yes/no")
                key = key_node.value
                if key in result:
                    first = self.key_marks[(*path, key)]
                    raise _Refused(key_node, f"duplicate key {key!r} (first defined at line "
                                   f"{first[0]}); keep only one")
                self.key_marks[(*path, key)] = _mark(key_node)
                result[key] = self.build(value_node, (*path, key), depth + 1)
            return result
        raise _Refused(node, "unsupported YAML node")  # pragma: no cover

    def scalar(self, node: yaml.ScalarNode) -> Any:
        try:
            return self._scalar(node)
        except (ValueError, KeyError, yaml.constructor.ConstructorError):
            # An explicit tag the value does not fit, such as `!!int abc`.
            kind = node.tag.rsplit(":", 1)[-1]
            raise _Refused(node, f"{node.value!r} is not a valid {kind}; remove the tag or "
                           "fix the value") from None

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        tag = node.tag
        if tag == _STR:
            return node.value
        if tag == _TIMESTAMP:
            # Dates are kept as written: content has no date fields, and a
            # converted date would only surprise the schema's type check.
            return node.value
        if tag == _INT:
            return _scalar_constructor.construct_yaml_int(node)
        if tag == _BOOL:
            return _scalar_constructor.construct_yaml_bool(node)
        if tag == _NULL:
            return None
        if tag == _FLOAT:
            return _scalar_constructor.construct_yaml_float(node)
        raise _Refused(node, f"the tag {tag!r} is not allowed (only plain YAML values are); "
                       "remove it")
