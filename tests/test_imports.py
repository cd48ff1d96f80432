"""Start-up stays light: importing pmkit or asking for help loads nothing heavy."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def _modules_after(code: str) -> set[str]:
    script = code + "\nimport sys\nprint('\\n'.join(sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
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


def test_the_lazy_table_matches_the_type_checking_imports() -> None:
    """Every public name resolves to the object its TYPE_CHECKING import names, so
    what type checkers see is what programs get."""
    import ast
    import importlib

    import pmkit

    tree = ast.parse(Path(pmkit.__file__).read_text(encoding="utf-8"))
    declared = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            for stmt in node.body:
                assert isinstance(stmt, ast.ImportFrom) and stmt.module, ast.dump(stmt)
                for alias in stmt.names:
                    assert alias.asname == alias.name, "re-export as the same name"
                    declared[alias.name] = stmt.module
    assert declared == pmkit._LAZY
    assert set(pmkit.__all__) == {"__version__", *declared}
    for name, module in declared.items():
        assert getattr(pmkit, name) is getattr(importlib.import_module(module), name), name
    assert sorted(dir(pmkit)) == sorted(pmkit.__all__)


def test_an_unknown_name_is_an_attribute_error() -> None:
    import pytest

    import pmkit

    with pytest.raises(AttributeError, match="no attribute 'Exporterr'"):
        pmkit.Exporterr  # noqa: B018
