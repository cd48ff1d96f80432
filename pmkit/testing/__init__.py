"""Test helpers for plugin authors (opt-in; pmkit registers no pytest plugin by itself).

Use the contract suites by subclassing them in your own tests::

    from pmkit.testing import ScorerContract
    from pmkit_myscorer import MyScorer

    class TestMyScorer(ScorerContract):
        scorer_class = MyScorer

Every check then runs against pmkit's small, stable sample course (override
the ``course`` fixture to use your own). The helpers below build answer sets
in the answers format (docs/decisions.md §10) for any course.

The same goes for exporters::

    from pmkit.testing import ExporterContract
    from pmkit_myformat import MyExporter

    class TestMyExporter(ExporterContract):
        exporter_class = MyExporter
        exporter_options = {"style": "compact"}   # the others keep their defaults

Every export in that suite goes through pmkit's own planning and staging
(:func:`pmkit.export.run.plan_exports`, :func:`~pmkit.export.run.write_export`),
exactly as ``pmkit export`` runs it.

:func:`plugin_host` gives a fresh plugin manager holding only the plugins a
test asks for; :class:`PmkitCli` runs pmkit's command line with them.

Optionally, ``pytest_plugins = ["pmkit.testing"]`` in your root conftest makes
the fixtures ``pmkit_sample_course`` (the sample course, loaded) and
``pmkit_cli`` (a :class:`PmkitCli` in a temporary folder) available everywhere.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import pytest

from pmkit.content import model as m
from pmkit.content.load import load_course
from pmkit.ids import is_id
from pmkit.options import OPTION_TYPES as _OPTION_TYPES
from pmkit.options import declaration_problem
from pmkit.scoring.answers import check_answers
from pmkit.scoring.scorer import SCORER_KINDS, Grade, Recommendation, Scorer

if TYPE_CHECKING:  # imported when used, so `import pmkit.testing` stays light
    from click.testing import Result

    from pmkit.export.exporter import Exporter
    from pmkit.export.run import PlannedExport
    from pmkit.issues import Issue
    from pmkit.pluginhost.host import PluginHost

__all__ = [
    "KNOWN_KINDS",
    "OPTION_TYPES",
    "ExporterContract",
    "PmkitCli",
    "ScorerContract",
    "canonical_answers",
    "check_output_kind",
    "named_plugins",
    "plugin_host",
    "sample_answer_sets",
    "sample_course_path",
    "tree_paths",
]

#: The output kinds an exporter may declare (``Exporter.kind``).
KNOWN_KINDS: tuple[str, ...] = ("json", "xml", "text", "markdown", "html", "pdf", "zip")
#: The types an option can declare (``pmkit.Option.type``).
OPTION_TYPES: tuple[str, ...] = _OPTION_TYPES


def sample_course_path() -> Path:
    """The folder of pmkit's sample course (small, stable, every question type)."""
    return Path(str(resources.files("pmkit").joinpath("data", "sample-course")))


def tree_paths(course: m.Course) -> list[dict[str, str]]:
    """Every way through the decision tree, as answers (node id -> option id)."""
    tree = course.decision_tree
    paths: list[dict[str, str]] = []

    def walk(node: m.TreeNode, so_far: dict[str, str]) -> None:
        for option in node.options:
            here = {**so_far, node.id: option.id}
            following = tree.node(option.next) if option.next else None
            if following is None:
                paths.append(here)
            else:
                walk(following, here)

    walk(tree.start_node, {})
    return paths


def canonical_answers(course: m.Course) -> dict[str, Any]:
    """Every knowledge-check question answered right, plus the first tree path."""
    answers: dict[str, Any] = dict(tree_paths(course)[0])
    for q in course.knowledge_check.questions:
        if isinstance(q, m.ChoiceQuestion):
            right = [o.id for o in q.options if o.correct]
            answers[q.id] = right[0] if q.type == "single" else right
        elif isinstance(q, m.TrueFalseQuestion):
            answers[q.id] = q.answer
        elif isinstance(q, m.MatchingQuestion):
            answers[q.id] = {p.id: p.id for p in q.pairs}
        elif isinstance(q, m.OrderingQuestion):
            answers[q.id] = [i.id for i in q.items]
    return answers


def _random_graded(q: m.KnowledgeQuestion, rng: random.Random) -> Any:
    if isinstance(q, m.ChoiceQuestion):
        ids = [o.id for o in q.options]
        return rng.choice(ids) if q.type == "single" else rng.sample(ids, rng.randint(0, len(ids)))
    if isinstance(q, m.TrueFalseQuestion):
        return rng.random() < 0.5
    if isinstance(q, m.MatchingQuestion):
        rights = [p.id for p in q.pairs] + [d.id for d in q.distractors]
        return {p.id: rng.choice(rights) for p in q.pairs if rng.random() < 0.8}
    assert isinstance(q, m.OrderingQuestion)
    return rng.sample([i.id for i in q.items], len(q.items))


def sample_answer_sets(course: m.Course, count: int = 40, seed: int = 0) -> list[dict[str, Any]]:
    """Varied, valid answer sets (seeded, so the same every run).

    Includes the canonical right answers and, for every tree path, an answer
    set with nothing else; the rest mix yes/no answers, paths and graded
    answers (some questions left unanswered).
    """
    rng = random.Random(seed)
    paths = tree_paths(course)
    sets: list[dict[str, Any]] = [canonical_answers(course), *[dict(p) for p in paths]]
    while len(sets) < count:
        answers: dict[str, Any] = dict(rng.choice(paths))
        for q in course.self_discovery.questions:
            if rng.random() < 0.8:
                answers[q.id] = rng.random() < 0.5
        for kq in course.knowledge_check.questions:
            if rng.random() < 0.8:
                answers[kq.id] = _random_graded(kq, rng)
        sets.append(answers)
    for answers in sets:
        assert check_answers(course, answers) == [], "sample answers must be valid"
    return sets


@pytest.fixture
def pmkit_sample_course() -> m.Course:
    """pmkit's sample course, loaded (a pytest fixture of the opt-in plugin)."""
    return load_course(sample_course_path()).course


class ScorerContract:
    """What every scorer must do; subclass it and set ``scorer_class``.

    Checks, for every kind: identity (name, kind, title), a valid options
    schema whose options all have a default and help, purity (the same
    answers give equal results, and the answers are not modified), bounded
    results over many answer sets. For ``grade`` scorers: full credit for the
    canonical right answers, zero for an empty response. For
    ``recommendation`` scorers: every track reported once in course order and a
    consistent, tie-aware choice.
    """

    scorer_class: ClassVar[type[Scorer]]
    #: Options passed to ``score`` (defaults from the schema are applied first).
    scorer_options: ClassVar[dict[str, Any]] = {}

    @pytest.fixture
    def course(self) -> m.Course:
        """The course the checks run on (override to use your own)."""
        return load_course(sample_course_path()).course

    @pytest.fixture
    def answer_sets(self, course: m.Course) -> list[dict[str, Any]]:
        """The answer sets the bounds and determinism checks use."""
        return sample_answer_sets(course)

    def _score(self, course: m.Course, answers: dict[str, Any]) -> Recommendation | Grade:
        options = {o.name: o.default for o in self.scorer_class.options}
        options.update(self.scorer_options)
        return self.scorer_class().score(course, answers, options)

    def _results(
        self, course: m.Course, answer_sets: list[dict[str, Any]]
    ) -> Iterator[Recommendation | Grade]:
        for answers in answer_sets:
            yield self._score(course, answers)

    def test_identity(self) -> None:
        cls = self.scorer_class
        assert is_id(cls.name), f"name must be an id like 'my-scorer', not {cls.name!r}"
        assert cls.kind in SCORER_KINDS
        assert isinstance(cls.title, str) and cls.title.strip(), "give the scorer a title"
        assert (cls.__doc__ or "").strip(), "document the scoring rule in the class docstring"

    def test_options_declaration(self) -> None:
        problem = declaration_problem(self.scorer_class.options, self.scorer_class.__name__)
        assert problem is None, problem

    def test_pure_and_deterministic(
        self, course: m.Course, answer_sets: list[dict[str, Any]]
    ) -> None:
        import copy
        import json

        for answers in answer_sets:
            before = copy.deepcopy(answers)
            first, second = self._score(course, answers), self._score(course, answers)
            assert first == second
            assert json.dumps(first.to_dict()) == json.dumps(second.to_dict())
            assert answers == before, "a scorer must not modify the answers"

    def test_browser_twin_agrees(
        self, course: m.Course, answer_sets: list[dict[str, Any]], tmp_path: Path
    ) -> None:
        """The browser twin (if any) returns exactly ``score(...).to_dict()`` for every
        answer set, run under Node as a page would run it (a classic script
        registering on ``pmkitScorers``, given the scoring table)."""
        import json
        import shutil
        import subprocess

        source = self.scorer_class.browser_twin_source()
        if source is None:
            return  # no twin: the scorer is refused by packages that score in the browser
        node = shutil.which("node")
        if node is None:
            pytest.skip("Node.js is not installed: the browser twin cannot be run")
        from pmkit.scoring.table import scoring_table

        options = {o.name: o.default for o in self.scorer_class.options}
        options.update(self.scorer_options)
        expected = [self._score(course, answers).to_dict() for answers in answer_sets]
        (tmp_path / "input.json").write_text(
            json.dumps(
                {
                    "source": source,
                    "name": self.scorer_class.name,
                    "table": scoring_table(course),
                    "options": options,
                    "answer_sets": answer_sets,
                }
            ),
            encoding="utf-8",
        )
        (tmp_path / "run.js").write_text(_TWIN_DRIVER, encoding="utf-8")
        result = subprocess.run(
            [node, str(tmp_path / "run.js"), str(tmp_path / "input.json")],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        got = json.loads(result.stdout)
        for answers, want, have in zip(answer_sets, expected, got, strict=True):
            assert have == want, f"the browser twin disagrees for answers {answers}"

    def test_results_are_bounded(self, course: m.Course, answer_sets: list[dict[str, Any]]) -> None:
        for result in self._results(course, answer_sets):
            if self.scorer_class.kind == "grade":
                assert isinstance(result, Grade)
                assert result.max == len(course.knowledge_check.questions)
                assert 0 <= result.points <= result.max
                assert 0.0 <= result.scaled <= 1.0
                assert 0 <= result.percent <= 100
                assert all(0.0 <= q.score <= 1.0 for q in result.questions)
                assert result.passed == (result.percent >= result.mastery)
            else:
                assert isinstance(result, Recommendation)
                assert all(t.points >= 0 and 0 <= t.share <= 100 for t in result.tracks)

    def test_grade_extremes(self, course: m.Course) -> None:
        if self.scorer_class.kind != "grade":
            return
        best = self._score(course, canonical_answers(course))
        assert isinstance(best, Grade)
        assert best.scaled == 1.0 and best.points == best.max
        assert all(q.status == "correct" for q in best.questions)
        empty = self._score(course, dict(tree_paths(course)[0]))
        assert isinstance(empty, Grade)
        assert empty.scaled == 0.0 and empty.points == 0
        assert all(q.status == "unanswered" for q in empty.questions)

    def test_answer_fractions_take_options(self, course: m.Course) -> None:
        """``answer_fractions(question, options)`` gets the options ``score`` gets, and
        returns fractions in [-1, 1] keyed by the question's answer ids (or raises
        ScorerCannotExpress)."""
        import inspect
        from fractions import Fraction

        from pmkit.scoring.scorer import ScorerCannotExpress

        method = self.scorer_class.answer_fractions
        params = list(inspect.signature(method).parameters)
        assert len(params) >= 3 or any(
            p.kind is inspect.Parameter.VAR_POSITIONAL
            for p in inspect.signature(method).parameters.values()
        ), (
            "answer_fractions takes (self, question, options): add the options parameter "
            "(CHANGELOG.md, Plugin API)"
        )
        options = {o.name: o.default for o in self.scorer_class.options}
        options.update(self.scorer_options)
        for q in course.knowledge_check.questions:
            try:
                fractions = self.scorer_class().answer_fractions(q, options)
            except ScorerCannotExpress as exc:
                assert exc.reason.strip(), "say why the scorer cannot express the question"
                continue
            ids = _answer_ids(q)
            assert set(fractions) <= ids, (
                f"{q.id}: fractions for unknown ids {set(fractions) - ids}"
            )
            for key, value in fractions.items():
                assert isinstance(value, Fraction | int), f"{q.id}.{key}: not a Fraction"
                assert -1 <= value <= 1, f"{q.id}.{key}: {value} is outside [-1, 1]"

    def test_recommendation_is_complete_and_tie_aware(
        self, course: m.Course, answer_sets: list[dict[str, Any]]
    ) -> None:
        if self.scorer_class.kind != "recommendation":
            return
        for result in self._results(course, answer_sets):
            assert isinstance(result, Recommendation)
            assert [t.track for t in result.tracks] == list(course.track_ids)
            assert result.track in course.track_ids
            assert result.total == sum(t.points for t in result.tracks)
            if result.tie:
                assert len(result.tie) >= 2 and result.track in result.tie
                assert len(set(result.tie)) == len(result.tie)
                assert set(result.tie) <= set(course.track_ids)
                top = {t.track: t.points for t in result.tracks}
                assert len({top[t] for t in result.tie}) == 1, "tied tracks share one score"


def _answer_ids(q: m.KnowledgeQuestion) -> set[str]:
    """The ids a question's answer fractions may be keyed by."""
    if isinstance(q, m.TrueFalseQuestion):
        return {"true", "false"}
    if isinstance(q, m.ChoiceQuestion):
        return {o.id for o in q.options}
    if isinstance(q, m.MatchingQuestion):
        return {p.id for p in q.pairs}
    if isinstance(q, m.OrderingQuestion):
        return {i.id for i in q.items}
    return set()


# --------------------------------------------------------------------------- plugins


def _builtin_names() -> set[str]:
    from pmkit.pluginhost.host import DEFAULT_PLUGINS

    return {module.rsplit(".", 1)[-1] for module in DEFAULT_PLUGINS}


def named_plugins(plugins: Iterable[object], taken: Iterable[str] = ()) -> list[tuple[str, Any]]:
    """``(name, plugin)`` pairs for :func:`pmkit.pluginhost.host.load_plugins`'s ``extra``.

    A plugin's name is its ``__name__`` (a module's or a class's), else its
    class's name (an instance); a ``(name, plugin)`` pair keeps the name given.
    A name already used (or in ``taken``) gets ``-2``, ``-3``… appended, so two
    plugins never collide by accident.
    """
    used = set(taken)
    pairs: list[tuple[str, Any]] = []
    for plugin in plugins:
        if isinstance(plugin, tuple) and len(plugin) == 2 and isinstance(plugin[0], str):
            name, obj = plugin
        else:
            obj = plugin
            name = getattr(plugin, "__name__", None)
            if not isinstance(name, str) or not name:
                name = type(plugin).__name__
        unique, n = name, 1
        while unique in used:
            n += 1
            unique = f"{name}-{n}"
        used.add(unique)
        pairs.append((unique, obj))
    return pairs


def _load(
    plugins: Sequence[object],
    builtins: bool,
    warn: Callable[[str], None] | None,
    environ: Mapping[str, str] | None = None,
    loader: Callable[..., PluginHost] | None = None,
) -> PluginHost:
    from pmkit.pluginhost import host as plugin_module

    load = loader or plugin_module.load_plugins
    taken = _builtin_names() if builtins else set()
    return load(
        entry_points=False,
        builtins=None if builtins else (),
        extra=named_plugins(plugins, taken),
        warn=warn,
        environ=environ,
    )


def plugin_host(
    *plugins: object, builtins: bool = False, warn: Callable[[str], None] | None = None
) -> PluginHost:
    """A fresh plugin manager holding only what a test asks for.

    Registers ``plugins`` — modules, classes whose hooks are static methods
    (``@staticmethod`` *above* ``@pmkit.hookimpl``), instances, or
    ``(name, plugin)`` pairs — and, with ``builtins=True``, pmkit's built-in
    plugins first. Installed third-party plugins (entry points) are never
    loaded. This is ``pmkit.pluginhost.host.load_plugins(entry_points=False,
    builtins=() unless builtins, extra=[(name, plugin), ...])``: names come
    from each plugin's ``__name__`` (see :func:`named_plugins`).

    Problems (a hook with a typo, an invalid exporter…) go to ``warn`` (default:
    printed to stderr) and are kept in :attr:`PluginHost.problems`.
    """
    return _load(plugins, builtins, warn)


# --------------------------------------------------------------------------- CLI


class PmkitCli:
    """Runs pmkit's command line in-process, in ``cwd``, with the plugins a test chooses.

    ``cwd`` holds a copy of the sample course at ``./content`` (made here), so
    ``pmkit export --format X`` needs no ``--content``. Each call loads a fresh
    plugin host: pmkit's built-in plugins (unless ``builtins=False``) and the
    ``plugins`` given — never the installed third-party ones. The validation
    cache is off (``PMKIT_NO_CACHE=1``); the working folder, the environment
    and the plugin loading are changed only while the command runs.

    ``result.stdout`` and ``result.stderr`` are kept apart; ``result.exit_code``
    is 0 (ok), 1 (content, export or plugin error) or 2 (usage error).
    """

    def __init__(self, cwd: Path, *, content: Path | None = None) -> None:
        import shutil

        self.cwd = Path(cwd)
        self.content = self.cwd / "content"
        self.cwd.mkdir(parents=True, exist_ok=True)
        shutil.copytree(content or sample_course_path(), self.content)

    def __call__(
        self,
        *args: str,
        plugins: Sequence[object] = (),
        input: str | bytes | None = None,
        builtins: bool = True,
        env: Mapping[str, str | None] | None = None,
    ) -> Result:
        """Run ``pmkit ARGS`` and return click's :class:`~click.testing.Result`."""
        from click.testing import CliRunner

        import pmkit.cli.app as app
        import pmkit.pluginhost.host
        from pmkit.cli import cli

        real_load_plugins = pmkit.pluginhost.host.load_plugins

        def load_plugins(
            *,
            warn: Callable[[str], None] | None = None,
            environ: Mapping[str, str] | None = None,
            **_ignored: Any,
        ) -> PluginHost:
            # What `pmkit plugins` calls: the injected plugins, reported through its `warn`.
            return _load(plugins, builtins, warn, environ, loader=real_load_plugins)

        def load_host() -> PluginHost:
            # What every other command calls (pmkit.cli.app.load_host).
            return load_plugins(warn=app.stderr_warning)

        with pytest.MonkeyPatch.context() as mp:
            mp.chdir(self.cwd)
            mp.setenv("PMKIT_NO_CACHE", "1")
            mp.setattr(app, "load_host", load_host)
            mp.setattr(pmkit.pluginhost.host, "load_plugins", load_plugins)
            return CliRunner().invoke(cli, list(args), input=input, env=env, catch_exceptions=False)


@pytest.fixture
def pmkit_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PmkitCli:
    """A :class:`PmkitCli` in ``tmp_path`` (a pytest fixture of the opt-in plugin).

    ``run = pmkit_cli; result = run("export", "--format", "myformat", plugins=[my_plugin])``;
    the test's working folder is ``tmp_path`` too, so ``Path("exports")`` is
    where the files went.
    """
    monkeypatch.chdir(tmp_path)
    return PmkitCli(tmp_path)


# --------------------------------------------------------------------------- exporters


def check_output_kind(kind: str, data: bytes) -> None:
    """Raise AssertionError unless ``data`` is well-formed output of ``kind``.

    json: UTF-8 JSON; xml: well-formed (parsed by lxml without network access
    or DTD loading); zip: a valid archive with relative, unique entry names and
    no ``..``; html: parses and has an ``<html>`` element; text and markdown:
    UTF-8; pdf: ``%PDF-`` header and ``%%EOF`` trailer.
    """
    if kind not in KNOWN_KINDS:
        raise AssertionError(f"unknown kind {kind!r} (known: {', '.join(KNOWN_KINDS)})")
    if kind in ("json", "text", "markdown"):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise AssertionError(f"a {kind} export must be UTF-8: {exc}") from exc
        if kind == "json":
            import json

            try:
                json.loads(text)
            except ValueError as exc:
                raise AssertionError(f"the json export does not parse: {exc}") from exc
    elif kind == "xml":
        from lxml import etree

        parser = etree.XMLParser(no_network=True, load_dtd=False, resolve_entities=False)
        try:
            etree.fromstring(data, parser)
        except etree.XMLSyntaxError as exc:
            raise AssertionError(f"the xml export is not well-formed: {exc}") from exc
    elif kind == "html":
        import lxml.html
        from lxml import etree

        if not re.search(rb"<html[\s>]", data, re.IGNORECASE):
            raise AssertionError("an html export needs an <html> element")
        try:
            lxml.html.document_fromstring(data)
        except (etree.ParserError, ValueError) as exc:
            raise AssertionError(f"the html export does not parse: {exc}") from exc
    elif kind == "zip":
        _check_zip(data)
    else:  # pdf
        assert data.startswith(b"%PDF-"), "a pdf export starts with %PDF-"
        assert b"%%EOF" in data[-1024:], "a pdf export ends with %%EOF"


def _check_zip(data: bytes) -> None:
    import io
    import zipfile
    from pathlib import PurePosixPath

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            bad = zf.testzip()
            names = zf.namelist()
    except zipfile.BadZipFile as exc:
        raise AssertionError(f"the zip export is not a valid zip: {exc}") from exc
    assert bad is None, f"zip entry {bad!r} is corrupt"
    assert names, "the zip export is empty"
    assert len(set(names)) == len(names), "the zip export repeats an entry name"
    for name in names:
        unsafe = (
            name.startswith("/")
            or "\\" in name
            or re.match(r"[A-Za-z]:", name)
            or ".." in PurePosixPath(name).parts
        )
        assert not unsafe, f"zip entry {name!r} must be a relative path without '..'"


def _zip_names(data: bytes) -> list[str]:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return sorted(zf.namelist())


def _cli_text(key: str, value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    raise TypeError(
        f"exporter_options[{key!r}] = {value!r}: only text, numbers and booleans can "
        "be given as `-o KEY VALUE`"
    )


def _registering(exporter_class: type[Exporter]) -> Any:
    """A plugin (a module object) registering one exporter class with ``override=True``,
    so a built-in format can be tested in a host that also holds the built-in plugins."""
    import types

    from pmkit.pluginhost.hookspecs import hookimpl

    plugin = types.ModuleType(f"exporter-under-test:{exporter_class.__name__}")

    @hookimpl
    def register_exporters(register: Callable[..., None]) -> None:
        register(exporter_class, override=True)

    plugin.register_exporters = register_exporters  # type: ignore[attr-defined]
    return plugin


class ExporterContract:
    """What every exporter must do; subclass it and set ``exporter_class``.

    Checks identity (name, title, kind, suffix, docstring), a valid options
    schema whose options all have a default and help, that the sample course
    exports cleanly to exactly one non-empty file, that the output is what
    ``kind`` says, that two exports are byte-identical, and that an export
    failing midway leaves the previous output untouched and no temporary file.

    Exports run in a fresh plugin host holding pmkit's built-in plugins (for
    the scorers), the plugins in ``extra_plugins`` and the exporter under test,
    through pmkit's own planning, pre-flight and staging.
    """

    exporter_class: ClassVar[type[Exporter]]
    #: Options given as ``-o FORMAT.KEY VALUE`` would give them; the rest use the defaults.
    exporter_options: ClassVar[dict[str, Any]] = {}
    #: Set to True when the exporter replaces a built-in format on purpose (override=True).
    overrides_builtin: ClassVar[bool] = False
    #: More plugins the exporter needs (for instance one providing its scorer); they must
    #: not register the exporter under test themselves.
    extra_plugins: ClassVar[tuple[object, ...]] = ()
    #: ``SOURCE_DATE_EPOCH`` for the determinism check (2023-11-14T22:13:20Z).
    source_date_epoch: ClassVar[int] = 1_700_000_000

    @pytest.fixture
    def course(self) -> m.Course:
        """The course the checks export (override to use your own)."""
        return load_course(sample_course_path()).course

    @pytest.fixture
    def content_dir(self) -> Path:
        """The course's folder, passed as ``ctx.content_dir`` (override with ``course``)."""
        return sample_course_path()

    # ----------------------------------------------------------------- helpers

    def host(self) -> PluginHost:
        """A fresh plugin host with the built-ins, ``extra_plugins`` and the exporter."""
        problems: list[str] = []
        host = plugin_host(
            *self.extra_plugins,
            ("exporter-under-test", _registering(self.exporter_class)),
            builtins=True,
            warn=problems.append,
        )
        assert not problems, "pmkit refused a plugin:\n  " + "\n  ".join(problems)
        return host

    def plan_export(
        self,
        course: m.Course,
        content_dir: Path,
        output_dir: Path,
        warnings: list[str] | None = None,
    ) -> PlannedExport:
        """Plan one export to ``output_dir`` with :func:`pmkit.export.run.plan_exports`."""
        from pmkit.errors import PmkitError
        from pmkit.export.run import plan_exports

        cls = self.exporter_class
        declared = {o.name: o for o in cls.options}
        pairs = []
        for key, value in self.exporter_options.items():
            assert key in declared, f"exporter_options: {cls.__name__} has no option {key!r}"
            if value is None and declared[key].default is None:
                continue  # the default; `-o` cannot spell None
            pairs.append((f"{cls.name}.{key}", _cli_text(key, value)))
        sink = warnings if warnings is not None else []
        try:
            [plan] = plan_exports(
                self.host(), course, content_dir, [cls.name], pairs, output_dir, sink.append
            )
        except PmkitError as exc:
            raise AssertionError(f"the export could not be planned: {exc}") from exc
        for key, value in self.exporter_options.items():
            assert plan.ctx.options[key] == value, (
                f"exporter_options[{key!r}] = {value!r} arrives as {plan.ctx.options[key]!r}"
            )
        return plan

    def run_export(self, course: m.Course, content_dir: Path, output_dir: Path) -> Path:
        """Plan, pre-flight and write one export as ``pmkit export`` does; the file written."""
        from pmkit.errors import PmkitError
        from pmkit.export.run import write_export

        plan = self.plan_export(course, content_dir, output_dir)
        self.preflight(plan)
        try:
            return write_export(plan)
        except PmkitError as exc:
            raise AssertionError(f"the sample export failed: {exc}") from exc

    def preflight(self, plan: PlannedExport) -> list[Issue]:
        """:func:`pmkit.export.run.preflight` for one plan; its warnings (errors fail)."""
        from pmkit.errors import PmkitError
        from pmkit.export.run import preflight

        try:
            return preflight([plan])
        except PmkitError as exc:
            details = "".join(f"\n  {i.format()}" for i in getattr(exc, "issues", []))
            raise AssertionError(f"the pre-flight check failed: {exc}{details}") from exc

    # ----------------------------------------------------------------- checks

    def test_identity(self) -> None:
        cls = self.exporter_class
        assert is_id(cls.name), f"name must be an id like 'my-format', not {cls.name!r}"
        assert isinstance(cls.title, str) and cls.title.strip(), "give the exporter a title"
        assert "\n" not in cls.title, "the title is one line (for `pmkit formats`)"
        assert cls.kind in KNOWN_KINDS, f"kind {cls.kind!r} is not one of {', '.join(KNOWN_KINDS)}"
        assert isinstance(cls.suffix, str) and cls.suffix.startswith(".") and len(cls.suffix) > 1
        assert "/" not in cls.suffix and "\\" not in cls.suffix, "the suffix is part of a name"
        assert (cls.__doc__ or "").strip(), "document the format in the class docstring"
        assert isinstance(cls.deterministic, bool)
        fields = cls.nondeterministic_fields
        assert isinstance(fields, tuple) and all(isinstance(f, str) and f for f in fields)
        if cls.deterministic:
            assert not fields, "a deterministic exporter has no nondeterministic_fields"

    def test_name_is_not_a_builtin_format(self) -> None:
        """pmkit refuses a third-party format named like a built-in one (unless it is
        registered with ``override=True``: then set ``overrides_builtin = True``)."""
        cls = self.exporter_class
        builtin = plugin_host(builtins=True, warn=lambda text: None).exporters.get(cls.name)
        if builtin is None or builtin.obj is cls or self.overrides_builtin:
            return
        raise AssertionError(
            f"{cls.name!r} is the name of pmkit's {builtin.plugin.label} "
            "format: pmkit will refuse this exporter; choose another name "
            "(or register it with override=True and set "
            "overrides_builtin = True)"
        )

    def test_options_declaration(self) -> None:
        problem = declaration_problem(self.exporter_class.options, self.exporter_class.__name__)
        assert problem is None, problem

    def test_sample_course_exports(
        self, course: m.Course, content_dir: Path, tmp_path: Path
    ) -> None:
        from pmkit.errors import PmkitError
        from pmkit.export.run import write_export

        out = tmp_path / "exports"
        plan = self.plan_export(course, content_dir, out)
        try:
            issues = list(plan.exporter.check(plan.ctx))
        except PmkitError as exc:
            raise AssertionError(f"check() raised {type(exc).__name__}: {exc}") from exc
        errors = [i.format() for i in issues if i.severity == "error"]
        assert not errors, "check() found errors in the sample course:\n  " + "\n  ".join(errors)
        name = plan.exporter.filename(plan.ctx)
        assert Path(name).name == name and name not in (".", ".."), f"{name!r} is not a file name"
        assert name.endswith(self.exporter_class.suffix), f"{name!r} does not end with the suffix"
        try:
            written = write_export(plan)
        except PmkitError as exc:
            raise AssertionError(f"the sample export failed: {exc}") from exc
        assert written == out / name
        assert sorted(p.name for p in out.iterdir()) == [name], (
            "an export writes exactly one file, at the target it is given"
        )
        assert written.stat().st_size > 0, (
            "the export is empty (export() writes to the `target` path it is given)"
        )

    def test_output_kind_matches(self, course: m.Course, content_dir: Path, tmp_path: Path) -> None:
        written = self.run_export(course, content_dir, tmp_path / "exports")
        check_output_kind(self.exporter_class.kind, written.read_bytes())

    def test_deterministic(
        self, course: m.Course, content_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", str(self.source_date_epoch))
        cls = self.exporter_class
        first = self.run_export(course, content_dir, tmp_path / "first")
        second = self.run_export(course, content_dir, tmp_path / "second-run")
        assert first.name == second.name
        one, two = first.read_bytes(), second.read_bytes()
        if cls.deterministic:
            assert one == two, (
                "two exports differ; if the engine cannot help it, set "
                "deterministic = False and name what varies in "
                "nondeterministic_fields"
            )
            return
        assert cls.nondeterministic_fields, (
            "deterministic = False: name what varies in nondeterministic_fields"
        )
        for data in (one, two):
            check_output_kind(cls.kind, data)
        if cls.kind == "zip":
            assert _zip_names(one) == _zip_names(two), "the two exports hold different files"

    def test_failing_export_leaves_nothing(
        self, course: m.Course, content_dir: Path, tmp_path: Path
    ) -> None:
        from pmkit.errors import ExportError
        from pmkit.export.run import write_export

        previous = b"the previous export, which a failed export must leave alone\n"
        for out, before in (
            (tmp_path / "with-previous", previous),
            (tmp_path / "without-previous", None),
        ):
            plan = self.plan_export(course, content_dir, out)
            self.preflight(plan)
            if before is not None:
                out.mkdir(parents=True)
                plan.target.write_bytes(before)
            real_export = plan.exporter.export

            def crash(ctx: Any, target: Path, _real: Callable[..., None] = real_export) -> None:
                _real(ctx, target)
                with open(target, "ab") as partial:
                    partial.write(b"\0half-written")
                raise RuntimeError("simulated crash midway through the export")

            plan.exporter.export = crash  # type: ignore[method-assign]
            with pytest.raises(ExportError, match="previous output is untouched"):
                write_export(plan)
            left = sorted(p.name for p in out.iterdir()) if out.exists() else []
            if before is None:
                assert left == [], f"a failed export left {left}"
            else:
                assert left == [plan.target.name], f"a failed export left {left}"
                assert plan.target.read_bytes() == before, "the previous output was changed"


#: Runs a scorer's browser twin under Node over the answer sets in a JSON file.
_TWIN_DRIVER = """\
var fs = require("fs");
var vm = require("vm");
var input = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
if (!globalThis.pmkitScorers) {
  var fns = {};
  globalThis.pmkitScorers = {
    register: function (name, fn) { fns[name] = fn; },
    get: function (name) {
      if (!Object.prototype.hasOwnProperty.call(fns, name)) {
        throw new Error("the twin did not register " + JSON.stringify(name));
      }
      return fns[name];
    }
  };
}
vm.runInThisContext(input.source, { filename: "browser-twin.js" });
var fn = globalThis.pmkitScorers.get(input.name);
var out = input.answer_sets.map(function (answers) {
  return fn(input.table, answers, input.options);
});
process.stdout.write(JSON.stringify(out));
"""
