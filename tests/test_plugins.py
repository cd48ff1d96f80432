"""Plugin loading, isolation and reporting (docs/architecture.md; docs/decisions.md §21–23).

Third-party plugins are exercised through *real* entry points: each test writes
a fake installed distribution (package + ``*.dist-info`` with ``METADATA`` and
``entry_points.txt``) into a folder on ``sys.path``, so ``importlib.metadata``
finds it exactly as it would find a ``pip install``-ed plugin.
"""

from __future__ import annotations

import inspect
import json
import os
import re
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pluggy
import pytest
from click.testing import Result
from fakesite import FakeSite

import pmkit
import pmkit.pluginhost.host
from pmkit.content.load import load_course
from pmkit.errors import ContentError, PluginError
from pmkit.export.run import plan_exports, write_export
from pmkit.pluginhost import hookspecs
from pmkit.pluginhost.host import PluginHost, PluginInfo, load_plugins

RunCli = Callable[..., Result]

ISSUES_URL = "https://example.invalid/issues"


# --------------------------------------------------------------------------- helpers


def exporter_plugin(*formats: str, override: bool = False) -> str:
    """Source of a working plugin registering one text exporter per format name."""
    return f'''
        """A fake third-party plugin with text exporters {formats!r}."""
        import pmkit

        FORMATS = {formats!r}


        def _make(fmt):
            class TextExporter(pmkit.Exporter):
                name = fmt
                title = "Greeting for " + fmt
                kind = "text"
                suffix = ".txt"
                options = (pmkit.Option("greeting", "string", "hello", "the first word written"),)

                def export(self, ctx, target):
                    text = f"{{ctx.options['greeting']}} from {{fmt}}: {{ctx.course.id}}\\n"
                    target.write_text(text, encoding="utf-8")

            return TextExporter


        @pmkit.hookimpl
        def register_exporters(register):
            for fmt in FORMATS:
                register(_make(fmt), override={override!r})
        '''


BROKEN_IMPORT = '''
    """A plugin whose import fails, as when a dependency is missing."""
    import pmkit
    raise RuntimeError("kaboom at import")
'''

MISSING_DEPENDENCY = '''
    """A plugin needing a library that is not installed."""
    import pmkit_test_no_such_dependency  # noqa: F401
'''


def load(env: dict[str, str] | None = None) -> tuple[PluginHost, list[str]]:
    """``load_plugins`` with an explicit environment, collecting warnings."""
    warnings: list[str] = []
    host = load_plugins(environ=env or {}, warn=warnings.append)
    return host, warnings


def info(host: PluginHost, name: str) -> PluginInfo:
    """The plugin named ``name`` (its entry-point name)."""
    matches = [p for p in host.plugins if p.name == name]
    assert len(matches) == 1, [p.name for p in host.plugins]
    return matches[0]


def only(*dists: str) -> dict[str, str]:
    """An environment loading only these third-party distributions."""
    return {"PMKIT_LOAD_PLUGINS": ",".join(dists)}


def export_with(host: PluginHost, fmt: str, content: Path, out: Path) -> Path:
    """Export ``fmt`` through the library (validation with the host's rules)."""
    loaded = load_course(content, rules=host.rules)
    [plan] = plan_exports(host, loaded.course, content, [fmt], [], out, lambda m: None)
    return write_export(plan)


# --------------------------------------------------------------------------- built-ins


def test_builtins_load_without_problems() -> None:
    host, warnings = load(only())
    assert warnings == []
    assert host.problems == []
    assert not host.failed
    json_plugin = host.exporters["json"].plugin
    assert json_plugin.builtin
    assert json_plugin.distribution == "pmkit-courseware"
    assert json_plugin.version == pmkit.__version__
    assert json_plugin.errors == []
    assert all(p.builtin for p in host.plugins)


def test_builtins_load_without_entry_points() -> None:
    warnings: list[str] = []
    host = load_plugins(environ={}, entry_points=False, warn=warnings.append)
    assert warnings == []
    assert "json" in host.exporters
    assert all(p.builtin for p in host.plugins)


def test_plugins_json_lists_the_builtin_json_exporter(run_cli: RunCli) -> None:
    result = run_cli("plugins", "--json")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    [row] = [r for r in rows if "json" in r["exporters"]]
    assert row["builtin"] is True
    assert row["failed"] is False
    assert row["errors"] == []
    assert row["module"] == "pmkit_builtins.json_export"


def test_plugins_text_lists_builtins(run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PMKIT_LOAD_PLUGINS", "")
    result = run_cli("plugins")
    assert result.exit_code == 0
    assert "json_export" in result.stdout
    assert "built-in" in result.stdout
    assert "exporters: json" in result.stdout
    assert result.stderr == ""


# --------------------------------------------------------------------------- third parties


def test_third_party_exporter_is_listed_with_distribution_and_usable(
    site: FakeSite, bundled_content: Path, tmp_path: Path
) -> None:
    site.plugin("pmkit-demo", exporter_plugin("demo"), version="1.2.3", issues_url=ISSUES_URL)
    host, warnings = load()
    assert warnings == []
    demo = info(host, "demo")
    assert demo.distribution == "pmkit-demo"
    assert demo.version == "1.2.3"
    assert demo.issues_url == ISSUES_URL
    assert demo.builtin is False
    assert demo.exporters == ["demo"]
    assert host.exporters["demo"].plugin is demo
    # ... and the built-in is still there
    assert host.exporters["json"].plugin.builtin

    path = export_with(host, "demo", bundled_content, tmp_path / "out")
    course_id = load_course(bundled_content).course.id
    assert path == tmp_path / "out" / f"{course_id}-demo.txt"
    assert path.read_text(encoding="utf-8") == f"hello from demo: {course_id}\n"


def test_third_party_plugin_in_cli_listing_and_export(
    site: FakeSite,
    run_cli: RunCli,
    monkeypatch: pytest.MonkeyPatch,
    bundled_content: Path,
    tmp_path: Path,
) -> None:
    site.plugin("pmkit-demo", exporter_plugin("demo"), version="1.2.3")
    monkeypatch.setenv("PMKIT_LOAD_PLUGINS", "pmkit-demo")

    listing = run_cli("plugins", "--json")
    assert listing.exit_code == 0
    [row] = [r for r in json.loads(listing.stdout) if r["name"] == "demo"]
    assert row["distribution"] == "pmkit-demo"
    assert row["version"] == "1.2.3"
    assert row["builtin"] is False
    assert row["exporters"] == ["demo"]

    text = run_cli("plugins")
    assert "pmkit-demo 1.2.3" in text.stdout

    formats = run_cli("formats")
    assert "demo" in formats.stdout and "[demo]" in formats.stdout

    result = run_cli(
        "export", "--format", "demo", "-o", "greeting", "hi", "--content", str(bundled_content)
    )
    assert result.exit_code == 0, result.stderr
    [written] = (tmp_path / "exports").iterdir()
    assert written.read_text(encoding="utf-8").startswith("hi from demo: ")


@pytest.mark.parametrize(
    "source, detail",
    [
        (BROKEN_IMPORT, "kaboom at import"),
        (MISSING_DEPENDENCY, "pmkit_test_no_such_dependency"),
    ],
)
def test_plugin_whose_import_fails_is_reported_and_others_work(
    site: FakeSite, bundled_content: Path, tmp_path: Path, source: str, detail: str
) -> None:
    site.plugin("pmkit-broken", source, version="0.3", issues_url=ISSUES_URL)
    site.plugin("pmkit-demo", exporter_plugin("demo"))
    host, warnings = load(only("pmkit-broken", "pmkit-demo"))

    assert len(warnings) == 1, warnings
    [warning] = warnings
    assert "'broken'" in warning
    assert "pmkit-broken 0.3" in warning
    assert ISSUES_URL in warning
    assert detail in warning
    assert host.failed
    assert host.problems == warnings
    broken = info(host, "broken")
    assert broken.errors and broken.to_dict()["failed"] is True
    # The others keep working: the built-in and another third party.
    assert info(host, "demo").errors == []
    assert export_with(host, "json", bundled_content, tmp_path / "out").is_file()
    assert export_with(host, "demo", bundled_content, tmp_path / "out").is_file()


def test_strict_mode_turns_a_broken_plugin_into_an_error(site: FakeSite) -> None:
    site.plugin("pmkit-broken", BROKEN_IMPORT, version="0.3")
    with pytest.raises(PluginError, match=r"pmkit-broken 0\.3") as excinfo:
        load({"PMKIT_STRICT_PLUGINS": "1"})
    assert "PMKIT_STRICT_PLUGINS" in str(excinfo.value)
    assert "kaboom at import" in str(excinfo.value)


def test_strict_mode_off_with_zero(site: FakeSite) -> None:
    site.plugin("pmkit-broken", BROKEN_IMPORT)
    host, warnings = load({"PMKIT_STRICT_PLUGINS": "0"})
    assert host.failed and len(warnings) == 1


def test_strict_mode_is_quiet_when_nothing_fails(site: FakeSite) -> None:
    site.plugin("pmkit-demo", exporter_plugin("demo"))
    host, warnings = load({"PMKIT_STRICT_PLUGINS": "1"})
    assert warnings == [] and "demo" in host.exporters


def test_strict_mode_through_the_cli(
    site: FakeSite, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, bundled_content: Path
) -> None:
    site.plugin("pmkit-broken", BROKEN_IMPORT)
    monkeypatch.setenv("PMKIT_STRICT_PLUGINS", "1")
    result = run_cli("export", "--format", "json", "--content", str(bundled_content))
    assert result.exit_code == 1
    assert re.search(r"^Error: .*PMKIT_STRICT_PLUGINS", result.stderr, re.M)
    assert "pmkit-broken" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_misspelled_hook_is_reported_with_the_known_hooks(site: FakeSite) -> None:
    site.plugin(
        "pmkit-typo",
        '''
        """A plugin with a misspelled hook name."""
        import pmkit

        @pmkit.hookimpl
        def register_exporter(register):
            raise AssertionError("never called")
        ''',
        version="2.0",
    )
    site.plugin("pmkit-demo", exporter_plugin("demo"))
    host, warnings = load(only("pmkit-typo", "pmkit-demo"))

    [warning] = warnings
    assert "'typo'" in warning and "pmkit-typo 2.0" in warning
    assert "register_exporter" in warning
    for hook in hookspecs.HOOK_NAMES:
        assert hook in warning
    assert host.failed
    assert info(host, "typo").errors
    assert "demo" in host.exporters and "json" in host.exporters


def test_every_misspelled_hook_is_named(site: FakeSite) -> None:
    for dist, hook in (("pmkit-typo-a", "register_exporter"), ("pmkit-typo-b", "register_rules")):
        site.plugin(
            dist,
            f'''
            """Misspelled hook {hook}."""
            import pmkit

            @pmkit.hookimpl
            def {hook}(register):
                pass
            ''',
        )
    _, warnings = load(only("pmkit-typo-a", "pmkit-typo-b"))
    assert len(warnings) == 2
    assert any("register_exporter" in w and "pmkit-typo-a" in w for w in warnings)
    assert any("register_rules" in w and "pmkit-typo-b" in w for w in warnings)


def test_hook_that_raises_is_named(site: FakeSite) -> None:
    site.plugin(
        "pmkit-raiser",
        '''
        """A plugin whose hook crashes."""
        import pmkit

        @pmkit.hookimpl
        def register_exporters(register):
            raise ValueError("no exporters today")
        ''',
        version="0.9",
    )
    site.plugin("pmkit-demo", exporter_plugin("demo"))
    host, warnings = load(only("pmkit-raiser", "pmkit-demo"))

    [warning] = warnings
    assert "'raiser'" in warning and "pmkit-raiser 0.9" in warning
    assert "register_exporters" in warning
    assert "ValueError" in warning and "no exporters today" in warning
    assert host.failed
    assert "demo" in host.exporters and "json" in host.exporters


INVALID_EXPORTERS = {
    "not-a-subclass": (
        """
        class Bad:
            name = "bad"
        """,
        "not a subclass of pmkit.Exporter",
    ),
    "instance-not-class": (
        """
        class _Bad(pmkit.Exporter):
            name = "bad"
        Bad = _Bad()
        """,
        "not a subclass of pmkit.Exporter",
    ),
    "name-with-space": (
        """
        class Bad(pmkit.Exporter):
            name = "Bad Name"
        """,
        "must be an id",
    ),
    "name-missing": (
        """
        class Bad(pmkit.Exporter):
            pass
        """,
        "must be an id",
    ),
    "options-a-cerberus-schema": (
        """
        class Bad(pmkit.Exporter):
            name = "bad"
            options = {"level": {"type": "integer", "default": 1, "meta": {"help": "how much"}}}
        """,
        "must be a tuple of pmkit.Option values, not dict",
    ),
    "options-not-options": (
        """
        class Bad(pmkit.Exporter):
            name = "bad"
            options = ("level",)
        """,
        "must be a tuple of pmkit.Option values",
    ),
    "option-of-unknown-type": (
        """
        class Bad(pmkit.Exporter):
            name = "bad"
            options = (pmkit.Option("level", "int", 1, "how much"),)
        """,
        "type 'int' is not one of string, integer, number, boolean",
    ),
    "option-with-empty-help": (
        """
        class Bad(pmkit.Exporter):
            name = "bad"
            options = (pmkit.Option("level", "integer", 1, " "),)
        """,
        "option 'level' needs a help text",
    ),
    "option-default-not-allowed": (
        """
        class Bad(pmkit.Exporter):
            name = "bad"
            options = (pmkit.Option("style", "string", "bold", "how", allowed=["plain"]),)
        """,
        "default 'bold' is not allowed (allowed: plain)",
    ),
    "option-default-of-wrong-type": (
        """
        class Bad(pmkit.Exporter):
            name = "bad"
            options = (pmkit.Option("level", "integer", "1", "how much"),)
        """,
        "default '1' is not a integer",
    ),
    "option-default-out-of-bounds": (
        """
        class Bad(pmkit.Exporter):
            name = "bad"
            options = (pmkit.Option("level", "integer", 9, "how much", maximum=5),)
        """,
        "default 9 is above the maximum, 5",
    ),
    "option-declared-twice": (
        """
        class Bad(pmkit.Exporter):
            name = "bad"
            options = (pmkit.Option("level", "integer", 1, "how much"),
                       pmkit.Option("level", "integer", 2, "how much"))
        """,
        "declares 'level' more than once",
    ),
    "option-name-with-dot": (
        """
        class Bad(pmkit.Exporter):
            name = "bad"
            options = (pmkit.Option("a.b", "integer", 1, "how much"),)
        """,
        "option name 'a.b' must be lower-case letters",
    ),
    "option-pattern-broken": (
        """
        class Bad(pmkit.Exporter):
            name = "bad"
            options = (pmkit.Option("label", "string", "x", "text", pattern="("),)
        """,
        "pattern '(' does not compile",
    ),
}


@pytest.mark.parametrize("case", sorted(INVALID_EXPORTERS))
def test_invalid_exporter_class_is_reported(site: FakeSite, case: str) -> None:
    body, expected = INVALID_EXPORTERS[case]
    source = (
        '"""A plugin registering an invalid exporter."""\nimport pmkit\n'
        + textwrap.dedent(body)
        + "\n@pmkit.hookimpl\ndef register_exporters(register):\n    register(Bad)\n"
    )
    site.plugin("pmkit-invalid", source, version="0.1")
    site.plugin("pmkit-demo", exporter_plugin("demo"))
    host, warnings = load(only("pmkit-invalid", "pmkit-demo"))

    [warning] = warnings
    assert "'invalid'" in warning and "pmkit-invalid 0.1" in warning
    assert "invalid exporter" in warning
    assert expected in warning
    assert host.failed
    assert "bad" not in host.exporters
    assert info(host, "invalid").exporters == []
    assert "demo" in host.exporters and "json" in host.exporters


def test_same_format_from_two_third_parties_is_disabled(
    site: FakeSite, bundled_content: Path, tmp_path: Path
) -> None:
    site.plugin("pmkit-alpha", exporter_plugin("clash", "alpha-only"), version="1.0")
    site.plugin("pmkit-beta", exporter_plugin("clash", "beta-only"), version="2.0")
    host, warnings = load(only("pmkit-alpha", "pmkit-beta"))

    [warning] = warnings
    assert "'clash'" in warning
    assert "pmkit-alpha 1.0" in warning and "pmkit-beta 2.0" in warning
    assert host.failed
    assert "clash" not in host.exporters
    # Everything else from both keeps working.
    assert {"alpha-only", "beta-only", "json"} <= set(host.exporters)
    assert export_with(host, "alpha-only", bundled_content, tmp_path / "o").is_file()
    assert export_with(host, "beta-only", bundled_content, tmp_path / "o").is_file()


def test_disabled_format_is_not_listed_as_provided(site: FakeSite) -> None:
    """``pmkit plugins`` must not claim either plugin provides a disabled format."""
    site.plugin("pmkit-alpha", exporter_plugin("clash", "alpha-only"))
    site.plugin("pmkit-beta", exporter_plugin("clash", "beta-only"))
    host, _ = load(only("pmkit-alpha", "pmkit-beta"))
    assert info(host, "alpha").exporters == ["alpha-only"]
    assert info(host, "beta").exporters == ["beta-only"]


def test_a_third_claimer_of_a_disabled_format_is_also_refused(site: FakeSite) -> None:
    for dist in ("pmkit-alpha", "pmkit-beta", "pmkit-gamma"):
        site.plugin(dist, exporter_plugin("clash"))
    host, warnings = load(only("pmkit-alpha", "pmkit-beta", "pmkit-gamma"))
    assert "clash" not in host.exporters
    assert len(warnings) == 2
    assert "pmkit-gamma" in warnings[1] and "'clash'" in warnings[1]


def test_builtin_name_without_override_is_refused(site: FakeSite) -> None:
    site.plugin("pmkit-myjson", exporter_plugin("json"), version="3.1")
    host, warnings = load(only("pmkit-myjson"))

    [warning] = warnings
    assert "pmkit-myjson 3.1" in warning
    assert "'json'" in warning
    assert "override=True" in warning
    assert "built-in" in warning
    assert host.exporters["json"].plugin.builtin
    assert host.exporters["json"].plugin.overridden == []
    assert info(host, "myjson").exporters == []


def test_builtin_name_with_override_replaces_it(
    site: FakeSite, bundled_content: Path, tmp_path: Path
) -> None:
    site.plugin("pmkit-myjson", exporter_plugin("json", override=True))
    host, warnings = load(only("pmkit-myjson"))

    assert warnings == []
    assert not host.failed
    provider = host.exporters["json"].plugin
    assert provider.name == "myjson" and not provider.builtin
    assert info(host, "json_export").overridden == ["json"]
    assert info(host, "myjson").exporters == ["json"]
    path = export_with(host, "json", bundled_content, tmp_path / "out")
    assert path.read_text(encoding="utf-8").startswith("hello from json: ")


# --------------------------------------------------------------------------- PMKIT_LOAD_PLUGINS


@pytest.fixture
def two_dists(site: FakeSite) -> FakeSite:
    """``pmkit-demo`` (format ``demo``) and ``pmkit-other`` (format ``other``)."""
    site.plugin("pmkit-demo", exporter_plugin("demo"))
    site.plugin("pmkit-other", exporter_plugin("other"))
    return site


def third_party(host: PluginHost) -> set[str]:
    """Names of the loaded third-party plugins."""
    return {p.name for p in host.plugins if not p.builtin}


def test_load_plugins_unset_loads_all(two_dists: FakeSite) -> None:
    host, warnings = load({})
    assert warnings == []
    assert {"demo", "other"} <= third_party(host)
    assert {"demo", "other", "json"} <= set(host.exporters)


@pytest.mark.parametrize("value", ["", " ", ","])
def test_load_plugins_empty_loads_builtins_only(two_dists: FakeSite, value: str) -> None:
    host, warnings = load({"PMKIT_LOAD_PLUGINS": value})
    assert warnings == []
    assert third_party(host) == set()
    assert set(host.exporters) >= {"json"}
    assert "demo" not in host.exporters and "other" not in host.exporters


@pytest.mark.parametrize("value", ["pmkit-demo", "pmkit_demo", "PMKIT-Demo", " pmkit.demo "])
def test_load_plugins_list_selects_distributions(two_dists: FakeSite, value: str) -> None:
    host, warnings = load({"PMKIT_LOAD_PLUGINS": value})
    assert warnings == []
    assert third_party(host) == {"demo"}
    assert "demo" in host.exporters and "other" not in host.exporters
    assert "json" in host.exporters


def test_load_plugins_warns_about_a_name_no_distribution_has(two_dists: FakeSite) -> None:
    host, warnings = load({"PMKIT_LOAD_PLUGINS": "pmkit-demo,pmkit-deom"})
    assert third_party(host) == {"demo"}
    assert len(warnings) == 1
    assert "PMKIT_LOAD_PLUGINS names 'pmkit-deom'" in warnings[0]
    assert "did you mean 'pmkit-demo'?" in warnings[0]


def test_load_plugins_matches_underscored_metadata_name(site: FakeSite) -> None:
    site.plugin("pmkit_under", exporter_plugin("under"), ep="under")
    host, _ = load({"PMKIT_LOAD_PLUGINS": "pmkit-under"})
    assert third_party(host) == {"under"}


def test_load_plugins_list_of_two(two_dists: FakeSite) -> None:
    host, _ = load({"PMKIT_LOAD_PLUGINS": "pmkit-other, pmkit-demo"})
    assert third_party(host) == {"demo", "other"}


def test_load_plugins_read_through_cli_environment(
    two_dists: FakeSite, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PMKIT_LOAD_PLUGINS", "pmkit_other")
    rows = json.loads(run_cli("plugins", "--json").stdout)
    names = {r["name"] for r in rows if not r["builtin"]}
    assert names == {"other"}


# --------------------------------------------------------------------------- validation rules


RULE_PLUGIN = '''
    """A plugin with a content rule."""
    import pmkit

    def title_is_short(course):
        src = course.source
        yield pmkit.Issue(src.file, src.line, src.column,
                          f"the title {course.title!r} is long", "{severity}", "demo-title")

    @pmkit.hookimpl
    def register_validation_rules(register):
        register(title_is_short, name="demo-title")
'''


def test_plugin_rule_issues_are_reported_by_load_course(
    site: FakeSite, bundled_content: Path
) -> None:
    site.plugin("pmkit-rules", RULE_PLUGIN.replace("{severity}", "warning"))
    host, warnings = load(only("pmkit-rules"))
    assert warnings == []
    assert info(host, "rules").rules == ["demo-title"]
    assert [r.name for r in host.rules] == ["demo-title"]
    loaded = load_course(bundled_content, rules=host.rules)
    hits = [i for i in loaded.warnings if i.code == "demo-title"]
    assert len(hits) == 1
    assert hits[0].severity == "warning"
    assert "is long" in hits[0].message
    assert hits[0].file.endswith("course.yaml")


def test_plugin_rule_error_makes_content_invalid(site: FakeSite, bundled_content: Path) -> None:
    site.plugin("pmkit-rules", RULE_PLUGIN.replace("{severity}", "error"))
    host, _ = load(only("pmkit-rules"))
    with pytest.raises(ContentError) as excinfo:
        load_course(bundled_content, rules=host.rules)
    assert [i.code for i in excinfo.value.issues] == ["demo-title"]


def test_plugin_rule_through_validate_command(
    site: FakeSite, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, bundled_content: Path
) -> None:
    site.plugin("pmkit-rules", RULE_PLUGIN.replace("{severity}", "error"))
    monkeypatch.setenv("PMKIT_LOAD_PLUGINS", "pmkit-rules")
    result = run_cli("validate", "--content", str(bundled_content))
    assert result.exit_code == 1
    assert ": error: the title" in result.stderr
    assert result.stdout == ""


CRASHING_RULE_PLUGIN = '''
    """A plugin whose rule crashes."""
    import pmkit

    def explode(course):
        raise ZeroDivisionError("rule bug")

    @pmkit.hookimpl
    def register_validation_rules(register):
        register(explode)
'''


def test_crashing_rule_warns_naming_the_plugin_and_loading_continues(
    site: FakeSite, bundled_content: Path
) -> None:
    site.plugin("pmkit-crashy", CRASHING_RULE_PLUGIN, version="4.5")
    site.plugin("pmkit-rules", RULE_PLUGIN.replace("{severity}", "warning"))
    host, _ = load(only("pmkit-crashy", "pmkit-rules"))
    assert info(host, "crashy").rules == ["explode"]

    loaded = load_course(bundled_content, rules=host.rules)
    crashes = [i for i in loaded.warnings if "explode" in i.message]
    assert len(crashes) == 1
    crash = crashes[0]
    assert crash.severity == "warning"
    assert "pmkit-crashy 4.5" in crash.message
    assert "ZeroDivisionError" in crash.message and "rule bug" in crash.message
    # The other plugin's rule still ran.
    assert any(i.code == "demo-title" for i in loaded.warnings)


def test_crashing_rule_does_not_break_validate_command(
    site: FakeSite, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, bundled_content: Path
) -> None:
    site.plugin("pmkit-crashy", CRASHING_RULE_PLUGIN)
    monkeypatch.setenv("PMKIT_LOAD_PLUGINS", "pmkit-crashy")
    result = run_cli("validate", "--content", str(bundled_content))
    assert result.exit_code == 0
    assert "valid" in result.stdout
    assert "pmkit-crashy" in result.stderr and ": warning: " in result.stderr


def test_rule_yielding_a_non_issue_is_reported_not_fatal(
    site: FakeSite, bundled_content: Path
) -> None:
    """A rule's wrong return type is that plugin's bug: named, never a crash of pmkit."""
    site.plugin(
        "pmkit-sloppy",
        '''
        """A plugin whose rule yields strings instead of Issues."""
        import pmkit

        def sloppy(course):
            yield "the title is long"

        @pmkit.hookimpl
        def register_validation_rules(register):
            register(sloppy)
        ''',
    )
    host, _ = load(only("pmkit-sloppy"))
    loaded = load_course(bundled_content, rules=host.rules)
    assert any("pmkit-sloppy" in i.message for i in loaded.warnings)


def test_non_callable_rule_is_reported(site: FakeSite) -> None:
    site.plugin(
        "pmkit-notcallable",
        '''
        """A plugin registering something that is not a function as a rule."""
        import pmkit

        @pmkit.hookimpl
        def register_validation_rules(register):
            register("not a function")
        ''',
    )
    host, warnings = load(only("pmkit-notcallable"))
    [warning] = warnings
    assert "pmkit-notcallable" in warning and "not callable" in warning
    assert host.rules == []


# --------------------------------------------------------------------------- CLI


def test_plugins_check_exits_1_when_a_plugin_failed(
    site: FakeSite, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.plugin("pmkit-broken", BROKEN_IMPORT, version="0.3")
    monkeypatch.setenv("PMKIT_LOAD_PLUGINS", "pmkit-broken")
    result = run_cli("plugins", "--check")
    assert result.exit_code == 1
    assert "FAILED" in result.stdout
    assert "pmkit-broken 0.3" in result.stderr

    as_json = run_cli("plugins", "--check", "--json")
    assert as_json.exit_code == 1
    [row] = [r for r in json.loads(as_json.stdout) if r["name"] == "broken"]
    assert row["failed"] is True and row["errors"]


def test_plugins_check_exits_0_when_all_is_well(
    site: FakeSite, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.plugin("pmkit-demo", exporter_plugin("demo"))
    monkeypatch.setenv("PMKIT_LOAD_PLUGINS", "pmkit-demo")
    result = run_cli("plugins", "--check")
    assert result.exit_code == 0
    assert "FAILED" not in result.stdout
    assert result.stderr == ""


def test_plugins_without_check_exits_0_even_if_a_plugin_failed(
    site: FakeSite, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.plugin("pmkit-broken", BROKEN_IMPORT)
    monkeypatch.setenv("PMKIT_LOAD_PLUGINS", "pmkit-broken")
    assert run_cli("plugins").exit_code == 0


def test_broken_plugin_does_not_stop_json_export(
    site: FakeSite,
    run_cli: RunCli,
    monkeypatch: pytest.MonkeyPatch,
    bundled_content: Path,
    tmp_path: Path,
) -> None:
    site.plugin("pmkit-broken", BROKEN_IMPORT, version="0.3", issues_url=ISSUES_URL)
    monkeypatch.setenv("PMKIT_LOAD_PLUGINS", "pmkit-broken")
    result = run_cli("export", "--format", "json", "--content", str(bundled_content))
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith("Warning: ")
    assert "'broken'" in result.stderr and "pmkit-broken 0.3" in result.stderr
    assert ISSUES_URL in result.stderr
    assert "Traceback" not in result.stderr
    course_id = load_course(bundled_content).course.id
    assert (tmp_path / "exports" / f"{course_id}.json").is_file()
    assert f"{course_id}.json" in result.stdout


# --------------------------------------------------------------------------- hygiene


def _hookspec_functions() -> dict[str, object]:
    marker = f"{pmkit.pluginhost.hookspecs.PROJECT}_spec"
    return {
        name: fn
        for name, fn in vars(hookspecs).items()
        if inspect.isfunction(fn) and hasattr(fn, marker)
    }


def test_every_hookspec_has_a_docstring() -> None:
    specs = _hookspec_functions()
    assert set(specs) == set(hookspecs.HOOK_NAMES)
    for name, fn in specs.items():
        doc = inspect.getdoc(fn) or ""
        assert len(doc) > 40, f"hookspec {name} needs a docstring"
        assert "register(" in doc, f"hookspec {name} should show how to call register"


def test_hookspecs_match_the_plugin_manager() -> None:
    host = load_plugins(environ={}, entry_points=False, warn=lambda m: None)
    hooks = {name for name in vars(host.pm.hook) if not name.startswith("_")}
    assert hooks == set(hookspecs.HOOK_NAMES)


HELP_SCRIPT = """
import json, sys
from pmkit.cli import cli

def run(args):
    try:
        cli.main(args, prog_name="pmkit", standalone_mode=False)
    except SystemExit:
        pass

def watched():
    return {m: m in sys.modules for m in ("pmkit_builtins", "pmkit_builtins.json_export",
                                          "lxml", "pmkit_demo")}

run(["--help"])
run(["--version"])
for name in ("export", "plugins", "formats", "validate", "schema"):
    run([name, "--help"])
before = watched()
run(["plugins", "--json"])
after = watched()
print(json.dumps({"before": before, "after": after}))
"""


def test_help_and_version_import_no_plugin(site: FakeSite) -> None:
    site.plugin("pmkit-demo", exporter_plugin("demo"))
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(site.root), env.get("PYTHONPATH", "")]))
    for var in ("PMKIT_LOAD_PLUGINS", "PMKIT_STRICT_PLUGINS"):
        env.pop(var, None)
    proc = subprocess.run(
        [sys.executable, "-c", HELP_SCRIPT], env=env, capture_output=True, text=True, check=True
    )
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["before"] == {
        "pmkit_builtins": False,
        "pmkit_builtins.json_export": False,
        "lxml": False,
        "pmkit_demo": False,
    }
    # The check would notice: running a command that loads plugins imports them.
    assert result["after"]["pmkit_builtins.json_export"] is True
    assert result["after"]["pmkit_demo"] is True


def test_plugin_manager_is_not_a_module_global() -> None:
    first = load_plugins(environ={}, entry_points=False, warn=lambda m: None)
    second = load_plugins(environ={}, entry_points=False, warn=lambda m: None)
    assert first.pm is not second.pm
    assert first.exporters is not second.exporters
    assert first.exporters.keys() == second.exporters.keys()
    for module in (pmkit.pluginhost.host, hookspecs, pmkit):
        globals_ = [
            v for v in vars(module).values() if isinstance(v, (pluggy.PluginManager, PluginHost))
        ]
        assert globals_ == [], module.__name__


def test_environment_is_read_when_plugins_are_loaded(
    two_dists: FakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PMKIT_LOAD_PLUGINS", "pmkit-demo")
    assert third_party(load_plugins(warn=lambda m: None)) == {"demo"}
    monkeypatch.setenv("PMKIT_LOAD_PLUGINS", "pmkit-other")
    assert third_party(load_plugins(warn=lambda m: None)) == {"other"}


def test_extra_plugins_are_registered_and_named() -> None:
    """``extra=`` plugins (tests, embedding) go through the same checks."""
    import types

    class Odd(pmkit.Exporter):
        name = "odd"
        title = "Odd"

    plugin = types.ModuleType("odd_plugin")

    @pmkit.hookimpl
    def register_exporters(register: Callable[..., None]) -> None:
        register(Odd)

    plugin.register_exporters = register_exporters  # type: ignore[attr-defined]
    warnings: list[str] = []
    host = load_plugins(
        environ={}, entry_points=False, extra=[("odd-plugin", plugin)], warn=warnings.append
    )
    assert warnings == []
    assert host.exporters["odd"].plugin.name == "odd-plugin"
    assert host.exporter("odd") is Odd


def test_default_warning_goes_to_stderr(site: FakeSite, capsys: pytest.CaptureFixture[str]) -> None:
    site.plugin("pmkit-broken", BROKEN_IMPORT)
    load_plugins(environ=only("pmkit-broken"))
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("Warning: ") and "pmkit-broken" in captured.err


def test_plugins_lists_the_distribution_of_every_plugin(run_cli: Callable[..., Any]) -> None:
    """Built-ins name pmkit's own distribution (not the unrelated `pmkit` on PyPI)."""
    result = run_cli("plugins")
    assert result.exit_code == 0, result.stderr
    assert "json_export  (built-in, pmkit-courseware " in result.stdout
    listed = json.loads(run_cli("plugins", "--json").stdout)
    assert {p["distribution"] for p in listed if p["builtin"]} == {"pmkit-courseware"}
