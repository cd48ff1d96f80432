"""The saved state holds any course the exporter accepts, and course-data.js is compact.

The state's screen number counts every knowledge-check screen (docs/scorm-package.md,
"The state"); the first formats kept it in two base-36 digits, so a check paged
into more than 1,296 screens could not be saved. Here a course of 1,317 screens
of one question each is exported for real, its state encoded and decoded by the
app's own codec under Node, its worst case compared with ``state_budget()``, and
a learner resumes on screen 1,301 in Chromium. course-data.js leaves out what the
app derives; the app puts it back, and must get exactly ``question_data()``.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browserkit import REPO_ROOT, PageRecord, serve, unzip
from click.testing import CliRunner
from course_shapes import SHAPES, Shape, write_course
from playwright.sync_api import expect

from pmkit.content.load import load_course
from pmkit_builtins.scorm.interactions import (
    app_screens,
    knowledge_check_screens,
    question_data,
    state_budget,
)

BUNDLED = REPO_ROOT / "content"
EXTRA = 1300  # knowledge-check questions added to the bundled 17, one per screen


def export(content: Path, version: str, dest: Path) -> Path:
    """The SCORM package (``version`` 1.2 or 2004) or the cmi5 package (``cmi5``) of
    ``content``, through the real command line."""
    from pmkit.cli import cli

    args = ["export", "-c", str(content), "-d", str(dest)]
    args += ["-f", "cmi5"] if version == "cmi5" else ["-f", "scorm", "-o", "version", version]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PMKIT_NO_CACHE", "1")
        result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    suffix = "cmi5" if version == "cmi5" else f"scorm{version.replace('.', '')}"
    (package,) = dest.glob(f"*-{suffix}.zip")
    return package


def course_data(package: Path, dest: Path) -> Path:
    """``course-data.js`` of ``package``, unpacked to ``dest``."""
    with zipfile.ZipFile(package) as zf:
        dest.write_bytes(zf.read("course-data.js"))
    return dest


def run_node(script: str, data: Path) -> Any:
    """Run ``script`` with the app's pure pieces loaded on ``data``; its JSON output."""
    node = shutil.which("node")
    assert node, "`node` (Node.js 20+) is needed: the app's unit tests run under Node"
    loader = json.dumps(str(REPO_ROOT / "tests" / "js" / "load-app.js"))
    prelude = (
        f"const {{ packageData, loadApp }} = require({loader});\n"
        "const app = loadApp(packageData());\n"
        "const C = app.PmkitCourse, Codec = app.PmkitCodec;\n"
    )
    proc = subprocess.run(
        [node, "-e", prelude + script],
        env={"PATH": "/usr/bin:/bin", "PMKIT_COURSE_DATA": str(data)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def paged(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """The bundled course with 1,300 more questions, one per screen: (content, 2004 zip)."""
    root = tmp_path_factory.mktemp("paged")
    content = root / "content"
    shutil.copytree(BUNDLED, content)
    kc = content / "knowledge-check.yaml"
    text = kc.read_text(encoding="utf-8")
    assert re.search(r"^questions_per_screen: \d+$", text, re.M)
    kc.write_text(
        re.sub(r"^questions_per_screen: \d+$", "questions_per_screen: 1", text, flags=re.M),
        encoding="utf-8",
    )
    lines = ["kind: knowledge-check", "questions:"]
    for n in range(EXTRA):
        lines += [
            f"  - id: extra-{n}",
            "    type: true-false",
            f"    prompt: Statement {n} is true.",
            "    explanation: Because.",
            "    tracks: [technical-pm]",
            "    answer: true",
        ]
    (content / "extra-knowledge-check.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    course_yaml = content / "course.yaml"
    course_yaml.write_text(
        course_yaml.read_text(encoding="utf-8") + "  - extra-knowledge-check.yaml\n",
        encoding="utf-8",
    )
    yield content, export(content, "2004", root / "out")


def test_more_than_1296_screens_round_trip(paged: tuple[Path, Path], tmp_path: Path) -> None:
    content, package = paged
    course = load_course(content).course
    pages = knowledge_check_screens(course)
    assert pages == 17 + EXTRA
    data = course_data(package, tmp_path / "course-data.js")
    found = run_node(
        """
        const KC = C.SCREEN["knowledge-check"];
        const out = { pages: C.kcPages, screens: C.SCREENS.length, max: Codec.MAX_SCREEN_NUMBER,
                      kc: KC, trips: [] };
        for (const page of [0, 1295, 1296, 1300, C.kcPages - 1]) {
          const state = Object.assign(Codec.freshState(), { screen: KC, page });
          const text = Codec.encodeState(state);
          const back = Codec.decodeState(text);
          out.trips.push([page, text.split("|")[2], back.screen, back.page]);
        }
        const after = Object.assign(Codec.freshState(), { screen: C.SCREEN.finish });
        out.finish = Codec.encodeState(after).split("|")[2];
        out.finishBack = Codec.decodeState(Codec.encodeState(after)).screen;
        out.worst = Codec.worstCaseState();
        out.worstBack = Codec.encodeState(Codec.decodeState(out.worst)) === out.worst;
        console.log(JSON.stringify(out));
        """,
        data,
    )
    screens = app_screens(course)
    assert found["pages"] == pages and found["screens"] == screens
    assert found["max"] == screens - 1 + pages - 1 > 36 * 36 - 1
    kc = found["kc"]
    for page, field, screen, back in found["trips"]:
        assert int(field, 36) == kc + page, (page, field)
        assert (screen, back) == (kc, page)
    assert int(found["finish"], 36) == found["max"] and found["finishBack"] == screens - 1
    assert len(found["worst"]) == state_budget(course)
    assert found["worst"].split("|")[2] == format_base36(found["max"])
    assert found["worstBack"]


def format_base36(n: int) -> str:
    """``n.toString(36)``."""
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, d = divmod(n, 36)
        out = digits[d] + out
        if n == 0:
            return out


def test_a_paged_check_resumes_on_its_screen(
    paged: tuple[Path, Path], page_record: PageRecord, tmp_path: Path
) -> None:
    """A learner on knowledge-check screen 1,301 of 1,317 leaves; the course reopens there,
    and "Next questions" is remembered too."""
    _, package = paged
    page = page_record.page
    with serve(unzip(package, tmp_path / "site")) as server:
        page.goto(server.url("index.html"))
        key = page.evaluate("() => PMKIT_PACKAGE.scorm.storageKey")
        text = page.evaluate(
            """() => {
              const s = pmkitApp.decodeState(pmkitApp.encodeState(pmkitApp.state()));
              s.screen = 7; s.page = 1300;
              return pmkitApp.encodeState(s);
            }"""
        )
        assert int(text.split("|")[2], 36) == 7 + 1300
        page.evaluate("([k, v]) => localStorage.setItem(k, v)", [key, text])
        page.reload()
        progress = page.locator("#kc-progress")
        expect(progress).to_contain_text("Screen 1301 of 1317")
        expect(page.locator("#kc-page-heading")).to_contain_text("Question 1301 of 1317")
        page.locator("#kc-skip").click()
        expect(progress).to_contain_text("Screen 1302 of 1317")
        page.reload()
        expect(page.locator("#kc-progress")).to_contain_text("Screen 1302 of 1317")
    page_record.assert_clean()


# ------------------------------------------------------------------- compact course-data.js


@pytest.mark.parametrize("version", ["1.2", "2004", "cmi5"])
def test_the_app_rebuilds_every_question_of_the_contract(tmp_path: Path, version: str) -> None:
    """What course-data.js leaves out, app-course.js puts back: exactly question_data()."""
    content = tmp_path / "content"
    shutil.copytree(BUNDLED, content)
    # Prompts whose 2004 description is not "{lang=..}" + the prompt: written out.
    sd = content / "self-discovery.yaml"
    text = sd.read_text(encoding="utf-8")
    first = re.search(r"^( +)text: (.+)$", text, re.M)
    assert first
    sd.write_text(
        text.replace(first.group(0), f"{first.group(1)}text: '{{odd}} {first.group(2)}'", 1),
        encoding="utf-8",
    )
    package = export(content, version, tmp_path / "out")
    data = course_data(package, tmp_path / "course-data.js")
    written = json.loads(data.read_text(encoding="ascii")[len("var PMKIT_PACKAGE = ") : -2])
    assert data.read_text(encoding="ascii").count("\n") == 1  # no indentation
    assert written["format"] == "pmkit-scorm/2"
    stored = written["scorm"]["questions"]
    for entry in stored.values():
        assert not {"interaction", "weighting", "sep", "pairSep"} & set(entry)
    table = "1.2" if version == "1.2" else "2004"  # cmi5 carries the 2004 table
    if table == "2004":
        explicit = [qid for qid, entry in stored.items() if "description" in entry]
        assert len(explicit) == 1 and explicit[0] in text
    rebuilt = run_node("console.log(JSON.stringify(C.questions));", data)
    assert rebuilt == question_data(load_course(content).course, table)


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: s.name)
def test_the_budget_counts_the_screens_the_app_shows(shape: Shape, tmp_path: Path) -> None:
    """A screen with nothing on it is left out by the app: Python counts the same
    screens, so the worst case it computes is the app's, for every course shape."""
    content = write_course(shape, tmp_path / "content")
    course = load_course(content).course
    data = course_data(export(content, "2004", tmp_path / "out"), tmp_path / "course-data.js")
    found = run_node(
        "console.log(JSON.stringify({screens: C.SCREENS.length, pages: C.kcPages,"
        " worst: Codec.worstCaseState()}));",
        data,
    )
    assert found["screens"] == app_screens(course)
    assert found["pages"] == knowledge_check_screens(course)
    assert len(found["worst"]) == state_budget(course)
