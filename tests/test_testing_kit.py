"""pmkit.testing itself: the plugin host, the CLI runner, and a contract suite that can fail."""

from __future__ import annotations

import inspect
import itertools
import json
import os
import subprocess
import sys
import textwrap
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest

import pmkit
import pmkit.cli.app
import pmkit.pluginhost.entrypoints
import pmkit.pluginhost.host
from pmkit.content import model as m
from pmkit.testing import (
    ExporterContract,
    PmkitCli,
    check_output_kind,
    plugin_host,
    sample_course_path,
)

# ------------------------------------------------------------------ plugins used below


class EchoExporter(pmkit.Exporter):
    """One line: the course title (upper case with ``-o shout true``)."""

    name = "echo"
    title = "The course title as text"
    kind = "text"
    suffix = ".txt"
    options: ClassVar[tuple[pmkit.Option, ...]] = (
        pmkit.Option("shout", "boolean", False, "upper-case the title"),
    )

    def text(self, ctx: pmkit.ExportContext) -> str:
        """What the file holds (subclasses below change it to break the contract)."""
        title = ctx.course.title
        return (title.upper() if ctx.options["shout"] else title) + "\n"

    def export(self, ctx: pmkit.ExportContext, target: Path) -> None:
        """Write the text as UTF-8."""
        target.write_text(self.text(ctx), encoding="utf-8")


class EchoPlugin:
    """A plugin as a class whose hook is a static method."""

    @staticmethod
    @pmkit.hookimpl
    def register_exporters(register: Any) -> None:
        register(EchoExporter)


class TitleRule:
    """A plugin as an instance: one validation rule that always warns."""

    @pmkit.hookimpl
    def register_validation_rules(self, register: Any) -> None:
        register(self.check, name="title-rule")

    def check(self, course: m.Course) -> Iterator[pmkit.Issue]:
        src = course.source
        yield pmkit.Issue(src.file, src.line, src.column, "title-rule ran", "warning", "kit")


class MisspeltHook:
    """A plugin whose hook name has a typo."""

    @staticmethod
    @pmkit.hookimpl
    def register_exporter(register: Any) -> None:
        raise AssertionError("never called")


@pmkit.hookimpl
def register_exporters(register: Any) -> None:
    """This test module is a plugin too (a module plugin)."""
    register(EchoExporter)


THIS_MODULE = sys.modules[__name__]


def test_importing_the_kit_stays_light() -> None:
    script = "import sys, pmkit.testing\nprint('\\n'.join(sys.modules))"
    loaded = set(
        subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    heavy = {"lxml", "cerberus", "pmkit.cli", "pmkit.pluginhost.host", "pmkit.export.run"}
    assert not heavy & loaded
    assert not any(name.startswith("pmkit_builtins") for name in loaded)


# ------------------------------------------------------------------ plugin_host


def test_plugin_host_holds_only_what_was_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_entry_points(*_: Any, **__: Any) -> Any:
        raise AssertionError("plugin_host must not look at installed plugins")

    monkeypatch.setattr(pmkit.pluginhost.entrypoints, "discover", no_entry_points)
    monkeypatch.setattr(pmkit.pluginhost.entrypoints, "discover_with_metadata", no_entry_points)
    empty = plugin_host()
    assert (empty.plugins, empty.exporters, empty.scorers, empty.rules) == ([], {}, {}, [])
    assert empty.pm.get_plugins() == set()

    host = plugin_host(EchoPlugin, TitleRule())
    assert [p.name for p in host.plugins] == ["EchoPlugin", "TitleRule"]
    assert list(host.exporters) == ["echo"] and host.exporter("echo") is EchoExporter
    assert host.exporters["echo"].plugin.name == "EchoPlugin"
    assert [r.name for r in host.rules] == ["title-rule"]
    assert host.scorers == {} and not host.failed


def test_plugin_host_names_module_plugins_and_keeps_names_apart() -> None:
    host = plugin_host(THIS_MODULE, warn=lambda text: None)
    assert [p.name for p in host.plugins] == [__name__]
    assert host.exporter("echo") is EchoExporter
    twice = plugin_host(EchoPlugin, ("EchoPlugin", TitleRule()), warn=lambda text: None)
    assert [p.name for p in twice.plugins] == ["EchoPlugin", "EchoPlugin-2"]


def test_plugin_host_with_builtins() -> None:
    host = plugin_host(EchoPlugin, builtins=True)
    assert [p.name for p in host.plugins if p.builtin] == [
        m.rsplit(".", 1)[-1] for m in pmkit.pluginhost.host.DEFAULT_PLUGINS
    ]
    assert {"json", "scorm", "moodle", "gift", "echo"} <= set(host.exporters)
    assert "partial-credit" in host.scorers and not host.failed


def test_plugin_host_reports_problems() -> None:
    seen: list[str] = []
    host = plugin_host(MisspeltHook, warn=seen.append)
    assert host.failed and len(seen) == 1
    assert "MisspeltHook" in seen[0] and "register_exporter" in seen[0]


# ------------------------------------------------------------------ the CLI runner


def test_cli_runner_exports_with_a_test_plugin(tmp_path: Path) -> None:
    run = PmkitCli(tmp_path / "work")
    assert (run.content / "course.yaml").is_file()
    before = (Path.cwd(), pmkit.cli.app.load_host, pmkit.pluginhost.host.load_plugins)

    result = run("export", "--format", "echo", "-o", "shout", "true", plugins=[EchoPlugin])
    assert result.exit_code == 0, result.stderr
    [written] = (run.cwd / "exports").iterdir()
    assert written.name.endswith("-echo.txt")
    assert written.read_text(encoding="utf-8").isupper()
    assert written.name in result.stdout and result.stderr == ""
    assert not (run.cwd / ".pmkit-cache").exists(), "the validation cache is off"
    # Nothing leaks out of the run.
    assert (Path.cwd(), pmkit.cli.app.load_host, pmkit.pluginhost.host.load_plugins) == before


def test_cli_runner_injects_the_host_into_every_command(tmp_path: Path) -> None:
    run = PmkitCli(tmp_path)
    formats = run("formats", plugins=[EchoPlugin])
    assert formats.exit_code == 0 and "echo" in formats.stdout and "json" in formats.stdout
    alone = run("formats", plugins=[EchoPlugin], builtins=False)
    assert "echo" in alone.stdout and "json" not in alone.stdout
    listed = run("plugins", "--json", plugins=[EchoPlugin, TitleRule()])
    names = [p["name"] for p in json.loads(listed.stdout)]
    assert names[-2:] == ["EchoPlugin", "TitleRule"]
    assert all(p["builtin"] for p in json.loads(listed.stdout)[:-2])
    validated = run("validate", plugins=[TitleRule()])
    assert validated.exit_code == 0 and "title-rule ran" in validated.stderr
    unknown = run("export", "--format", "echo")
    assert unknown.exit_code == 2 and "unknown format 'echo'" in unknown.stderr


def test_cli_runner_shows_plugin_problems_on_stderr(tmp_path: Path) -> None:
    run = PmkitCli(tmp_path)
    result = run("export", "--format", "json", plugins=[MisspeltHook])
    assert result.exit_code == 0
    assert "Warning: plugin 'MisspeltHook'" in result.stderr
    assert "Warning" not in result.stdout
    checked = run("plugins", "--check", plugins=[MisspeltHook])
    assert checked.exit_code == 1


def test_opt_in_pytest_plugin_in_a_plugin_authors_project(tmp_path: Path) -> None:
    """`pytest_plugins = ["pmkit.testing"]` gives the fixtures; the contract runs there too."""
    (tmp_path / "conftest.py").write_text('pytest_plugins = ["pmkit.testing"]\n')
    (tmp_path / "test_author.py").write_text(
        textwrap.dedent('''
        from pathlib import Path

        import pmkit
        from pmkit.testing import ExporterContract


        class Outline(pmkit.Exporter):
            """The track titles, one per line (Markdown)."""

            name = "outline"
            title = "Track titles as a Markdown list"
            kind = "markdown"
            suffix = ".md"

            def export(self, ctx, target):
                target.write_text("".join(f"- {t.title}\\n" for t in ctx.course.tracks))


        @pmkit.hookimpl
        def register_exporters(register):
            register(Outline)


        class TestOutline(ExporterContract):
            exporter_class = Outline


        def test_cli(pmkit_cli, pmkit_sample_course):
            import sys

            result = pmkit_cli("export", "--format", "outline", plugins=[sys.modules[__name__]])
            assert result.exit_code == 0, result.stderr
            written = Path("exports") / f"{pmkit_sample_course.id}-outline.md"
            assert written.read_text().startswith("- ")
    ''')
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "8 passed" in done.stdout


# ------------------------------------------------------------------ the contract can fail

CONTRACT_TESTS = sorted(name for name in vars(ExporterContract) if name.startswith("test_"))


@pytest.fixture
def course() -> m.Course:
    return pmkit.load_course(sample_course_path()).course


def failing_contract_tests(
    exporter: type[pmkit.Exporter],
    course: m.Course,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> set[str]:
    """Run every contract test on ``exporter`` directly; the names of those that failed."""

    class Contract(ExporterContract):
        exporter_class = exporter

    failed = set()
    for name in CONTRACT_TESTS:
        method = getattr(Contract(), name)
        available = {
            "course": course,
            "content_dir": sample_course_path(),
            "tmp_path": tmp_path / name,
            "monkeypatch": monkeypatch,
        }
        wanted = {p: available[p] for p in inspect.signature(method).parameters}
        with monkeypatch.context():
            try:
                method(**wanted)
            except AssertionError:
                failed.add(name)
    return failed


_counter = itertools.count()


class Counting(EchoExporter):
    """Different output every run (a counter), yet claims to be deterministic."""

    def text(self, ctx: pmkit.ExportContext) -> str:
        return f"export number {next(_counter)}\n"


class CountingButSaysSo(Counting):
    """Different output every run, and declares it with the field that varies."""

    deterministic = False
    nondeterministic_fields = ("the export number",)


class QuietlyNondeterministic(EchoExporter):
    """Claims not to be deterministic without saying what varies."""

    deterministic = False


class EmbedsItsPath(EchoExporter):
    """Writes the staging path into the file (differs between output folders)."""

    def text(self, ctx: pmkit.ExportContext) -> str:
        return f"{self.target}\n"

    def export(self, ctx: pmkit.ExportContext, target: Path) -> None:
        self.target = target
        super().export(ctx, target)


class WritesNothing(EchoExporter):
    """Never writes its target."""

    def export(self, ctx: pmkit.ExportContext, target: Path) -> None:
        pass


class WritesBesideTheTarget(EchoExporter):
    """Leaves a second file next to its target."""

    def export(self, ctx: pmkit.ExportContext, target: Path) -> None:
        super().export(ctx, target)
        (target.parent / "side-effect.txt").write_text("oops\n")


class WritesTheFinalFile(EchoExporter):
    """Ignores the staging target and writes the final file itself."""

    def export(self, ctx: pmkit.ExportContext, target: Path) -> None:
        (target.parent / self.filename(ctx)).write_text(self.text(ctx), encoding="utf-8")


class OptionWithoutHelp(EchoExporter):
    """An option nobody can look up."""

    options: ClassVar[tuple[pmkit.Option, ...]] = (pmkit.Option("shout", "boolean", False, ""),)


class DefaultBreaksItsRule(EchoExporter):
    """A default that is not among the allowed values."""

    options: ClassVar[tuple[pmkit.Option, ...]] = (
        *EchoExporter.options,
        pmkit.Option("style", "string", "bold", "how it looks", allowed=("plain", "fancy")),
    )


class UnknownKind(EchoExporter):
    """A kind pmkit does not know."""

    kind = "yaml"


class Undocumented(EchoExporter):
    pass


class CheckFails(EchoExporter):
    """Its pre-flight check refuses the sample course."""

    def check(self, ctx: pmkit.ExportContext) -> Iterator[pmkit.Issue]:
        src = ctx.course.source
        yield pmkit.Issue(src.file, src.line, src.column, "cannot export this", "error", "kit")


class InvalidJson(EchoExporter):
    """Says json, writes text."""

    kind = "json"
    suffix = ".json"


class EscapingZip(EchoExporter):
    """A zip with an entry that climbs out of the folder it is unpacked in."""

    kind = "zip"
    suffix = ".zip"

    def export(self, ctx: pmkit.ExportContext, target: Path) -> None:
        pmkit.write_zip(
            target,
            {"index.html": b"<html></html>", "../evil.sh": b"rm -rf ~\n"},
            ctx.source_date_epoch,
        )


EXPORT_TESTS = {
    "test_sample_course_exports",
    "test_output_kind_matches",
    "test_deterministic",
    "test_failing_export_leaves_nothing",
}


@pytest.mark.parametrize(
    ("exporter", "expected"),
    [
        (EchoExporter, set()),
        (CountingButSaysSo, set()),
        (Counting, {"test_deterministic"}),
        (QuietlyNondeterministic, {"test_deterministic"}),
        (EmbedsItsPath, {"test_deterministic"}),
        # pmkit itself refuses an export that wrote nothing, so nothing can be exported.
        (
            WritesNothing,
            {"test_sample_course_exports", "test_deterministic", "test_output_kind_matches"},
        ),
        (
            WritesBesideTheTarget,
            {"test_sample_course_exports", "test_failing_export_leaves_nothing"},
        ),
        (
            WritesTheFinalFile,
            {
                "test_sample_course_exports",
                "test_failing_export_leaves_nothing",
                "test_deterministic",
                "test_output_kind_matches",
            },
        ),
        # pmkit refuses to register these, so nothing can be exported either.
        (OptionWithoutHelp, {"test_options_declaration", *EXPORT_TESTS}),
        (DefaultBreaksItsRule, {"test_options_declaration", *EXPORT_TESTS}),
        (UnknownKind, {"test_identity", "test_output_kind_matches"}),
        (Undocumented, {"test_identity"}),
        (CheckFails, EXPORT_TESTS),
        (InvalidJson, {"test_output_kind_matches"}),
        (EscapingZip, {"test_output_kind_matches"}),
    ],
    ids=lambda value: value.__name__ if isinstance(value, type) else None,
)
def test_the_contract_fails_exactly_where_an_exporter_is_broken(
    exporter: type[pmkit.Exporter],
    expected: set[str],
    course: m.Course,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert failing_contract_tests(exporter, course, tmp_path, monkeypatch) == expected


class TestEchoPassesTheContract(ExporterContract):
    """The good exporter above, collected as a plugin author's suite would be."""

    exporter_class = EchoExporter
    exporter_options: ClassVar[dict[str, Any]] = {"shout": True}


class TestExtraPluginsJoinTheHost(ExporterContract):
    """An exporter may need plugins of its own (here, a validation rule)."""

    exporter_class = EchoExporter
    extra_plugins: ClassVar[tuple[object, ...]] = (TitleRule(),)

    def test_the_host_has_them(self) -> None:
        host = self.host()
        assert [r.name for r in host.rules] == ["title-rule"]
        assert host.exporter("echo") is EchoExporter


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        ("json", b'{"a": 1}'),
        ("xml", b"<?xml version='1.0'?><a/>"),
        ("text", "é\n".encode()),
        ("markdown", b"# t\n"),
        ("html", b"<!doctype html><html><body></body></html>"),
        ("pdf", b"%PDF-1.7\n...\n%%EOF\n"),
    ],
)
def test_output_kinds_accept_good_output(kind: str, data: bytes) -> None:
    check_output_kind(kind, data)


def _zip(**entries: bytes) -> bytes:
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name.replace("__", "/"), data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        ("json", b"{'a': 1}"),
        ("json", b"\xef\xbb\xbf{}"),
        ("xml", b"<a>"),
        ("xml", b"<a></b>"),
        ("text", b"\xff\xfe"),
        ("markdown", b"caf\xe9"),
        ("html", b"<body>no html element</body>"),
        ("pdf", b"not a pdf"),
        ("zip", b"PK not really"),
        ("zip", _zip()),
        ("zip", _zip(**{"__etc__passwd": b"x"})),
        ("yaml", b"a: 1"),
    ],
)
def test_output_kinds_reject_bad_output(kind: str, data: bytes) -> None:
    with pytest.raises(AssertionError):
        check_output_kind(kind, data)


class NamedLikeABuiltin(EchoExporter):
    """Uses the name of pmkit's JSON format."""

    name = "json"


def test_the_contract_flags_a_builtin_name(
    course: m.Course, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    failing = failing_contract_tests(NamedLikeABuiltin, course, tmp_path, monkeypatch)
    assert "test_name_is_not_a_builtin_format" in failing


def test_the_scorer_contract_catches_a_browser_twin_that_disagrees(tmp_path: Path) -> None:
    from pmkit.testing import ScorerContract, plugin_host, sample_answer_sets

    host = plugin_host(builtins=True, warn=pytest.fail)
    real = host.scorers["partial-credit"].obj

    class OffByOne(real):  # type: ignore[misc, valid-type]
        """The built-in scorer with a twin that reports one percent too many."""

        @classmethod
        def browser_twin_source(cls) -> str:
            return (
                real.browser_twin_source() + "\n(function () {"
                " var fn = pmkitScorers.get('partial-credit');"
                " pmkitScorers.register('partial-credit', function (t, a, o) {"
                " var r = fn(t, a, o); r.percent += 1; return r; }); }());"
            )

    class Contract(ScorerContract):
        scorer_class = OffByOne

    from pmkit.testing import sample_course_path

    course = pmkit.load_course(sample_course_path()).course
    good = type("Good", (ScorerContract,), {"scorer_class": real})()
    good.test_browser_twin_agrees(course, sample_answer_sets(course), tmp_path)
    with pytest.raises(AssertionError, match="the browser twin disagrees"):
        Contract().test_browser_twin_agrees(course, sample_answer_sets(course), tmp_path)
