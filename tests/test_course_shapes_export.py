"""Every format works for courses of other shapes than the bundled one: 2 to 6
tracks, deep, wide and joined decision trees, long words (tests/course_shapes.py).

Each export is read back by the consumer the format's own tests use: JSON
against `pmkit schema` with jsonschema, Moodle XML against pmkit's Moodle XSD,
the SCORM 1.2 manifest against the official XSDs, Markdown with a CommonMark
parser, HTML with an HTML parser, the Common Cartridge against the CC 1.1
schemas and Schematron rules with every page through an HTML parser, the
Canvas QTI quizzes against the QTI 1.2 schema and read by qti2latex, the cmi5
package's cmi5.xml against the cmi5 course-structure XSD; every track of the shape
reaches every format.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import Result
from course_shapes import SHAPES, Shape, track_ids, write_course
from lxml import etree

RunCli = Callable[..., Result]
FORMATS = ("json", "moodle", "gift", "markdown", "html", "scorm", "cc", "qti", "cmi5")


@pytest.fixture(params=SHAPES, ids=[s.name for s in SHAPES])
def shaped_exports(
    request: pytest.FixtureRequest, run_cli: RunCli, tmp_path: Path
) -> tuple[Shape, dict[str, Path]]:
    shape: Shape = request.param
    content = write_course(shape, tmp_path / "content")
    args = ["export", "-q", "--content", str(content), "--output", "out"]
    for name in FORMATS:
        args += ["--format", name]
    args += ["-o", "qti.survey", "true"]  # the self-discovery survey too
    result = run_cli(*args)
    assert result.exit_code == 0, result.stderr
    files = {p.name: p for p in Path("out").iterdir()}
    assert len(files) == len(FORMATS), sorted(files)
    return shape, files


def by_suffix(files: dict[str, Path], ending: str) -> Path:
    [path] = [p for name, p in files.items() if name.endswith(ending)]
    return path


def test_every_format_reads_back_and_names_every_track(
    shaped_exports: tuple[Shape, dict[str, Path]], run_cli: RunCli
) -> None:
    import jsonschema
    from markdown_it import MarkdownIt
    from scorm_schemas import validate as validate_manifest
    from test_moodle_xml import xsd

    shape, files = shaped_exports
    document = json.loads(by_suffix(files, ".json").read_text(encoding="utf-8"))
    jsonschema.validate(document, json.loads(run_cli("schema").stdout))
    titles = [t["title"] for t in document["course"]["tracks"]]
    assert [t["id"] for t in document["course"]["tracks"]] == track_ids(shape)

    moodle = etree.parse(str(by_suffix(files, "-moodle.xml")))
    assert xsd().validate(moodle), xsd().error_log

    with zipfile.ZipFile(by_suffix(files, "-scorm12.zip")) as package:
        assert validate_manifest(package.read("imsmanifest.xml"), "1.2") == []
        data = package.read("course-data.js").decode("utf-8")

    markdown = by_suffix(files, "-handout.md").read_text(encoding="utf-8")
    assert MarkdownIt("commonmark").parse(markdown)

    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.parts: list[str] = []

        def handle_data(self, data: str) -> None:
            self.parts.append(data)

    page = Text()
    page.feed(by_suffix(files, "-handout.html").read_text(encoding="utf-8"))
    shown = " ".join(" ".join(page.parts).split())
    gift = by_suffix(files, "-gift.txt").read_text(encoding="utf-8")
    for title in titles:
        assert title in shown and title in markdown, title
        assert json.dumps(title)[1:-1] in data, title
    node_prompts = [n["prompt"] for n in document["course"]["decision_tree"]["nodes"]]
    for prompt in node_prompts:
        assert prompt in shown and prompt in markdown
        assert prompt in gift  # generated prompts hold no character GIFT escapes


def _zip(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_common_cartridge_and_canvas_qti_read_back(
    shaped_exports: tuple[Shape, dict[str, Path]], run_cli: RunCli
) -> None:
    import lxml.html
    from test_cc import assert_cc11_valid, cc11_schemas
    from test_qti import canvas_manifest_differences, qti12, read_with_qti2latex, shown

    shape, files = shaped_exports
    document = json.loads(by_suffix(files, ".json").read_text(encoding="utf-8"))
    course = document["course"]

    cartridge = _zip(by_suffix(files, "-cc.imscc"))
    assert_cc11_valid(cartridge, cc11_schemas())
    pages = {
        name.removeprefix("pages/").removesuffix(".html"): " ".join(
            lxml.html.document_fromstring(data.decode("utf-8")).text_content().split()
        )
        for name, data in cartridge.items()
        if name.startswith("pages/")
    }
    for track in course["tracks"]:
        assert track["title"] in pages["tracks"], track["id"]
    for node in course["decision_tree"]["nodes"]:
        assert " ".join(node["prompt"].split()) in pages["decision-tree"], node["id"]
    own = course["guidance"].get("sections", [])
    for section in own:
        assert section["heading"] in pages[section["place"]], section["id"]
    assert ("future" in pages) is (shape.guidance != "none")

    quiz = _zip(by_suffix(files, "-qti.zip"))
    assert canvas_manifest_differences(quiz["imsmanifest.xml"]) == {
        "schema",
        "schemaversion",
        "lom",
        "resource type",
    }
    assessments = [n for n in quiz if n.count("/") == 1 and not n.endswith("assessment_meta.xml")]
    assert len(assessments) == 2  # the knowledge check and the self-discovery survey
    QTI = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
    read = 0
    for name in assessments:
        root = etree.fromstring(quiz[name])
        assert qti12().validate(root), (name, qti12().error_log)
        for item in root.iter(f"{QTI}item"):
            kind = next(
                f.findtext(f"{QTI}fieldentry")
                for f in item.iter(f"{QTI}qtimetadatafield")
                if f.findtext(f"{QTI}fieldlabel") == "question_type"
            )
            if kind in ("multiple_choice_question", "multiple_answers_question"):
                got = read_with_qti2latex(item)
                assert got["type"] == kind and shown(got["stem"]) and got["choices"]
                read += 1
    choice = [
        q for q in course["knowledge_check"]["questions"] if q["type"] in ("single", "multiple")
    ]
    assert read >= len(choice) > 0


def test_the_cmi5_package_fits_every_shape(shaped_exports: tuple[Shape, dict[str, Path]]) -> None:
    from reference_schemas import reference_file

    _shape, files = shaped_exports
    package = _zip(by_suffix(files, "-cmi5.zip"))
    schema = etree.XMLSchema(etree.parse(str(reference_file("cmi5", "CourseStructure.xsd"))))
    structure = etree.fromstring(package["cmi5.xml"])
    assert schema.validate(structure), schema.error_log
    document = json.loads(by_suffix(files, ".json").read_text(encoding="utf-8"))
    data = package["course-data.js"].decode("utf-8")
    for track in document["course"]["tracks"]:
        assert json.dumps(track["title"])[1:-1] in data, track["id"]
    assert {"index.html", "app.js", "scorm-runtime.js"} <= set(package)
