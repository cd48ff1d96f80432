"""The code base stays ruff-clean (the same check the before-stop hook runs)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Modules of the documented plugin API besides the `pmkit` package itself.
PUBLIC_MODULES = {"pmkit.model", "pmkit.model.course", "pmkit.scoring", "pmkit.testing"}


def test_ruff_clean() -> None:
    ruff = shutil.which("ruff")
    cmd = [ruff] if ruff else [sys.executable, "-m", "ruff"]
    result = subprocess.run([*cmd, "check", "--no-cache", str(ROOT)], capture_output=True,
                            text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_builtin_plugins_use_only_the_public_api() -> None:
    """A built-in plugin is written exactly as a third party would write one."""
    import re

    for path in (ROOT / "plugins").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        imported = re.findall(r"^\s*(?:from|import)\s+(pmkit\.[\w.]+)", text, re.M)
        internal = [name for name in imported if name not in PUBLIC_MODULES]
        assert internal == [], f"{path} imports pmkit internals {internal}; use the public API"


def test_the_core_never_imports_a_builtin_plugin() -> None:
    import re

    for path in (ROOT / "pmkit").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(?:from|import)\s+pmkit_builtins", text, re.M), path
