"""The built wheel carries every file the package needs at run time.

pmkit reads its assets (the learner app, scripts, the sample course, templates,
the Moodle XSD) with importlib.resources, so a file missing from the wheel
breaks an installed pmkit while an editable install (the tests' own) works.
The wheel is built the way a release would be, without build isolation so no
download is needed, and compared with what git tracks.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def tracked(folder: str) -> set[str]:
    out = subprocess.run(
        ["git", "ls-files", folder], capture_output=True, text=True, cwd=REPO, check=True
    ).stdout.split()
    return set(out)


def test_the_wheel_carries_every_tracked_file_of_the_packages(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(REPO),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    [wheel] = tmp_path.glob("pmkit_courseware-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        inside = {n for n in zf.namelist() if ".dist-info/" not in n}
        entry_points = next(
            zf.read(n).decode() for n in zf.namelist() if n.endswith(".dist-info/entry_points.txt")
        )
    expected = {name for name in tracked("pmkit")} | {
        name.removeprefix("plugins/") for name in tracked("plugins/pmkit_builtins")
    }
    assert expected - inside == set()
    assert len(expected) > 80
    assert "pmkit = pmkit.cli:main" in entry_points
