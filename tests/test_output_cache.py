"""The output cache (pmkit.export.output_cache): a warm export is a verified copy.

Same bytes and same warnings as doing the work; a damaged entry is ignored and
replaced; anything that changes the bytes changes the key; off with the
validation cache; only built-in formats other than pdf.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from pmkit.content.cache import ValidationCache
from pmkit.content.load import load_course
from pmkit.export import output_cache
from pmkit.export.run import plan_exports
from pmkit.pluginhost.host import load_plugins

RunCli = Callable[..., Result]
OUTPUT = Path(".pmkit-cache") / output_cache.OUTPUT_DIR


@pytest.fixture
def cached_cli(run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> RunCli:
    """``run_cli`` with the validation cache (and so the output cache) on."""
    monkeypatch.delenv("PMKIT_NO_CACHE")
    return run_cli


def export(cli: RunCli, content: Path, *args: str) -> tuple[Result, dict[str, bytes]]:
    result = cli("export", "--content", str(content), *args)
    assert result.exit_code == 0, result.stderr
    return result, {p.name: p.read_bytes() for p in Path("exports").iterdir()}


def refuse_work(monkeypatch: pytest.MonkeyPatch, cls: Any) -> None:
    """Make ``cls.check`` fail: a run that still succeeds did not run it."""

    def check(self: Any, ctx: Any) -> Any:
        raise AssertionError("check() ran although the output was cached")

    monkeypatch.setattr(cls, "check", check)


def test_a_warm_export_copies_the_same_bytes_and_warnings(
    cached_cli: RunCli, bundled_content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pmkit_builtins.moodle.gift_export import GiftExporter
    from pmkit_builtins.moodle.xml_export import MoodleXmlExporter

    cold, cold_files = export(cached_cli, bundled_content, "-f", "gift", "-f", "moodle", "-v")
    assert "warning" in cold.stderr  # gift warns about the bundled course
    assert len(list(OUTPUT.glob("*.data"))) == 2
    for cls in (GiftExporter, MoodleXmlExporter):
        refuse_work(monkeypatch, cls)
    warm, warm_files = export(cached_cli, bundled_content, "-f", "gift", "-f", "moodle", "-v")
    assert warm_files == cold_files
    assert (warm.stdout, warm.stderr) == (cold.stdout, cold.stderr)
    assert not [p for p in Path("exports").iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize(
    "damage",
    ["flip a byte", "truncate", "garbage metadata", "metadata of another key", "remove the bytes"],
)
def test_a_damaged_entry_is_ignored_and_replaced(
    cached_cli: RunCli, bundled_content: Path, damage: str
) -> None:
    _, cold = export(cached_cli, bundled_content, "-f", "moodle")
    (data,) = OUTPUT.glob("*.data")
    meta = data.with_suffix(".json")
    raw = data.read_bytes()
    if damage == "flip a byte":
        data.write_bytes(raw[:100] + bytes([raw[100] ^ 1]) + raw[101:])
    elif damage == "truncate":
        data.write_bytes(raw[:-10])
    elif damage == "garbage metadata":
        meta.write_text("{not json")
    elif damage == "metadata of another key":
        meta.write_text(meta.read_text().replace('"key": "', '"key": "0'))
    else:
        data.unlink()
    _, warm = export(cached_cli, bundled_content, "-f", "moodle")
    assert warm == cold
    assert data.read_bytes() == raw  # rewritten by the run that did the work
    _, again = export(cached_cli, bundled_content, "-f", "moodle")
    assert again == cold


def test_bytes_that_change_under_the_same_metadata_are_not_served(
    cached_cli: RunCli, bundled_content: Path
) -> None:
    """Same size, other bytes: only the hash can tell, and it is checked on every copy."""
    _, cold = export(cached_cli, bundled_content, "-f", "json")
    (data,) = OUTPUT.glob("*.data")
    raw = data.read_bytes()
    data.write_bytes(raw.replace(b"pm-career-paths", b"pm-career-pathz", 1))
    _, warm = export(cached_cli, bundled_content, "-f", "json")
    assert warm == cold


def test_what_changes_the_bytes_changes_the_key(
    cached_cli: RunCli, bundled_content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, plain = export(cached_cli, bundled_content, "-f", "moodle")
    _, other = export(cached_cli, bundled_content, "-f", "moodle", "-o", "numbering", "123")
    assert other != plain
    _, back = export(cached_cli, bundled_content, "-f", "moodle")
    assert back == plain
    _, scorm = export(cached_cli, bundled_content, "-f", "scorm")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    _, later = export(cached_cli, bundled_content, "-f", "scorm")
    assert later != scorm
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    course = bundled_content / "course.yaml"
    course.write_text(course.read_text().replace("title: ", "title: New ", 1))
    _, edited = export(cached_cli, bundled_content, "-f", "moodle")
    assert edited != plain


def test_no_output_cache_without_the_validation_cache(
    run_cli: RunCli, cached_cli: RunCli, bundled_content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    export(cached_cli, bundled_content, "-f", "json", "--no-cache")
    monkeypatch.setenv("PMKIT_NO_CACHE", "1")
    export(run_cli, bundled_content, "-f", "json")
    assert not Path(".pmkit-cache").exists()


def test_only_built_in_formats_but_pdf_are_cached(
    bundled_content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    host = load_plugins()
    cache = ValidationCache(plugins=host.fingerprint())
    course = load_course(bundled_content, cache=cache).course
    names = sorted(host.exporters)
    plans = plan_exports(
        host, course, bundled_content, names, [], tmp_path / "out", lambda message: None
    )
    cacheable = {p.name for p in plans if p.slot is not None}
    builtin = {n for n in names if host.exporters[n].plugin.builtin}
    assert cacheable == builtin - {"pdf"}
    assert "json" in cacheable
    # A course that was not loaded through the cache has no key: nothing is cached.
    unkeyed = load_course(bundled_content).course
    plans = plan_exports(
        host, unkeyed, bundled_content, ["json"], [], tmp_path / "out", lambda message: None
    )
    assert plans[0].slot is None


def test_a_patched_exporter_gets_a_new_key(
    cached_cli: RunCli, bundled_content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pmkit_builtins.json_export import JsonExporter

    export(cached_cli, bundled_content, "-f", "json")

    def other(self: Any, ctx: Any, target: Path) -> None:
        target.write_bytes(b"{}\n")

    monkeypatch.setattr(JsonExporter, "export", other)
    _, patched = export(cached_cli, bundled_content, "-f", "json")
    assert list(patched.values()) == [b"{}\n"]
