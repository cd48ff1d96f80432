"""The Markdown handout: parsed with markdown-it-py (CommonMark + GFM tables), its
structure, seed facts, options, hostile strings, and the worksheet tally equal to
``pmkit score`` (the weighted scorer)."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import lxml.html
import pytest
import yaml
from click.testing import Result
from markdown_it import MarkdownIt
from markdown_it.token import Token

from pmkit.content import model as m
from pmkit.content.load import load_course
from pmkit.pluginhost.host import DEFAULT_PLUGINS, load_plugins
from pmkit.testing import ExporterContract, PmkitCli, plugin_host, sample_answer_sets
from pmkit_builtins import handout
from pmkit_builtins.handout import content
from pmkit_builtins.handout.markdown import MarkdownHandoutExporter, cell_escape, md_escape

REPO = Path(__file__).resolve().parent.parent
SEED_FACTS = REPO / "tests" / "data" / "seed_facts.txt"
HOSTILE = "Pipe | star * <script>alert(1)</script> # _under_ [x](y) `tick` \\ 😀 مرحبا بالعالم"

#: The handout plugin, unless pmkit already loads it as a built-in (DEFAULT_PLUGINS).
EXTRA_PLUGINS: list[tuple[str, Any]] = (
    [] if "pmkit_builtins.handout" in DEFAULT_PLUGINS else [("handout", handout)]
)

Run = Callable[..., Result]
Table = tuple[list[str], list[list[str]]]


class TestMarkdownHandoutContract(ExporterContract):
    exporter_class = MarkdownHandoutExporter


class TestMarkdownHandoutContractNoKey(ExporterContract):
    exporter_class = MarkdownHandoutExporter
    exporter_options: ClassVar[dict[str, Any]] = {"answer_key": False, "worksheet": False}


# --------------------------------------------------------------------------- helpers


def parser() -> MarkdownIt:
    """CommonMark with GFM tables, and no raw HTML allowed through."""
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def inline_text(token: Token) -> str:
    """The text an inline token shows (escapes resolved, markup dropped)."""
    assert token.children is not None
    return "".join(
        child.content
        for child in token.children
        if child.type in ("text", "text_special", "code_inline", "softbreak")
    )


def headings(tokens: list[Token]) -> list[tuple[int, str]]:
    """(level, text) of every heading, in order."""
    return [
        (int(tok.tag[1]), inline_text(tokens[i + 1]))
        for i, tok in enumerate(tokens)
        if tok.type == "heading_open"
    ]


def tables(tokens: list[Token]) -> list[Table]:
    """Every table as (header cells, body rows of cells), cell text as shown."""
    found: list[Table] = []
    header: list[str] = []
    rows: list[list[str]] = []
    row: list[str] = []
    in_head = False
    for i, tok in enumerate(tokens):
        if tok.type == "table_open":
            header, rows = [], []
        elif tok.type == "thead_open":
            in_head = True
        elif tok.type == "thead_close":
            in_head = False
        elif tok.type == "tr_open":
            row = []
        elif tok.type in ("th_open", "td_open"):
            row.append(inline_text(tokens[i + 1]).strip())
        elif tok.type == "tr_close":
            if in_head:
                header = row
            else:
                rows.append(row)
        elif tok.type == "table_close":
            found.append((header, rows))
    return found


def table_with(tokens: list[Token], first_header: str) -> Table:
    """The one table whose first header cell is ``first_header``."""
    matching = [t for t in tables(tokens) if t[0] and t[0][0] == first_header]
    assert len(matching) == 1, f"expected one table headed {first_header!r}"
    return matching[0]


def shown_text(markdown: str) -> str:
    """What a reader sees, whitespace collapsed (rendered with markdown-it, then lxml)."""
    html = parser().render(markdown)
    return " ".join(lxml.html.fromstring(f"<div>{html}</div>").text_content().split())


def render(course: m.Course, **options: Any) -> str:
    """The Markdown handout of ``course`` with default options unless given."""
    from pmkit_builtins.handout.markdown import render as md_render

    return md_render(course, {"answer_key": True, "worksheet": True, **options})


def seed_facts() -> list[str]:
    """The seed facts, one per non-comment line."""
    return [
        line.strip()
        for line in SEED_FACTS.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]


@pytest.fixture
def course(bundled_content: Path) -> m.Course:
    """The bundled course."""
    return load_course(bundled_content).course


# --------------------------------------------------------------------------- registration


def test_plugin_registers_both_formats() -> None:
    host = plugin_host(*EXTRA_PLUGINS, builtins=True, warn=pytest.fail)
    assert host.exporter("markdown") is MarkdownHandoutExporter
    assert host.exporter("html").__name__ == "HtmlHandoutExporter"


def test_cli_writes_the_handout(tmp_path: Path) -> None:
    run = PmkitCli(tmp_path / "work", content=REPO / "content")
    result = run(
        "export",
        "--format",
        "markdown",
        "--format",
        "html",
        "-o",
        "html.paper",
        "letter",
        plugins=EXTRA_PLUGINS,
    )
    assert result.exit_code == 0, result.stdout + result.stderr
    exports = tmp_path / "work" / "exports"
    assert sorted(p.name for p in exports.iterdir()) == [
        "pm-career-paths-handout.html",
        "pm-career-paths-handout.md",
    ]
    assert "size: letter;" in (exports / "pm-career-paths-handout.html").read_text("utf-8")


# --------------------------------------------------------------------------- structure


def test_headings_in_order(course: m.Course) -> None:
    found = headings(parser().parse(render(course)))
    levels = [level for level, _ in found]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), found
    g = course.guidance
    expected = [
        course.introduction.heading,
        course.self_discovery.title,
        course.decision_tree.title,
        "Scoring key",
        g.tracks_intro.heading,
        "The career tracks in full",
        g.future.heading,
        g.making_your_choice.heading,
        course.knowledge_check.title,
        g.first_steps.heading,
        g.continuous_growth.heading,
        "Closing advice",
        "Source and disclaimer",
        "Answer key",
    ]
    assert [text for level, text in found if level == 2] == expected
    level3 = [text for level, text in found if level == 3]
    for t in course.tracks:
        assert t.title in level3
    for n, q in enumerate(course.knowledge_check.questions, 1):
        assert level3.count(f"{n}. {' '.join(q.prompt.split())}") == 2  # question + key


def test_tables_have_the_right_rows_and_columns(course: m.Course) -> None:
    tokens = parser().parse(render(course))
    names = [t.short_title for t in course.tracks]

    header, rows = table_with(tokens, content.labels(course)["points_row"])
    assert header[1:] == [content.labels(course)["tick"], *names]
    assert {r[1] for r in rows[:-1]} == {"☐"}  # a tick box on every row but the total
    yes_rows = [f"{n}. {q.text} Yes" for n, q in enumerate(course.self_discovery.questions, 1)]
    tree_rows = [
        f"{node.prompt} {o.label}"
        for node in course.decision_tree.nodes
        for o in node.options
        if any(p > 0 for p in o.points.values())
    ]
    assert [r[0] for r in rows] == [*yes_rows, *tree_rows, "Total"]
    assert all(len(r) == len(header) for r in rows)

    header, rows = table_with(tokens, "Aspect")
    assert header[1:] == names
    assert [r[0] for r in rows] == [
        "Perfect for",
        "What you'll do",
        "Key skills to develop",
        "Career progression",
        "Industries",
    ]
    assert rows[0][1:] == [t.perfect_for for t in course.tracks]
    assert rows[3][1:] == [" → ".join(t.progression) for t in course.tracks]

    header, rows = table_with(tokens, "Background")
    assert header == ["Background", "Leads to", "What it means"]
    start = course.decision_tree.start_node
    assert [r[0] for r in rows] == [o.label for o in start.options]
    for row, option in zip(rows, start.options, strict=True):
        if option.track:
            assert row[1] == course.track(option.track).short_title  # type: ignore[union-attr]
        else:  # an answer that leads to another question names it, not a track
            following = course.decision_tree.node(option.next or "")
            assert following is not None
            assert row[1] == f"the question \u201c{following.prompt}\u201d"

    worksheets = [t for t in tables(tokens) if t[0] == ["#", "Question", "Yes", "No"]]
    assert [r[1] for _, rows in worksheets for r in rows] == [
        q.text for q in course.self_discovery.questions
    ]


def test_every_seed_fact_is_present(course: m.Course) -> None:
    text = shown_text(render(course))
    missing = [fact for fact in seed_facts() if fact not in text]
    assert not missing, missing


def test_mermaid_block_and_outline(course: m.Course) -> None:
    tokens = parser().parse(render(course))
    fences = [t for t in tokens if t.type == "fence" and t.info == "mermaid"]
    assert len(fences) == 1 and fences[0].content.startswith("flowchart TD\n")
    for t in course.tracks:
        assert f'["{t.short_title}"]' in fences[0].content


def test_options_remove_the_key_and_the_worksheet(course: m.Course) -> None:
    full = headings(parser().parse(render(course)))
    no_key = parser().parse(render(course, answer_key=False))
    assert "Answer key" in [t for _, t in full] and "Answer key" not in [
        t for _, t in headings(no_key)
    ]
    explanation = " ".join(course.knowledge_check.questions[0].explanation.split())
    assert explanation not in shown_text(render(course, answer_key=False))
    no_sheet = parser().parse(render(course, worksheet=False))
    assert "Scoring key" not in [t for _, t in headings(no_sheet)]
    assert not [
        t
        for t in tables(no_sheet)
        if t[0] and t[0][0] in ("#", content.labels(course)["points_row"])
    ]
    text = shown_text(render(course, worksheet=False))
    assert all(" ".join(q.text.split()) in text for q in course.self_discovery.questions)


# --------------------------------------------------------------------------- escaping


@pytest.mark.parametrize(
    "text",
    [
        HOSTILE,
        "# heading?",
        "- item?",
        "1. list?",
        "+ plus",
        "= under",
        "*emph*",
        "a  \nb",
        "<b>bold</b>",
        "&amp; entity",
        "trailing \\",
        "| a | b |",
        "    indented code?",
        "![img](x.png)",
        "~~strike~~",
        "a_b_c",
        "```fence",
        "> quote",
    ],
)
def test_md_escape_shows_text_literally(text: str) -> None:
    md = parser()
    expected = " ".join(text.split())
    tokens = md.parse(md_escape(text))
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"]
    assert inline_text(tokens[1]) == expected
    assert all(c.type in ("text", "text_special") for c in tokens[1].children or [])
    table = md.parse(f"| h | x |\n|---|---|\n| {cell_escape(text)} | y |\n")
    [(_header, rows)] = tables(table)
    assert rows == [[expected, "y"]]


def _set_hostile(folder: Path) -> None:
    """Put the hostile string into texts shown in every kind of place in the handout."""

    def edit(name: str, change: Callable[[Any], None]) -> None:
        path = folder / name
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

    def self_discovery(d: Any) -> None:
        d["groups"][0]["questions"][0]["text"] = HOSTILE + "?"
        d["groups"][0]["title"] = "# " + HOSTILE

    def track(d: Any) -> None:
        d["short_title"] = HOSTILE
        d["duties"][0] = HOSTILE
        d["progression"][0] = "| " + HOSTILE

    def tree(d: Any) -> None:
        d["nodes"][0]["options"][0]["label"] = HOSTILE
        d["nodes"][0]["prompt"] = HOSTILE + "?"

    def kc(d: Any) -> None:
        d["questions"][0]["prompt"] = HOSTILE
        d["questions"][0]["options"][0]["text"] = "* " + HOSTILE
        d["questions"][0]["explanation"] = HOSTILE + "\n\n" + HOSTILE

    edit("self-discovery.yaml", self_discovery)
    edit("tracks/technical-pm.yaml", track)
    edit("decision-tree.yaml", tree)
    edit("knowledge-check.yaml", kc)


def test_hostile_strings_do_not_break_the_layout(bundled_content: Path) -> None:
    _set_hostile(bundled_content)
    loaded = load_course(bundled_content)
    course = loaded.course
    markdown = render(course)
    tokens = parser().parse(markdown)
    assert not [t for t in tokens if t.type in ("html_block", "html_inline")]
    assert all(c.type != "html_inline" for t in tokens if t.children for c in t.children)
    names = [t.short_title for t in course.tracks]
    assert names[0] == HOSTILE

    header, rows = table_with(tokens, content.labels(course)["points_row"])
    assert header[1:] == [content.labels(course)["tick"], *names]
    assert all(len(r) == 5 for r in rows)
    assert rows[0][0] == f"1. {HOSTILE}? Yes"
    assert rows[len(course.self_discovery.questions)][0] == f"{HOSTILE}? {HOSTILE}"
    header, rows = table_with(tokens, "Aspect")
    assert header[1] == HOSTILE and all(len(r) == 4 for r in rows)
    assert rows[1][1].startswith(HOSTILE + "; ")
    assert rows[3][1].startswith("| " + HOSTILE + " → ")
    header, rows = table_with(tokens, "Background")
    assert rows[0][:2] == [HOSTILE, HOSTILE] and all(len(r) == 3 for r in rows)
    found = [text for _, text in headings(tokens)]
    assert "# " + HOSTILE in found and f"1. {HOSTILE}" in found
    text = shown_text(markdown)
    assert f"A. * {HOSTILE}" in text
    assert text.count(HOSTILE) >= 12
    fence = next(t for t in tokens if t.type == "fence")
    assert "<script>" not in fence.content and "|" not in fence.content.split("-->|")[0]


# --------------------------------------------------------------------------- the tally


def pen_and_paper(course: m.Course, markdown: str, answers: dict[str, Any]) -> dict[str, Any]:
    """What a person gets from the printed scoring key: tick rows, add up the columns."""
    header, rows = table_with(parser().parse(markdown), content.labels(course)["points_row"])
    ticked = {
        f"{n}. {q.text} Yes"
        for n, q in enumerate(course.self_discovery.questions, 1)
        if answers.get(q.id) is True
    }
    for node in course.decision_tree.nodes:
        option = node.option(answers.get(node.id, "")) if node.id in answers else None
        if option is not None:
            ticked.add(f"{node.prompt} {option.label}")
    assert header[1] == content.labels(course)["tick"]
    totals = dict.fromkeys(header[2:], 0)
    for row in rows:
        if row[0] in ticked:
            assert row[1] == "☐"
            for name, cell in zip(header[2:], row[2:], strict=True):
                totals[name] += int(cell) if cell else 0
    top = max(totals.values())
    tied = [name for name in header[2:] if totals[name] == top]  # columns: course order
    return {"totals": totals, "track": tied[0], "tie": tied if len(tied) > 1 else []}


def answer_sets(course: m.Course) -> list[dict[str, Any]]:
    """Hand-picked sets (including ties) and pmkit's varied sample sets."""
    return [
        {"background": "technical-background"},
        {"big-picture": True, "background": "technical-background"},  # tie tech/strategic
        {"user-needs": True, "background": "business-background"},  # tie ux/strategic
        {
            **{q.id: True for q in course.self_discovery.questions},
            "background": "new-to-product",
            "interest": "customer-focused",
        },
        {
            "complex-problems": True,
            "data-driven": False,
            "ambiguity": True,
            "background": "new-to-product",
            "interest": "business-minded",
        },
        *sample_answer_sets(course),
    ]


def test_worksheet_tally_equals_the_weighted_scorer(course: m.Course) -> None:
    markdown = render(course)
    scorer = load_plugins(warn=lambda _: None).scorers["weighted"].obj()
    names = {t.id: t.short_title for t in course.tracks}
    ties = 0
    for answers in answer_sets(course):
        result = scorer.score(course, answers, {})
        pen = pen_and_paper(course, markdown, answers)
        assert pen["totals"] == {names[t.track]: t.points for t in result.tracks}, answers
        assert pen["track"] == names[result.track], answers
        assert pen["tie"] == [names[t] for t in result.tie], answers
        ties += bool(result.tie)
    assert ties >= 2


def test_worksheet_tally_equals_pmkit_score(
    run_cli: Run, bundled_content: Path, course: m.Course, tmp_path: Path
) -> None:
    markdown = render(course)
    names = {t.id: t.short_title for t in course.tracks}
    for i, answers in enumerate(answer_sets(course)[:5]):
        path = tmp_path / f"answers-{i}.json"
        path.write_text(json.dumps(answers), encoding="utf-8")
        result = run_cli("score", "--answers", str(path), "--json")
        assert result.exit_code == 0, result.stderr
        report = json.loads(result.stdout)["recommendation"]
        assert report["scorer"] == "weighted"
        pen = pen_and_paper(course, markdown, answers)
        assert pen["totals"] == {names[t["track"]]: t["points"] for t in report["tracks"]}
        assert pen["track"] == names[report["track"]]
        assert pen["tie"] == [names[t] for t in report["tie"]]


def test_ties_are_reported_as_ties_like_the_app_and_pmkit_score(course: m.Course) -> None:
    """The printed rule says what the app ("It's a tie") and `pmkit score` (tie: every
    tied track) say, not that the first track wins."""
    text = shown_text(render(course))
    assert "it's a tie: your answers point equally to each of them" in text
    assert "listed first wins" not in text
    assert "do not point to a track yet" in text


def test_answer_key_reads_cleanly(course: m.Course) -> None:
    markdown = render(course)
    assert ".;" not in markdown
    q = course.knowledge_check.questions[8]
    assert isinstance(q, m.ChoiceQuestion) and q.type == "multiple"
    letters = [
        chr(ord("A") + i) for i, o in enumerate(content.choice_options(course, q)) if o.correct
    ]
    key = content.answer_key(course, q)
    assert len(letters) >= 2 and key.startswith(f"{letters[0]}. ")
    assert all(f"{letter}. " in key for letter in letters)


def test_ordering_answers_in_the_key_are_letters_in_order(course: m.Course) -> None:
    from pmkit_builtins.handout.content import answer_key, ordering_items

    for q in course.knowledge_check.questions:
        if isinstance(q, m.OrderingQuestion):
            shown = [i.id for i in ordering_items(course, q)]
            letters = [chr(ord("A") + shown.index(i.id)) for i in q.items]
            assert answer_key(course, q) == ", then ".join(letters)
            assert ".)" not in answer_key(course, q)


def test_options_follow_the_shared_option_order(course: m.Course) -> None:
    """The handout letters options as every export orders them (pmkit.option_order),
    so the answer key no longer reads A, A, A…"""
    import pmkit
    from pmkit_builtins.handout.content import answer_key

    text = render(course)
    singles = [
        q
        for q in course.knowledge_check.questions
        if isinstance(q, m.ChoiceQuestion) and q.type == "single"
    ]
    assert len(singles) >= 3
    keys = [answer_key(course, q)[0] for q in singles]
    assert len(set(keys)) > 1, keys
    for q in singles:
        shown = pmkit.option_order(course, q)
        right = next(i for i, o in enumerate(shown) if o.correct)  # type: ignore[union-attr]
        assert answer_key(course, q).startswith(f"{chr(ord('A') + right)}. ")
        first = shown[0].text  # type: ignore[union-attr]
        assert f"- [ ] A\\. {md_escape(first)}" in text
