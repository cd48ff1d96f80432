"""The validated course: immutable, typed, and part of the public plugin API.

Exporters, scorers and validation rules — built-in or third-party — read only
these classes, never raw YAML. Every node carries ``source``: the file, line
and column it came from, so later stages can report problems in the author's
terms. Sequences are tuples and mappings read-only, so a plugin cannot change
the course under another plugin's feet.

Stability: fields may be *added* in a minor release; renaming or removing one
is a breaking change of the plugin API (see CHANGELOG "Plugin API").
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

#: Track id -> whole-number points (0-5), read-only, in authored order.
Points = Mapping[str, int]

EMPTY_POINTS: Points = MappingProxyType({})

#: Field metadata of a field added to the model after ``pmkit-course/1`` was published:
#: exports leave it out while it has its default, so a course that does not use it
#: exports byte for byte as before and still validates against an older schema.
ADDED_FIELD: Mapping[str, bool] = MappingProxyType({"omit_default": True})

QuestionType = Literal["single", "multiple", "true-false", "matching", "ordering"]


@dataclass(frozen=True, slots=True)
class Source:
    """Where a node was written: display path, 1-based line and column."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Section:
    """A heading with its text (paragraphs separated by a blank line)."""

    heading: str
    text: str
    source: Source


@dataclass(frozen=True, slots=True)
class Attribution:
    """Where the course text comes from, and the disclaimer that must travel with it."""

    publisher: str
    title: str
    author: str | None
    disclaimer: str
    note: str | None
    source: Source


#: A value a course may give a scorer option (checked against the scorer's declaration).
OptionValue = str | int | float | bool


@dataclass(frozen=True, slots=True)
class ScorerSetting:
    """One option value the course sets for one scorer (``scorers: options:`` in course.yaml)."""

    scorer: str
    option: str
    value: OptionValue
    source: Source


@dataclass(frozen=True, slots=True)
class ScorerDefaults:
    """The scorers a course uses unless the user picks others, and option values for scorers.

    ``options`` holds the course's values for any scorer's options (by scorer
    name, so they apply whenever that scorer runs); the command line's ``-o``
    wins over them, and the scorer's own defaults fill in the rest.
    """

    recommendation: str
    grade: str
    source: Source
    options: tuple[ScorerSetting, ...] = dataclasses.field(default=(), metadata=ADDED_FIELD)

    def options_for(self, scorer: str) -> dict[str, OptionValue]:
        """The values the course sets for ``scorer``'s options, by option name."""
        return {s.option: s.value for s in self.options if s.scorer == scorer}


@dataclass(frozen=True, slots=True)
class CourseLink:
    """A recommended course or certificate. ``url`` is optional and never invented."""

    title: str
    provider: str
    url: str | None
    description: str | None
    source: Source


@dataclass(frozen=True, slots=True)
class Track:
    """A career track (e.g. Technical PM) with what the role involves."""

    id: str
    title: str
    short_title: str
    perfect_for: str
    duties: tuple[str, ...]
    key_skills: tuple[str, ...]
    progression: tuple[str, ...]
    industries: tuple[str, ...]
    courses: tuple[CourseLink, ...]
    source: Source


@dataclass(frozen=True, slots=True)
class YesNoQuestion:
    """A self-discovery question; a "yes" adds ``points`` to tracks."""

    id: str
    text: str
    points: Points
    source: Source


@dataclass(frozen=True, slots=True)
class QuestionGroup:
    """A titled group of self-discovery questions ("Your Strategic Mind")."""

    id: str
    title: str
    questions: tuple[YesNoQuestion, ...]
    source: Source


@dataclass(frozen=True, slots=True)
class SelfDiscovery:
    """The self-discovery questionnaire."""

    title: str
    intro: str
    groups: tuple[QuestionGroup, ...]
    source: Source

    @property
    def questions(self) -> tuple[YesNoQuestion, ...]:
        """Every question of every group, in order."""
        return tuple(q for g in self.groups for q in g.questions)


@dataclass(frozen=True, slots=True)
class TreeOption:
    """One answer of a decision-tree node: leads to ``next`` node or ends in ``track``."""

    id: str
    label: str
    text: str | None
    points: Points
    next: str | None
    track: str | None
    source: Source


@dataclass(frozen=True, slots=True)
class TreeNode:
    """A question of the decision tree."""

    id: str
    prompt: str
    text: str | None
    options: tuple[TreeOption, ...]
    source: Source

    def option(self, option_id: str) -> TreeOption | None:
        """The option with that id, or None."""
        return next((o for o in self.options if o.id == option_id), None)


@dataclass(frozen=True, slots=True)
class DecisionTree:
    """The scored decision tree; its start node's options are the starting points."""

    title: str
    intro: str
    start: str
    nodes: tuple[TreeNode, ...]
    source: Source

    def node(self, node_id: str) -> TreeNode | None:
        """The node with that id, or None."""
        return next((n for n in self.nodes if n.id == node_id), None)

    @property
    def start_node(self) -> TreeNode:
        """The first question (the learner's starting point)."""
        node = self.node(self.start)
        assert node is not None, "validated courses always have their start node"
        return node


@dataclass(frozen=True, slots=True)
class WorkEnvironment:
    """A kind of workplace and what working there is like."""

    id: str
    label: str
    text: str
    source: Source


@dataclass(frozen=True, slots=True)
class Future:
    """ "Think About Your Future": industries (per track) and work environments."""

    heading: str
    text: str
    industries_heading: str
    industries_text: str
    work_environments_heading: str
    work_environments: tuple[WorkEnvironment, ...]
    source: Source


@dataclass(frozen=True, slots=True)
class FirstSteps:
    """Ordered first steps of the journey."""

    heading: str
    intro: str
    steps: tuple[str, ...]
    source: Source


@dataclass(frozen=True, slots=True)
class ContinuousGrowth:
    """Habits of successful product managers."""

    heading: str
    intro: str
    habits: tuple[str, ...]
    source: Source


#: Where a course's own section is shown: at the end of one page of the course
#: (the page ids of :func:`pmkit.course_sections`; docs/content-format.md).
SectionPlace = Literal["introduction", "tracks", "decision-tree", "future", "next-steps"]


@dataclass(frozen=True, slots=True)
class CustomSection:
    """A section of the course's own (``guidance.yaml`` ``sections:``), shown at ``place``."""

    id: str
    heading: str
    text: str
    place: SectionPlace
    source: Source


@dataclass(frozen=True, slots=True)
class Guidance:
    """Unscored guidance text around the tracks.

    Every part is optional (None when the course leaves it out); ``sections``
    are the course's own, in authored order.
    """

    tracks_intro: Section | None
    making_your_choice: Section | None
    future: Future | None
    first_steps: FirstSteps | None
    continuous_growth: ContinuousGrowth | None
    closing: str | None
    source: Source
    sections: tuple[CustomSection, ...] = dataclasses.field(default=(), metadata=ADDED_FIELD)

    def placed(self, place: str) -> tuple[CustomSection, ...]:
        """The course's own sections shown at ``place``, in authored order."""
        return tuple(s for s in self.sections if s.place == place)


@dataclass(frozen=True, slots=True)
class CombinedFeedback:
    """Feedback for a whole answer: right, partly right, wrong."""

    correct: str
    partial: str
    incorrect: str
    source: Source


@dataclass(frozen=True, slots=True)
class ChoiceOption:
    """An option of a single- or multiple-answer question."""

    id: str
    text: str
    correct: bool
    feedback: str | None
    source: Source


@dataclass(frozen=True, slots=True)
class MatchPair:
    """A left-hand ``prompt`` and the right-hand ``match`` it belongs with."""

    id: str
    prompt: str
    match: str
    source: Source


@dataclass(frozen=True, slots=True)
class Distractor:
    """A right-hand answer of a matching question that matches no prompt."""

    id: str
    text: str
    source: Source


@dataclass(frozen=True, slots=True)
class OrderItem:
    """An item of an ordering question (listed in the correct order)."""

    id: str
    text: str
    source: Source


@dataclass(frozen=True, slots=True)
class KnowledgeQuestion:
    """Fields every graded question has; see the subclasses for each ``type``."""

    id: str
    type: QuestionType
    prompt: str
    explanation: str
    tracks: tuple[str, ...]
    source: Source


@dataclass(frozen=True, slots=True)
class ChoiceQuestion(KnowledgeQuestion):
    """``single`` (exactly one correct option) or ``multiple`` (one or more)."""

    options: tuple[ChoiceOption, ...]
    #: False keeps the authoring order (e.g. "All of the above" last); see pmkit.option_order.
    shuffle: bool = True

    def option(self, option_id: str) -> ChoiceOption | None:
        """The option with that id, or None."""
        return next((o for o in self.options if o.id == option_id), None)


@dataclass(frozen=True, slots=True)
class TrueFalseQuestion(KnowledgeQuestion):
    """A statement that is true or false."""

    answer: bool
    true_feedback: str | None
    false_feedback: str | None


@dataclass(frozen=True, slots=True)
class MatchingQuestion(KnowledgeQuestion):
    """Match each prompt with its answer; distractors match nothing."""

    pairs: tuple[MatchPair, ...]
    distractors: tuple[Distractor, ...]
    feedback: CombinedFeedback


@dataclass(frozen=True, slots=True)
class OrderingQuestion(KnowledgeQuestion):
    """Put the items in order; ``items`` is the correct order."""

    items: tuple[OrderItem, ...]
    feedback: CombinedFeedback


@dataclass(frozen=True, slots=True)
class KnowledgeCheck:
    """The graded quiz."""

    title: str
    intro: str | None
    questions: tuple[KnowledgeQuestion, ...]
    source: Source
    #: How many times a learner may submit it (None: no limit).
    attempts: int | None = None
    #: Questions shown per screen (None: all on one screen).
    questions_per_screen: int | None = None
    #: A "Check" button under each question gives its feedback at once.
    check_each_question: bool = False

    def question(self, question_id: str) -> KnowledgeQuestion | None:
        """The question with that id, or None."""
        return next((q for q in self.questions if q.id == question_id), None)


@dataclass(frozen=True, slots=True)
class Course:
    """A whole validated course (content format ``pmkit: 1``)."""

    format_version: int
    id: str
    title: str
    version: str
    language: str
    description: str
    introduction: Section
    attribution: Attribution | None  # None for a course that is not derived from a publication
    mastery: int
    scorers: ScorerDefaults
    tracks: tuple[Track, ...]
    self_discovery: SelfDiscovery
    decision_tree: DecisionTree
    guidance: Guidance
    knowledge_check: KnowledgeCheck
    source: Source

    def track(self, track_id: str) -> Track | None:
        """The track with that id, or None."""
        return next((t for t in self.tracks if t.id == track_id), None)

    @property
    def track_ids(self) -> tuple[str, ...]:
        """Track ids in the course's declared order (the tie-break order)."""
        return tuple(t.id for t in self.tracks)

    def walk(self) -> Iterator[object]:
        """Every model node (depth first), for rules that look at all of them."""
        return iter_nodes(self)


QUESTION_CLASSES: dict[str, type[KnowledgeQuestion]] = {
    "single": ChoiceQuestion,
    "multiple": ChoiceQuestion,
    "true-false": TrueFalseQuestion,
    "matching": MatchingQuestion,
    "ordering": OrderingQuestion,
}


def iter_nodes(node: object) -> Iterator[object]:
    """Every dataclass node below ``node`` (itself first), depth first."""
    if dataclasses.is_dataclass(node):
        yield node
        for f in dataclasses.fields(node):
            yield from iter_nodes(getattr(node, f.name))
    elif isinstance(node, tuple):
        for v in node:
            yield from iter_nodes(v)
