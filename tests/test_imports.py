"""Start-up stays light: importing pmkit or asking for help loads nothing heavy."""

from __future__ import annotations

import subprocess
import sys


def _modules_after(code: str) -> set[str]:
    script = code + "\nimport sys\nprint('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True).stdout
    return set(out.split())


def test_import_pmkit_does_not_import_lxml_or_plugins() -> None:
    modules = _modules_after("import pmkit")
    assert "lxml" not in modules
    assert "cerberus" not in modules
    assert not any(m.startswith("pmkit_builtins") for m in modules)


def test_help_and_version_load_no_plugin() -> None:
    for flag in ("--help", "--version"):
        modules = _modules_after(
            "from pmkit.cli import cli\n"
            f"cli.main(['{flag}'], prog_name='pmkit', standalone_mode=False)"
        )
        assert not any(m.startswith("pmkit_builtins") for m in modules), flag
        assert "lxml" not in modules and "pluggy" not in modules, flag


def test_public_api_names_resolve() -> None:
    import pmkit

    for name in pmkit.__all__:
        assert getattr(pmkit, name) is not None
