"""Export runs: atomic writing, pre-flight checks, determinism, file names and options.

docs/architecture.md and docs/decisions.md §15–18.
Test exporters are registered either with ``load_plugins(extra=...)`` (library
tests) or as a fake installed distribution found through a real entry point
(CLI tests, since the CLI loads plugins itself).
"""

from __future__ import annotations

import importlib
import json
import os
import re
import sys
import textwrap
import time
import types
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

import pmkit
from pmkit.content.load import load_course
from pmkit.errors import ExportError, UsageError
from pmkit.export.run import plan_exports, preflight, write_export
from pmkit.export.writing import ZIP_EPOCH, source_date_epoch, write_zip
from pmkit.pluginhost.host import PluginHost, load_plugins

RunCli = Callable[..., Result]

PREVIOUS = b"previous export \x00\xff keep me\n"


# --------------------------------------------------------------------------- fixtures


@pytest.fixture
def course_id(bundled_content: Path) -> str:
    """The id of the bundled course (file names are derived from it)."""
    return load_course(bundled_content).course.id


class Site:
    """A folder on ``sys.path`` holding fake installed plugin distributions."""

    def __init__(self, root: Path):
        self.root = root
        self.modules: list[str] = []

    def plugin(self, dist: str, source: str, version: str = "1.0") -> None:
        """Install ``dist`` whose one module (``pmkit-x`` → ``pmkit_x``) holds ``source``."""
        module = dist.replace("-", "_")
        (self.root / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")
        self.modules.append(module)
        info = self.root / f"{module}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n", encoding="utf-8"
        )
        (info / "entry_points.txt").write_text(
            f"[pmkit]\n{dist.split('-', 1)[-1]} = {module}\n", encoding="utf-8"
        )
        importlib.invalidate_caches()


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    """An empty fake site-packages on ``sys.path``; its modules are forgotten afterwards."""
    root = tmp_path / "site"
    root.mkdir()
    monkeypatch.syspath_prepend(str(root))
    fake = Site(root)
    yield fake
    for name in fake.modules:
        sys.modules.pop(name, None)
    importlib.invalidate_caches()


# --------------------------------------------------------------------------- test exporters


class BoomExporter(pmkit.Exporter):
    """Writes half its output, then fails like a buggy plugin."""

    name = "boom"
    title = "Half a file, then a crash"
    kind = "text"
    suffix = ".txt"

    def export(self, ctx: pmkit.ExportContext, target: Path) -> None:
        """Write a partial file and raise."""
        with target.open("w", encoding="utf-8") as fh:
            fh.write("half of the ")
            fh.flush()
        raise RuntimeError("disk on fire")


class CleanFailExporter(BoomExporter):
    """Fails with a clear ExportError, as a well-behaved exporter does."""

    name = "cleanfail"

    def export(self, ctx: pmkit.ExportContext, target: Path) -> None:
        """Write a partial file and raise an ExportError."""
        target.write_text("partial", encoding="utf-8")
        raise pmkit.ExportError("the course needs a logo for this format")


class MissingAssetExporter(BoomExporter):
    """Reads a file of its own that does not exist (an OSError from the plugin)."""

    name = "noasset"

    def export(self, ctx: pmkit.ExportContext, target: Path) -> None:
        """Open a template that is not there."""
        target.write_text("partial", encoding="utf-8")
        Path("/nonexistent-pmkit-test/template.html").read_text(encoding="utf-8")


class InterruptedExporter(BoomExporter):
    """Stopped by Ctrl-C half way."""

    name = "interrupted"

    def export(self, ctx: pmkit.ExportContext, target: Path) -> None:
        """Write a partial file and get interrupted."""
        target.write_text("partial", encoding="utf-8")
        raise KeyboardInterrupt


class BadFilenameExporter(BoomExporter):
    """Crashes while naming its file."""

    name = "badname"

    def filename(self, ctx: pmkit.ExportContext) -> str:
        """A bug in the plugin."""
        raise AttributeError("'Course' object has no attribute 'slug'")


class PickyExporter(pmkit.Exporter):
    """Refuses in ``check()``; would write if asked."""

    name = "picky"
    title = "Always refuses"
    kind = "text"
    suffix = ".txt"

    def check(self, ctx: pmkit.ExportContext) -> Any:
        """One error at the course's position."""
        src = ctx.course.source
        yield pmkit.Issue(src.file, src.line, src.column, "picky says no", "error", "picky")

    def export(self, ctx: pmkit.ExportContext, target: Path) -> None:
        """Never reached."""
        target.write_text("should not exist", encoding="utf-8")


def plugin_module(*exporters: type[pmkit.Exporter]) -> types.ModuleType:
    """A module-like plugin object registering ``exporters``."""
    module = types.ModuleType("test_exporting_plugin")

    @pmkit.hookimpl
    def register_exporters(register: Callable[..., None]) -> None:
        for cls in exporters:
            register(cls)

    module.register_exporters = register_exporters  # type: ignore[attr-defined]
    return module


def host_with(*exporters: type[pmkit.Exporter]) -> PluginHost:
    """Built-ins plus a plugin named ``boom-plugin`` providing ``exporters``."""
    warnings: list[str] = []
    host = load_plugins(
        environ={"PMKIT_LOAD_PLUGINS": ""},
        extra=[("boom-plugin", plugin_module(*exporters))],
        warn=warnings.append,
    )
    assert warnings == []
    return host


def run_export(
    host: PluginHost,
    content: Path,
    out: Path,
    *formats: str,
    options: tuple[tuple[str, str], ...] = (),
) -> list[Path]:
    """Plan, pre-flight and write, as ``pmkit export`` does."""
    loaded = load_course(content, rules=host.rules)
    plans = plan_exports(host, loaded.course, content, formats, options, out, lambda m: None)
    preflight(plans)
    return [write_export(plan) for plan in plans]


def listing(folder: Path) -> list[str]:
    """Every entry in ``folder``, hidden ones included."""
    return sorted(os.listdir(folder)) if folder.exists() else []


# Plugin sources for the CLI tests (installed through a fake distribution).

BOOM_SOURCE = '''
    """Half a file, then a crash."""
    import pmkit

    class Boom(pmkit.Exporter):
        name = "boom"
        title = "Half a file, then a crash"
        suffix = ".txt"

        def export(self, ctx, target):
            with target.open("w") as fh:
                fh.write("half of the ")
            raise RuntimeError("disk on fire")

    @pmkit.hookimpl
    def register_exporters(register):
        register(Boom)
'''

PICKY_SOURCE = '''
    """Refuses in check()."""
    import pmkit

    class Picky(pmkit.Exporter):
        name = "picky"
        title = "Always refuses"
        suffix = ".txt"

        def check(self, ctx):
            src = ctx.course.source
            yield pmkit.Issue(src.file, src.line, src.column, "picky says no")

        def export(self, ctx, target):
            target.write_text("should not exist")

    @pmkit.hookimpl
    def register_exporters(register):
        register(Picky)
'''

DEMO_SOURCE = '''
    """A working text exporter."""
    import pmkit

    class Demo(pmkit.Exporter):
        name = "demo"
        title = "A greeting"
        suffix = ".txt"
        options = (pmkit.Option("greeting", "string", "hello", "the first word"),)

        def export(self, ctx, target):
            target.write_text(ctx.options["greeting"] + " " + ctx.course.id + "\\n")

    @pmkit.hookimpl
    def register_exporters(register):
        register(Demo)
'''


# --------------------------------------------------------------------------- atomicity


def test_failing_exporter_leaves_previous_file_untouched(
    bundled_content: Path, tmp_path: Path, course_id: str
) -> None:
    host = host_with(BoomExporter)
    out = tmp_path / "out"
    out.mkdir()
    previous = out / f"{course_id}-boom.txt"
    previous.write_bytes(PREVIOUS)
    before = previous.stat()

    with pytest.raises(ExportError) as excinfo:
        run_export(host, bundled_content, out, "boom")

    message = str(excinfo.value)
    assert "'boom'" in message
    assert "'boom-plugin'" in message
    assert "RuntimeError" in message and "disk on fire" in message
    assert "untouched" in message
    assert previous.read_bytes() == PREVIOUS
    assert previous.stat().st_ino == before.st_ino
    assert listing(out) == [previous.name]


def test_failing_exporter_with_no_previous_file_leaves_nothing(
    bundled_content: Path, tmp_path: Path
) -> None:
    host = host_with(BoomExporter)
    out = tmp_path / "out"
    with pytest.raises(ExportError):
        run_export(host, bundled_content, out, "boom")
    assert listing(out) == []


@pytest.mark.parametrize(
    "cls, expected",
    [
        (CleanFailExporter, "the course needs a logo"),
        (MissingAssetExporter, "'noasset'"),
    ],
)
def test_other_failures_leave_no_trace(
    bundled_content: Path, tmp_path: Path, course_id: str, cls: type[pmkit.Exporter], expected: str
) -> None:
    host = host_with(cls)
    out = tmp_path / "out"
    out.mkdir()
    previous = out / f"{course_id}-{cls.name}.txt"
    previous.write_bytes(PREVIOUS)
    with pytest.raises(ExportError, match=re.escape(expected)):
        run_export(host, bundled_content, out, cls.name)
    assert previous.read_bytes() == PREVIOUS
    assert listing(out) == [previous.name]


def test_oserror_raised_by_the_exporter_names_the_plugin(
    bundled_content: Path, tmp_path: Path
) -> None:
    """An exporter's own OSError is a plugin bug: named, not blamed on the destination."""
    host = host_with(MissingAssetExporter)
    with pytest.raises(ExportError) as excinfo:
        run_export(host, bundled_content, tmp_path / "out", "noasset")
    message = str(excinfo.value)
    assert "'boom-plugin'" in message
    assert "template.html" in message


def test_interrupted_export_leaves_no_temp_file(
    bundled_content: Path, tmp_path: Path, course_id: str
) -> None:
    host = host_with(InterruptedExporter)
    out = tmp_path / "out"
    out.mkdir()
    previous = out / f"{course_id}-interrupted.txt"
    previous.write_bytes(PREVIOUS)
    with pytest.raises(KeyboardInterrupt):
        run_export(host, bundled_content, out, "interrupted")
    assert previous.read_bytes() == PREVIOUS
    assert listing(out) == [previous.name]


def test_crash_in_filename_names_the_plugin(bundled_content: Path, tmp_path: Path) -> None:
    host = host_with(BadFilenameExporter)
    with pytest.raises(pmkit.PmkitError) as excinfo:
        run_export(host, bundled_content, tmp_path / "out", "badname")
    assert "'boom-plugin'" in str(excinfo.value)
    assert listing(tmp_path / "out") == []


def test_failing_export_through_the_cli(
    site: Site,
    run_cli: RunCli,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    bundled_content: Path,
    course_id: str,
) -> None:
    site.plugin("pmkit-boom", BOOM_SOURCE, version="0.1")
    monkeypatch.setenv("PMKIT_LOAD_PLUGINS", "pmkit-boom")
    out = tmp_path / "exports"
    out.mkdir()
    previous = out / f"{course_id}-boom.txt"
    previous.write_bytes(PREVIOUS)

    result = run_cli("export", "--format", "boom", "--content", "content")

    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ")
    assert "'boom'" in result.stderr and "pmkit-boom 0.1" in result.stderr
    assert "disk on fire" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stdout == ""
    assert previous.read_bytes() == PREVIOUS
    assert listing(out) == [previous.name]


@pytest.mark.parametrize("order", [("json", "picky"), ("picky", "json")])
def test_failed_check_writes_nothing_for_any_format(
    bundled_content: Path, tmp_path: Path, course_id: str, order: tuple[str, str]
) -> None:
    host = host_with(PickyExporter)
    out = tmp_path / "out"
    out.mkdir()
    previous = out / f"{course_id}.json"
    previous.write_bytes(PREVIOUS)
    with pytest.raises(ExportError) as excinfo:
        run_export(host, bundled_content, out, *order)
    assert [i.message for i in excinfo.value.issues] == ["picky says no"]
    assert listing(out) == [previous.name]
    assert previous.read_bytes() == PREVIOUS


def test_failed_check_through_the_cli(
    site: Site,
    run_cli: RunCli,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    bundled_content: Path,
) -> None:
    site.plugin("pmkit-picky", PICKY_SOURCE)
    monkeypatch.setenv("PMKIT_LOAD_PLUGINS", "pmkit-picky")
    result = run_cli("export", "-f", "json", "-f", "picky", "--content", "content")
    assert result.exit_code == 1
    assert re.search(
        r"^content/course\.yaml:\d+:\d+: error: picky says no$", result.stderr, re.M
    ), result.stderr
    assert re.search(r"^Error: .*before writing anything", result.stderr, re.M)
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert listing(tmp_path / "exports") == []

    checked = run_cli("export", "-f", "json", "-f", "picky", "--check", "--content", "content")
    assert checked.exit_code == 1
    assert "picky says no" in checked.stderr
    assert listing(tmp_path / "exports") == []


def test_export_check_writes_nothing_on_good_content(
    run_cli: RunCli, tmp_path: Path, bundled_content: Path
) -> None:
    result = run_cli("export", "--format", "json", "--check", "--content", "content")
    assert result.exit_code == 0, result.stderr
    assert "json" in result.stdout and "nothing written" in result.stdout
    assert not (tmp_path / "exports").exists()
    assert listing(tmp_path) == ["content"]


def test_output_folder_that_is_a_file_is_an_error(
    run_cli: RunCli, tmp_path: Path, bundled_content: Path
) -> None:
    (tmp_path / "blocker").write_text("a file, not a folder", encoding="utf-8")
    result = run_cli("export", "-f", "json", "--content", "content", "--output", "blocker")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ")
    assert "Traceback" not in result.stderr
    assert (tmp_path / "blocker").read_text(encoding="utf-8") == "a file, not a folder"


# --------------------------------------------------------------------------- determinism


# Byte-identical output across processes, hash seeds, time zones and locales:
# tests/test_determinism_env.py (two runs in one process could not tell).


FILES = {
    "b/second.txt": b"second\n",
    "a.txt": b"first\n" * 100,
    "Z-upper.txt": b"upper",
    "b/a/deep.bin": bytes(range(256)),
}


def zip_of(path: Path, files: dict[str, bytes], epoch: int) -> bytes:
    """Write ``files`` with :func:`write_zip` and return the archive's bytes."""
    write_zip(path, files, epoch)
    return path.read_bytes()


def test_write_zip_is_deterministic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    epoch = 1700000000
    first = zip_of(tmp_path / "1.zip", FILES, epoch)
    reordered = dict(reversed(list(FILES.items())))
    assert list(reordered) != list(FILES)
    # Even with the clock somewhere else entirely.
    monkeypatch.setattr(time, "time", lambda: 4_000_000_000.0)
    second = zip_of(tmp_path / "2.zip", reordered, epoch)
    assert first == second


def test_write_zip_entries_sorted_with_fixed_metadata(tmp_path: Path) -> None:
    path = tmp_path / "x.zip"
    write_zip(path, FILES, 1700000000)
    with zipfile.ZipFile(path) as zf:
        assert zf.namelist() == sorted(FILES)
        assert zf.testzip() is None
        for entry in zf.infolist():
            assert zf.read(entry) == FILES[entry.filename]
            assert (entry.external_attr >> 16) & 0o777 == 0o644


def test_zip_dates_follow_source_date_epoch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    epoch = source_date_epoch()
    assert epoch == 1700000000
    path = tmp_path / "dated.zip"
    write_zip(path, FILES, epoch)
    expected = time.gmtime(1700000000)[:6]
    assert expected == (2023, 11, 14, 22, 13, 20)
    with zipfile.ZipFile(path) as zf:
        assert [e.date_time for e in zf.infolist()] == [expected] * len(FILES)


def test_zip_dates_default_to_1980(tmp_path: Path) -> None:
    epoch = source_date_epoch({})
    assert epoch == ZIP_EPOCH
    path = tmp_path / "undated.zip"
    write_zip(path, FILES, epoch)
    with zipfile.ZipFile(path) as zf:
        assert {e.date_time for e in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}


@pytest.mark.parametrize(
    "value, expected",
    [
        ("", ZIP_EPOCH),
        ("   ", ZIP_EPOCH),
        ("1700000000", 1700000000),
        (" 1700000000 ", 1700000000),
        ("0", ZIP_EPOCH),
    ],
)
def test_source_date_epoch_values(value: str, expected: int) -> None:
    assert source_date_epoch({"SOURCE_DATE_EPOCH": value}) == expected


@pytest.mark.parametrize("value", ["yesterday", "1.5", "17e8", "0x10"])
def test_bad_source_date_epoch_is_an_export_error(value: str) -> None:
    with pytest.raises(ExportError, match="SOURCE_DATE_EPOCH"):
        source_date_epoch({"SOURCE_DATE_EPOCH": value})


def test_bad_source_date_epoch_through_the_cli(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, bundled_content: Path
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    result = run_cli("export", "-f", "json", "--content", "content")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: SOURCE_DATE_EPOCH=")
    assert "'yesterday'" in result.stderr and "whole number" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert listing(tmp_path / "exports") == []


# --------------------------------------------------------------------------- file naming


def test_default_file_name_and_stdout(
    run_cli: RunCli, tmp_path: Path, bundled_content: Path, course_id: str
) -> None:
    result = run_cli("export", "--format", "json", "--content", "content")
    assert result.exit_code == 0, result.stderr
    written = tmp_path / "exports" / f"{course_id}.json"
    assert written.is_file()
    assert listing(tmp_path / "exports") == [written.name]
    assert result.stdout.startswith(f"exports/{course_id}.json (")
    assert f"{written.stat().st_size:,} bytes" in result.stdout
    assert result.stderr == ""


def test_output_option_is_honoured(
    run_cli: RunCli, tmp_path: Path, bundled_content: Path, course_id: str
) -> None:
    result = run_cli("export", "-f", "json", "--content", "content", "--output", "build/nested/out")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "build" / "nested" / "out" / f"{course_id}.json").is_file()
    assert not (tmp_path / "exports").exists()
    absolute = tmp_path / "abs"
    result = run_cli("export", "-f", "json", "--content", "content", "-d", str(absolute))
    assert result.exit_code == 0
    assert (absolute / f"{course_id}.json").is_file()


def test_third_party_default_file_name(
    bundled_content: Path, tmp_path: Path, course_id: str
) -> None:
    class Plain(pmkit.Exporter):
        name = "plain-text"
        suffix = ".txt"

        def export(self, ctx: pmkit.ExportContext, target: Path) -> None:
            target.write_text("plain\n", encoding="utf-8")

    [path] = run_export(host_with(Plain), bundled_content, tmp_path / "out", "plain-text")
    assert path.name == f"{course_id}-plain-text.txt"


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_exported_file_permissions_follow_the_umask(
    bundled_content: Path, tmp_path: Path, umask: int, mode: int
) -> None:
    host = host_with()
    old = os.umask(umask)
    try:
        [path] = run_export(host, bundled_content, tmp_path / "out", "json")
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == mode


def test_overwriting_replaces_the_previous_export(
    bundled_content: Path, tmp_path: Path, course_id: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / f"{course_id}.json").write_bytes(PREVIOUS)
    [path] = run_export(host_with(), bundled_content, out, "json")
    assert json.loads(path.read_text(encoding="utf-8"))["format"] == "pmkit-course/1"
    assert listing(out) == [path.name]


# --------------------------------------------------------------------------- options


def exported_text(tmp_path: Path, course_id: str) -> str:
    """The JSON export written by a CLI run in ``tmp_path``."""
    return (tmp_path / "exports" / f"{course_id}.json").read_text(encoding="utf-8")


def positions(data: Any) -> int:
    """How many ``{"file", "line", "column"}`` source positions ``data`` holds."""
    if isinstance(data, dict):
        own = 1 if {"file", "line", "column"} <= set(data) else 0
        return own + sum(positions(v) for v in data.values())
    if isinstance(data, list):
        return sum(positions(v) for v in data)
    return 0


def test_indent_option(
    run_cli: RunCli, tmp_path: Path, bundled_content: Path, course_id: str
) -> None:
    result = run_cli("export", "-f", "json", "--content", "content", "-o", "indent", "4")
    assert result.exit_code == 0, result.stderr
    text = exported_text(tmp_path, course_id)
    data = json.loads(text)
    assert text == json.dumps(data, indent=4, ensure_ascii=False) + "\n"
    assert text.splitlines()[1].startswith('    "format"')


def test_default_indent_is_2(
    run_cli: RunCli, tmp_path: Path, bundled_content: Path, course_id: str
) -> None:
    assert run_cli("export", "-f", "json", "--content", "content").exit_code == 0
    text = exported_text(tmp_path, course_id)
    assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"


def test_format_qualified_indent_zero_is_compact(
    run_cli: RunCli, tmp_path: Path, bundled_content: Path, course_id: str
) -> None:
    result = run_cli("export", "-f", "json", "--content", "content", "-o", "json.indent", "0")
    assert result.exit_code == 0, result.stderr
    text = exported_text(tmp_path, course_id)
    assert text.count("\n") == 1 and text.endswith("}\n")
    assert ", " not in text.split('"course"')[0]  # compact separators
    json.loads(text)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("true", True),
        ("false", False),
        ("yes", True),
        ("no", False),
        ("1", True),
        ("0", False),
        ("YES", True),
        ("False", False),
    ],
)
def test_boolean_option_conversion(
    run_cli: RunCli,
    tmp_path: Path,
    bundled_content: Path,
    course_id: str,
    value: str,
    expected: bool,
) -> None:
    result = run_cli("export", "-f", "json", "--content", "content", "-o", "sources", value)
    assert result.exit_code == 0, result.stderr
    count = positions(json.loads(exported_text(tmp_path, course_id)))
    assert (count > 0) is expected


@pytest.mark.parametrize(
    "args, needle",
    [
        (("-o", "indnt", "4"), "did you mean 'indent'"),
        (("-o", "json.indnt", "4"), "did you mean 'indent'"),
        (("-o", "indent", "abc"), "whole number"),
        (("-o", "indent", "9"), "json.indent"),
        (("-o", "sources", "maybe"), "true/false"),
        (("-o", "nosuchformat.key", "v"), "'nosuchformat'"),
        (("-o", "jsn.indent", "2"), "did you mean 'json'"),
    ],
)
def test_bad_options_are_usage_errors(
    run_cli: RunCli, tmp_path: Path, bundled_content: Path, args: tuple[str, ...], needle: str
) -> None:
    result = run_cli("export", "-f", "json", "--content", "content", *args)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert result.stderr.startswith("Error: ")
    assert needle in result.stderr
    assert result.stdout == ""
    assert listing(tmp_path / "exports") == []


def test_unknown_format_suggests_the_nearest(
    run_cli: RunCli, tmp_path: Path, bundled_content: Path
) -> None:
    result = run_cli("export", "--format", "jsno", "--content", "content")
    assert result.exit_code == 2
    assert "did you mean 'json'" in result.stderr
    assert "`pmkit formats`" in result.stderr
    assert result.stdout == ""
    assert listing(tmp_path / "exports") == []


def test_format_is_required(run_cli: RunCli, bundled_content: Path) -> None:
    result = run_cli("export", "--content", "content")
    assert result.exit_code == 2
    assert "--format" in result.stderr
    assert result.stdout == ""


def test_usage_errors_from_the_library(bundled_content: Path, tmp_path: Path) -> None:
    host = host_with()
    with pytest.raises(UsageError, match="did you mean 'json'"):
        run_export(host, bundled_content, tmp_path, "jsn")
    with pytest.raises(UsageError, match="no format selected"):
        run_export(host, bundled_content, tmp_path)


def test_format_all_exports_every_installed_format(
    site: Site,
    run_cli: RunCli,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    bundled_content: Path,
    course_id: str,
) -> None:
    site.plugin("pmkit-demo", DEMO_SOURCE)
    monkeypatch.setenv("PMKIT_LOAD_PLUGINS", "pmkit-demo")
    installed = {row["name"] for row in json.loads(run_cli("formats", "--json").stdout)}
    assert {"json", "demo"} <= installed

    result = run_cli("export", "--format", "all", "--content", "content")
    assert result.exit_code == 0, result.stderr
    written = listing(tmp_path / "exports")
    assert len(written) == len(installed)
    assert {f"{course_id}.json", f"{course_id}-demo.txt"} <= set(written)
    assert len(result.stdout.splitlines()) == len(installed)
    # A plain key goes only to the formats that declare it.
    again = run_cli(
        "export", "-f", "all", "--content", "content", "-o", "greeting", "hi", "-o", "indent", "0"
    )
    assert again.exit_code == 0, again.stderr
    demo = tmp_path / "exports" / f"{course_id}-demo.txt"
    assert demo.read_text(encoding="utf-8") == f"hi {course_id}\n"
    assert exported_text(tmp_path, course_id).count("\n") == 1


def test_repeated_format_is_exported_once(run_cli: RunCli, bundled_content: Path) -> None:
    result = run_cli("export", "-f", "json", "-f", "json", "--content", "content")
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 1


# --------------------------------------------------------------------------- formats


def test_formats_lists_json(run_cli: RunCli) -> None:
    result = run_cli("formats")
    assert result.exit_code == 0
    assert re.search(r"^json\s+\S", result.stdout, re.M)
    assert result.stderr == ""
    rows = json.loads(run_cli("formats", "--json").stdout)
    [row] = [r for r in rows if r["name"] == "json"]
    assert row["builtin"] is True and row["suffix"] == ".json"


def test_formats_json_shows_every_option_with_help_and_default(run_cli: RunCli) -> None:
    result = run_cli("formats", "json")
    assert result.exit_code == 0
    host = load_plugins(environ={"PMKIT_LOAD_PLUGINS": ""}, warn=lambda m: None)
    options = list(host.exporter("json").options)
    assert {o.name for o in options} >= {"indent", "sources"}
    for option in options:
        default = (
            str(option.default).lower() if isinstance(option.default, bool) else str(option.default)
        )
        assert re.search(
            rf"^\s+{option.name} \({option.type}, .*default {re.escape(default)}\)",
            result.stdout,
            re.M,
        ), option
        assert option.help in result.stdout

    as_json = json.loads(run_cli("formats", "json", "--json").stdout)
    by_name = {o["name"]: o for o in as_json["options"]}
    assert by_name["indent"]["default"] == 2
    assert by_name["sources"]["default"] is False
    assert all(o["help"] for o in as_json["options"])


def test_formats_unknown_name_is_a_usage_error(run_cli: RunCli) -> None:
    result = run_cli("formats", "jsn")
    assert result.exit_code == 2
    assert "did you mean 'json'" in result.stderr
    assert result.stdout == ""


def test_every_builtin_exporter_option_has_help_and_default() -> None:
    host = load_plugins(environ={"PMKIT_LOAD_PLUGINS": ""}, warn=lambda m: None)
    builtins = {name: p.obj for name, p in host.exporters.items() if p.plugin.builtin}
    assert "json" in builtins
    for name, cls in builtins.items():
        assert cls.title, name
        assert cls.suffix.startswith("."), name
        assert cls.options, name
        for option in cls.options:
            assert isinstance(option, pmkit.Option), (name, option)
            assert option.problems() == [], (name, option.name)
