"""The section model: the course's pages in reading order, as structured blocks.

A page exporter (the Common Cartridge's web pages today; the handout could
switch to it) renders this instead of walking the course itself, so every
page format says the same things in the same order and only lays out and
escapes. Texts here are still plain content text (docs/decisions.md §4):
nothing is escaped or marked up.

Pages, each with a stable id: ``introduction``, ``self-discovery``,
``tracks``, ``decision-tree``, ``future``, ``next-steps``,
``knowledge-check``. ``future`` is left out when the course has no ``future``
guidance, and ``next-steps`` when it has nothing to show there (no first
steps, continuous growth, closing or section of its own placed there). The
course's own sections (``guidance.sections``) close the page their ``place``
names, each as a level-2 heading with its paragraphs. A page holds blocks —
headings, paragraphs, lists, term lists, tables and questions — and nothing
refers to another page, so each one can stand alone.

Questions are shown, not graded: a :class:`QuestionBlock` carries the
prompt and the choices in the order learners see them
(:func:`pmkit.option_order`), and the right answer in words (``answer``) for a
renderer that prints an answer key; whether to show it is the renderer's call.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pmkit.content import model as m
from pmkit.content.markup import text_paragraphs
from pmkit.content.order import option_order
from pmkit.content.strings import ui_strings


def _label(course: m.Course, name: str) -> str:
    """A fixed label in the course's language: the catalogue's ``sections.<name>``."""
    return ui_strings(course)[f"sections.{name}"]


QuestionKind = Literal[
    "yes-no", "decision", "single", "multiple", "true-false", "matching", "ordering"
]


@dataclass(frozen=True, slots=True)
class HeadingBlock:
    """A heading inside a page: ``level`` 2 (a part of the page) or 3 (inside a part)."""

    text: str
    level: int


@dataclass(frozen=True, slots=True)
class ParagraphBlock:
    """One paragraph (content paragraphs are split at blank lines; whitespace collapsed)."""

    text: str


@dataclass(frozen=True, slots=True)
class ListBlock:
    """A list of one-line items; ``ordered`` when the order means something (steps)."""

    items: tuple[str, ...]
    ordered: bool = False


@dataclass(frozen=True, slots=True)
class TermsBlock:
    """Terms with their descriptions (work environments, recommended courses).

    A description may be empty (``""``); ``links`` holds, per term, an https URL
    from the content or None (pmkit never invents one).
    """

    terms: tuple[tuple[str, str], ...]
    links: tuple[str | None, ...] = ()


@dataclass(frozen=True, slots=True)
class TableBlock:
    """A table with a caption, a header row, and rows of cells (each row as long as the header).

    The first column names the row (a header cell for accessibility).
    """

    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class ChoiceItem:
    """A choice shown with a question: its id (the answer id, never changed) and text.

    ``note`` is an explanation shown with it (a decision-tree answer's text and
    where it leads), or None.
    """

    id: str
    text: str
    note: str | None = None


@dataclass(frozen=True, slots=True)
class QuestionBlock:
    """A question as shown on a page (not graded there).

    ``kind``: ``yes-no`` (self-discovery), ``decision`` (a decision-tree node)
    or a knowledge-check type. ``choices`` are in display order (for matching:
    the right-hand answers; duplicates merged); ``prompts`` are the left-hand
    items of a matching question. ``answer`` is the right answer in words
    (knowledge check only, else None) and ``explanation`` the question's
    general feedback.
    """

    id: str
    number: int
    kind: QuestionKind
    prompt: str
    text: str | None
    instruction: str
    choices: tuple[ChoiceItem, ...]
    prompts: tuple[ChoiceItem, ...]
    answer: str | None
    explanation: str | None
    source: m.Source


Block = HeadingBlock | ParagraphBlock | ListBlock | TermsBlock | TableBlock | QuestionBlock


@dataclass(frozen=True, slots=True)
class CourseSection:
    """One page of the course: a stable ``id``, a ``title`` and its blocks in order."""

    id: str
    title: str
    blocks: tuple[Block, ...]
    source: m.Source

    @property
    def questions(self) -> tuple[QuestionBlock, ...]:
        """The page's question blocks, in order."""
        return tuple(b for b in self.blocks if isinstance(b, QuestionBlock))


def flat(text: str | None) -> str:
    """Content text on one line (list items, cells, headings)."""
    return " ".join((text or "").split())


def paragraphs(text: str | None) -> list[ParagraphBlock]:
    """Content text as paragraph blocks: split at blank lines, whitespace collapsed."""
    return [ParagraphBlock(p) for p in text_paragraphs(text)]


def _section(section: m.Section | m.CustomSection | None, level: int = 2) -> list[Block]:
    """A heading with its paragraphs; nothing for a section the course leaves out."""
    if section is None:
        return []
    return [HeadingBlock(flat(section.heading), level), *paragraphs(section.text)]


def _own(course: m.Course, place: str) -> list[Block]:
    """The course's own sections placed at the end of page ``place``."""
    return [b for s in course.guidance.placed(place) for b in _section(s)]


def _attribution(course: m.Course) -> list[Block]:
    a = course.attribution
    if a is None:  # a course not derived from a publication credits none
        return []
    blocks: list[Block] = [
        HeadingBlock(_label(course, "source"), 2),
        ParagraphBlock(
            ui_strings(course)(
                "sections.source_line", title=flat(a.title), publisher=flat(a.publisher)
            )
        ),
    ]
    if a.author:
        blocks.append(
            ParagraphBlock(ui_strings(course)("sections.author_line", author=flat(a.author)))
        )
    return [*blocks, *paragraphs(a.note), *paragraphs(a.disclaimer)]


def _introduction(course: m.Course) -> CourseSection:
    intro = course.introduction
    blocks: list[Block] = [
        *paragraphs(course.description),
        *paragraphs(intro.text),
        *_own(course, "introduction"),
        *_attribution(course),
    ]
    return CourseSection("introduction", flat(intro.heading), tuple(blocks), intro.source)


def _track_name(course: m.Course, track_id: str) -> str:
    track = course.track(track_id)
    return flat(track.short_title) if track else track_id


def _scoring_key(course: m.Course) -> TableBlock:
    """What each answer adds per track: the weights the ``weighted`` scorer adds up."""
    header = (_label(course, "question"), *(flat(t.short_title) for t in course.tracks))
    rows: list[tuple[str, ...]] = []

    def row(label: str, points: m.Points) -> None:
        if any(p > 0 for p in points.values()):
            rows.append(
                (label, *(str(points[t]) if points.get(t, 0) > 0 else "" for t in course.track_ids))
            )

    for number, q in enumerate(course.self_discovery.questions, start=1):
        row(f"{number}. {flat(q.text)} {_label(course, 'yes')}", q.points)
    for node in course.decision_tree.nodes:
        for option in node.options:
            row(f"{flat(node.prompt)} {flat(option.label)}", option.points)
    return TableBlock(_label(course, "scoring_key"), header, tuple(rows))


def _self_discovery(course: m.Course) -> CourseSection:
    sd = course.self_discovery
    blocks: list[Block] = [*paragraphs(sd.intro)]
    number = 0
    yes_no = (ChoiceItem("yes", _label(course, "yes")), ChoiceItem("no", _label(course, "no")))
    for group in sd.groups:
        blocks.append(HeadingBlock(flat(group.title), 2))
        for q in group.questions:
            number += 1
            blocks.append(
                QuestionBlock(
                    q.id,
                    number,
                    "yes-no",
                    q.text,
                    None,
                    _label(course, "instruction.yes-no"),
                    yes_no,
                    (),
                    None,
                    None,
                    q.source,
                )
            )
    blocks += [
        HeadingBlock(_label(course, "scoring_key"), 2),
        ParagraphBlock(_label(course, "scoring_help")),
        _scoring_key(course),
    ]
    return CourseSection("self-discovery", flat(sd.title), tuple(blocks), sd.source)


def _tracks(course: m.Course) -> CourseSection:
    intro = course.guidance.tracks_intro
    blocks: list[Block] = [*paragraphs(intro.text if intro else None)]
    for track in course.tracks:
        blocks += [
            HeadingBlock(flat(track.title), 2),
            HeadingBlock(_label(course, "perfect_for"), 3),
            ParagraphBlock(flat(track.perfect_for)),
            HeadingBlock(_label(course, "duties"), 3),
            ListBlock(tuple(map(flat, track.duties))),
            HeadingBlock(_label(course, "skills"), 3),
            ListBlock(tuple(map(flat, track.key_skills))),
            HeadingBlock(_label(course, "progression"), 3),
            ListBlock(tuple(map(flat, track.progression)), ordered=True),
            HeadingBlock(_label(course, "industries"), 3),
            ListBlock(tuple(map(flat, track.industries))),
        ]
        if track.courses:
            blocks += [
                HeadingBlock(_label(course, "courses"), 3),
                TermsBlock(
                    tuple(
                        (f"{flat(c.title)} ({flat(c.provider)})", flat(c.description))
                        for c in track.courses
                    ),
                    tuple(c.url for c in track.courses),
                ),
            ]
    blocks += _own(course, "tracks")
    title = flat(intro.heading) if intro else _label(course, "tracks_title")
    return CourseSection("tracks", title, tuple(blocks), (intro or course.tracks[0]).source)


def _decision_tree(course: m.Course) -> CourseSection:
    tree = course.decision_tree
    blocks: list[Block] = [*paragraphs(tree.intro)]
    for number, node in enumerate(tree.nodes, start=1):
        choices = []
        for option in node.options:
            if option.track:
                leads = f"{_label(course, 'leads_to')}: {_track_name(course, option.track)}."
            else:
                following = tree.node(option.next or "")
                target = flat(following.prompt if following else option.next)
                leads = f"{_label(course, 'next')}: {target}"
            note = f"{flat(option.text)} {leads}" if option.text else leads
            choices.append(ChoiceItem(option.id, flat(option.label), note))
        blocks.append(
            QuestionBlock(
                node.id,
                number,
                "decision",
                node.prompt,
                node.text,
                _label(course, "instruction.decision"),
                tuple(choices),
                (),
                None,
                None,
                node.source,
            )
        )
    blocks += _section(course.guidance.making_your_choice)
    blocks += _own(course, "decision-tree")
    return CourseSection("decision-tree", flat(tree.title), tuple(blocks), tree.source)


def _future(course: m.Course) -> CourseSection | None:
    future = course.guidance.future
    if future is None:  # the page is left out with its guidance
        return None
    blocks: list[Block] = [
        *paragraphs(future.text),
        HeadingBlock(flat(future.industries_heading), 2),
        *paragraphs(future.industries_text),
        TableBlock(
            flat(future.industries_heading),
            (_label(course, "track"), _label(course, "industries")),
            tuple((flat(t.short_title), ", ".join(map(flat, t.industries))) for t in course.tracks),
        ),
        HeadingBlock(flat(future.work_environments_heading), 2),
        TermsBlock(tuple((flat(w.label), flat(w.text)) for w in future.work_environments)),
        *_own(course, "future"),
    ]
    return CourseSection("future", flat(future.heading), tuple(blocks), future.source)


def _next_steps(course: m.Course) -> CourseSection | None:
    """First steps, continuous growth, closing advice and the sections placed here.

    Titled by the first steps' heading; without first steps, by a fixed label
    (continuous growth keeps its own heading inside). None when nothing is left.
    """
    g = course.guidance
    blocks: list[Block] = []
    if g.first_steps is not None:
        blocks += [
            *paragraphs(g.first_steps.intro),
            ListBlock(tuple(map(flat, g.first_steps.steps)), ordered=True),
        ]
    if g.continuous_growth is not None:
        blocks += [
            HeadingBlock(flat(g.continuous_growth.heading), 2),
            *paragraphs(g.continuous_growth.intro),
            ListBlock(tuple(map(flat, g.continuous_growth.habits))),
        ]
    if g.closing is not None:
        blocks += [HeadingBlock(_label(course, "closing"), 2), *paragraphs(g.closing)]
    blocks += _own(course, "next-steps")
    if not blocks:
        return None
    if g.first_steps is not None:
        return CourseSection(
            "next-steps", flat(g.first_steps.heading), tuple(blocks), g.first_steps.source
        )
    return CourseSection("next-steps", _label(course, "next_steps_title"), tuple(blocks), g.source)


def answer_text(course: m.Course, q: m.KnowledgeQuestion) -> str:
    """The right answer of a knowledge-check question in words."""
    if isinstance(q, m.ChoiceQuestion):
        return "; ".join(
            flat(o.text)
            for o in option_order(course, q)
            if isinstance(o, m.ChoiceOption) and o.correct
        )
    if isinstance(q, m.TrueFalseQuestion):
        return _label(course, "true") if q.answer else _label(course, "false")
    if isinstance(q, m.MatchingQuestion):
        return "; ".join(f"{flat(p.prompt)}: {flat(p.match)}" for p in q.pairs)
    assert isinstance(q, m.OrderingQuestion)
    return "; ".join(flat(i.text) for i in q.items)


def question_block(course: m.Course, q: m.KnowledgeQuestion, number: int) -> QuestionBlock:
    """A knowledge-check question as a page shows it (choices in :func:`option_order`)."""
    prompts: tuple[ChoiceItem, ...] = ()
    choices: tuple[ChoiceItem, ...]
    if isinstance(q, m.TrueFalseQuestion):
        choices = (
            ChoiceItem("true", _label(course, "true")),
            ChoiceItem("false", _label(course, "false")),
        )
    elif isinstance(q, m.MatchingQuestion):
        prompts = tuple(ChoiceItem(p.id, flat(p.prompt)) for p in q.pairs)
        seen: set[str] = set()
        answers = []
        for o in option_order(course, q):
            text = flat(o.match if isinstance(o, m.MatchPair) else getattr(o, "text", ""))
            if text not in seen:  # two pairs may share an answer: it is shown once
                seen.add(text)
                answers.append(ChoiceItem(o.id, text))
        choices = tuple(answers)
    else:
        choices = tuple(
            ChoiceItem(o.id, flat(getattr(o, "text", ""))) for o in option_order(course, q)
        )
    return QuestionBlock(
        q.id,
        number,
        q.type,
        q.prompt,
        None,
        _label(course, f"instruction.{q.type}"),
        choices,
        prompts,
        answer_text(course, q),
        q.explanation,
        q.source,
    )


def _knowledge_check(course: m.Course) -> CourseSection:
    kc = course.knowledge_check
    blocks: list[Block] = [*paragraphs(kc.intro)]
    blocks += [question_block(course, q, n) for n, q in enumerate(kc.questions, start=1)]
    return CourseSection("knowledge-check", flat(kc.title), tuple(blocks), kc.source)


def course_sections(course: m.Course) -> tuple[CourseSection, ...]:
    """The course's pages in reading order (ids listed in this module's docstring)."""
    pages = (
        _introduction(course),
        _self_discovery(course),
        _tracks(course),
        _decision_tree(course),
        _future(course),
        _next_steps(course),
        _knowledge_check(course),
    )
    return tuple(page for page in pages if page is not None)
