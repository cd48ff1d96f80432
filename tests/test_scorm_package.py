"""The SCORM package as a file: manifest valid against the official XSDs, the
zip/manifest/page-reference sets equal, deterministic, offline, lean, and
refused at build time when the course could not run within SCORM's limits.
(The learner's run in a real browser is in test_scorm_browser.py.)"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from lxml import etree
from scorm_schemas import validate

VERSIONS = {"1.2": "scorm12", "2004": "scorm2004"}
CP = {
    "1.2": "http://www.imsproject.org/xsd/imscp_rootv1p1p2",
    "2004": "http://www.imsglobal.org/xsd/imscp_v1p1",
}


def export(
    run_cli: Callable[..., Result],
    content: Path,
    version: str,
    *options: str,
    output: str = "exports",
) -> Path:
    result = run_cli(
        "export",
        "-f",
        "scorm",
        "-c",
        str(content),
        "-d",
        output,
        "-o",
        "version",
        version,
        *options,
    )
    assert result.exit_code == 0, result.stderr
    return Path(output) / f"pm-career-paths-{VERSIONS[version]}.zip"


def manifest_of(package: Path) -> Any:
    with zipfile.ZipFile(package) as zf:
        return etree.fromstring(zf.read("imsmanifest.xml"))


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href") and value and not value.startswith("#"):
                self.refs.append(value)


@pytest.mark.parametrize("version", VERSIONS)
def test_manifest_is_valid_against_the_official_xsds(
    run_cli: Callable[..., Result], bundled_content: Path, version: str
) -> None:
    package = export(run_cli, bundled_content, version)
    with zipfile.ZipFile(package) as zf:
        manifest = zf.read("imsmanifest.xml")
    assert manifest.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert validate(manifest, version) == []


@pytest.mark.parametrize("version", VERSIONS)
def test_zip_manifest_and_page_references_are_the_same_set(
    run_cli: Callable[..., Result], bundled_content: Path, version: str
) -> None:
    package = export(run_cli, bundled_content, version)
    root = manifest_of(package)
    listed = {f.get("href") for f in root.iter(f"{{{CP[version]}}}file")}
    with zipfile.ZipFile(package) as zf:
        names = set(zf.namelist())
        page = zf.read("index.html").decode("utf-8")
    assert names == listed | {"imsmanifest.xml"}
    assert all(re.fullmatch(r"[a-z0-9._-]+", n) for n in names), names
    assert not any(n.endswith(".xsd") for n in names)  # docs/decisions.md §29
    refs = _Refs()
    refs.feed(page)
    assert refs.refs and set(refs.refs) <= names - {"imsmanifest.xml"}
    (resource,) = root.iter(f"{{{CP[version]}}}resource")
    assert resource.get("href") == "index.html"
    # Scripts load in the contract's order (docs/scorm-package.md).
    scripts = [r for r in refs.refs if r.endswith(".js")]
    assert scripts == ["course-data.js", "pmkit-scoring.js", "scorm-runtime.js", "app.js"]


def test_adlcp_prefix_is_literal(run_cli: Callable[..., Result], bundled_content: Path) -> None:
    """Moodle reads scormtype only through the literal `adlcp:` prefix."""
    for version, attribute in (
        ("1.2", b'adlcp:scormtype="sco"'),
        ("2004", b'adlcp:scormType="sco"'),
    ):
        with zipfile.ZipFile(export(run_cli, bundled_content, version)) as zf:
            assert attribute in zf.read("imsmanifest.xml")


@pytest.mark.parametrize("version", VERSIONS)
def test_metadata_and_pass_mark_come_from_the_course(
    run_cli: Callable[..., Result], bundled_content: Path, version: str
) -> None:
    root = manifest_of(export(run_cli, bundled_content, version, "-o", "mastery", "70"))
    text = etree.tostring(root, encoding="unicode")
    assert "Product Management Career Paths" in text
    assert "Explore career paths in product management" in text
    assert root.get("identifier") == "pmkit-pm-career-paths"
    assert root.get("version") == "1.0.0"
    if version == "1.2":
        (mastery,) = root.iter("{http://www.adlnet.org/xsd/adlcp_rootv1p2}masteryscore")
        assert mastery.text == "70"
    else:
        (measure,) = root.iter("{http://www.imsglobal.org/xsd/imsss}minNormalizedMeasure")
        assert measure.text == "0.7"
        (primary,) = root.iter("{http://www.imsglobal.org/xsd/imsss}primaryObjective")
        assert primary.get("satisfiedByMeasure") == "true"
    with zipfile.ZipFile(
        export(run_cli, bundled_content, version, "-o", "mastery", "70", output="again")
    ) as zf:
        data = _package_data(zf)
    assert data["mastery"] == 70  # the package's own pass/fail uses the same value


def _package_data(zf: zipfile.ZipFile) -> dict[str, Any]:
    text = zf.read("course-data.js").decode("ascii")
    prefix, suffix = "var PMKIT_PACKAGE = ", ";\n"
    assert text.startswith(prefix) and text.endswith(suffix)
    return json.loads(text[len(prefix) : -len(suffix)])


def test_identifiers_do_not_change_with_the_course_version(
    run_cli: Callable[..., Result], bundled_content: Path
) -> None:
    before = manifest_of(export(run_cli, bundled_content, "1.2"))
    course = bundled_content / "course.yaml"
    course.write_text(
        course.read_text(encoding="utf-8").replace('"1.0.0"', '"1.1.0"'), encoding="utf-8"
    )
    after = manifest_of(export(run_cli, bundled_content, "1.2", output="v2"))
    ids = lambda root: [e.get("identifier") for e in root.iter() if e.get("identifier")]  # noqa: E731
    assert ids(before) == ids(after)
    assert after.get("version") == "1.1.0"


@pytest.mark.parametrize("version", VERSIONS)
def test_zip_dates_follow_source_date_epoch(
    run_cli: Callable[..., Result],
    bundled_content: Path,
    version: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    stamped = export(run_cli, bundled_content, version, output="c")
    with zipfile.ZipFile(stamped) as zf:
        assert {i.date_time for i in zf.infolist()} == {(2026, 1, 1, 0, 0, 0)}
        assert zf.namelist() == sorted(zf.namelist())


@pytest.mark.parametrize("version", VERSIONS)
def test_package_is_offline_and_lean(
    run_cli: Callable[..., Result], bundled_content: Path, version: str
) -> None:
    package = export(run_cli, bundled_content, version)
    assert package.stat().st_size < 250_000
    with zipfile.ZipFile(package) as zf:
        for name in zf.namelist():
            if name == "imsmanifest.xml":
                continue  # XML namespace names are URIs, not requests
            text = zf.read(name).decode("utf-8")
            assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", text, re.I), name
            assert "@import" not in text and "fonts." not in text, name


def test_package_data_follows_the_contract(
    run_cli: Callable[..., Result], bundled_content: Path
) -> None:
    with zipfile.ZipFile(export(run_cli, bundled_content, "2004")) as zf:
        data = _package_data(zf)
        twin = zf.read("pmkit-scoring.js").decode("utf-8")
    assert data["format"] == "pmkit-scorm/2"
    assert data["scorers"] == {"recommendation": "weighted", "grade": "partial-credit"}
    assert data["scorm"]["version"] == "2004"
    assert data["scorm"]["limits"] == {"suspendData": 64000, "location": 1000}
    assert [o["id"] for o in data["scorm"]["objectives"]] == data["scoring"]["tracks"]
    questions = data["scorm"]["questions"]
    assert len(questions) == 8 + 2 + 17
    assert all(
        "-" not in t
        for q in questions.values()
        if q["type"] != "true-false"
        for t in q["tokens"].values()
    )  # Moodle's 2004 runtime rejects hyphens
    assert "pmkitScorers" in twin


def test_hostile_strings_are_escaped_in_page_data_and_manifest(
    run_cli: Callable[..., Result], bundled_content: Path
) -> None:
    hostile = "Career <script>alert(\"x\")</script> ]]> & 'quotes' 🚀 مرحبا"
    course = bundled_content / "course.yaml"
    text = course.read_text(encoding="utf-8")
    course.write_text(
        text.replace(
            "title: Product Management Career Paths",
            "title: " + json.dumps(hostile, ensure_ascii=False),
            1,
        ),
        encoding="utf-8",
    )
    for version in VERSIONS:
        with zipfile.ZipFile(export(run_cli, bundled_content, version)) as zf:
            page = zf.read("index.html").decode("utf-8")
            assert "<script>alert" not in page
            assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
            data = _package_data(zf)
            assert data["course"]["title"] == hostile
            manifest = etree.fromstring(zf.read("imsmanifest.xml"))
            titles = [e.text for e in manifest.iter() if e.tag.endswith("}title")]
            assert hostile in titles


# ----------------------------------------------------------------- build-time limits


def _big_knowledge_check(content: Path, questions: int, items: int = 26) -> None:
    lines = ["kind: knowledge-check", "questions:"]
    for q in range(questions):
        lines += [
            f"  - id: big-{q}",
            "    type: ordering",
            f"    prompt: Order set {q}.",
            "    explanation: Because.",
            '    feedback: {correct: "Yes", partial: Partly, incorrect: "No"}',
            "    items:",
        ]
        lines += [f"      - {{id: i{i}, text: Item {i}}}" for i in range(items)]
    (content / "big.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    course = content / "course.yaml"
    course.write_text(course.read_text(encoding="utf-8") + "  - big.yaml\n", encoding="utf-8")


def test_a_state_that_could_overflow_scorm_12_is_refused(
    run_cli: Callable[..., Result], bundled_content: Path
) -> None:
    from pmkit.content.load import load_course
    from pmkit_builtins.scorm.interactions import state_budget

    _big_knowledge_check(bundled_content, 160)
    assert state_budget(load_course(bundled_content).course) > 4096
    result = run_cli("export", "-f", "scorm", "-c", str(bundled_content))
    assert result.exit_code == 1
    assert "over the 4,096 that cmi.suspend_data holds" in result.stderr
    assert "-o version 2004" in result.stderr
    assert not Path("exports").exists()  # refused before anything was written
    assert export(run_cli, bundled_content, "2004").is_file()  # 64,000 is enough


def test_a_state_that_fits_is_accepted(
    run_cli: Callable[..., Result], bundled_content: Path
) -> None:
    _big_knowledge_check(bundled_content, 100)
    assert export(run_cli, bundled_content, "1.2").is_file()


def test_a_scorer_without_browser_twin_is_refused(tmp_path: Path, bundled_content: Path) -> None:
    import pmkit
    from pmkit.content.load import load_course
    from pmkit.errors import ExportError
    from pmkit.export.run import plan_exports, preflight
    from pmkit.pluginhost.host import load_plugins

    class ServerOnly(pmkit.Scorer):
        """Grades on the server only (no browser twin)."""

        name = "server-only"
        kind = "grade"
        title = "Server only"

    class Plugin:
        @staticmethod
        @pmkit.hookimpl
        def register_scorers(register: Any) -> None:
            register(ServerOnly)

    host = load_plugins(entry_points=False, extra=[("server-only", Plugin())])
    course = load_course(bundled_content).course
    plans = plan_exports(
        host,
        course,
        bundled_content,
        ["scorm"],
        [("scorer", "server-only")],
        tmp_path / "out",
        warn=lambda message: None,
    )
    with pytest.raises(ExportError) as exc:
        preflight(plans)
    assert "has no browser twin" in exc.value.issues[0].message


def test_interaction_values_are_checked_at_build_time(bundled_content: Path) -> None:
    from pmkit.content.load import load_course
    from pmkit_builtins.scorm.interactions import (
        DESCRIPTION_2004,
        check_values,
        description,
        question_data,
    )

    course = load_course(bundled_content).course
    for version in VERSIONS:
        assert list(check_values(course, version, question_data(course, version))) == []
    # 2004 descriptions: one line, tagged, and never starting with `{`.
    for text in ("line one\n\nline two", "{lang=xx} trick", "x" * 600, "🚀 مرحبا"):
        value = description(text, "en")
        assert DESCRIPTION_2004.match(value), value
        assert "\n" not in value and len(value) <= 250 + len("{lang=en}")
    data = question_data(course, "1.2")
    assert data["background"]["tokens"] == {
        "technical-background": "0",
        "design-background": "1",
        "business-background": "2",
        "new-to-product": "3",
    }
    assert data["complex-problems"]["tokens"] == {"true": "t", "false": "f"}
    multiple = data["kc-technical-duties"]
    assert multiple["correct"] == "0,1,2" and multiple["weighting"] == 1


def test_the_package_shows_options_in_the_shared_order(
    run_cli: Callable[..., Result], bundled_content: Path
) -> None:
    """The app shows choice options and matching answers in pmkit.option_order, the
    order the handout and the question banks use (not authoring order: the right
    answer would always be first)."""
    import json as json_module
    import zipfile

    import pmkit

    path = export(run_cli, bundled_content, "1.2")
    with zipfile.ZipFile(path) as package:
        data = package.read("course-data.js").decode("utf-8")
    document = json_module.loads(data.removeprefix("var PMKIT_PACKAGE = ").rstrip().rstrip(";"))
    course = pmkit.load_course(bundled_content).course
    expected = {
        q.id: [o.id for o in pmkit.option_order(course, q)]
        for q in course.knowledge_check.questions
        if isinstance(q, pmkit.ChoiceQuestion | pmkit.MatchingQuestion)
    }
    assert document["order"] == expected
    firsts = [
        ids[0]
        for qid, ids in expected.items()
        if course.knowledge_check.question(qid).type == "single"
    ]  # type: ignore[union-attr]
    rights = {
        o.id
        for q in course.knowledge_check.questions
        if isinstance(q, pmkit.ChoiceQuestion)
        for o in q.options
        if o.correct
    }
    assert not all(first in rights for first in firsts), "the right answer is always first"
