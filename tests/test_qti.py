"""Canvas QTI (``--format qti``): the knowledge check as one Canvas quiz in a QTI 1.2 zip.

Checked by real consumers:

* the assessment files against the official IMS QTI ASI 1.2 schema (read in
  place from the reference schemas, ``tests/reference_schemas.py``; lxml needs
  a wrapper that imports ``xml.xsd`` first, because the schema uses
  ``xml:lang`` and imports the XML namespace from a path that does not exist);
* the manifest against the Common Cartridge 1.1 manifest schema, which Canvas'
  own QTI packages follow except for four values (asserted exactly);
* the choice, multiple-answer and true/false items by ``qti2latex`` (PyPI), an
  independent reader built for Canvas and text2qti QTI, run both as a library
  on each item and as its command line through Debian's ``pandoc``;
* the same reader gives the same structure for text2qti's output of an
  equivalent quiz (text2qti, the reference writer of Canvas QTI);
* matching items (qti2latex does not read them) with lxml against the
  structure Canvas exports: one ``response_lid`` per left-hand item, every
  answer in each, one ``setvar action="Add"`` per right pair.

One limitation of qti2latex is worked around and said where: its
``get_correct_idents`` takes every ``varequal`` of every condition for a right
answer, so it also counts the conditions that only show a choice's feedback
(it does so on text2qti's output too). The right answers are therefore read
with it from the scoring conditions (those that set ``SCORE``) only.
"""

from __future__ import annotations

import functools
import html
import io
import re
import zipfile
from collections.abc import Callable
from copy import deepcopy
from pathlib import Path
from typing import Any

import pytest
import qti2latex  # in the test extra: never skipped
from click.testing import Result
from golden_files import assert_golden
from hostile_course import edit_yaml, make_hostile
from lxml import etree
from lxml import html as lxml_html
from reference_schemas import reference_file

import pmkit
from pmkit.pluginhost.host import load_plugins
from pmkit_builtins.qti.canvas import CanvasQtiExporter
from pmkit_builtins.qti.quiz import question_title

QTI = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
CP = "{http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1}"
CANVAS = "{http://canvas.instructure.com/xsd/cccv1p0}"


# ----------------------------------------------------------------------------- helpers


def export(
    run_cli: Callable[..., Result], content: Path, *options: str, ok: bool = True
) -> tuple[Result, dict[str, bytes]]:
    """Export ``content`` as Canvas QTI; the CLI result and the zip's files by name."""
    result = run_cli(
        "export", "--format", "qti", "--content", str(content), "--output", "exports", *options
    )
    if not ok:
        return result, {}
    assert result.exit_code == 0, result.stderr
    course_id = pmkit.load_course(content).course.id
    data = (Path("exports") / f"{course_id}-qti.zip").read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return result, {name: zf.read(name) for name in zf.namelist()}


def assessment(files: dict[str, bytes], name: str = "knowledge-check") -> etree._Element:
    """The root of one assessment file (``…-knowledge-check`` or ``…-self-discovery``)."""
    (path,) = [p for p in files if p.endswith(f"-{name}.xml")]
    return etree.fromstring(files[path])


def items(root: etree._Element) -> dict[str, etree._Element]:
    return {i.get("ident"): i for i in root.iter(f"{QTI}item")}


def meta(item: etree._Element) -> dict[str, str]:
    return {
        f.findtext(f"{QTI}fieldlabel"): f.findtext(f"{QTI}fieldentry") or ""
        for f in item.iter(f"{QTI}qtimetadatafield")
    }


def shown(html_text: str) -> str:
    """What a learner reads of pmkit's HTML: paragraphs and line breaks back, escapes decoded.

    Parsed with an HTML parser first: only ``<p>`` and ``<br>`` may be markup.
    """
    for fragment in lxml_html.fragments_fromstring(html_text):
        assert isinstance(fragment, lxml_html.HtmlElement)
        assert {e.tag for e in fragment.iter()} <= {"p", "br"}, html_text
    body = html_text.replace("</p><p>", "\n\n").replace("<br>", "\n")
    body = body.removeprefix("<p>").removesuffix("</p>")
    assert "<" not in body
    return html.unescape(body)


def plain(text: str) -> str:
    return text.strip()


@functools.cache
def qti12() -> etree.XMLSchema:
    """The QTI 1.2 schema with the XML namespace schema beside it (loaded once)."""
    main = reference_file("qti12", "ims_qtiasiv1p2.xsd")
    xml = reference_file("qti12", "xml.xsd")
    wrapper = (
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
        f'<xs:import namespace="http://www.w3.org/XML/1998/namespace" '
        f'schemaLocation="{xml.as_uri()}"/>'
        f'<xs:import namespace="http://www.imsglobal.org/xsd/ims_qtiasiv1p2" '
        f'schemaLocation="{main.as_uri()}"/></xs:schema>'
    )
    return etree.XMLSchema(etree.fromstring(wrapper.encode()))


@pytest.fixture(scope="module")
def qti12_schema() -> etree.XMLSchema:
    return qti12()


@functools.cache
def cc11_manifest() -> etree.XMLSchema:
    """The CC 1.1 manifest schema (loaded once)."""
    return etree.XMLSchema(etree.parse(str(reference_file("cc11", "cc11libxml2validator.xsd"))))


@pytest.fixture(scope="module")
def cc11_schema() -> etree.XMLSchema:
    return cc11_manifest()


#: The only differences the CC 1.1 schema finds in a Canvas QTI manifest (its values).
CANVAS_MANIFEST_DIFFERENCES = {
    "'IMS Content'": "schema",
    "'1.1.3'": "schemaversion",
    "LOM/manifest}lom": "lom",
    "'imsqti_xmlv1p2'": "resource type",
}


def canvas_manifest_differences(manifest: bytes) -> set[str]:
    """What the CC 1.1 schema says of a Canvas QTI manifest, by kind; fails on anything else."""
    schema = cc11_manifest()
    assert not schema.validate(etree.fromstring(manifest))
    found = set()
    for error in schema.error_log:
        kinds = [k for text, k in CANVAS_MANIFEST_DIFFERENCES.items() if text in error.message]
        assert kinds, f"unexpected schema error: {error.message}"
        found.update(kinds)
    return found


# ----------------------------------------------------------------------------- the package


def test_exporter_declares_its_format() -> None:
    assert (CanvasQtiExporter.name, CanvasQtiExporter.kind, CanvasQtiExporter.suffix) == (
        "qti",
        "zip",
        ".zip",
    )
    names = {o.name for o in CanvasQtiExporter.options}
    assert names == {"scorer", "points", "ordering", "survey", "attempts"}
    assert "version" not in names  # SCORM's (docs/decisions.md §16)


def test_package_layout(run_cli: Callable[..., Result], bundled_content: Path) -> None:
    _, files = export(run_cli, bundled_content)
    quiz = "pmkit-pm-career-paths-knowledge-check"
    assert sorted(files) == ["imsmanifest.xml", f"{quiz}/assessment_meta.xml", f"{quiz}/{quiz}.xml"]
    manifest = etree.fromstring(files["imsmanifest.xml"])
    resources = {r.get("identifier"): r for r in manifest.iter(f"{CP}resource")}
    assert resources[quiz].get("type") == "imsqti_xmlv1p2"
    assert resources[quiz].find(f"{CP}dependency").get("identifierref") == f"{quiz}-meta"
    hrefs = {f.get("href") for f in manifest.iter(f"{CP}file")}
    assert hrefs == set(files) - {"imsmanifest.xml"}


def test_assessment_files_are_valid_qti_1_2(
    run_cli: Callable[..., Result], bundled_content: Path, qti12_schema: etree.XMLSchema
) -> None:
    _, files = export(run_cli, bundled_content, "-o", "survey", "true")
    checked = 0
    for name, data in files.items():
        if name.endswith(".xml") and "/" in name and not name.endswith("assessment_meta.xml"):
            doc = etree.fromstring(data)
            assert qti12_schema.validate(doc), (name, qti12_schema.error_log)
            checked += 1
    assert checked == 2


def test_manifest_follows_cc11_but_for_canvas_values(
    run_cli: Callable[..., Result], bundled_content: Path, cc11_schema: etree.XMLSchema
) -> None:
    """Canvas' QTI manifests say "IMS Content" 1.1.3, carry no CC LOM and use the resource
    type ``imsqti_xmlv1p2``; those are the only differences the CC 1.1 schema finds."""
    _, files = export(run_cli, bundled_content)
    assert cc11_schema is cc11_manifest()
    found = canvas_manifest_differences(files["imsmanifest.xml"])
    assert found == {"schema", "schemaversion", "lom", "resource type"}


def test_quiz_settings(run_cli: Callable[..., Result], bundled_content: Path) -> None:
    _, files = export(run_cli, bundled_content, "-o", "points", "3", "-o", "attempts", "-1")
    course = pmkit.load_course(bundled_content).course
    (name,) = [n for n in files if n.endswith("assessment_meta.xml")]
    settings = etree.fromstring(files[name])
    assert settings.findtext(f"{CANVAS}title") == course.knowledge_check.title
    assert settings.findtext(f"{CANVAS}quiz_type") == "assignment"
    assert settings.findtext(f"{CANVAS}shuffle_answers") == "false"
    assert settings.findtext(f"{CANVAS}allowed_attempts") == "-1"
    total = 3 * len(course.knowledge_check.questions)
    assert settings.findtext(f"{CANVAS}points_possible") == f"{total}.0"
    for item in items(assessment(files)).values():
        assert meta(item)["points_possible"] == "3"


def test_every_question_with_canvas_types_titles_and_option_order(
    run_cli: Callable[..., Result], bundled_content: Path
) -> None:
    _, files = export(run_cli, bundled_content)
    course = pmkit.load_course(bundled_content).course
    found = items(assessment(files))
    assert list(found) == [q.id for q in course.knowledge_check.questions]
    types = {
        "single": "multiple_choice_question",
        "multiple": "multiple_answers_question",
        "true-false": "true_false_question",
        "matching": "matching_question",
        "ordering": "matching_question",
    }
    for n, q in enumerate(course.knowledge_check.questions, start=1):
        item = found[q.id]
        assert meta(item)["question_type"] == types[q.type]
        assert item.get("title").startswith(f"{n}. ")
        labels = [
            r.get("ident") for r in item.find(f"{QTI}presentation").iter(f"{QTI}response_lid")
        ][0:1]
        assert labels
        if isinstance(q, pmkit.ChoiceQuestion):
            idents = [r.get("ident") for r in item.iter(f"{QTI}response_label")]
            assert idents == [o.id for o in pmkit.option_order(course, q)]
            assert meta(item)["original_answer_ids"] == ",".join(idents)
        if isinstance(q, pmkit.TrueFalseQuestion):
            assert [r.get("ident") for r in item.iter(f"{QTI}response_label")] == ["true", "false"]


def test_feedback_per_option_and_general(
    run_cli: Callable[..., Result], bundled_content: Path
) -> None:
    _, files = export(run_cli, bundled_content)
    course = pmkit.load_course(bundled_content).course
    found = items(assessment(files))
    for q in course.knowledge_check.questions:
        item = found[q.id]
        feedback = {
            f.get("ident"): shown(f.findtext(f".//{QTI}mattext"))
            for f in item.iter(f"{QTI}itemfeedback")
        }
        assert feedback["general_fb"] == plain(q.explanation)
        shown_by = {d.get("linkrefid") for d in item.iter(f"{QTI}displayfeedback")}
        assert shown_by == set(feedback)
        if isinstance(q, pmkit.ChoiceQuestion):
            for o in q.options:
                if o.feedback:
                    assert feedback[f"{o.id}_fb"] == plain(o.feedback)
        if isinstance(q, pmkit.TrueFalseQuestion):
            for word, text in (("true", q.true_feedback), ("false", q.false_feedback)):
                if text:
                    assert feedback[f"{word}_fb"] == plain(text)
        if isinstance(q, pmkit.MatchingQuestion | pmkit.OrderingQuestion):
            assert feedback["correct_fb"] == plain(q.feedback.correct)
            assert feedback["general_incorrect_fb"] == plain(q.feedback.incorrect)


# ----------------------------------------------------------------------------- qti2latex


def scoring_only(item: etree._Element) -> etree._Element:
    """The item without the conditions that only show feedback (see the module docstring)."""
    copy = deepcopy(item)
    for condition in list(copy.iter(f"{QTI}respcondition")):
        if condition.find(f"{QTI}setvar") is None:
            condition.getparent().remove(condition)
    return copy


def read_with_qti2latex(item: etree._Element) -> dict[str, Any]:
    """What qti2latex reads of a choice, multiple-answer or true/false item."""
    import xml.etree.ElementTree as ET

    tree = ET.fromstring(etree.tostring(item))
    scoring = ET.fromstring(etree.tostring(scoring_only(item)))
    meta_ = qti2latex.get_qti_metadata(tree)
    choices = qti2latex.get_choices(tree)
    right = qti2latex.get_correct_idents(scoring)
    return {
        "type": qti2latex.guess_type(meta_, tree),
        "points": int(meta_["points_possible"]),
        "stem": qti2latex.get_item_stem(tree),
        "choices": [text for _, text in choices],
        "right": sorted(text for ident, text in choices if ident in right),
    }


def test_qti2latex_reads_every_choice_question(
    run_cli: Callable[..., Result], bundled_content: Path
) -> None:
    _, files = export(run_cli, bundled_content)
    course = pmkit.load_course(bundled_content).course
    found = items(assessment(files))
    read = 0
    for q in course.knowledge_check.questions:
        if isinstance(q, pmkit.ChoiceQuestion):
            got = read_with_qti2latex(found[q.id])
            shown_options = [
                o for o in pmkit.option_order(course, q) if isinstance(o, pmkit.ChoiceOption)
            ]
            assert got["type"] == (
                "multiple_choice_question" if q.type == "single" else "multiple_answers_question"
            )
            assert [shown(c) for c in got["choices"]] == [plain(o.text) for o in shown_options]
            assert sorted(shown(c) for c in got["right"]) == sorted(
                plain(o.text) for o in q.options if o.correct
            )
            assert shown(got["stem"]) == plain(q.prompt) and got["points"] == 1
            read += 1
        elif isinstance(q, pmkit.TrueFalseQuestion):
            got = read_with_qti2latex(found[q.id])
            assert got["type"] == "true_false_question"
            assert [shown(c) for c in got["choices"]] == ["True", "False"]
            assert [shown(c) for c in got["right"]] == ["True" if q.answer else "False"]
            read += 1
    assert read == sum(
        q.type in ("single", "multiple", "true-false") for q in course.knowledge_check.questions
    )


def test_qti2latex_command_line_through_pandoc(
    run_cli: Callable[..., Result],
    bundled_content: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The whole reader, as a teacher would run it: zip in, LaTeX exam out (pandoc inside)."""
    import shutil

    from click.testing import CliRunner

    if shutil.which("pandoc") is None:
        pytest.fail("pandoc is missing: install Debian's pandoc (the README's test command)")
    export(run_cli, bundled_content)
    course = pmkit.load_course(bundled_content).course
    zip_path = (Path("exports") / f"{course.id}-qti.zip").resolve()
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        qti2latex.main, [str(zip_path), "-o", "quiz.tex"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    tex = (tmp_path / "quiz.tex").read_text(encoding="utf-8")
    questions = course.knowledge_check.questions
    assert tex.count("\\question[1]") == len(questions)
    unsupported = tex.count("Unsupported/unknown question type")
    assert unsupported == sum(q.type in ("matching", "ordering") for q in questions)
    choices = tex.count("\\choice ") + tex.count("\\CorrectChoice ")
    assert choices == sum(
        len(q.options) if isinstance(q, pmkit.ChoiceQuestion) else 2
        for q in questions
        if q.type in ("single", "multiple", "true-false")
    )
    assert "Tech-savvy individuals who love working with engineering teams" in tex


def _text2qti_source(course: pmkit.Course) -> str:
    """The choice and true/false questions of ``course`` in text2qti's plain-text format."""
    lines = [f"Quiz title: {course.knowledge_check.title}", ""]
    for n, q in enumerate(course.knowledge_check.questions, start=1):
        if isinstance(q, pmkit.ChoiceQuestion):
            lines += [f"Title: {q.id}", "Points: 1", f"{n}.  {' '.join(q.prompt.split())}"]
            lines.append(f"... {' '.join(q.explanation.split())}")
            for i, o in enumerate(pmkit.option_order(course, q)):
                assert isinstance(o, pmkit.ChoiceOption)
                letter = chr(ord("a") + i)
                mark = (
                    ("[*]" if o.correct else "[ ]")
                    if q.type == "multiple"
                    else (f"*{letter})" if o.correct else f"{letter})")
                )
                lines.append(f"{mark} {' '.join(o.text.split())}")
                if o.feedback and q.type == "single":
                    lines.append(f"... {' '.join(o.feedback.split())}")
            lines.append("")
        elif isinstance(q, pmkit.TrueFalseQuestion):
            lines += [
                f"Title: {q.id}",
                "Points: 1",
                f"{n}.  {' '.join(q.prompt.split())}",
                f"... {' '.join(q.explanation.split())}",
                f"{'*' if q.answer else ''}a) True",
                f"{'' if q.answer else '*'}b) False",
                "",
            ]
    return "\n".join(lines)


def test_text2qti_equivalent_quiz_reads_the_same(
    run_cli: Callable[..., Result], bundled_content: Path, tmp_path: Path
) -> None:
    from text2qti.config import Config
    from text2qti.qti import QTI as Text2Qti
    from text2qti.quiz import Quiz as Text2QtiQuiz

    _, files = export(run_cli, bundled_content)
    course = pmkit.load_course(bundled_content).course
    source = _text2qti_source(course)
    reference = Text2Qti(Text2QtiQuiz(source, config=Config(), source_name="<pmkit>"))
    reference_zip = tmp_path / "text2qti.zip"
    reference.save(reference_zip)
    with zipfile.ZipFile(reference_zip) as zf:
        (name,) = [
            n
            for n in zf.namelist()
            if n.endswith(".xml") and "/" in n and "assessment_meta" not in n
        ]
        theirs = list(items(etree.fromstring(zf.read(name))).values())
    ours = [
        i
        for i in items(assessment(files)).values()
        if meta(i)["question_type"] != "matching_question"
    ]
    assert len(ours) == len(theirs)

    def words(text: str) -> str:  # text2qti runs Markdown ("smart" punctuation aside)
        text = html.unescape(text).translate(str.maketrans("’‘“”", "''\"\""))
        return " ".join(re.sub(r"<[^>]+>", " ", text).split())

    for mine, reference_item in zip(ours, theirs, strict=True):
        a, b = read_with_qti2latex(mine), read_with_qti2latex(reference_item)
        assert a["type"] == b["type"] and a["points"] == b["points"]
        assert [words(c) for c in a["choices"]] == [words(c) for c in b["choices"]]
        assert [words(c) for c in a["right"]] == [words(c) for c in b["right"]]
        assert words(a["stem"]) == words(b["stem"])


# ----------------------------------------------------------------------------- matching


def test_matching_has_canvas_structure(run_cli: Callable[..., Result], sample_course: Path) -> None:
    _, files = export(run_cli, sample_course)
    course = pmkit.load_course(sample_course).course
    found = items(assessment(files))
    for q in course.knowledge_check.questions:
        if not isinstance(q, pmkit.MatchingQuestion):
            continue
        item = found[q.id]
        lids = item.find(f"{QTI}presentation").findall(f"{QTI}response_lid")
        assert [lid.get("ident") for lid in lids] == [f"response_{p.id}" for p in q.pairs]
        answers = {p.match for p in q.pairs} | {d.text for d in q.distractors}
        for lid, pair in zip(lids, q.pairs, strict=True):
            assert lid.find(f"{QTI}material/{QTI}mattext").text == " ".join(pair.prompt.split())
            labels = lid.findall(f"{QTI}render_choice/{QTI}response_label")
            assert {la.findtext(f".//{QTI}mattext") for la in labels} == {
                " ".join(a.split()) for a in answers
            }
        adds = [
            c
            for c in item.iter(f"{QTI}respcondition")
            if c.find(f"{QTI}setvar[@action='Add']") is not None
        ]
        assert len(adds) == len(q.pairs)
        texts = {
            la.get("ident"): la.findtext(f".//{QTI}mattext")
            for la in lids[0].iter(f"{QTI}response_label")
        }
        for condition, pair in zip(adds, q.pairs, strict=True):
            var = condition.find(f"{QTI}conditionvar/{QTI}varequal")
            assert var.get("respident") == f"response_{pair.id}"
            assert texts[var.text] == " ".join(pair.match.split())
        total = sum(float(c.findtext(f"{QTI}setvar")) for c in adds)
        assert total == pytest.approx(100, abs=0.02)


def test_ordering_as_matching_by_position(
    run_cli: Callable[..., Result], sample_course: Path
) -> None:
    _, files = export(run_cli, sample_course)
    course = pmkit.load_course(sample_course).course
    q = next(q for q in course.knowledge_check.questions if isinstance(q, pmkit.OrderingQuestion))
    item = items(assessment(files))[q.id]
    assert meta(item)["question_type"] == "matching_question"
    shown_items = [i.id for i in pmkit.option_order(course, q)]
    lids = item.find(f"{QTI}presentation").findall(f"{QTI}response_lid")
    assert [lid.get("ident") for lid in lids] == [f"response_{i}" for i in shown_items]
    right = {v.get("respident"): v.text for v in item.iter(f"{QTI}varequal")}
    for position, it in enumerate(q.items, start=1):
        assert right[f"response_{it.id}"] == f"position-{position}"


def test_ordering_skip_warns_naming_each(
    run_cli: Callable[..., Result], sample_course: Path
) -> None:
    result, files = export(run_cli, sample_course, "-o", "ordering", "skip")
    course = pmkit.load_course(sample_course).course
    ordering = [q.id for q in course.knowledge_check.questions if q.type == "ordering"]
    assert ordering and all(f"`{qid}` left out" in result.stderr for qid in ordering)
    assert not set(ordering) & set(items(assessment(files)))


# ----------------------------------------------------------------------------- scorers


def test_all_or_nothing_is_refused_naming_the_questions(
    run_cli: Callable[..., Result], sample_course: Path
) -> None:
    result, _ = export(run_cli, sample_course, "-o", "scorer", "all-or-nothing", ok=False)
    assert result.exit_code != 0
    course = pmkit.load_course(sample_course).course
    for q in course.knowledge_check.questions:
        named = f"question `{q.id}`" in result.stderr
        assert named == (q.type in ("multiple", "matching", "ordering")), q.id
    assert not Path("exports").exists() or not any(Path("exports").iterdir())


def test_partial_credit_penalty_difference_is_a_warning(
    run_cli: Callable[..., Result], bundled_content: Path
) -> None:
    result, _ = export(run_cli, bundled_content)
    course = pmkit.load_course(bundled_content).course
    for q in course.knowledge_check.questions:
        if isinstance(q, pmkit.ChoiceQuestion) and q.type == "multiple":
            right = sum(o.correct for o in q.options)
            differs = right != len(q.options) - right
            assert (f"question `{q.id}`: scorer 'partial-credit' takes" in result.stderr) == (
                differs
            )


# ----------------------------------------------------------------------------- survey, hostile


def test_survey_holds_the_self_discovery_questions_ungraded(
    run_cli: Callable[..., Result], bundled_content: Path
) -> None:
    _, files = export(run_cli, bundled_content, "-o", "survey", "true")
    course = pmkit.load_course(bundled_content).course
    survey = items(assessment(files, "self-discovery"))
    assert list(survey) == [q.id for q in course.self_discovery.questions]
    for item in survey.values():
        assert meta(item)["points_possible"] == "0"
        assert item.find(f"{QTI}resprocessing") is None
        assert [r.get("ident") for r in item.iter(f"{QTI}response_label")] == ["yes", "no"]
    (name,) = [n for n in files if "self-discovery/assessment_meta" in n]
    assert etree.fromstring(files[name]).findtext(f"{CANVAS}quiz_type") == "survey"


def test_hostile_strings_survive(run_cli: Callable[..., Result], sample_course: Path) -> None:
    make_hostile(sample_course)
    _, files = export(run_cli, sample_course, "-o", "survey", "true")
    course = pmkit.load_course(sample_course).course
    found = items(assessment(files))
    for number, q in enumerate(course.knowledge_check.questions, start=1):
        item = found[q.id]
        assert shown(item.find(f"{QTI}presentation/{QTI}material/{QTI}mattext").text).startswith(
            plain(q.prompt)
        )
        assert item.get("title") == question_title(number, q.prompt)  # plain text, as written
        if isinstance(q, pmkit.ChoiceQuestion):
            texts = {
                r.get("ident"): shown(r.findtext(f".//{QTI}mattext"))
                for r in item.iter(f"{QTI}response_label")
            }
            assert texts == {o.id: plain(o.text) for o in q.options}
        if isinstance(q, pmkit.MatchingQuestion):
            lefts = [
                lid.findtext(f"{QTI}material/{QTI}mattext")
                for lid in item.iter(f"{QTI}response_lid")
            ]
            assert lefts == [" ".join(p.prompt.split()) for p in q.pairs]
    text = b"".join(files.values()).decode("utf-8")
    assert "<script>" not in text  # only ever escaped
    settings = [n for n in files if n.endswith("assessment_meta.xml")]
    title = etree.fromstring(files[settings[0]]).findtext(f"{CANVAS}title")
    assert title == course.knowledge_check.title


def test_bad_characters_are_reported_at_their_position(
    run_cli: Callable[..., Result], sample_course: Path
) -> None:
    """Refused before anything is written: by content validation where it refuses control
    characters, else by the exporter's own check (tested on its own below)."""

    def change(d: Any) -> None:
        d["questions"][0]["prompt"] = "bell \x07 rings"

    edit_yaml(sample_course / "knowledge-check.yaml", change)
    result, _ = export(run_cli, sample_course, ok=False)
    assert result.exit_code != 0
    assert "knowledge-check.yaml:" in result.stderr and "U+0007" in result.stderr
    assert not Path("exports").exists() or not any(Path("exports").iterdir())


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
    scorers = {name: obj.obj for name, obj in load_plugins(entry_points=False).scorers.items()}
    options = {o.name: o.default for o in CanvasQtiExporter.options}
    ctx = pmkit.ExportContext(
        course=course,
        options=options,
        source_date_epoch=0,
        content_dir=sample_course,
        scorers=scorers,
    )
    issues = [i for i in CanvasQtiExporter().check(ctx) if i.severity == "error"]
    assert [(i.line, "U+0007" in i.message) for i in issues] == [(first.source.line, True)]


def test_zero_attempts_is_refused(run_cli: Callable[..., Result], sample_course: Path) -> None:
    result, _ = export(run_cli, sample_course, "-o", "attempts", "0", ok=False)
    assert result.exit_code != 0 and "-o attempts 0" in result.stderr


def test_golden_files(run_cli: Callable[..., Result], bundled_content: Path) -> None:
    """The bundled course's quiz, byte for byte (a change to it is a decision to review)."""
    _, files = export(run_cli, bundled_content)
    quiz = "pmkit-pm-career-paths-knowledge-check"
    assert_golden("qti-pm-career-paths-assessment.xml", files[f"{quiz}/{quiz}.xml"])
    assert_golden("qti-pm-career-paths-assessment_meta.xml", files[f"{quiz}/assessment_meta.xml"])
