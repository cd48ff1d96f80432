"""IMS Common Cartridge (``--format cc``): the course's pages and its knowledge check.

Checked by real consumers: the manifest and the assessment against the
official Common Cartridge 1.1 schemas (the copies Moodle's importer validates
with, read in place through ``tests/reference_schemas.py``), including the
Schematron rules embedded in them (lxml's ISO Schematron; the rules are
declared in the ISO namespace with Schematron 1.5's ``name`` attribute, so the
rule schema itself is not validated); every page with an HTML parser and with
axe-core in headless Chromium. CC 1.3 has no schema here: it is checked for
well-formedness, namespaces and the same structure as 1.1.
"""

from __future__ import annotations

import functools
import io
import itertools
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from browserkit import axe_check, format_violations, serve
from click.testing import Result
from golden_files import assert_golden
from hostile_course import HOSTILE, HOSTILE_LINES, edit_yaml, make_hostile
from lxml import etree, isoschematron
from reference_schemas import reference_file

import pmkit
from pmkit_builtins.cc.cartridge import CommonCartridgeExporter

CP11 = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
CP13 = "http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1"
LOM11 = "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest"
QTI = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
PAGES = (
    "introduction",
    "self-discovery",
    "tracks",
    "decision-tree",
    "future",
    "next-steps",
    "knowledge-check",
)


# ----------------------------------------------------------------------------- helpers


def export(
    run_cli: Callable[..., Result],
    content: Path,
    *options: str,
) -> tuple[Result, dict[str, bytes]]:
    """Export ``content`` as a cartridge; the CLI result and its files by name."""
    result = run_cli(
        "export", "--format", "cc", "--content", str(content), "--output", "exports", *options
    )
    assert result.exit_code == 0, result.stderr
    course_id = pmkit.load_course(content).course.id
    data = (Path("exports") / f"{course_id}-cc.imscc").read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return result, {name: zf.read(name) for name in zf.namelist()}


def page(files: dict[str, bytes], page_id: str) -> Any:
    """A page parsed by an HTML parser."""
    return lxml.html.document_fromstring(files[f"pages/{page_id}.html"].decode("utf-8"))


def text_of(doc: Any) -> str:
    return " ".join(doc.text_content().split())


def xsd(*parts: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(reference_file(*parts))))


def schematron(*parts: str) -> isoschematron.Schematron:
    """The Schematron rules embedded in one of the cartridge's XSDs."""
    return isoschematron.Schematron(etree.parse(str(reference_file(*parts))), validate_schema=False)


@functools.cache
def cc11_schemas() -> dict[str, Any]:
    """The CC 1.1 schemas and Schematron rules (loaded once; other tests use them too)."""
    return {
        "manifest": xsd("cc11", "cc11libxml2validator.xsd"),
        "qti": xsd("cc11", "ccv1p1_qtiasiv1p2p1_v1p0.xsd"),
        "rules": [
            schematron("cc11", "ccv1p1_imscp_v1p2_v1p0.xsd"),
            schematron("cc11", "ccv1p1_lommanifest_v1p0.xsd"),
        ],
        "qti_rules": schematron("cc11", "ccv1p1_qtiasiv1p2p1_v1p0.xsd"),
    }


@pytest.fixture(scope="module")
def cc11() -> dict[str, Any]:
    return cc11_schemas()


def assert_cc11_valid(files: dict[str, bytes], cc11: dict[str, Any]) -> None:
    manifest = etree.fromstring(files["imsmanifest.xml"])
    assert cc11["manifest"].validate(manifest), cc11["manifest"].error_log
    for rules in cc11["rules"]:
        assert rules.validate(manifest), rules.error_log
    quiz = etree.fromstring(files["knowledge-check-assessment/assessment.xml"])
    assert cc11["qti"].validate(quiz), cc11["qti"].error_log
    assert cc11["qti_rules"].validate(quiz), cc11["qti_rules"].error_log


# ----------------------------------------------------------------------------- the cartridge


def test_exporter_declares_its_format() -> None:
    e = CommonCartridgeExporter
    assert (e.name, e.kind, e.suffix) == ("cc", "zip", ".imscc")
    assert {o.name for o in e.options} == {"cc_version", "answer_key"}
    (version,) = [o for o in e.options if o.name == "cc_version"]
    assert version.default == "1.1" and version.allowed == ("1.1", "1.3")


def test_bundled_course_is_a_valid_cc11_cartridge(
    run_cli: Callable[..., Result], bundled_content: Path, cc11: dict[str, Any]
) -> None:
    _, files = export(run_cli, bundled_content)
    assert sorted(files) == sorted(
        [
            "imsmanifest.xml",
            "knowledge-check-assessment/assessment.xml",
            *(f"pages/{p}.html" for p in PAGES),
        ]
    )
    assert_cc11_valid(files, cc11)


def test_sample_and_hostile_courses_are_valid_too(
    run_cli: Callable[..., Result], sample_course: Path, cc11: dict[str, Any]
) -> None:
    _, files = export(run_cli, sample_course)
    assert_cc11_valid(files, cc11)
    make_hostile(sample_course)
    _, files = export(run_cli, sample_course, "-o", "answer_key", "true")
    assert_cc11_valid(files, cc11)


def test_the_schematron_rules_do_run(
    run_cli: Callable[..., Result], bundled_content: Path, cc11: dict[str, Any]
) -> None:
    """A multiple-choice item with two choices breaks rule 4d: the embedded rules are live."""
    _, files = export(run_cli, bundled_content)
    quiz = etree.fromstring(files["knowledge-check-assessment/assessment.xml"])
    item = next(
        i
        for i in quiz.iter(f"{QTI}item")
        if i.findtext(f".//{QTI}fieldentry") == "cc.multiple_choice.v0p1"
    )
    labels = list(item.iter(f"{QTI}response_label"))
    labels[-1].getparent().remove(labels[-1])
    assert not cc11["qti_rules"].validate(quiz)


def test_manifest_metadata_and_file_list(
    run_cli: Callable[..., Result], bundled_content: Path
) -> None:
    _, files = export(run_cli, bundled_content)
    course = pmkit.load_course(bundled_content).course
    root = etree.fromstring(files["imsmanifest.xml"])
    ns = {"cp": CP11, "lom": LOM11}
    assert root.findtext("cp:metadata/cp:schemaversion", namespaces=ns) == "1.1.0"
    general = root.find("cp:metadata/lom:lom/lom:general", ns)
    assert general.findtext("lom:title/lom:string", namespaces=ns) == course.title
    assert general.findtext("lom:language", namespaces=ns) == course.language
    assert general.findtext("lom:description/lom:string", namespaces=ns) == " ".join(
        course.description.split()
    )
    ids = {
        i.findtext("lom:catalog", namespaces=ns): i.findtext("lom:entry", namespaces=ns)
        for i in general.findall("lom:identifier", ns)
    }
    assert ids == {"pmkit-course": course.id, "pmkit-course-version": course.version}
    listed = {f.get("href") for f in root.iter(f"{{{CP11}}}file")}
    assert listed == set(files) - {"imsmanifest.xml"}


def test_organisation_is_the_course_structure(
    run_cli: Callable[..., Result], bundled_content: Path
) -> None:
    _, files = export(run_cli, bundled_content)
    course = pmkit.load_course(bundled_content).course
    sections = pmkit.course_sections(course)
    root = etree.fromstring(files["imsmanifest.xml"])
    (top,) = root.iterfind(f".//{{{CP11}}}organization/{{{CP11}}}item")
    folders = top.findall(f"{{{CP11}}}item")
    assert [f.get("identifier") for f in folders] == [f"section-{p}" for p in PAGES]
    assert [f.findtext(f"{{{CP11}}}title") for f in folders] == [s.title for s in sections]
    resources = {r.get("identifier"): r for r in root.iter(f"{{{CP11}}}resource")}
    for folder, section in zip(folders, sections, strict=True):
        refs = [i.get("identifierref") for i in folder.findall(f"{{{CP11}}}item")]
        assert refs[0] == f"page-{section.id}"
        assert resources[refs[0]].get("type") == "webcontent"
        assert resources[refs[0]].get("href") == f"pages/{section.id}.html"
    quiz_refs = [i.get("identifierref") for i in folders[-1].findall(f"{{{CP11}}}item")]
    assert resources[quiz_refs[1]].get("type") == "imsqti_xmlv1p2/imscc_xmlv1p1/assessment"


def test_identifiers_are_stable_when_texts_change(
    run_cli: Callable[..., Result], bundled_content: Path
) -> None:
    def identifiers(files: dict[str, bytes]) -> list[str]:
        root = etree.fromstring(files["imsmanifest.xml"])
        quiz = etree.fromstring(files["knowledge-check-assessment/assessment.xml"])
        return [e.get("identifier") for e in root.iter() if e.get("identifier")] + [
            e.get("ident") for e in quiz.iter() if e.get("ident")
        ]

    _, before = export(run_cli, bundled_content)
    make_hostile(bundled_content)
    _, after = export(run_cli, bundled_content)
    assert identifiers(before) == identifiers(after)


# ----------------------------------------------------------------------------- the assessment


def test_assessment_questions_and_option_order(
    run_cli: Callable[..., Result], bundled_content: Path
) -> None:
    _, files = export(run_cli, bundled_content)
    course = pmkit.load_course(bundled_content).course
    quiz = etree.fromstring(files["knowledge-check-assessment/assessment.xml"])
    items = {i.get("ident").removeprefix(f"{course.id}-"): i for i in quiz.iter(f"{QTI}item")}
    kept = [
        q
        for q in course.knowledge_check.questions
        if q.type in ("single", "multiple", "true-false")
    ]
    assert list(items) == [q.id for q in kept]
    profiles = {
        "single": "cc.multiple_choice.v0p1",
        "multiple": "cc.multiple_response.v0p1",
        "true-false": "cc.true_false.v0p1",
    }
    for q in kept:
        item = items[q.id]
        assert item.findtext(f".//{QTI}fieldentry") == profiles[q.type]
        idents = [r.get("ident") for r in item.iter(f"{QTI}response_label")]
        scoring = next(
            c for c in item.iter(f"{QTI}respcondition") if c.find(f"{QTI}setvar") is not None
        )
        assert scoring.get("continue") == "No"
        if isinstance(q, pmkit.TrueFalseQuestion):
            assert idents == ["true", "false"]  # else Moodle aborts the whole import
            assert scoring.findtext(f".//{QTI}varequal") == ("true" if q.answer else "false")
        else:
            assert isinstance(q, pmkit.ChoiceQuestion)
            assert idents == [o.id for o in pmkit.option_order(course, q)]
            right = [
                v.text for v in scoring.iter(f"{QTI}varequal") if v.getparent().tag != f"{QTI}not"
            ]
            assert sorted(right) == sorted(o.id for o in q.options if o.correct)
        feedback = {f.get("ident") for f in item.iter(f"{QTI}itemfeedback")}
        assert "general_fb" in feedback
        if isinstance(q, pmkit.ChoiceQuestion):
            assert {f"{o.id}_fb" for o in q.options if o.feedback} <= feedback
        for condition in item.iter(f"{QTI}respcondition"):
            if condition.find(f"{QTI}displayfeedback") is not None:
                # Moodle drops feedback of a condition that stops processing.
                assert condition.get("continue") == "Yes"


def test_matching_and_ordering_left_out_with_one_warning(
    run_cli: Callable[..., Result], bundled_content: Path
) -> None:
    result, files = export(run_cli, bundled_content)
    course = pmkit.load_course(bundled_content).course
    left = [q for q in course.knowledge_check.questions if q.type in ("matching", "ordering")]
    warnings = [line for line in result.stderr.splitlines() if "left out" in line]
    assert len(warnings) == 1
    assert all(f"`{q.id}`" in warnings[0] for q in left)
    shown = text_of(page(files, "knowledge-check"))
    for q in left:
        assert " ".join(q.prompt.split()) in shown


def test_two_option_single_choice_is_left_out(
    run_cli: Callable[..., Result], sample_course: Path
) -> None:
    def change(d: Any) -> None:
        q = next(q for q in d["questions"] if q["type"] == "single")
        q["options"] = [o for o in q["options"] if o["correct"]] + [
            next(o for o in q["options"] if not o["correct"])
        ]

    edit_yaml(sample_course / "knowledge-check.yaml", change)
    result, files = export(run_cli, sample_course)
    course = pmkit.load_course(sample_course).course
    single = next(q for q in course.knowledge_check.questions if q.type == "single")
    assert f"`{single.id}`" in result.stderr and "three choices" in result.stderr
    assert single.id.encode() not in files["knowledge-check-assessment/assessment.xml"]


# ----------------------------------------------------------------------------- the pages


def test_every_page_stands_alone(run_cli: Callable[..., Result], bundled_content: Path) -> None:
    _, files = export(run_cli, bundled_content)
    course = pmkit.load_course(bundled_content).course
    for section in pmkit.course_sections(course):
        raw = files[f"pages/{section.id}.html"]
        assert raw.startswith(b'<!DOCTYPE html>\n<html lang="en">')
        doc = page(files, section.id)
        assert doc.get("lang") == course.language
        assert [h.text_content() for h in doc.iter("h1")] == [section.title]
        assert len(doc.findall(".//main")) == 1
        assert not doc.xpath("//script | //link | //img | //iframe")
        for a in doc.iter("a"):  # only the https URLs the content names
            assert a.get("href").startswith("https://")
        levels = [int(h.tag[1]) for h in doc.iter("h1", "h2", "h3", "h4", "h5", "h6")]
        assert all(b - a <= 1 for a, b in itertools.pairwise(levels))


def test_pages_say_what_the_section_model_says(
    run_cli: Callable[..., Result], bundled_content: Path
) -> None:
    _, files = export(run_cli, bundled_content)
    course = pmkit.load_course(bundled_content).course
    for section in pmkit.course_sections(course):
        shown = text_of(page(files, section.id))
        for block in section.blocks:
            texts: list[str] = []
            if isinstance(block, pmkit.HeadingBlock | pmkit.ParagraphBlock):
                texts = [block.text]
            elif isinstance(block, pmkit.ListBlock):
                texts = list(block.items)
            elif isinstance(block, pmkit.TableBlock):
                texts = [block.caption, *block.header, *(c for r in block.rows for c in r)]
            elif isinstance(block, pmkit.QuestionBlock):
                texts = [" ".join(block.prompt.split()), *(c.text for c in block.choices)]
            for text in texts:
                assert text in shown, (section.id, text)
        assert "Answers" not in [h.text_content() for h in page(files, section.id).iter("h2")]


def test_answer_key_option(run_cli: Callable[..., Result], bundled_content: Path) -> None:
    _, files = export(run_cli, bundled_content, "-o", "answer_key", "true")
    doc = page(files, "knowledge-check")
    assert "Answers" in [h.text_content() for h in doc.iter("h2")]
    course = pmkit.load_course(bundled_content).course
    q = course.knowledge_check.questions[0]
    assert isinstance(q, pmkit.ChoiceQuestion)
    right = next(o for o in q.options if o.correct)
    assert f"Question 1: {right.text}" in text_of(doc)


def test_hostile_strings_survive_on_pages_and_in_the_quiz(
    run_cli: Callable[..., Result], sample_course: Path
) -> None:
    make_hostile(sample_course)
    _, files = export(run_cli, sample_course, "-o", "answer_key", "true")
    everything = " ".join(text_of(page(files, p)) for p in PAGES)
    first_line = HOSTILE_LINES.split("\n")[0]
    assert HOSTILE in everything and first_line in everything
    for p in PAGES:
        doc = page(files, p)
        assert not doc.xpath("//script | //b | //i"), p  # shown as text, never as markup
    course = pmkit.load_course(sample_course).course
    quiz = etree.fromstring(files["knowledge-check-assessment/assessment.xml"])
    for item in quiz.iter(f"{QTI}item"):
        for mattext in item.iter(f"{QTI}mattext"):
            fragment = lxml.html.fragment_fromstring(mattext.text, create_parent="div")
            assert {e.tag for e in fragment.iter()} <= {"div", "p", "br"}
            assert "😀" in fragment.text_content() or fragment.text_content() in ("True", "False")
    titles = [i.get("title") for i in quiz.iter(f"{QTI}item")]
    assert titles and all("<script>" in t or "Line one" in t for t in titles)
    manifest = etree.fromstring(files["imsmanifest.xml"])
    title = manifest.findtext(f".//{{{LOM11}}}title/{{{LOM11}}}string")
    assert title == " ".join(course.title.split())  # plain text, escaped only as XML


@pytest.mark.parametrize("hostile", [False, True])
def test_axe_reports_nothing_serious(
    run_cli: Callable[..., Result],
    bundled_content: Path,
    page_record: Any,
    tmp_path: Path,
    hostile: bool,
) -> None:
    if hostile:
        make_hostile(bundled_content)
    _, files = export(run_cli, bundled_content, "-o", "answer_key", "true")
    site = tmp_path / "site"
    for name, data in files.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_bytes(data)
    browser_page = page_record.page
    with serve(site) as server:
        for p in PAGES:
            browser_page.goto(server.url(f"pages/{p}.html"))
            violations = axe_check(browser_page)
            assert violations == [], (p, format_violations(violations))
    page_record.assert_clean()


# ----------------------------------------------------------------------------- CC 1.3


def test_cc13_has_the_same_structure_in_its_own_namespaces(
    run_cli: Callable[..., Result], bundled_content: Path
) -> None:
    _, v11 = export(run_cli, bundled_content)
    _, v13 = export(run_cli, bundled_content, "-o", "cc_version", "1.3")
    assert sorted(v11) == sorted(v13)
    root = etree.fromstring(v13["imsmanifest.xml"])
    assert root.tag == f"{{{CP13}}}manifest"
    assert root.nsmap["lomimscc"] == "http://ltsc.ieee.org/xsd/imsccv1p3/LOM/manifest"
    assert root.findtext(f"{{{CP13}}}metadata/{{{CP13}}}schemaversion") == "1.3.0"
    types = {r.get("type") for r in root.iter(f"{{{CP13}}}resource")}
    assert types == {"webcontent", "imsqti_xmlv1p2/imscc_xmlv1p3/assessment"}
    translated = (
        v11["imsmanifest.xml"]
        .replace(b"imsccv1p1", b"imsccv1p3")
        .replace(b"ccv1p1", b"ccv1p3")
        .replace(b"imscc_xmlv1p1", b"imscc_xmlv1p3")
        .replace(b"1.1.0", b"1.3.0")
    )
    assert translated == v13["imsmanifest.xml"]
    quiz = v13["knowledge-check-assessment/assessment.xml"]
    assert etree.fromstring(quiz).tag == f"{QTI}questestinterop"
    assert quiz == v11["knowledge-check-assessment/assessment.xml"].replace(b"ccv1p1", b"ccv1p3")
    for p in PAGES:
        assert v11[f"pages/{p}.html"] == v13[f"pages/{p}.html"]


def test_a_character_xml_cannot_carry_is_an_error_at_its_place(
    run_cli: Callable[..., Result], sample_course: Path
) -> None:
    """Refused before anything is written: by content validation where it refuses control
    characters, else by the exporter's own check (tested on its own below)."""

    def change(d: Any) -> None:
        d["questions"][0]["prompt"] = "bell \x07 rings"

    edit_yaml(sample_course / "knowledge-check.yaml", change)
    result = run_cli("export", "--format", "cc", "--content", str(sample_course))
    assert result.exit_code != 0
    assert "knowledge-check.yaml:" in result.stderr and "U+0007" in result.stderr
    assert not Path("exports").exists()


def test_the_exporter_checks_characters_itself(sample_course: Path) -> None:
    """A course built in code skips content validation: the exporter still refuses."""
    import dataclasses

    course = pmkit.load_course(sample_course).course
    first = course.knowledge_check.questions[0]
    bad = dataclasses.replace(first, prompt="bell \x07 rings")
    kc = dataclasses.replace(
        course.knowledge_check, questions=(bad, *course.knowledge_check.questions[1:])
    )
    course = dataclasses.replace(course, knowledge_check=kc)
    options = {o.name: o.default for o in CommonCartridgeExporter.options}
    ctx = pmkit.ExportContext(
        course=course, options=options, source_date_epoch=0, content_dir=sample_course
    )
    issues = [i for i in CommonCartridgeExporter().check(ctx) if i.severity == "error"]
    assert [(i.line, "U+0007" in i.message) for i in issues] == [(first.source.line, True)]
    with pytest.raises(pmkit.ExportError):
        CommonCartridgeExporter().export(ctx, sample_course / "out.imscc")


def test_golden_files(run_cli: Callable[..., Result], bundled_content: Path) -> None:
    """The bundled course's manifest, assessment and knowledge-check page, byte for byte."""
    _, files = export(run_cli, bundled_content)
    assert_golden("cc-pm-career-paths-imsmanifest.xml", files["imsmanifest.xml"])
    assert_golden(
        "cc-pm-career-paths-assessment.xml", files["knowledge-check-assessment/assessment.xml"]
    )
    assert_golden("cc-pm-career-paths-knowledge-check.html", files["pages/knowledge-check.html"])
