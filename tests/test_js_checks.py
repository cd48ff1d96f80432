"""The scripts the SCORM package ships pass eslint (ES5) and ``tsc --checkJs``.

Every shipped script: the app's pieces and the LMS runtimes
(``plugins/pmkit_builtins/scorm/app/``) and the scorers' browser twins
(``plugins/pmkit_builtins/scoring/js/pmkit-scoring.js``). The tools come from
``npm ci`` (package.json); their settings are ``eslint.config.mjs`` and
``tsconfig.json``, with the shared globals in ``globals.d.ts``, all at the
repository root (docs/scorm-package.md).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from browserkit import REPO_ROOT

from pmkit_builtins.scorm import APP_SCRIPTS, RUNTIMES, app_script

APP_DIR = REPO_ROOT / "plugins" / "pmkit_builtins" / "scorm" / "app"
TWINS = REPO_ROOT / "plugins" / "pmkit_builtins" / "scoring" / "js" / "pmkit-scoring.js"
TOOL_TIMEOUT = 180  # seconds; tsc takes about ten on two cores


def npm_tool(name: str) -> Path:
    """``node_modules/.bin/<name>``, or a test failure saying to run ``npm ci``."""
    tool = REPO_ROOT / "node_modules" / ".bin" / name
    if not tool.exists():
        pytest.fail(
            f"{tool} is missing: run `npm ci` in {REPO_ROOT} (package.json lists "
            f"{name} as a devDependency)",
            pytrace=False,
        )
    if shutil.which("node") is None:
        pytest.fail(
            "`node` (Node.js 20+) is not on PATH: eslint and tsc run under Node", pytrace=False
        )
    return tool


def run(*args: str | Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=REPO_ROOT,
        timeout=TOOL_TIMEOUT,
        check=False,
    )


def shipped_scripts() -> set[Path]:
    return set(APP_DIR.glob("*.js")) | {TWINS}


def test_eslint_passes_on_every_shipped_script() -> None:
    result = run(npm_tool("eslint"), "--max-warnings", "0", *sorted(shipped_scripts()))
    assert result.returncode == 0, result.stdout + result.stderr


def test_eslint_holds_the_scripts_to_es5() -> None:
    """The profile is really ES5: a `let` in a shipped script is an error."""
    piece = APP_DIR / "app-probe.js"  # not on disk: eslint lints stdin under this name
    result = run(
        npm_tool("eslint"),
        "--stdin",
        "--stdin-filename",
        piece,
        stdin='(function () {\n  "use strict";\n  let x = 1;\n  return x;\n}());\n',
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Parsing error" in result.stdout


@pytest.mark.parametrize("config", ["tsconfig.json", "tsconfig.app.json"])
def test_tsc_check_js_has_no_errors(config: str) -> None:
    result = run(npm_tool("tsc"), "-p", config)
    assert result.returncode == 0, result.stdout + result.stderr


def checked_by(config: str) -> set[Path]:
    data = json.loads((REPO_ROOT / config).read_text(encoding="utf-8"))
    return {(REPO_ROOT / name).resolve() for name in data["files"]}


def test_tsc_checks_every_shipped_script() -> None:
    """A new piece cannot slip past tsc: tsconfig.json names every shipped script, and
    tsconfig.app.json (no implicit any) every piece of app.js."""
    globals_d_ts = REPO_ROOT / "globals.d.ts"
    assert shipped_scripts() | {globals_d_ts} <= checked_by("tsconfig.json")
    assert {APP_DIR / name for name in APP_SCRIPTS} | {globals_d_ts} <= checked_by(
        "tsconfig.app.json"
    )


def test_every_app_piece_is_shipped_once() -> None:
    """Each .js in app/ is a runtime or a piece of app.js, named once in APP_SCRIPTS."""
    assert len(set(APP_SCRIPTS)) == len(APP_SCRIPTS)
    on_disk = {p.name for p in APP_DIR.glob("*.js")}
    runtimes = {"runtime-common.js", *RUNTIMES.values()}
    assert on_disk - runtimes == set(APP_SCRIPTS)


def test_app_js_is_the_pieces_in_order_in_one_function(tmp_path: Path) -> None:
    built = app_script()
    assert built == app_script()  # deterministic
    text = built.decode("utf-8")
    assert text.count("(function () {\n") >= 1 and text.endswith("}());\n")
    positions = [text.index(f"/* ---- {name} ---- */") for name in APP_SCRIPTS]
    assert positions == sorted(positions)
    for name in APP_SCRIPTS:
        assert (APP_DIR / name).read_text(encoding="utf-8") in text
    # The wrapper keeps it one valid script.
    target = tmp_path / "app.js"
    target.write_bytes(built)
    node = shutil.which("node")
    if node is None:
        pytest.fail("`node` (Node.js 20+) is not on PATH", pytrace=False)
    result = run(node, "--check", target)
    assert result.returncode == 0, result.stderr
