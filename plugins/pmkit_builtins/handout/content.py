"""What the handout says, shared by every handout format (Markdown, HTML).

Everything here is derived from the course model alone: fixed labels, the
scoring key (a tally table built from :func:`pmkit.scoring_table`, the very
weights the ``weighted`` scorer adds up), the pen-and-paper layout of the
knowledge-check questions and their answer key. Renderers only escape and lay out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pmkit

#: The handout's fixed labels: ``labels(course)[name]`` is the catalogue's ``handout.<name>``.
LABEL_NAMES = (
    "worksheet_help",
    "scoring_key",
    "starting_points",
    "outline",
    "diagram",
    "comparison",
    "tracks",
    "perfect_for",
    "duties",
    "skills",
    "progression",
    "industries",
    "courses",
    "closing",
    "source",
    "answer_key",
    "your_answer",
    "yes",
    "no",
    "total",
    "background",
    "track",
    "leads_to",
    "what_it_means",
    "question",
    "aspect",
    "points_row",
    "tick",
    "see_above",  # a joined question is spelled out once in the outline
)


def labels(course: pmkit.Course) -> dict[str, str]:
    """The handout's fixed labels in the course's language (see :func:`pmkit.ui_strings`)."""
    texts = pmkit.ui_strings(course)
    return {name: texts[f"handout.{name}"] for name in LABEL_NAMES}


#: Where the full handout shows a course's own sections (guidance ``sections:``), by
#: their ``place``: each right after the part named here, as a part of its own. The
#: short edition (the exercise) shows none.
OWN_SECTIONS = {
    "introduction": "the introduction",
    "decision-tree": "the decision tree",
    "tracks": "the career tracks in full",
    "future": "your future (industries and work environments)",
    "next-steps": "the closing advice, before the source",
}

#: Rows of the comparison table: label and how to read the track's value.
COMPARISON_ROWS = ("perfect_for", "duties", "skills", "progression", "industries")


def letter(index: int) -> str:
    """A, B, … Z for options (a choice question has at most 26)."""
    return chr(ord("A") + index)


#: Content text split at blank lines, whitespace collapsed (the core's reading of it).
paragraphs = pmkit.text_paragraphs


def flat(text: str | None) -> str:
    """Content text on one line (for table cells, list items and headings)."""
    return " ".join((text or "").split())


def comparison_value(track: pmkit.Track, row: str) -> list[str]:
    """The values of one comparison row for one track (a list; renderers join them)."""
    if row == "perfect_for":
        return [track.perfect_for]
    if row == "duties":
        return list(track.duties)
    if row == "skills":
        return list(track.key_skills)
    if row == "progression":
        return list(track.progression)
    return list(track.industries)


def track_name(course: pmkit.Course, track_id: str | None) -> str:
    """A track's short title (its id if unknown)."""
    track = course.track(track_id or "")
    return track.short_title if track else (track_id or "")


# --------------------------------------------------------------------------- scoring key


@dataclass(frozen=True)
class TallyRow:
    """A row of the scoring key: what the person ticked, and the points per track."""

    label: str
    points: dict[str, int]
    question: str
    answer: Any


def tree_row_label(node: pmkit.TreeNode, option: pmkit.TreeOption) -> str:
    """The scoring-key label of a decision-tree answer."""
    return f"{flat(node.prompt)} {flat(option.label)}"


def tally_rows(course: pmkit.Course) -> list[TallyRow]:
    """The scoring key: one row per "yes" and per decision-tree answer that adds points.

    Built from :func:`pmkit.scoring_table` (what the ``weighted`` scorer adds
    up): only positive points count, exactly as the scorer counts them.
    """
    table = pmkit.scoring_table(course)
    rows: list[TallyRow] = []
    texts = {q.id: q for q in course.self_discovery.questions}
    yes = labels(course)["yes"]
    for number, entry in enumerate(table["self_discovery"], start=1):
        points = {t: p for t, p in entry["points"].items() if p > 0}
        if points:
            text = flat(texts[entry["id"]].text)
            rows.append(TallyRow(f"{number}. {text} {yes}", points, entry["id"], True))
    tree = course.decision_tree
    for node_entry in table["decision_tree"]["nodes"]:
        node = tree.node(node_entry["id"])
        assert node is not None
        for opt_entry in node_entry["options"]:
            points = {t: p for t, p in opt_entry["points"].items() if p > 0}
            option = node.option(opt_entry["id"])
            assert option is not None
            if points:
                rows.append(TallyRow(tree_row_label(node, option), points, node.id, option.id))
    return rows


def tally_instructions(course: pmkit.Course) -> list[str]:
    """The plain-language instructions for adding up the scoring key.

    A tie is reported as a tie, as the course app and ``pmkit score`` report it
    (every track with the top score is recommended), not broken by track order.
    """
    texts = pmkit.ui_strings(course)
    return [texts[f"handout.tally_{n}"] for n in (1, 2, 3)]


# --------------------------------------------------------------------------- knowledge check


def choice_options(course: pmkit.Course, q: pmkit.ChoiceQuestion) -> list[pmkit.ChoiceOption]:
    """A choice question's options in the order every export shows them
    (:func:`pmkit.option_order`: stable, not the authoring order, so the right
    answer is not always A)."""
    return [o for o in pmkit.option_order(course, q) if isinstance(o, pmkit.ChoiceOption)]


def matching_answers(course: pmkit.Course, q: pmkit.MatchingQuestion) -> list[str]:
    """The right-hand answers of a matching question, lettered in the shared option order."""
    return [
        a.match if isinstance(a, pmkit.MatchPair) else a.text
        for a in pmkit.option_order(course, q)
        if isinstance(a, pmkit.MatchPair | pmkit.Distractor)
    ]


def ordering_items(course: pmkit.Course, q: pmkit.OrderingQuestion) -> list[pmkit.OrderItem]:
    """The items of an ordering question in the shared option order (never the answer)."""
    return [i for i in pmkit.option_order(course, q) if isinstance(i, pmkit.OrderItem)]


def instruction(course: pmkit.Course, q: pmkit.KnowledgeQuestion) -> str:
    """How to answer a question with a pen."""
    return pmkit.ui_strings(course)[f"handout.instruction.{q.type}"]


def join_answers(parts: list[str]) -> str:
    """Answers in a row: after one that ends a sentence a space, else ``; `` (never ``.;``)."""
    out = parts[0] if parts else ""
    for part in parts[1:]:
        out += (" " if out.endswith((".", "!", "?")) else "; ") + part
    return out


def answer_key(course: pmkit.Course, q: pmkit.KnowledgeQuestion) -> str:
    """The correct answer of a question, in the letters and words the handout prints."""
    if isinstance(q, pmkit.ChoiceQuestion):
        right = [
            f"{letter(i)}. {flat(o.text)}"
            for i, o in enumerate(choice_options(course, q))
            if o.correct
        ]
        return join_answers(right)
    if isinstance(q, pmkit.TrueFalseQuestion):
        return pmkit.ui_strings(course)["handout.true" if q.answer else "handout.false"]
    if isinstance(q, pmkit.MatchingQuestion):
        answers = matching_answers(course, q)
        return "; ".join(
            f"{flat(p.prompt)}: {letter(answers.index(p.match))} ({flat(p.match)})" for p in q.pairs
        )
    assert isinstance(q, pmkit.OrderingQuestion)
    # Letters only: the question prints each item beside its letter, and item
    # texts ending in a full stop read badly inside a list ("interests.), C").
    shown = [i.id for i in ordering_items(course, q)]
    return pmkit.ui_strings(course)["handout.then"].join(letter(shown.index(i.id)) for i in q.items)


def leads_to(course: pmkit.Course, option: pmkit.TreeOption) -> str:
    """Where a decision-tree answer leads: its track, or the next question."""
    if option.track:
        return track_name(course, option.track)
    following = course.decision_tree.node(option.next or "")
    if following is None:
        return ""
    return pmkit.ui_strings(course)("handout.the_question", question=flat(following.prompt))


def source_lines(course: pmkit.Course) -> list[str]:
    """The attribution paragraphs: source, author, note, disclaimer (none for a course
    that does not come from a publication)."""
    a = course.attribution
    if a is None:
        return []
    texts = pmkit.ui_strings(course)
    lines = [texts("handout.source_line", title=flat(a.title), publisher=flat(a.publisher))]
    if a.author:
        lines.append(texts("handout.author_line", author=flat(a.author)))
    lines += paragraphs(a.note)
    lines += paragraphs(a.disclaimer)
    return lines
