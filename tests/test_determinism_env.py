"""Every format is the same bytes whatever the environment (docs/decisions.md §18).

Two exports in one process share the hash seed, the time zone and the locale, so
comparing them cannot find what varies with those; this test runs ``pmkit export
--format all`` in two processes that differ in all three and compares every file.
The content carries emoji and Turkish dotted/dotless i: under ``tr_TR.UTF-8`` the
PDF's layout once moved by 0.01 pt (issue 12 §6).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from conftest import pmkit_command

#: Installed by the README's test command (`locales-all`).
TURKISH = "tr_TR.UTF-8"

ENVIRONMENTS = {
    "a": {"PYTHONHASHSEED": "0", "TZ": "UTC", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"},
    "b": {"PYTHONHASHSEED": "4242", "TZ": "Pacific/Chatham", "LANG": TURKISH, "LC_ALL": TURKISH},
}


def locale_available(name: str) -> bool:
    probe = subprocess.run(["locale", "-a"], capture_output=True, text=True, check=False)
    wanted = name.lower().replace("utf-8", "utf8")
    return wanted in probe.stdout.lower().split()


def test_every_format_is_byte_identical_across_hash_seeds_time_zones_and_locales(
    bundled_content: Path, tmp_path: Path
) -> None:
    if not locale_available(TURKISH):
        message = f"the {TURKISH} locale is missing: apt-get install locales-all"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    course = bundled_content / "course.yaml"
    text = course.read_text(encoding="utf-8")
    assert "title: Product Management Career Paths\n" in text
    course.write_text(
        text.replace(
            "title: Product Management Career Paths\n",
            'title: "Product Management Career Paths 🚀 İstanbul ı i 😀"\n',
        ),
        encoding="utf-8",
    )
    outputs = {}
    for name, env in ENVIRONMENTS.items():
        output = tmp_path / f"out-{name}"
        result = subprocess.run(
            [
                pmkit_command(),
                "export",
                "--format",
                "all",
                "--content",
                str(bundled_content),
                "--output",
                str(output),
            ],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, **env, "PMKIT_NO_CACHE": "1"},
        )
        assert result.returncode == 0, result.stderr
        outputs[name] = {p.name: p.read_bytes() for p in sorted(output.iterdir())}
    a, b = outputs["a"], outputs["b"]
    assert sorted(a) == sorted(b)
    assert {Path(n).suffix for n in a} >= {
        ".json",
        ".zip",
        ".xml",
        ".txt",
        ".md",
        ".html",
        ".pdf",
    }, sorted(a)
    differ = [n for n in a if a[n] != b[n]]
    assert not differ, f"these exports depend on the environment: {differ}"
