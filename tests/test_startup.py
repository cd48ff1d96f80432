"""Start-up stays cheap without losing behaviour (the timings themselves are in
benchmarks/run.py, never in a test): ``--help`` lists the commands from a static
table that must match the commands, built-in exporters registered by import path
are imported only when used (and a wrong one is still reported), entry points
are found without importlib.metadata exactly as importlib.metadata finds them,
and a warm ``validate`` imports no exporter, lxml or cerberus."""

from __future__ import annotations

import importlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest

from pmkit.cli.app import COMMANDS, SUMMARIES, cli
from pmkit.errors import PluginError
from pmkit.pluginhost import entrypoints
from pmkit.pluginhost.host import DEFAULT_PLUGINS, load_plugins
from tests.fakesite import FakeSite

BUNDLED = Path(__file__).resolve().parent.parent / "content"


def _help(group_format: object, width: int) -> str:
    ctx = click.Context(cli, info_name="pmkit", terminal_width=width, max_content_width=width)
    formatter = ctx.make_formatter()
    group_format(ctx, formatter)  # type: ignore[operator]
    return formatter.getvalue()


def test_help_summaries_are_the_commands_own() -> None:
    assert list(SUMMARIES) == list(COMMANDS)
    for name, module in COMMANDS.items():
        command = importlib.import_module(module).command
        stand_in = click.Command(name, help=SUMMARIES[name])
        for limit in (12, 30, 45, 61, 80, 200):
            assert command.get_short_help_str(limit) == stand_in.get_short_help_str(limit), name


@pytest.mark.parametrize("width", [40, 80, 120])
def test_help_lists_the_commands_as_click_would(width: int) -> None:
    """Our command list equals click's own, which imports every command."""
    ours = _help(cli.format_commands, width)
    clicks = _help(lambda ctx, f: click.Group.format_commands(cli, ctx, f), width)
    assert ours == clicks
    assert "validate" in ours and "Check the course" in ours


def _modules_after(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> list[str]:
    """The modules imported by ``pmkit ARGS`` run in a fresh interpreter in ``cwd``."""
    script = (
        "import json, sys\nfrom pmkit.cli import cli\n"
        "try:\n    cli.main(sys.argv[1:], prog_name='pmkit')\nexcept SystemExit:\n    pass\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return list(json.loads(proc.stdout.strip().splitlines()[-1]))


def test_help_imports_no_command_module(tmp_path: Path) -> None:
    loaded = _modules_after(["--help"], tmp_path)
    assert [m for m in loaded if m.startswith("pmkit.cli.") and m != "pmkit.cli.app"] == []
    assert "pmkit.pluginhost.host" not in loaded


def test_warm_validate_imports_no_exporter_lxml_or_cerberus(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(BUNDLED, content)
    env = {k: v for k, v in os.environ.items() if k not in ("PMKIT_NO_CACHE", "PMKIT_LOAD_PLUGINS")}
    cold = _modules_after(["validate"], tmp_path, env)
    assert "cerberus" in cold  # the check below would notice a cache miss
    warm = _modules_after(["validate"], tmp_path, env)
    heavy = {"lxml", "cerberus", "yaml", "importlib.metadata", "email"}
    assert heavy.isdisjoint(warm)
    exporters = [
        "pmkit_builtins.moodle.xml_export",
        "pmkit_builtins.moodle.gift_export",
        "pmkit_builtins.handout.html",
        "pmkit_builtins.handout.markdown",
        "pmkit_builtins.handout.pdf",
        "pmkit_builtins.qti.canvas",
        "pmkit_builtins.cc.cartridge",
    ]
    assert [m for m in exporters if m in warm] == []


# ------------------------------------------------------------ registered by import path


def test_builtin_exporters_by_path_resolve_to_their_classes() -> None:
    warnings: list[str] = []
    host = load_plugins(environ={}, entry_points=False, warn=warnings.append)
    assert warnings == []
    for name, provided in host.exporters.items():
        assert provided.obj.name == name
        assert provided.plugin.module in DEFAULT_PLUGINS


LAZY_PLUGIN = '''
    """A plugin registering its exporters by import path."""
    import pmkit

    @pmkit.hookimpl
    def register_exporters(register):
        register("pmkit_lazy_impl:Good", name="good")
        register("pmkit_lazy_impl:Good", name="misnamed")
        register("pmkit_lazy_impl:BadOptions", name="bad-options")
        register("pmkit_lazy_missing:Thing", name="missing")
        register("pmkit_lazy_impl:Good")
        register("no colon here", name="nocolon")
'''

LAZY_IMPL = '''
    """The exporters, imported only when used."""
    import pmkit

    class Good(pmkit.Exporter):
        name = "good"
        title = "A good exporter"
        kind = "text"
        suffix = ".txt"

        def filename(self, ctx):
            return "good.txt"

        def export(self, ctx, target):
            target.write_text("good\\n", encoding="utf-8")

    class BadOptions(Good):
        name = "bad-options"
        options = (pmkit.Option("level", "integer", 9, "how much", maximum=5),)
'''


def test_exporter_registered_by_path_is_imported_when_used(site: FakeSite) -> None:
    site.install(
        "pmkit-lazy",
        {"pmkit_lazy": LAZY_PLUGIN, "pmkit_lazy_impl": LAZY_IMPL},
        {"lazy": "pmkit_lazy"},
    )
    warnings: list[str] = []
    host = load_plugins(environ={"PMKIT_LOAD_PLUGINS": "pmkit-lazy"}, warn=warnings.append)
    # Refused at once: what can be told without importing.
    assert len(warnings) == 2
    assert "needs name='format-name', not None" in warnings[0]
    assert "'no colon here' is neither a class nor an import path" in warnings[1]
    assert {"good", "misnamed", "bad-options", "missing"} <= set(host.exporters)
    assert "pmkit_lazy_impl" not in sys.modules

    assert host.exporter("good").__name__ == "Good"
    assert "pmkit_lazy_impl" in sys.modules
    with pytest.raises(PluginError, match=r"plugin 'lazy' \(pmkit-lazy 1.0\).*Good.name is 'good'"):
        host.exporter("misnamed")
    with pytest.raises(PluginError, match="default 9 is above the maximum, 5"):
        host.exporter("bad-options")
    with pytest.raises(PluginError, match="pmkit_lazy_missing:Thing' cannot be imported"):
        host.exporter("missing")


def test_formats_reports_an_invalid_exporter_registered_by_path(
    site: FakeSite, run_cli: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.install(
        "pmkit-lazy",
        {"pmkit_lazy": LAZY_PLUGIN, "pmkit_lazy_impl": LAZY_IMPL},
        {"lazy": "pmkit_lazy"},
    )
    monkeypatch.setenv("PMKIT_LOAD_PLUGINS", "pmkit-lazy")
    result = run_cli("formats")  # type: ignore[operator]
    assert result.exit_code == 1
    assert "registered an invalid exporter" in result.stderr
    assert "plugin 'lazy'" in result.stderr


# ------------------------------------------------------------------------ entry points


def test_entry_points_are_found_as_importlib_metadata_finds_them(
    site: FakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.plugin("pmkit-alpha", "import pmkit\n", version="1.2", issues_url="https://x.test/i")
    site.plugin("pmkit_beta.two", "import pmkit\n", ep="b")
    site.install("pmkit-gamma", {}, {"g1": "pmkit_gamma:plugin", "g2": "pmkit_gamma.sub [extra]"})
    # A second copy of alpha further down the path is shadowed, as Python shadows it.
    later = tmp_path / "later"
    later.mkdir()
    FakeSite(later).plugin("pmkit-alpha", "import pmkit\n", version="9.9")
    monkeypatch.setattr(sys, "path", [*sys.path, str(later)])
    # A distribution with other entry points only, and a folder that is no distribution.
    info = site.root / "other-1.0.dist-info"
    info.mkdir()
    (info / "entry_points.txt").write_text("[console_scripts]\nx = y:z\n", encoding="utf-8")
    (site.root / "notes.dist-info.txt").write_text("", encoding="utf-8")

    fast = entrypoints.discover("pmkit")
    assert fast is not None
    assert sorted(fast, key=repr) == sorted(entrypoints.discover_with_metadata("pmkit"), key=repr)
    alpha = [e for e in fast if e.name == "alpha"]
    assert [(e.version, e.issues_url) for e in alpha] == [("1.2", "https://x.test/i")]


def test_entry_points_on_a_zip_path_are_left_to_importlib_metadata(tmp_path: Path) -> None:
    archive = tmp_path / "plugins.zip"
    archive.write_bytes(b"PK\x05\x06" + b"\0" * 18)
    assert entrypoints.discover("pmkit", [str(archive)]) is None
    assert entrypoints.discover("pmkit", [str(tmp_path / "absent")]) == []


def test_entry_point_load_follows_attributes(site: FakeSite) -> None:
    site.install("pmkit-deep", {"pmkit_deep": "class A:\n    class B:\n        c = 42\n"}, {})
    found = entrypoints.FoundEntryPoint("d", "pmkit_deep:A.B.c", "pmkit-deep", "1", None)
    assert found.load() == 42
    assert entrypoints.FoundEntryPoint("d", "pmkit_deep", None, None, None).load().A.B.c == 42


def test_plugins_check_imports_exporters_registered_by_path(
    site: FakeSite, run_cli: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.install(
        "pmkit-lazy",
        {"pmkit_lazy": LAZY_PLUGIN, "pmkit_lazy_impl": LAZY_IMPL},
        {"lazy": "pmkit_lazy"},
    )
    monkeypatch.setenv("PMKIT_LOAD_PLUGINS", "pmkit-lazy")
    result = run_cli("plugins", "--check")  # type: ignore[operator]
    assert result.exit_code == 1
    line = next(x for x in result.stdout.splitlines() if x.startswith("lazy "))
    assert "FAILED" in line and "exporters: good" in line
    assert "misnamed" not in line and "bad-options" not in line and "missing" not in line
    assert "default 9 is above the maximum, 5" in result.stderr
    builtins = run_cli("plugins", "--check", "--json")  # type: ignore[operator]
    listed = {p["name"]: p for p in json.loads(builtins.stdout)}
    assert listed["moodle"]["exporters"] == ["moodle", "gift"] and not listed["moodle"]["failed"]
