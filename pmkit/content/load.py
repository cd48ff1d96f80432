"""Load a course folder: read, parse, check schemas, build the model, run the rules.

Problems are collected, never raised one by one: syntax and schema problems of
every file first; if there are none, the cross-reference rules (core and
plugin) over the built model. Any error raises :class:`ContentError` with all
of them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from pmkit.content import collector
from pmkit.content import model as m
from pmkit.content.text import printable, shown
from pmkit.errors import ContentError, PmkitError
from pmkit.issues import Issue
from pmkit.suggest import closest

if TYPE_CHECKING:  # the parsing side is imported on a cache miss only
    from pmkit.content.build import IncludedFiles
    from pmkit.content.schema import SchemaChecker
    from pmkit.content.yaml_positions import YamlDocument

COURSE_FILE = "course.yaml"
YAML_SUFFIXES = (".yaml", ".yml")
SINGLETON_KINDS = ("self-discovery", "decision-tree", "guidance")


@dataclass(frozen=True)
class ValidationRule:
    """A plugin's course rule: ``check(course)`` yields :class:`~pmkit.issues.Issue` s."""

    name: str
    check: Callable[[m.Course], Iterable[Issue]]
    plugin: str = "pmkit"


@dataclass(frozen=True)
class SourceFile:
    """One file a course was parsed from: its name as the course names it, and its bytes' hash.

    The validation cache keys an entry on exactly these, so a file edited while
    the course is being validated can never be stored under the new bytes.
    """

    name: str
    sha256: str
    size: int


@dataclass
class LoadedCourse:
    """A valid course and the warnings found while loading it."""

    course: m.Course
    warnings: list[Issue] = field(default_factory=list)
    from_cache: bool = False


def display_path(path: Path) -> str:
    """``path`` as the user should read it: relative to the working directory if inside it.

    Control characters in file names are written as escapes: the path ends up
    on a terminal, which would obey them.
    """
    if path.is_absolute():
        try:
            return printable(path.relative_to(Path.cwd()).as_posix())
        except ValueError:
            return printable(path.as_posix())
    return printable(path.as_posix())


def resolve_inside(root: Path, relative: str) -> Path | str:
    """The file ``relative`` names inside ``root``, or why it may not be used.

    Refuses absolute paths, backslashes, ``..`` and links that lead outside
    ``root``: content can never make pmkit read (or ship) a file elsewhere.
    """
    posix = PurePosixPath(relative)
    if "\\" in relative or posix.is_absolute() or (len(relative) > 1 and relative[1] == ":"):
        return "use a relative path with `/` inside the content folder"
    if ".." in posix.parts:
        return "`..` is not allowed: paths must stay inside the content folder"
    if any(ord(ch) < 0x20 for ch in relative):
        return "a path cannot hold control characters; remove them"
    try:
        target = (root / posix).resolve()
        inside = target.is_relative_to(root.resolve())
    except RuntimeError:  # Python 3.11 reports a symlink loop so
        return "this path is a symbolic link that leads to itself (a loop); fix the link"
    except (OSError, ValueError) as exc:
        return f"this path cannot be used ({getattr(exc, 'strerror', None) or exc})"
    if not inside:
        return "this path leads outside the content folder (through a link); copy the file in"
    return target


class _Collector:
    """Reads, parses and schema-checks the files of one course."""

    def __init__(self, content_dir: Path):
        from pmkit.content import schema

        self.schema = schema
        self.root = content_dir
        self.issues: list[Issue] = []
        #: What was read, in reading order; the cache's key (docs/decisions.md §20).
        self.sources: list[SourceFile] = []
        self._checkers: dict[str, SchemaChecker] = {}

    def checker(self, name: str, schema: dict[str, Any]) -> SchemaChecker:
        if name not in self._checkers:
            self._checkers[name] = self.schema.SchemaChecker(schema)
        return self._checkers[name]

    def read(self, path: Path, name: str) -> YamlDocument | None:
        """Parse the file ``name`` (as the course names it) found at ``path``."""
        file = display_path(path)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            self.issues.append(
                Issue(file, 1, 1, f"cannot read the file: {exc.strerror}", code="io")
            )
            return None
        self.sources.append(SourceFile(name, hashlib.sha256(raw).hexdigest(), len(raw)))
        from pmkit.content.yaml_positions import load_yaml

        doc, issues = load_yaml(raw, file)
        self.issues.extend(issues)
        return doc

    def check(
        self,
        doc: YamlDocument,
        schema_name: str,
        schema: dict[str, Any],
        data: Any = None,
        prefix: tuple[Any, ...] = (),
    ) -> bool:
        errors = self.checker(schema_name, schema).errors(doc.data if data is None else data)
        for path, message, at_key in errors:
            self.issues.append(doc.issue((*prefix, *path), message, key=at_key, code="schema"))
        return not errors

    def check_questions(self, doc: YamlDocument) -> None:
        by_type = self.schema.QUESTION_SCHEMAS
        base = self.schema.QUESTION_BASE_SCHEMA
        questions = doc.data.get("questions")
        if not isinstance(questions, list):
            return
        types = ", ".join(by_type)
        for i, q in enumerate(questions):
            where = ("questions", i)
            if not isinstance(q, dict):
                self.check(doc, "question", base, q, where)
                continue
            kind = q.get("type")
            if isinstance(kind, str) and kind in by_type:
                self.check(doc, f"question:{kind}", by_type[kind], q, where)
            elif "type" not in q:
                self.issues.append(
                    doc.issue(
                        where, f"missing required field `type`; add one of: {types}", code="schema"
                    )
                )
            elif not isinstance(kind, str):
                self.issues.append(
                    doc.issue(
                        (*where, "type"),
                        f"`type` must be one of: {types}; not {type(kind).__name__}",
                        code="schema",
                    )
                )
            else:
                # The other fields depend on the type, so only the type is reported.
                match = closest(str(kind), by_type)
                hint = f"; did you mean `{match}`?" if match else ""
                self.issues.append(
                    doc.issue(
                        (*where, "type"),
                        f"unknown question type {shown(kind)}; use one of: {types}{hint}",
                        code="schema",
                    )
                )


def _missing_course(content_dir: Path) -> Issue:
    """Why ``content_dir`` holds no course, in terms of what the user pointed at."""
    course_path = content_dir / COURSE_FILE
    if content_dir.is_file():
        parent = display_path(content_dir.parent) if content_dir.parent != Path() else "."
        hint = (
            f"point --content at the folder holding it ({parent})"
            if content_dir.name == COURSE_FILE
            else f"point --content at the folder holding {COURSE_FILE}"
        )
        return Issue(
            display_path(content_dir),
            1,
            1,
            f"the content is a file, not a folder; {hint}",
            code="io",
        )
    # A file or folder that is not there has no line and column to point at.
    if not content_dir.is_dir():
        shown_path = display_path(content_dir)
        where = "" if shown_path.startswith("/") else f" in the current folder ({Path.cwd()})"
        looked = f"{shown_path} was looked for{where}"
        return Issue(
            display_path(content_dir),
            None,
            None,
            f"no course folder: {looked} and is not there; run pmkit in the folder "
            "that holds content/, point --content at the course folder, or start one "
            "with `pmkit new content`",
            code="io",
        )
    return Issue(
        display_path(course_path),
        None,
        None,
        f"the folder has no {COURSE_FILE}; point --content at a course folder, or "
        "start one with `pmkit new`",
        code="io",
    )


def _collect(c: _Collector) -> tuple[IncludedFiles | None, list[Issue]]:
    from pmkit.content.build import IncludedFiles
    from pmkit.content.schema import COURSE_SCHEMA, KINDS, SCHEMAS_BY_KIND

    content_dir = c.root
    course_path = content_dir / COURSE_FILE
    if not course_path.is_file():
        return None, [_missing_course(content_dir)]
    course = c.read(course_path, COURSE_FILE)
    if course is None:
        return None, c.issues
    version = course.data.get("pmkit") if isinstance(course.data, dict) else None
    if isinstance(version, int) and not isinstance(version, bool) and version != 1:
        c.issues.append(
            course.issue(
                ("pmkit",),
                f"content format `pmkit: {version}` is not "
                "supported by this pmkit (it reads `pmkit: 1`); upgrade "
                "pmkit",
                code="format-version",
            )
        )
        return None, c.issues
    c.check(course, "course", COURSE_SCHEMA)
    by_kind: dict[str, list[YamlDocument]] = {k: [] for k in KINDS}
    includes = course.data.get("include") if isinstance(course.data, dict) else None
    seen: dict[Path, int] = {}
    for i, rel in enumerate(includes if isinstance(includes, list) else []):
        if not isinstance(rel, str):
            continue  # the schema already reported it
        where = ("include", i)
        target = resolve_inside(content_dir, rel)
        if isinstance(target, str):
            c.issues.append(course.issue(where, f"include {shown(rel)}: {target}", code="path"))
            continue
        if target.suffix not in YAML_SUFFIXES:
            c.issues.append(
                course.issue(
                    where,
                    f"include {shown(rel)}: only .yaml/.yml files can be included",
                    code="path",
                )
            )
            continue
        if target in seen:
            c.issues.append(
                course.issue(
                    where,
                    f"{shown(rel)} is included twice (first as item "
                    f"{seen[target] + 1}); remove one",
                    code="path",
                )
            )
            continue
        seen[target] = i
        if not target.is_file():
            c.issues.append(
                course.issue(
                    where,
                    f"included file {shown(rel)} does not exist "
                    f"(looked for {display_path(target)})",
                    code="path",
                )
            )
            continue
        doc = c.read(target, rel)
        if doc is None:
            continue
        kind = doc.data.get("kind") if isinstance(doc.data, dict) else None
        if kind not in KINDS:
            what = "has no `kind`" if kind is None else f"has unknown kind {shown(kind)}"
            c.issues.append(
                doc.issue(
                    ("kind",) if kind is not None else (),
                    f"this file {what}; say what it holds with `kind:` one of {', '.join(KINDS)}",
                    code="schema",
                )
            )
            continue
        c.check(doc, kind, SCHEMAS_BY_KIND[kind])
        if kind == "knowledge-check":
            c.check_questions(doc)
        by_kind[kind].append(doc)

    if c.issues:
        return None, c.issues
    for kind in SINGLETON_KINDS:
        docs = by_kind[kind]
        if len(docs) > 1:
            for extra in docs[1:]:
                c.issues.append(
                    extra.issue(
                        ("kind",),
                        f"a course has exactly one `{kind}` file; "
                        f"this is another (first: {docs[0].file})",
                        key=True,
                        code="include",
                    )
                )
    for kind in KINDS:
        if not by_kind[kind]:
            c.issues.append(
                course.issue(
                    ("include",),
                    f"no included file has `kind: {kind}`; add one to `include`",
                    key=True,
                    code="include",
                )
            )
    if c.issues:
        return None, c.issues
    return IncludedFiles(
        course=course,
        tracks=by_kind["track"],
        self_discovery=by_kind["self-discovery"][0],
        decision_tree=by_kind["decision-tree"][0],
        guidance=by_kind["guidance"][0],
        knowledge_checks=by_kind["knowledge-check"],
    ), []


def run_plugin_rules(course: m.Course, rules: Sequence[ValidationRule]) -> list[Issue]:
    """Issues from plugin rules; a rule that crashes is reported, never fatal to the others."""
    issues: list[Issue] = []
    src = course.source
    for rule in rules:
        try:
            found = list(rule.check(course) or ())
        except PmkitError:  # strict plugin mode made the rule's failure an error
            raise
        except Exception as exc:  # a plugin's bug must not take pmkit down
            issues.append(
                Issue(
                    src.file,
                    src.line,
                    src.column,
                    f"validation rule `{rule.name}` of {rule.plugin} crashed "
                    f"({type(exc).__name__}: {exc}); report it to the plugin's "
                    "authors",
                    "warning",
                    "plugin",
                )
            )
            continue
        for item in found:
            if isinstance(item, Issue):
                issues.append(item)
            else:
                issues.append(
                    Issue(
                        src.file,
                        src.line,
                        src.column,
                        f"validation rule `{rule.name}` of {rule.plugin} returned "
                        f"{item!r} instead of a pmkit.Issue; report it to the "
                        "plugin's authors",
                        "warning",
                        "plugin",
                    )
                )
    return issues


def load_course(
    content_dir: Path | str = "content", *, rules: Sequence[ValidationRule] = (), cache: Any = None
) -> LoadedCourse:
    """Load and validate a course folder.

    ``rules`` are plugin validation rules; ``cache`` is an optional
    :class:`pmkit.content.cache.ValidationCache`. Raises
    :class:`~pmkit.errors.ContentError` listing every problem.
    """
    content_dir = Path(content_dir)
    if cache is not None:
        # Decoding an entry allocates the whole model too (see below).
        with collector.paused():
            hit = cache.get(content_dir)
        if hit is not None:
            return hit
    from pmkit.content.build import ModelBuilder
    from pmkit.content.rules import CORE_RULES

    # The loader allocates hundreds of thousands of small objects that all
    # survive; the cyclic collector would scan them again and again for nothing.
    with collector.paused():
        reader = _Collector(content_dir)
        files, issues = _collect(reader)
        if files is None:
            raise ContentError(sorted(issues))
        builder = ModelBuilder()
        course = builder.build(files)
        for rule in CORE_RULES:
            issues.extend(rule(course, builder.locator))
        issues.extend(run_plugin_rules(course, rules))
    if any(i.severity == "error" for i in issues):
        raise ContentError(sorted(issues))
    loaded = LoadedCourse(course=course, warnings=sorted(issues))
    if cache is not None:
        # The key comes from the bytes that were parsed, never from a second
        # read: a file saved meanwhile must not be stored under its new bytes.
        cache.put(content_dir, loaded, reader.sources)
    return loaded
