"""The Moodle XML export: valid against pmkit's XSD, faithful to the course, free of the pitfalls
of Moodle's importer (docs/moodle-import.md), byte-stable (golden file).

Every export goes through the CLI. "What Moodle stores" is read the way Moodle's importer reads
it: the element's character data (CDATA resolved), trimmed. "What the learner sees" of an HTML
field is that text with pmkit's ``<p>``/``<br>`` wrappers turned back into line breaks and the
HTML escapes decoded.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import Result
from golden_files import assert_golden
from lxml import etree

import pmkit
from pmkit.content import model as m
from pmkit.content.load import load_course
from pmkit_builtins.moodle.bank import question_name
from pmkit_builtins.moodle.xml_export import (
    NUMBERING,
    MoodleXmlExporter,
    UnsafeText,
    cdata,
    schema_file,
)

GOLDEN = Path(__file__).parent / "golden" / "moodle-pm-career-paths.xml"
DECLARATION = b"<?xml version='1.0' encoding='UTF-8'?>\n"

#: Moodle's grade list (question_bank::fraction_options_full), written as Moodle writes it.
#: Kept here on purpose, independent of pmkit_builtins.moodle.fractions.
MOODLE_PERCENTS: dict[str, Fraction] = {
    text: Fraction(num, den)
    for text, num, den in [
        ("100", 1, 1),
        ("90", 9, 10),
        ("83.33333", 5, 6),
        ("80", 4, 5),
        ("75", 3, 4),
        ("70", 7, 10),
        ("66.66667", 2, 3),
        ("60", 3, 5),
        ("50", 1, 2),
        ("40", 2, 5),
        ("33.33333", 1, 3),
        ("30", 3, 10),
        ("25", 1, 4),
        ("20", 1, 5),
        ("16.66667", 1, 6),
        ("14.28571", 1, 7),
        ("12.5", 1, 8),
        ("11.11111", 1, 9),
        ("10", 1, 10),
        ("5", 1, 20),
    ]
}
MOODLE_PERCENTS.update({f"-{k}": -v for k, v in list(MOODLE_PERCENTS.items())})
MOODLE_PERCENTS["0"] = Fraction(0)

#: Elements whose <text> is HTML (format="html" on them; <subquestion> prompts included).
HTML_FIELDS = {
    "questiontext",
    "generalfeedback",
    "correctfeedback",
    "partiallycorrectfeedback",
    "incorrectfeedback",
    "feedback",
    "info",
    "subquestion",
}

HOSTILE = "Tricky ]]> <b>bold</b> &nbsp; &amp; {}~=#: \"q\" 'a' 😀 שלום עולם"
HOSTILE_LINES = "Line one ]]>\nline two <i>x</i> &nbsp;\n\nNew paragraph {}~=#: 😀 مرحبا"


# ----------------------------------------------------------------------------- helpers


def export(
    run_cli: Callable[..., Result], content: Path, *options: str, output: str = "exports"
) -> tuple[Result, bytes]:
    """Export ``content`` as Moodle XML; the CLI result and the file's bytes."""
    result = run_cli(
        "export", "--format", "moodle", "--content", str(content), "--output", output, *options
    )
    assert result.exit_code == 0, result.stderr
    course_id = load_course(content).course.id
    return result, (Path(output) / f"{course_id}-moodle.xml").read_bytes()


def parse(data: bytes) -> etree._Element:
    """Parse like a strict XML parser (no DTD, no network); CDATA sections are kept."""
    parser = etree.XMLParser(
        strip_cdata=False, resolve_entities=False, no_network=True, load_dtd=False
    )
    return etree.fromstring(data, parser)


_SCHEMA: list[etree.XMLSchema] = []


def xsd() -> etree.XMLSchema:
    """pmkit's own XSD, loaded from the installed package data."""
    if not _SCHEMA:
        _SCHEMA.append(etree.XMLSchema(etree.fromstring(schema_file().read_bytes())))
    return _SCHEMA[0]


def assert_valid(data: bytes) -> etree._Element:
    """Check the file against the XSD and the rules XSD 1.0 cannot say; return the root."""
    assert data.startswith(DECLARATION)
    data.decode("utf-8")  # strict: raises on anything but UTF-8
    root = parse(data)
    schema = xsd()
    assert schema.validate(root), schema.error_log
    first_after_idnumber = {
        "multichoice": "single",
        "truefalse": "answer",
        "matching": "shuffleanswers",
        "ordering": "layouttype",
    }
    for q in root.iter("question"):
        if q.get("type") == "category":
            continue
        following = q.find("idnumber").getnext()
        assert following.tag == first_after_idnumber[q.get("type")], q.findtext("idnumber")
    return root


def stored(element: etree._Element | None) -> str:
    """The text Moodle's importer stores for a field: its <text>, trimmed."""
    assert element is not None
    text = element.find("text") if element.tag != "text" else element
    return (text.text or "").strip()


def shown(element: etree._Element | None) -> str:
    """What the learner sees of an HTML field: the wrappers undone, the escapes decoded."""
    raw = stored(element)
    if not raw:
        return ""
    assert raw.startswith("<p>") and raw.endswith("</p>"), raw
    text = "\n\n".join(p.replace("<br>", "\n") for p in raw[3:-4].split("</p><p>"))
    assert "<" not in text and ">" not in text, f"markup pmkit did not add: {raw!r}"
    return html.unescape(text)


def by_id(root: etree._Element) -> dict[str, etree._Element]:
    """Questions by <idnumber>."""
    return {q.findtext("idnumber"): q for q in root.iter("question") if q.get("type") != "category"}


def categories(root: etree._Element) -> dict[str, list[str]]:
    """Category path → the idnumbers of the questions that follow it."""
    out: dict[str, list[str]] = {}
    current: list[str] = []
    for q in root.iter("question"):
        if q.get("type") == "category":
            current = out.setdefault(stored(q.find("category")), [])
        else:
            current.append(q.findtext("idnumber"))
    return out


def answers(q: etree._Element) -> list[etree._Element]:
    """The question's <answer> children (not a sub-question's)."""
    return q.findall("answer")


def serialized(element: etree._Element) -> str:
    """An element as written (CDATA kept, thanks to ``parse``)."""
    return etree.tostring(element, encoding="unicode", with_tail=False)


def edit_yaml(path: Path, change: Callable[[Any], None]) -> None:
    """Load a content file, let ``change`` edit the data, write it back."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8"
    )


def tree_question_text(course: m.Course, node: m.TreeNode) -> str:
    """A decision-tree node's question text in a bank (docs/moodle-import.md): its
    prompt, then which earlier answers lead to it (grouped by question, in tree
    order; none for the start), then its text."""

    def quoted(text: str) -> str:
        return "\u201c" + " ".join(text.split()) + "\u201d"

    leads = []
    for parent in course.decision_tree.nodes:
        labels = [quoted(o.label) for o in parent.options if o.next == node.id]
        if labels:
            leads.append(" or ".join(labels) + " to " + quoted(parent.prompt))
    mark = "(If you answered " + ", or ".join(leads) + ")" if leads else None
    return "\n\n".join(p for p in (node.prompt, mark, node.text) if p)


def kc_question(data: dict[str, Any], qid: str) -> dict[str, Any]:
    """A knowledge-check question's mapping in a loaded knowledge-check.yaml."""
    return next(q for q in data["questions"] if q["id"] == qid)


def exports_empty() -> bool:
    """Nothing written: no exports folder, or an empty one."""
    folder = Path("exports")
    return not folder.exists() or not any(folder.iterdir())


def nearest_percent(value: Fraction) -> Fraction:
    """Moodle's list value nearest ``value`` (ties toward zero)."""
    return min(MOODLE_PERCENTS.values(), key=lambda a: (abs(a - value), abs(a)))


def shown_options(course: m.Course, q: m.ChoiceQuestion) -> list[m.ChoiceOption]:
    """The options in the order every export shows them (pmkit.option_order)."""
    return [o for o in pmkit.option_order(course, q) if isinstance(o, m.ChoiceOption)]


def choice_fractions(course: m.Course, q: m.ChoiceQuestion) -> list[Fraction]:
    """Partial credit, independently: single 1/0; multiple 1/k right, -1/(n-k) wrong, snapped."""
    shown = shown_options(course, q)
    if q.type == "single":
        return [Fraction(int(o.correct)) for o in shown]
    right = sum(o.correct for o in shown)
    wrong = len(shown) - right
    return [
        nearest_percent(Fraction(1, right)) if o.correct else nearest_percent(Fraction(-1, wrong))
        for o in shown
    ]


def fraction_of(answer: etree._Element) -> Fraction:
    """The fraction an answer's ``fraction`` attribute stands for (it must be in the list)."""
    text = answer.get("fraction")
    assert text in MOODLE_PERCENTS, text
    return MOODLE_PERCENTS[text]


def source_at(src: m.Source) -> str:
    """``file:line:col`` as the CLI prints it (the file name only; the folder may differ)."""
    return rf"{re.escape(Path(src.file).name)}:{src.line}:{src.column}"


def all_texts(root: etree._Element) -> Iterator[etree._Element]:
    """Every <text> element of the document."""
    yield from root.iter("text")


# ----------------------------------------------------------------------------- basics


def test_exporter_declares_what_the_brief_asks() -> None:
    assert MoodleXmlExporter.name == "moodle"
    assert MoodleXmlExporter.kind == "xml"
    assert MoodleXmlExporter.suffix == ".xml"
    opts = {o.name: o for o in MoodleXmlExporter.options}
    assert opts["scorer"].default is None  # the course's grade scorer
    assert opts["ordering"].allowed == ("native", "skip")
    assert opts["ordering"].default == "native"
    assert opts["category"].default is None
    assert opts["shuffle"].default is True
    assert opts["numbering"].allowed == tuple(NUMBERING) and opts["numbering"].default == "abc"
    penalty = opts["penalty"]
    assert (penalty.minimum, penalty.maximum, penalty.default) == (0, 1, 0.3333333)
    for option in opts.values():
        assert option.help


def test_formats_lists_moodle_with_its_options(run_cli: Callable[..., Result]) -> None:
    result = run_cli("formats", "moodle")
    assert result.exit_code == 0, result.stderr
    for option in ("scorer", "ordering", "category", "shuffle", "numbering", "penalty"):
        assert option in result.stdout


def test_bundled_course_exports_valid_utf8_xml(
    run_cli: Callable[..., Result], bundled_content: Path
) -> None:
    result, data = export(run_cli, bundled_content)
    assert "exports/pm-career-paths-moodle.xml" in result.stdout
    root = assert_valid(data)
    assert root.tag == "quiz"
    assert result.stderr == ""  # partial credit fits Moodle's list exactly: no rounding


def test_sample_course_exports_every_question_type(
    run_cli: Callable[..., Result], sample_course: Path
) -> None:
    _, data = export(run_cli, sample_course)
    root = assert_valid(data)
    assert {q.get("type") for q in root.iter("question")} == {
        "category",
        "multichoice",
        "truefalse",
        "matching",
        "ordering",
    }


def test_golden_file(run_cli: Callable[..., Result], bundled_content: Path) -> None:
    """Byte-exact; ``PMKIT_UPDATE_GOLDEN=1`` rewrites the golden file after a wanted change."""
    _, data = export(run_cli, bundled_content)
    assert_golden(GOLDEN.name, data)
    assert_valid(GOLDEN.read_bytes())


def test_check_writes_nothing(run_cli: Callable[..., Result], bundled_content: Path) -> None:
    result = run_cli("export", "--format", "moodle", "--content", str(bundled_content), "--check")
    assert result.exit_code == 0, result.stderr
    assert "moodle" in result.stdout
    assert exports_empty()


def test_xsd_is_package_data_and_says_it_is_pmkits_own() -> None:
    text = schema_file().read_text(encoding="utf-8")
    header = text.split("-->", 1)[0]
    assert "pmkit's OWN schema" in header and "NOT Moodle's" in header
    assert "publishes none" in header


def test_xsd_fraction_list_is_moodles_list() -> None:
    doc = etree.fromstring(schema_file().read_bytes())
    ns = {"xs": "http://www.w3.org/2001/XMLSchema"}
    values = doc.xpath(
        "//xs:simpleType[@name='fractionPercent']//xs:enumeration/@value", namespaces=ns
    )
    assert sorted(values) == sorted(MOODLE_PERCENTS)
    assert len(values) == 41


COMMON = [
    "name",
    "questiontext",
    "generalfeedback",
    "defaultgrade",
    "penalty",
    "hidden",
    "idnumber",
]
COMBINED = ["correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"]
STRUCTURE = {
    "category": ["category", "info"],
    "kc-single": [
        *COMMON,
        "single",
        "shuffleanswers",
        "answernumbering",
        "showstandardinstruction",
        *COMBINED,
        "answer",
        "answer",
        "tags",
    ],
    "kc-multiple": [
        *COMMON,
        "single",
        "shuffleanswers",
        "answernumbering",
        "showstandardinstruction",
        *COMBINED,
        "shownumcorrect",
        "answer",
        "answer",
        "answer",
    ],
    "kc-true-false": [*COMMON, "answer", "answer"],
    "kc-matching": [
        *COMMON,
        "shuffleanswers",
        *COMBINED,
        "shownumcorrect",
        "subquestion",
        "subquestion",
        "subquestion",
    ],
    "kc-ordering": [
        *COMMON,
        "layouttype",
        "selecttype",
        "selectcount",
        "gradingtype",
        "showgrading",
        "numberingstyle",
        *COMBINED,
        "shownumcorrect",
        "answer",
        "answer",
        "answer",
        "tags",
    ],
}


def test_structure_per_question_type(run_cli: Callable[..., Result], sample_course: Path) -> None:
    """Each type's elements, in the order Moodle's own exporter writes them."""
    _, data = export(run_cli, sample_course)
    root = assert_valid(data)
    questions = by_id(root)
    for key, tags in STRUCTURE.items():
        element = root[0] if key == "category" else questions[key]
        assert [child.tag for child in element] == tags, key
    single = questions["kc-single"]
    assert [child.tag for child in answers(single)[0]] == ["text", "feedback"]
    assert answers(single)[0].attrib.keys() == ["fraction", "format"]
    truefalse = answers(questions["kc-true-false"])
    assert [a.get("format") for a in truefalse] == ["moodle_auto_format"] * 2
    sub = questions["kc-matching"].find("subquestion")
    assert [child.tag for child in sub] == ["text", "answer"]
    assert [child.tag for child in sub.find("answer")] == ["text"]
    item = answers(questions["kc-ordering"])[0]
    assert dict(item.attrib) == {"fraction": "100", "format": "html"}
    assert [child.tag for child in item] == ["text"]
    assert questions["kc-multiple"].find("shownumcorrect").text is None  # <shownumcorrect/>
    assert [stored(t) for t in questions["kc-ordering"].findall("tags/tag")] == ["beta-pm"]


# ----------------------------------------------------------------------------- round trip


@pytest.mark.parametrize("which", ["bundled", "sample"])
def test_round_trip_knowledge_check(
    run_cli: Callable[..., Result], bundled_content: Path, sample_course: Path, which: str
) -> None:
    content = bundled_content if which == "bundled" else sample_course
    course = load_course(content).course
    _, data = export(run_cli, content)
    root = assert_valid(data)
    questions = by_id(root)
    kc_path = f"$course$/top/{course.title}/{course.knowledge_check.title}"
    assert categories(root)[kc_path] == [q.id for q in course.knowledge_check.questions]

    for q in course.knowledge_check.questions:
        x = questions[q.id]
        assert stored(x.find("name")) == question_name(q.prompt)
        assert shown(x.find("questiontext")) == q.prompt
        assert shown(x.find("generalfeedback")) == q.explanation
        assert x.findtext("defaultgrade") == "1.0000000"
        assert x.findtext("penalty") == "0.3333333"
        assert x.findtext("hidden") == "0"
        assert [stored(t) for t in x.findall("tags/tag")] == list(q.tracks)
        if isinstance(q, m.ChoiceQuestion):
            assert x.get("type") == "multichoice"
            assert x.findtext("single") == ("true" if q.type == "single" else "false")
            xs = answers(x)
            order = shown_options(course, q)
            assert [shown(a) for a in xs] == [o.text for o in order]
            assert [shown(a.find("feedback")) for a in xs] == [o.feedback or "" for o in order]
            got = [fraction_of(a) for a in xs]
            assert got == choice_fractions(course, q)
            if q.type == "multiple":
                right = sum(o.correct for o in q.options)
                total = sum(float(a.get("fraction")) for a in xs if float(a.get("fraction")) > 0)
                assert abs(total - 100) <= 0.001 * right
                assert x.find("shownumcorrect") is not None
        elif isinstance(q, m.TrueFalseQuestion):
            assert x.get("type") == "truefalse"
            xs = answers(x)
            assert [stored(a) for a in xs] == ["true", "false"]
            assert [a.get("fraction") for a in xs] == (["100", "0"] if q.answer else ["0", "100"])
            assert [shown(a.find("feedback")) for a in xs] == [
                q.true_feedback or "",
                q.false_feedback or "",
            ]
        elif isinstance(q, m.MatchingQuestion):
            assert x.get("type") == "matching"
            subs = x.findall("subquestion")
            expected = [(p.prompt, p.match) for p in q.pairs] + [
                ("", d.text) for d in q.distractors
            ]
            assert [(shown(s), html.unescape(stored(s.find("answer")))) for s in subs] == expected
            assert shown(x.find("correctfeedback")) == q.feedback.correct
            assert shown(x.find("partiallycorrectfeedback")) == q.feedback.partial
            assert shown(x.find("incorrectfeedback")) == q.feedback.incorrect
        else:
            assert isinstance(q, m.OrderingQuestion)
            assert x.get("type") == "ordering"
            assert [shown(a) for a in answers(x)] == [i.text for i in q.items]
            assert x.findtext("gradingtype") == "ABSOLUTE_POSITION"
            assert shown(x.find("correctfeedback")) == q.feedback.correct
            assert shown(x.find("partiallycorrectfeedback")) == q.feedback.partial
            assert shown(x.find("incorrectfeedback")) == q.feedback.incorrect


@pytest.mark.parametrize("which", ["bundled", "sample"])
def test_round_trip_self_discovery(
    run_cli: Callable[..., Result], bundled_content: Path, sample_course: Path, which: str
) -> None:
    content = bundled_content if which == "bundled" else sample_course
    course = load_course(content).course
    _, data = export(run_cli, content)
    root = assert_valid(data)
    path = f"$course$/top/{course.title}/{course.self_discovery.title}"
    expected_ids = [q.id for q in course.self_discovery.questions] + [
        n.id for n in course.decision_tree.nodes
    ]
    assert categories(root)[path] == expected_ids
    questions = by_id(root)
    for q in course.self_discovery.questions:
        x = questions[q.id]
        assert shown(x.find("questiontext")) == q.text
        assert [shown(a) for a in answers(x)] == ["Yes", "No"]
        assert [t for t, p in q.points.items() if p > 0] == [
            stored(t) for t in x.findall("tags/tag")
        ]
    for node in course.decision_tree.nodes:
        x = questions[node.id]
        assert shown(x.find("questiontext")).startswith(node.prompt)
        assert [shown(a) for a in answers(x)] == [o.label for o in node.options]
    for qid in expected_ids:
        x = questions[qid]
        assert x.get("type") == "multichoice" and x.findtext("single") == "true"
        assert x.findtext("defaultgrade") == "0.0000000"
        assert {a.get("fraction") for a in answers(x)} == {"100"}
        assert x.findtext("shuffleanswers") == "false"  # reflection answers keep their order
        assert all(shown(a.find("feedback")) for a in answers(x))


def test_self_discovery_feedback_names_the_tracks(
    run_cli: Callable[..., Result], bundled_content: Path
) -> None:
    course = load_course(bundled_content).course
    _, data = export(run_cli, bundled_content)
    questions = by_id(assert_valid(data))
    for q in course.self_discovery.questions:
        yes = shown(answers(questions[q.id])[0].find("feedback"))
        for track_id, points in q.points.items():
            track = course.track(track_id)
            assert track is not None
            assert (f"{track.short_title} (+{points})" in yes) is (points > 0)
    start = course.decision_tree.start_node
    for option, answer in zip(start.options, answers(questions[start.id]), strict=True):
        feedback = shown(answer.find("feedback"))
        if option.track:
            track = course.track(option.track)
            assert track is not None and track.short_title in feedback


def test_category_info_and_custom_root(run_cli: Callable[..., Result], sample_course: Path) -> None:
    course = load_course(sample_course).course
    _, data = export(run_cli, sample_course, "-o", "category", "$course$/top/Banks/PM")
    root = assert_valid(data)
    cats = [q for q in root.iter("question") if q.get("type") == "category"]
    assert [stored(c.find("category")) for c in cats] == [
        f"$course$/top/Banks/PM/{course.knowledge_check.title}",
        f"$course$/top/Banks/PM/{course.self_discovery.title}",
    ]
    assert [shown(c.find("info")) for c in cats] == [
        course.knowledge_check.intro,
        course.self_discovery.intro,
    ]
    assert all(c.find("info").get("format") == "html" for c in cats)


def test_options_shuffle_numbering_penalty(
    run_cli: Callable[..., Result], sample_course: Path
) -> None:
    _, data = export(
        run_cli,
        sample_course,
        "-o",
        "shuffle",
        "false",
        "-o",
        "numbering",
        "123",
        "-o",
        "penalty",
        "0.1",
    )
    root = assert_valid(data)
    for q in by_id(root).values():
        assert q.findtext("penalty") == "0.1000000"
        if q.get("type") in ("multichoice", "matching"):
            assert q.findtext("shuffleanswers") == "false"
        if q.get("type") == "multichoice":
            assert q.findtext("answernumbering") == "123"


@pytest.mark.parametrize(
    ("key", "value"),
    [("numbering", "ABC"), ("ordering", "drop"), ("penalty", "2"), ("shuffle", "maybe")],
)
def test_bad_options_are_usage_errors(
    run_cli: Callable[..., Result], sample_course: Path, key: str, value: str
) -> None:
    result = run_cli(
        "export", "--format", "moodle", "--content", str(sample_course), "-o", key, value
    )
    assert result.exit_code == 2
    assert key in result.stderr
    assert exports_empty()


# ----------------------------------------------------------------------------- scorers, ordering


def test_ordering_skip_warns_naming_each_question(
    run_cli: Callable[..., Result], bundled_content: Path
) -> None:
    course = load_course(bundled_content).course
    ordering = [q for q in course.knowledge_check.questions if isinstance(q, m.OrderingQuestion)]
    assert len(ordering) == 2
    result, data = export(run_cli, bundled_content, "-o", "ordering", "skip")
    root = assert_valid(data)
    assert not [q for q in root.iter("question") if q.get("type") == "ordering"]
    for q in ordering:
        assert q.id not in by_id(root)
        assert re.search(
            rf"{source_at(q.source)}: warning: .*`{q.id}`.*-o ordering skip", result.stderr
        ), result.stderr
    others = [q.id for q in course.knowledge_check.questions if q not in ordering]
    assert [i for i in by_id(root) if i.startswith("kc-")] == others


def test_all_or_nothing_refuses_and_writes_nothing(
    run_cli: Callable[..., Result], bundled_content: Path
) -> None:
    course = load_course(bundled_content).course
    refused = [q for q in course.knowledge_check.questions if q.type in ("multiple", "matching")]
    assert refused
    result = run_cli(
        "export",
        "--format",
        "moodle",
        "--content",
        str(bundled_content),
        "-o",
        "scorer",
        "all-or-nothing",
    )
    assert result.exit_code == 1
    for q in refused:
        assert re.search(rf"{source_at(q.source)}: error: question `{q.id}`", result.stderr), (
            result.stderr
        )
    assert "all-or-nothing" in result.stderr
    assert exports_empty()


def test_all_or_nothing_ordering_is_graded_all_or_nothing(
    run_cli: Callable[..., Result], sample_course: Path
) -> None:
    edit_yaml(
        sample_course / "knowledge-check.yaml",
        lambda d: d.update(
            questions=[q for q in d["questions"] if q["type"] not in ("multiple", "matching")]
        ),
    )
    _, data = export(run_cli, sample_course, "-o", "scorer", "all-or-nothing")
    root = assert_valid(data)
    assert by_id(root)["kc-ordering"].findtext("gradingtype") == "ALL_OR_NOTHING"


def test_unknown_scorer_is_refused(run_cli: Callable[..., Result], sample_course: Path) -> None:
    result = run_cli(
        "export", "--format", "moodle", "--content", str(sample_course), "-o", "scorer", "nope"
    )
    assert result.exit_code != 0
    assert "nope" in result.stderr
    assert exports_empty()


def _right_options(count: int, wrong: int = 1) -> Callable[[Any], None]:
    def change(data: Any) -> None:
        q = kc_question(data, "kc-multiple")
        q["options"] = [
            {"id": f"r{i}", "text": f"Right {i}", "correct": True} for i in range(count)
        ] + [{"id": f"w{i}", "text": f"Wrong {i}", "correct": False} for i in range(wrong)]

    return change


def test_21_right_options_stop_the_export_at_the_question(
    run_cli: Callable[..., Result], sample_course: Path
) -> None:
    edit_yaml(sample_course / "knowledge-check.yaml", _right_options(21))
    q = load_course(sample_course).course.knowledge_check.question("kc-multiple")
    assert q is not None
    result = run_cli("export", "--format", "moodle", "--content", str(sample_course))
    assert result.exit_code == 1
    assert re.search(
        rf"{source_at(q.source)}: error: question `kc-multiple`: 21 right", result.stderr
    ), result.stderr
    assert exports_empty()


def test_11_right_options_round_with_a_warning_and_sum_to_100(
    run_cli: Callable[..., Result], sample_course: Path
) -> None:
    edit_yaml(sample_course / "knowledge-check.yaml", _right_options(11, wrong=3))
    q = load_course(sample_course).course.knowledge_check.question("kc-multiple")
    assert q is not None
    result, data = export(run_cli, sample_course)
    warning = re.search(
        rf"{source_at(q.source)}: warning: question `kc-multiple`: (.*)", result.stderr
    )
    assert warning, result.stderr
    assert "9.09091 %" in warning.group(1)  # the exact value 1/11, and what it became
    x = by_id(assert_valid(data))["kc-multiple"]
    positive = [a for a in answers(x) if fraction_of(a) > 0]
    assert len(positive) == 11
    assert sum(fraction_of(a) for a in positive) == 1  # exactly, in Moodle's own values
    assert sum(Decimal(a.get("fraction")) for a in positive) == 100
    for a in positive:
        assert f"{a.get('fraction')} %" in warning.group(1)


# ----------------------------------------------------------------------------- hostile strings


def _make_hostile(content: Path) -> None:
    """Hostile text in every field the Moodle bank uses (ids stay valid)."""
    counter = iter(range(1000))

    def h(multiline: bool = False) -> str:
        return f"{HOSTILE_LINES if multiline else HOSTILE} #{next(counter)}"

    def course(d: Any) -> None:
        d["title"] = f"A/B {HOSTILE} // end"

    def kc(d: Any) -> None:
        d["title"] = h()
        d["intro"] = h(True)
        for q in d["questions"]:
            q["prompt"], q["explanation"] = h(True), h(True)
            for o in q.get("options", []):
                o["text"], o["feedback"] = h(), h(True)
            if q["type"] == "true-false":
                q["true_feedback"], q["false_feedback"] = h(True), h(True)
            for p in q.get("pairs", []):
                p["prompt"], p["match"] = h(True), h()
            for dis in q.get("distractors", []):
                dis["text"] = h()
            for i in q.get("items", []):
                i["text"] = h()
            if "feedback" in q:
                q["feedback"] = {"correct": h(True), "partial": h(True), "incorrect": h(True)}

    def sd(d: Any) -> None:
        d["title"], d["intro"] = h(), h(True)
        for g in d["groups"]:
            for q in g["questions"]:
                q["text"] = h(True)

    def tree(d: Any) -> None:
        for n in d["nodes"]:
            n["prompt"], n["text"] = h(), h(True)
            for o in n["options"]:
                o["label"], o["text"] = h(), h(True)

    def track(d: Any) -> None:
        d["title"], d["short_title"] = h(), h()

    edit_yaml(content / "course.yaml", course)
    edit_yaml(content / "knowledge-check.yaml", kc)
    edit_yaml(content / "self-discovery.yaml", sd)
    edit_yaml(content / "decision-tree.yaml", tree)
    for path in sorted((content / "tracks").glob("*.yaml")):
        edit_yaml(path, track)


@pytest.fixture
def hostile(sample_course: Path) -> Path:
    """The sample course with hostile strings in every text the bank uses."""
    _make_hostile(sample_course)
    return sample_course


def test_hostile_strings_survive_in_every_field(
    run_cli: Callable[..., Result], hostile: Path
) -> None:
    course = load_course(hostile).course
    _, data = export(run_cli, hostile)
    root = assert_valid(data)
    questions = by_id(root)

    def segment(name: str) -> str:  # Moodle reads `//` in a path as a literal `/`
        return " ".join(name.split()).replace("/", "//")

    base = f"$course$/top/{segment(course.title)}"
    assert list(categories(root)) == [
        f"{base}/{segment(course.knowledge_check.title)}",
        f"{base}/{segment(course.self_discovery.title)}",
    ]
    infos = [shown(q.find("info")) for q in root.iter("question") if q.get("type") == "category"]
    assert infos == [course.knowledge_check.intro, course.self_discovery.intro]

    for q in course.knowledge_check.questions:
        x = questions[q.id]
        assert stored(x.find("name")) == question_name(q.prompt)
        assert shown(x.find("questiontext")) == q.prompt
        assert shown(x.find("generalfeedback")) == q.explanation
        if isinstance(q, m.ChoiceQuestion):
            order = shown_options(course, q)
            assert [shown(a) for a in answers(x)] == [o.text for o in order]
            assert [shown(a.find("feedback")) for a in answers(x)] == [o.feedback for o in order]
        elif isinstance(q, m.TrueFalseQuestion):
            assert [shown(a.find("feedback")) for a in answers(x)] == [
                q.true_feedback,
                q.false_feedback,
            ]
        elif isinstance(q, m.MatchingQuestion):
            subs = x.findall("subquestion")
            assert [shown(s) for s in subs] == [p.prompt for p in q.pairs] + [""] * len(
                q.distractors
            )
            assert [html.unescape(stored(s.find("answer"))) for s in subs] == (
                [p.match for p in q.pairs] + [d.text for d in q.distractors]
            )
        elif isinstance(q, m.OrderingQuestion):
            assert [shown(a) for a in answers(x)] == [i.text for i in q.items]
        if isinstance(q, m.MatchingQuestion | m.OrderingQuestion):
            assert shown(x.find("correctfeedback")) == q.feedback.correct
            assert shown(x.find("partiallycorrectfeedback")) == q.feedback.partial
            assert shown(x.find("incorrectfeedback")) == q.feedback.incorrect

    for sdq in course.self_discovery.questions:
        x = questions[sdq.id]
        assert shown(x.find("questiontext")) == sdq.text
        assert stored(x.find("name")) == question_name(sdq.text)
        yes = shown(answers(x)[0].find("feedback"))
        for track_id in sdq.points:
            track = course.track(track_id)
            assert track is not None and track.short_title in yes
    for node in course.decision_tree.nodes:
        x = questions[node.id]
        assert shown(x.find("questiontext")) == tree_question_text(course, node)
        assert [shown(a) for a in answers(x)] == [o.label for o in node.options]
        for option, a in zip(node.options, answers(x), strict=True):
            feedback = shown(a.find("feedback"))
            assert option.text is not None and feedback.startswith(option.text)
            if option.track:
                track = course.track(option.track)
                assert track is not None and track.short_title in feedback


def test_hostile_html_texts_are_one_escaped_cdata_section(
    run_cli: Callable[..., Result], hostile: Path
) -> None:
    _, data = export(run_cli, hostile)
    root = assert_valid(data)
    checked = 0
    for text in all_texts(root):
        owner = text.getparent()
        if (
            owner.tag not in HTML_FIELDS
            and owner.getparent().tag != "subquestion"
            and not (owner.tag == "answer" and owner.get("format") == "html")
        ):
            continue
        if not text.text:
            continue
        written = serialized(text)
        assert written.startswith("<text><![CDATA[") and written.endswith("]]></text>"), written
        assert written.count("<![CDATA[") == 1 and written.count("]]>") == 1, written
        checked += 1
    assert checked > 50
    # The hostile `]]>` reached the file only as escaped text inside CDATA.
    assert b"]]&gt;" in data
    assert data.count(b"<![CDATA[") == data.count(b"]]>")


def test_no_html_named_entity_anywhere(run_cli: Callable[..., Result], hostile: Path) -> None:
    """Outside CDATA only XML's five; inside the CDATA of an HTML field none but XML's five
    either (``&nbsp;`` written by the author arrives as ``&amp;nbsp;``). The CDATA of a plain
    field (name, category path) holds the author's text as typed, which Moodle stores as is."""
    _, data = export(run_cli, hostile)
    xml_five = {b"amp", b"lt", b"gt", b"quot", b"apos"}
    outside = re.sub(rb"<!\[CDATA\[.*?\]\]>", b"", data, flags=re.S)
    assert set(re.findall(rb"&([A-Za-z][A-Za-z0-9]*);", outside)) <= xml_five
    assert b"&nbsp;" not in outside
    root = parse(data)
    for text in all_texts(root):
        if text.getparent().tag not in ("name", "category", "tag"):
            assert set(re.findall(r"&([A-Za-z][A-Za-z0-9]*);", text.text or "")) <= {
                n.decode() for n in xml_five
            }, text.text
    assert b"&amp;nbsp;" in data
    # A parser that knows only XML's entities reads the file (Moodle's does: RULES 1.1).
    parse(data)


def test_names_and_paths_are_plain_text(run_cli: Callable[..., Result], hostile: Path) -> None:
    course = load_course(hostile).course
    _, data = export(run_cli, hostile)
    root = assert_valid(data)
    for q in course.knowledge_check.questions:
        name = stored(by_id(root)[q.id].find("name"))
        assert name == question_name(q.prompt)
        assert "<i>x</i>" in name and "<p>" not in name and "&lt;" not in name
    for c in root.iter("category"):
        path = stored(c)
        assert "<b>bold<//b>" in path and "&amp;nbsp;" not in path and "<p>" not in path


def test_escaped_texts_have_no_whitespace_only_pieces(
    run_cli: Callable[..., Result], hostile: Path
) -> None:
    """Moodle drops whitespace-only text between entity references or CDATA sections
    (RULES 1.1): no <text> is cut into a piece that is only whitespace."""
    _, data = export(run_cli, hostile)
    split = 0
    for raw in re.findall(rb"<text>(.*?)</text>", data, re.S):
        if raw.startswith(b"<![CDATA["):
            sections = re.findall(rb"<!\[CDATA\[(.*?)\]\]>", raw, re.S)
            assert b"".join(b"<![CDATA[" + s + b"]]>" for s in sections) == raw
            assert all(s.strip() for s in sections), raw
            split += len(sections) > 1
        else:
            pieces = re.split(rb"&[#A-Za-z0-9]+;", raw)
            assert not any(p and not p.strip() for p in pieces[1:-1]), raw
    assert split  # names and paths with `]]>` are split like Moodle's own exporter does


# ----------------------------------------------------------------------------- pitfalls (RULES §6)


@pytest.fixture
def exported(
    run_cli: Callable[..., Result], bundled_content: Path, sample_course: Path
) -> list[etree._Element]:
    """The bundled and the sample course exported with the defaults, validated."""
    roots = []
    for content, out in ((bundled_content, "b"), (sample_course, "s")):
        roots.append(assert_valid(export(run_cli, content, output=out)[1]))
    return roots


def _questions(roots: list[etree._Element], qtype: str) -> list[etree._Element]:
    found = [q for r in roots for q in r.iter("question") if q.get("type") == qtype]
    assert found, qtype
    return found


def test_pitfall_ordering_has_selecttype_all_and_shownumcorrect(
    exported: list[etree._Element],
) -> None:
    for q in _questions(exported, "ordering"):
        assert q.findtext("selecttype") == "ALL"  # else Moodle shows a random 6
        assert q.findtext("selectcount") == "0"
        assert q.findtext("shownumcorrect") == "1"  # its absence crashes Moodle 5.1
        assert q.findtext("gradingtype") in ("ABSOLUTE_POSITION", "ALL_OR_NOTHING")
        assert len([a for a in answers(q) if stored(a)]) >= 2


def test_pitfall_truefalse_words_lowercase_and_one_right(exported: list[etree._Element]) -> None:
    for q in _questions(exported, "truefalse"):
        xs = answers(q)
        assert [stored(a) for a in xs] == ["true", "false"]
        assert sorted(a.get("fraction") for a in xs) == ["0", "100"]


def test_pitfall_every_question_has_a_name(exported: list[etree._Element]) -> None:
    for root in exported:
        for q in root.iter("question"):
            if q.get("type") != "category":
                assert stored(q.find("name"))


def test_pitfall_every_fraction_is_in_moodles_list(exported: list[etree._Element]) -> None:
    count = 0
    for root in exported:
        for element in root.iter():
            if "fraction" in element.attrib:
                assert element.get("fraction") in MOODLE_PERCENTS
                count += 1
    assert count > 20


def test_pitfall_matching_pairs_and_distractors(exported: list[etree._Element]) -> None:
    distractors = 0
    for q in _questions(exported, "matching"):
        subs = q.findall("subquestion")
        assert len([s for s in subs if stored(s)]) >= 2
        assert len({stored(s.find("answer")) for s in subs}) >= 3
        for s in subs:
            assert stored(s.find("answer")), "a pair without an answer stops Moodle's import"
            if not stored(s):
                distractors += 1
    assert distractors >= 1  # the sample course has one


def test_pitfall_multichoice_choices_and_grades(exported: list[etree._Element]) -> None:
    for q in _questions(exported, "multichoice"):
        xs = answers(q)
        assert len(xs) >= 2 and all(stored(a) for a in xs)
        fractions = [fraction_of(a) for a in xs]
        if q.findtext("single") == "true":
            assert max(fractions) == 1
        elif q.findtext("defaultgrade") != "0.0000000":
            assert sum(f for f in fractions if f > 0) == 1
        assert q.findtext("answernumbering") in NUMBERING


def test_pitfall_no_text_with_child_elements(exported: list[etree._Element]) -> None:
    for root in exported:
        for text in all_texts(root):
            assert len(text) == 0


def test_pitfall_every_text_field_says_its_format(exported: list[etree._Element]) -> None:
    for root in exported:
        for element in root.iter(*HTML_FIELDS):
            assert element.get("format") == "html", element.tag
        for answer in root.iter("answer"):
            if answer.getparent().tag == "question":
                assert answer.get("format") in ("html", "moodle_auto_format")


def test_pitfall_idnumbers_unique_and_short(exported: list[etree._Element]) -> None:
    for root in exported:
        ids = [q.findtext("idnumber") for q in root.iter("question") if q.get("type") != "category"]
        assert len(ids) == len(set(ids))
        assert all(0 < len(i) <= 100 for i in ids)
        assert all(
            q.find("idnumber") is None for q in root.iter("question") if q.get("type") == "category"
        )  # duplicate category idnumbers abort


def test_pitfall_only_known_types_and_booleans(exported: list[etree._Element]) -> None:
    for root in exported:
        assert {q.get("type") for q in root} <= {
            "category",
            "multichoice",
            "truefalse",
            "matching",
            "ordering",
        }
        for tag in ("single", "shuffleanswers"):
            assert {e.text for e in root.iter(tag)} <= {"true", "false"}


def test_blank_matching_answer_is_refused_before_writing(
    run_cli: Callable[..., Result], sample_course: Path
) -> None:
    def blank(d: Any) -> None:
        kc_question(d, "kc-matching")["pairs"][0]["match"] = "   "

    edit_yaml(sample_course / "knowledge-check.yaml", blank)
    result = run_cli("export", "--format", "moodle", "--content", str(sample_course))
    assert result.exit_code == 1
    assert "kc-matching" in result.stderr
    assert exports_empty()


def test_control_character_is_refused_before_writing(
    run_cli: Callable[..., Result], sample_course: Path
) -> None:
    edit_yaml(
        sample_course / "knowledge-check.yaml",
        lambda d: kc_question(d, "kc-single").update(prompt="Bell \x07 here"),
    )
    result = run_cli("export", "--format", "moodle", "--content", str(sample_course))
    assert result.exit_code == 1
    # Validation refuses it now, at its place in the file (issue 12 §2).
    assert "U+0007" in result.stderr and "knowledge-check.yaml:" in result.stderr
    assert exports_empty()


# ----------------------------------------------------------------------------- the XSD is strict


def _mutations() -> dict[str, Callable[[etree._Element], None]]:
    def first(root: etree._Element, qtype: str) -> etree._Element:
        return next(q for q in root if q.get("type") == qtype)

    def remove(q: etree._Element, tag: str) -> None:
        q.remove(q.find(tag))

    def fraction(root: etree._Element) -> None:
        answers(first(root, "multichoice"))[0].set("fraction", "33.33")

    def child_in_text(root: etree._Element) -> None:
        etree.SubElement(first(root, "multichoice").find("questiontext/text"), "p")

    def third_truefalse_answer(root: etree._Element) -> None:
        q = first(root, "truefalse")
        q.append(answers(q)[0].__copy__())

    def empty_matching_answer(root: etree._Element) -> None:
        first(root, "matching").find("subquestion/answer/text").text = ""

    def one_choice(root: etree._Element) -> None:
        q = first(root, "multichoice")
        for a in answers(q)[1:]:
            q.remove(a)

    def wrong_type_content(root: etree._Element) -> None:
        first(root, "truefalse").set("type", "multichoice")

    return {
        "fraction not in the list": fraction,
        "no selecttype": lambda r: remove(first(r, "ordering"), "selecttype"),
        "no shownumcorrect": lambda r: remove(first(r, "ordering"), "shownumcorrect"),
        "no name": lambda r: remove(first(r, "truefalse"), "name"),
        "element inside text": child_in_text,
        "three truefalse answers": third_truefalse_answer,
        "empty matching answer": empty_matching_answer,
        "one choice": one_choice,
        "bad numbering": lambda r: setattr(
            first(r, "multichoice").find("answernumbering"), "text", "ABC"
        ),
        "category info without format": lambda r: first(r, "category").find("info").attrib.clear(),
        "unknown type": lambda r: first(r, "matching").set("type", "match"),
        "type attribute and content disagree": wrong_type_content,
    }


@pytest.mark.parametrize("mutation", sorted(_mutations()))
def test_xsd_and_checks_reject_a_broken_file(
    run_cli: Callable[..., Result], sample_course: Path, mutation: str
) -> None:
    _, data = export(run_cli, sample_course)
    root = parse(data)
    _mutations()[mutation](root)
    broken = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    with pytest.raises(AssertionError):
        assert_valid(broken)


# ----------------------------------------------------------------------------- text helpers


def test_text_html_paragraphs_lines_and_escapes() -> None:
    """pmkit.text_html, which Moodle XML, Common Cartridge and Canvas QTI share."""
    assert pmkit.text_html("a <b> & c\nd\n\n\ne ]]>") == (
        "<p>a &lt;b&gt; &amp; c<br>d</p><p>e ]]&gt;</p>"
    )
    assert pmkit.text_html("  \n") == ""
    assert pmkit.text_html("x\r\ny") == "<p>x<br>y</p>"
    assert pmkit.text_html("a\n \t\nb") == "<p>a</p><p>b</p>"  # a blank line may hold spaces
    assert pmkit.text_html("\"'&nbsp;") == "<p>&quot;&#x27;&amp;nbsp;</p>"
    assert pmkit.text_paragraphs(" a\n b \n\n  \n c ") == ["a b", "c"]
    assert pmkit.text_paragraphs(None) == []


@pytest.mark.parametrize("body", ["<p>a]]>b</p>", "<p>a&nbsp;b</p>", "&copy;"])
def test_cdata_refuses_what_would_not_survive(body: str) -> None:
    with pytest.raises(UnsafeText):
        cdata(body)


def test_cdata_accepts_xml_entities() -> None:
    assert cdata("<p>&amp;&lt;&gt;&quot;&#x27;</p>") is not None
