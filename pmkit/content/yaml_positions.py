"""Safe YAML loading that remembers where every value came from.

libyaml (when present) composes the node graph; this module turns nodes into
plain Python data itself, so that it can

* keep a 1-based (line, column) for every value and every mapping key,
* reject duplicate keys, merge keys and every tag beyond plain YAML,
* refuse alias bombs *before* expanding them (the expanded size of the graph is
  computed with memoisation over the un-expanded nodes, so a "billion laughs"
  document costs microseconds to refuse),
* report undecodable bytes, tabs, empty files and syntax errors with a position,
* refuse control characters that escapes put into text (they validate, then
  break every export and can drive the terminal),
* refuse YAML 1.1 leftovers that YAML 1.2 reads differently (``1:20``, ``010``,
  ``yes``/``on``): PyYAML is YAML 1.1, most editors and linters are 1.2, and
  an author must never get either reading silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from pmkit.content.text import FORBIDDEN_CHARACTERS, describe_character, shown
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
#: Longest number a message or a field could ever need; longer ones are refused
#: before conversion (Python refuses > 4,300 digits with a 50,000-character error).
MAX_NUMBER_LENGTH = 100
#: A double-quoted scalar's escapes: `\\` pairs first so `\\x1b` is not an escape.
_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.S)
_SIMPLE_ESCAPES = {
    "0": "\0",
    "a": "\a",
    "b": "\b",
    "v": "\v",
    "f": "\f",
    "r": "\r",
    "e": "\x1b",
    "N": "\x85",
}
_YAML11_BOOLS = {"yes", "no", "on", "off", "y", "n"}
_OCTAL_11 = re.compile(r"[-+]?0[0-7_]+\Z")
#: Plain scalars YAML 1.2's core schema reads as numbers but YAML 1.1 as text.
_NUMBER_12 = re.compile(
    r"(0o[0-7]+|[-+]?0[0-9]*[89][0-9]*"
    r"|[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)[eE][-+]?[0-9]+)\Z"
)
_resolver = yaml.resolver.Resolver()
#: Where an anchor (``&name``) may begin. An anchor is a token of its own, so
#: the character before it is never a letter or digit (``R&D`` is text; a `&`
#: inside a plain scalar, a tag or a comment may match, which only costs the
#: walk). Without an anchor there is no alias, and the alias walk has nothing
#: to find but nesting, which the builder checks on its way (0.17 s saved at
#: 10,000 questions).
_MAY_ANCHOR = re.compile(r"(?<![0-9A-Za-z])&(?=\S)")


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

    def issue(
        self,
        path: Path,
        message: str,
        *,
        key: bool = False,
        code: str = "content",
        severity: str = "error",
    ) -> Issue:
        """An :class:`Issue` located at ``path`` in this document."""
        line, column = self.position(path, key=key)
        return Issue(self.file, line, column, message, severity, code)  # type: ignore[arg-type]


class _Refused(Exception):
    """Stops the walk with one positioned message (at ``at``, else at the node)."""

    def __init__(self, node: yaml.Node | None, message: str, at: tuple[int, int] | None = None):
        self.node = node
        self.message = message
        self.at = at


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
        return None, [
            Issue(
                file,
                line,
                column,
                f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save it as UTF-8",
                code="yaml",
            )
        ]


def load_yaml(raw: bytes, file: str) -> tuple[YamlDocument | None, list[Issue]]:
    """Load one YAML document safely. Returns the document or the issues that stop it."""
    text, issues = decode_text(raw, file)
    if text is None:
        return None, issues
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        return None, [
            Issue(
                file,
                1,
                1,
                "the file is empty; give it content or remove it from `include`",
                code="yaml",
            )
        ]
    loader_class = _Loader if _flow_depth_bound(text) <= LIBYAML_SAFE_DEPTH else yaml.SafeLoader
    if _MAY_ANCHOR.search(text) is None:
        streamed = _stream(loader_class, text, file)
        if streamed is not None:
            return streamed, []
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_issue(exc, file, text)]
    except yaml.reader.ReaderError as exc:
        line, column = _line_column(text, exc.position)
        return None, [
            Issue(
                file,
                line,
                column,
                f"the character U+{exc.character:04X} is not allowed in YAML; remove it",
                code="yaml",
            )
        ]
    except RecursionError:
        return None, [
            Issue(
                file, 1, 1, f"nesting deeper than {MAX_DEPTH} levels; flatten the data", code="yaml"
            )
        ]
    except yaml.YAMLError as exc:  # pragma: no cover - every other YAML error is marked
        return None, [Issue(file, 1, 1, f"YAML error: {exc}", code="yaml")]
    finally:
        loader.dispose()
    if node is None:
        return None, [Issue(file, 1, 1, "the file holds no YAML document", code="yaml")]
    doc = YamlDocument(file=file, data=None)
    walked = _MAY_ANCHOR.search(text) is not None
    try:
        if walked:
            _check_expansion(node)
        try:
            doc.data = _Builder(doc, text).build(node, (), 0)
        except _Refused:
            if not walked:
                # The walk's refusals (nesting too deep, anywhere in the file)
                # come first, as when it ran before building: ask it now.
                _check_expansion(node)
            raise
    except _Refused as exc:
        line, column = exc.at or (_mark(exc.node) if exc.node is not None else (1, 1))
        return None, [Issue(file, line, column, exc.message, code="yaml")]
    return doc, []


class _Unsure(Exception):
    """The streaming builder met something only the node path may judge."""


def _stream(loader_class: type, text: str, file: str) -> YamlDocument | None:
    """The document built straight from parser events, or None to take the node path.

    Composing the node graph first holds every node and two marks per node at
    once (about 130 MB for a 16 MB file, the peak of a whole export). Without
    anchors there is nothing the graph is needed for, so a valid document is
    built event by event instead, into exactly the data and positions the node
    path builds. Anything else -- an error of any kind, an anchor, an alias, a
    tag, a second document -- returns None, and the node path reads the file
    again and reports it exactly as before (a syntax error further down still
    wins over a problem found earlier, as when the graph came first).
    """
    doc = YamlDocument(file=file, data=None)
    loader = loader_class(text)
    try:
        if not loader.check_event(yaml.StreamStartEvent):
            return None
        loader.get_event()
        if not loader.check_event(yaml.DocumentStartEvent):
            return None  # no document: the node path says so
        loader.get_event()
        data = _StreamBuilder(doc, text, loader).value(loader.get_event(), (), 0)
        if not loader.check_event(yaml.DocumentEndEvent):
            return None
        loader.get_event()
        if not loader.check_event(yaml.StreamEndEvent):
            return None  # another document follows
    except Exception:  # every doubt goes to the node path, which reports it
        return None
    finally:
        loader.dispose()
    doc.data = data
    return doc


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


def _likely_fix(problem: str, context: str, lines: list[str], line: int) -> str:
    """The usual cause of libyaml's wording, as a hint in the author's terms."""
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    value = here.split(":", 1)[1].strip() if ":" in here else here.strip()
    if "mapping values are not allowed" in problem:
        if ": " in value:
            return (
                "; a value that contains `: ` must be quoted, e.g. "
                'title: "Careers: an overview"; or, if this line is a new field, check '
                "that it is indented like the field above it"
            )
        return "; check that this line is indented like the field above it"
    if "did not find expected key" in problem or "block sequence entries" in problem:
        return (
            "; check the indentation of this line and the one above: fields of one "
            "mapping start in the same column, and `- ` items line up"
        )
    if "quoted scalar" in context:
        return "; a quote opened earlier is never closed: add the closing quote"
    if "flow sequence" in context or "flow mapping" in context:
        return "; a `[` or `{` is never closed: add the closing bracket, or quote the text"
    if "cannot start any token" in problem:
        return (
            "; text starting with `@`, `` ` ``, `%` or another YAML symbol must be quoted, "
            'e.g. name: "@handle"'
        )
    return ""


def _syntax_issue(exc: yaml.MarkedYAMLError, file: str, text: str) -> Issue:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = exc.problem or "invalid YAML"
    lines = text.splitlines()
    at = lines[line - 1][column - 1 : column] if 0 < line <= len(lines) else ""
    hint = ""
    if "invalid Unicode character escape" in problem:
        hint = (
            "; YAML escapes name whole characters, not UTF-16 halves: write the character "
            "itself or an 8-digit escape such as \\U0001F600"
        )
    elif at == "\t" or "\\t" in problem:
        hint = "; indent with spaces, YAML does not allow tabs there"
    elif "another document" in problem:
        hint = "; keep one document per file (remove the `---` separator)"
    else:
        hint = _likely_fix(problem, exc.context or "", lines, line)
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
        raise _Refused(
            root,
            f"YAML aliases would expand this file to {expanded:,} values "
            f"(more than {MAX_ALIAS_EXPANSION:,} beyond what it writes); "
            "write the values out instead of repeating aliases",
        )


class _Builder:
    """Turns a checked node graph into plain data, recording marks on the way."""

    def __init__(self, doc: YamlDocument, text: str):
        self.marks = doc.marks
        self.key_marks = doc.key_marks
        self.text = text

    def build(self, node: yaml.Node, path: Path, depth: int) -> Any:
        if depth > MAX_DEPTH:  # only reached when the walk was skipped; it says where
            raise _Refused(node, f"nesting deeper than {MAX_DEPTH} levels; flatten the data")
        self.marks[path] = _mark(node)
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                raise _Refused(node, f"the tag {shown(node.tag)} is not allowed; remove it")
            return [self.build(child, (*path, i), depth + 1) for i, child in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            if node.tag != _MAP:
                raise _Refused(node, f"the tag {shown(node.tag)} is not allowed; remove it")
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == _MERGE:
                    raise _Refused(
                        key_node, "merge keys (`<<`) are not supported; write the fields out"
                    )
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _STR:
                    raise _Refused(
                        key_node,
                        "a mapping key must be plain text; "
                        "quote it if it looks like a number, date or yes/no",
                    )
                key = self.text_value(key_node)
                if key in result:
                    first = self.key_marks[(*path, key)]
                    raise _Refused(
                        key_node,
                        f"duplicate key {shown(key)} (first defined at line "
                        f"{first[0]}); keep only one",
                    )
                self.key_marks[(*path, key)] = _mark(key_node)
                result[key] = self.build(value_node, (*path, key), depth + 1)
            return result
        raise _Refused(node, "unsupported YAML node")  # pragma: no cover

    def text_value(self, node: yaml.ScalarNode) -> str:
        """A string scalar's value, refused if it holds a forbidden character."""
        value: str = node.value
        bad = FORBIDDEN_CHARACTERS.search(value)
        if bad is None:
            return value
        ch = bad[0]
        # Raw control characters are refused by the YAML reader, so this one
        # came from an escape of a double-quoted string: point at the escape.
        at = self._escape_of(node, ch)
        hint = "remove it"
        if 0xD800 <= ord(ch) <= 0xDFFF:
            hint = (
                "YAML escapes name whole characters, not UTF-16 halves: write the "
                "character itself or an 8-digit escape such as \\U0001F600"
            )
        elif ch in "\x1b\x9b":
            hint = "remove it (text is shown as written; terminal or colour codes have no effect)"
        message = f"text may not hold the character {describe_character(ch)}; {hint}"
        raise _Refused(node, message, at)

    def _escape_of(self, node: yaml.ScalarNode, ch: str) -> tuple[int, int] | None:
        if node.style != '"':
            return None
        start, end = node.start_mark.index, node.end_mark.index
        for match in _ESCAPE.finditer(self.text, start, end):
            code = match[1]
            decoded = chr(int(code[1:], 16)) if len(code) > 1 else _SIMPLE_ESCAPES.get(code, code)
            if decoded == ch:
                return _line_column(self.text, match.start())
        return None

    def scalar(self, node: yaml.ScalarNode) -> Any:
        try:
            return self._scalar(node)
        except (ValueError, KeyError, yaml.constructor.ConstructorError):
            kind = node.tag.rsplit(":", 1)[-1]
            if _resolver.resolve(yaml.ScalarNode, node.value, (True, False)) == node.tag:
                # Resolved from its looks, not from a tag: speak of the value.
                raise _Refused(
                    node,
                    f"{shown(node.value)} is not a valid {kind}; fix the value or quote it as text",
                ) from None
            # An explicit tag the value does not fit, such as `!!int abc`.
            raise _Refused(
                node, f"{shown(node.value)} is not a valid {kind}; remove the tag or fix the value"
            ) from None

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        tag = node.tag
        if tag == _STR and not node.style and _NUMBER_12.match(node.value):
            value = node.value
            raise _Refused(
                node,
                f"{shown(value)} is text in YAML 1.1 but a number in YAML "
                "1.2; quote it for text, or write the number in plain digits",
            )
        if tag in (_STR, _TIMESTAMP):
            # Dates are kept as written: content has no date fields, and a
            # converted date would only surprise the schema's type check.
            return self.text_value(node)
        if tag in (_INT, _FLOAT, _BOOL):
            _refuse_yaml11(node)
        if tag == _INT:
            return _scalar_constructor.construct_yaml_int(node)
        if tag == _BOOL:
            return _scalar_constructor.construct_yaml_bool(node)
        if tag == _NULL:
            return None
        if tag == _FLOAT:
            return _scalar_constructor.construct_yaml_float(node)
        raise _Refused(
            node, f"the tag {shown(tag)} is not allowed (only plain YAML values are); remove it"
        )


class _StreamBuilder(_Builder):
    """:class:`_Builder` fed by parser events: the same data, the same positions.

    Each scalar becomes a short-lived :class:`yaml.ScalarNode`, resolved as the
    composer resolves it, so every check of :class:`_Builder` applies as it is.
    Whatever the node path would refuse (or has to look at) raises instead,
    and :func:`_stream` leaves the file to the node path.
    """

    def __init__(self, doc: YamlDocument, text: str, loader: Any):
        super().__init__(doc, text)
        self.next_event = loader.get_event
        self.resolve = loader.resolve

    def node(self, event: Any) -> yaml.ScalarNode:
        """The scalar node the composer would make of ``event``."""
        if type(event) is not yaml.ScalarEvent or event.anchor is not None:
            raise _Unsure
        scalar: Any = event  # libyaml's events carry its own Mark type
        tag = scalar.tag
        if tag is None or tag == "!":
            tag = self.resolve(yaml.ScalarNode, scalar.value, scalar.implicit)
        return yaml.ScalarNode(
            tag, scalar.value, scalar.start_mark, scalar.end_mark, style=scalar.style
        )

    def value(self, event: Any, path: Path, depth: int) -> Any:
        if depth > MAX_DEPTH or getattr(event, "anchor", None) is not None:
            raise _Unsure
        kind = type(event)
        if kind is yaml.ScalarEvent:
            node = self.node(event)
            self.marks[path] = _mark(node)
            return self.scalar(node)
        mark = event.start_mark
        if kind is yaml.SequenceStartEvent:
            if event.tag is not None and event.tag != "!":
                raise _Unsure
            self.marks[path] = mark.line + 1, mark.column + 1
            items: list[Any] = []
            event = self.next_event()
            while type(event) is not yaml.SequenceEndEvent:
                items.append(self.value(event, (*path, len(items)), depth + 1))
                event = self.next_event()
            return items
        if kind is yaml.MappingStartEvent:
            if event.tag is not None and event.tag != "!":
                raise _Unsure
            self.marks[path] = mark.line + 1, mark.column + 1
            result: dict[str, Any] = {}
            event = self.next_event()
            while type(event) is not yaml.MappingEndEvent:
                key_node = self.node(event)
                if key_node.tag != _STR:
                    raise _Unsure  # merge keys and keys that are not text
                key = self.text_value(key_node)
                if key in result:
                    raise _Unsure
                self.key_marks[(*path, key)] = _mark(key_node)
                result[key] = self.value(self.next_event(), (*path, key), depth + 1)
                event = self.next_event()
            return result
        raise _Unsure  # an alias, or an event no value starts with


def _refuse_yaml11(node: yaml.ScalarNode) -> None:
    """Refuse a number or boolean that YAML 1.1 (PyYAML) and YAML 1.2 read differently.

    pmkit reads YAML 1.1; editors, linters and most other tools read 1.2. A value
    the two disagree on would mean one thing to the author's tools and another
    to pmkit, so it is refused with both readings, never read silently.
    """
    value = node.value
    kind = node.tag.rsplit(":", 1)[-1]
    if len(value) > MAX_NUMBER_LENGTH and kind in ("int", "float"):
        raise _Refused(
            node,
            f"a number of {len(value):,} characters ({value[:12]}…); "
            "no field takes a number that large; write a smaller number",
        )
    plain = value.lstrip("+-")
    quoted = f'"{value}"'
    if kind == "bool" and value.lower() in _YAML11_BOOLS:
        reading = str(value.lower() in ("yes", "on", "y")).lower()
        raise _Refused(
            node,
            f"`{value}` is {reading} in YAML 1.1 but the text {quoted} in "
            f"YAML 1.2; write `{reading}` for a yes/no value, or {quoted} (quoted) "
            "for text",
        )
    if kind not in ("int", "float"):
        return
    if ":" in plain:
        try:
            number = str(
                _scalar_constructor.construct_yaml_int(node)
                if kind == "int"
                else _scalar_constructor.construct_yaml_float(node)
            )
        except ValueError:
            number = "a number"
        raise _Refused(
            node,
            f"`{value}` is the base-60 number {number} in YAML 1.1 but the "
            f"text {quoted} in YAML 1.2; write {number} for the number, or "
            f"{quoted} (quoted) for text",
        )
    if "_" in plain:
        raise _Refused(
            node,
            f"`{value}` is the number {value.replace('_', '')} in YAML 1.1 "
            f"but the text {quoted} in YAML 1.2; write it without `_`, or quote it",
        )
    if kind == "int" and plain.lower().startswith("0b"):
        binary = _scalar_constructor.construct_yaml_int(node)
        raise _Refused(
            node,
            f"`{value}` is the binary number {binary} in YAML 1.1 but the "
            f"text {quoted} in YAML 1.2; write {binary}, or quote it",
        )
    if kind == "int" and _OCTAL_11.match(value):
        octal = _scalar_constructor.construct_yaml_int(node)
        decimal = int(value, 10)
        if octal == decimal:  # 00 to 07 mean the same in both
            return
        raise _Refused(
            node,
            f"`{value}` is the octal number {octal} in YAML 1.1 but {decimal} "
            f"in YAML 1.2; write {decimal} (or {octal}) without the leading zero, or "
            f"{quoted} (quoted) for text",
        )
