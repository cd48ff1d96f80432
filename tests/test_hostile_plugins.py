"""Plugins that misbehave: each is named, and the others (and pmkit) keep working.

Every case is a real installed distribution (a fake site-packages with
METADATA and entry points), loaded the way `pip install` would make pmkit
find it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from fakesite import FakeSite
from test_plugins import exporter_plugin, load, only

RunCli = Callable[..., Result]

EXITS_AT_IMPORT = '''
    """A plugin that calls sys.exit() while it is imported."""
    import sys
    sys.exit(3)
'''

PRINTS_AT_IMPORT = '''
    """A plugin that prints while it is imported and while its hook runs."""
    import pmkit
    print("hello from the plugin")

    @pmkit.hookimpl
    def register_exporters(register):
        print("registering")
'''


def exporter_source(body: str, *, name: str = "hostile") -> str:
    """A plugin with one text exporter whose methods are ``body`` (indented 8)."""
    return f'''
    """A misbehaving exporter."""
    import sys
    from pathlib import Path

    import pmkit

    class Hostile(pmkit.Exporter):
        """Misbehaves on purpose."""
        name = "{name}"
        title = "Hostile"
        suffix = ".txt"
{body}

    @pmkit.hookimpl
    def register_exporters(register):
        register(Hostile)
    '''


def test_sys_exit_at_import_is_that_plugins_failure(
    site: FakeSite, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.plugin("pmkit-quitter", EXITS_AT_IMPORT)
    site.plugin("pmkit-demo", exporter_plugin("demo"))
    monkeypatch.setenv("PMKIT_LOAD_PLUGINS", "pmkit-quitter,pmkit-demo")
    result = run_cli("formats")
    assert result.exit_code == 0, result.stderr
    assert "demo" in result.stdout and "json" in result.stdout
    assert "plugin 'quitter' (pmkit-quitter 1.0): failed to load (SystemExit(3)" in result.stderr


def test_output_of_plugins_never_reaches_stdout(
    site: FakeSite, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.plugin("pmkit-chatty", PRINTS_AT_IMPORT)
    monkeypatch.setenv("PMKIT_LOAD_PLUGINS", "pmkit-chatty")
    result = run_cli("plugins", "--json")
    assert result.exit_code == 0
    listed = json.loads(result.stdout)  # stdout is JSON and nothing else
    assert "chatty" in {p["name"] for p in listed}
    assert "hello from the plugin" in result.stderr and "registering" in result.stderr


def test_sys_exit_0_in_export_fails_the_run(
    site: FakeSite, run_cli: RunCli, bundled_content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.plugin(
        "pmkit-hostile",
        exporter_source("""
        def export(self, ctx, target):
            target.write_text("x")
            sys.exit(0)
"""),
    )
    monkeypatch.setenv("PMKIT_LOAD_PLUGINS", "pmkit-hostile")
    result = run_cli("export", "-f", "json", "-f", "hostile")
    assert result.exit_code == 1
    assert "format 'hostile' from plugin 'hostile' (pmkit-hostile 1.0) failed" in result.stderr
    assert "SystemExit(0)" in result.stderr
    assert not list(Path("exports").glob("*hostile*"))


def test_check_yielding_something_else_than_an_issue_names_the_plugin(
    site: FakeSite, run_cli: RunCli, bundled_content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.plugin(
        "pmkit-hostile",
        exporter_source("""
        def check(self, ctx):
            yield "a string, not an Issue"

        def export(self, ctx, target):
            target.write_text("x")
"""),
    )
    monkeypatch.setenv("PMKIT_LOAD_PLUGINS", "pmkit-hostile")
    result = run_cli("export", "-f", "hostile")
    assert result.exit_code == 1
    assert (
        "plugin 'hostile' (pmkit-hostile 1.0): check() yielded a str instead of a "
        "pmkit.Issue" in result.stderr
    )
    assert "internal error" not in result.stderr


@pytest.mark.parametrize("name", ["../../escaped.txt", "sub/dir.txt", "..", "", "a\0b"])
def test_filename_outside_the_output_folder_is_refused(
    site: FakeSite,
    run_cli: RunCli,
    bundled_content: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
) -> None:
    site.plugin(
        "pmkit-hostile",
        exporter_source(f"""
        def filename(self, ctx):
            return {name!r}

        def export(self, ctx, target):
            target.write_text("x")
"""),
    )
    monkeypatch.setenv("PMKIT_LOAD_PLUGINS", "pmkit-hostile")
    result = run_cli("export", "-f", "hostile", "--output", "out/deep")
    assert result.exit_code == 1
    assert "filename() returned" in result.stderr and "pmkit-hostile" in result.stderr
    assert not (tmp_path / "escaped.txt").exists() and not (tmp_path / "out").exists()


def test_an_export_that_writes_nothing_is_refused_and_keeps_the_previous_file(
    site: FakeSite, run_cli: RunCli, bundled_content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.plugin(
        "pmkit-hostile",
        exporter_source("""
        def export(self, ctx, target):
            pass
"""),
    )
    monkeypatch.setenv("PMKIT_LOAD_PLUGINS", "pmkit-hostile")
    previous = Path("exports") / "pm-career-paths-hostile.txt"
    previous.parent.mkdir()
    previous.write_text("the previous export\n")
    result = run_cli("export", "-f", "hostile")
    assert result.exit_code == 1
    assert (
        "format 'hostile' from plugin 'hostile' (pmkit-hostile 1.0) wrote nothing" in result.stderr
    )
    assert previous.read_text() == "the previous export\n"
    assert sorted(p.name for p in previous.parent.iterdir()) == [previous.name]


CRASHING_RULE = '''
    """A plugin whose validation rule crashes."""
    import pmkit

    @pmkit.hookimpl
    def register_validation_rules(register):
        def explode(course):
            raise ValueError("boom")
        register(explode)
'''


def test_strict_mode_makes_a_crashing_rule_an_error(
    site: FakeSite, run_cli: RunCli, bundled_content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.plugin("pmkit-rules", CRASHING_RULE)
    monkeypatch.setenv("PMKIT_LOAD_PLUGINS", "pmkit-rules")
    relaxed = run_cli("validate")
    assert relaxed.exit_code == 0
    assert "validation rule `explode` of plugin 'rules'" in relaxed.stderr
    monkeypatch.setenv("PMKIT_STRICT_PLUGINS", "1")
    strict = run_cli("validate")
    assert strict.exit_code == 1
    assert "validation rule `explode` crashed (ValueError: boom)" in strict.stderr
    assert "Traceback" not in strict.stderr


def test_two_plugins_with_one_name_are_one_line_naming_both(site: FakeSite) -> None:
    site.plugin("pmkit-first", exporter_plugin("first"), ep="same")
    site.plugin("pmkit-second", exporter_plugin("second"), ep="same")
    host, warnings = load(only("pmkit-first", "pmkit-second"))
    assert "first" in host.exporters and "second" not in host.exporters
    [warning] = warnings
    assert "\n" not in warning and "registered" not in warning.lower().replace(
        "registered plugin", ""
    )
    assert "pmkit-second 1.0" in warning and "pmkit-first 1.0" in warning
    assert "rename the entry point" in warning


def test_a_wrong_hook_signature_is_one_line(site: FakeSite) -> None:
    site.plugin(
        "pmkit-sig",
        '''
        """A hook with an argument pmkit does not pass."""
        import pmkit

        @pmkit.hookimpl
        def register_exporters(reg, extra):
            pass
    ''',
    )
    _, warnings = load(only("pmkit-sig"))
    [warning] = warnings
    assert "\n" not in warning
    assert "hook register_exporters(reg, extra) takes" in warning
    assert "write it as register_exporters(register)" in warning


def test_a_misspelt_hook_gets_a_did_you_mean(site: FakeSite) -> None:
    site.plugin(
        "pmkit-typo",
        '''
        """A hook name with a typo."""
        import pmkit

        @pmkit.hookimpl
        def register_exporter(register):
            pass
    ''',
    )
    _, warnings = load(only("pmkit-typo"))
    [warning] = warnings
    assert (
        "hook 'register_exporter' is not a pmkit hook; did you mean "
        "'register_exporters'?" in warning
    )


def test_traceback_flag_shows_the_plugins_traceback(
    site: FakeSite, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    from test_plugins import BROKEN_IMPORT

    site.plugin("pmkit-broken", BROKEN_IMPORT)
    monkeypatch.setenv("PMKIT_LOAD_PLUGINS", "pmkit-broken")
    plain = run_cli("plugins")
    assert "kaboom at import" in plain.stderr and "Traceback" not in plain.stderr
    traced = run_cli("--traceback", "plugins")
    assert "Traceback (most recent call last)" in traced.stderr
    assert 'raise RuntimeError("kaboom at import")' in traced.stderr


def test_a_format_two_plugins_claim_is_reported_as_disabled(
    site: FakeSite, run_cli: RunCli, bundled_content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.plugin("pmkit-one", exporter_plugin("dup"))
    site.plugin("pmkit-two", exporter_plugin("dup"))
    monkeypatch.setenv("PMKIT_LOAD_PLUGINS", "pmkit-one,pmkit-two")
    listed = {p["name"]: p for p in json.loads(run_cli("plugins", "--json").stdout)}
    assert listed["one"]["failed"] and listed["two"]["failed"]
    result = run_cli("export", "-f", "dup")
    assert result.exit_code == 1
    assert "format 'dup' is disabled: it is provided by both plugin 'one'" in result.stderr
    assert "unknown format" not in result.stderr


def test_trace_plugins_traces_the_hook_calls(
    site: FakeSite, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.plugin("pmkit-demo", exporter_plugin("demo"))
    monkeypatch.setenv("PMKIT_LOAD_PLUGINS", "pmkit-demo")
    monkeypatch.setenv("PMKIT_TRACE_PLUGINS", "1")
    result = run_cli("formats")
    assert result.exit_code == 0
    assert "register_exporters" in result.stderr
    assert "demo" in result.stdout


@pytest.mark.parametrize("spelling", ["JSON", "Json", "json"])
def test_format_names_are_case_insensitive(
    run_cli: RunCli, bundled_content: Path, spelling: str
) -> None:
    result = run_cli("export", "--format", spelling)
    assert result.exit_code == 0, result.stderr
    assert Path("exports/pm-career-paths.json").is_file()
