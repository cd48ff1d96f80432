"""Cross-reference and graph rules: what a schema cannot see.

Each rule takes the course and a :class:`~pmkit.content.build.Locator` and
yields issues. They run after every file passed its schema, and all of them
run, so the author sees every problem at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from pmkit.content import model as m
from pmkit.content.build import Locator
from pmkit.content.text import shown
from pmkit.issues import Issue

CoreRule = Callable[[m.Course, Locator], Iterable[Issue]]


def _where(src: m.Source) -> str:
    return f"{src.file}:{src.line}"


def unique_ids(course: m.Course, loc: Locator) -> Iterator[Issue]:
    """Ids of tracks, groups, questions, tree nodes, work environments and the course's
    own sections are course-wide."""
    nodes: list[object] = [
        *course.tracks,
        *course.self_discovery.groups,
        *course.self_discovery.questions,
        *course.decision_tree.nodes,
        *(course.guidance.future.work_environments if course.guidance.future else ()),
        *course.guidance.sections,
        *course.knowledge_check.questions,
    ]
    seen: dict[str, object] = {}
    for node in nodes:
        node_id: str = node.id  # type: ignore[attr-defined]
        first = seen.setdefault(node_id, node)
        if first is not node:
            yield loc.issue(
                node,
                f"id `{node_id}` is already used at "
                f"{_where(first.source)}; ids must be unique in the "  # type: ignore[attr-defined]
                "course, rename one",
                at="id",
                code="duplicate-id",
            )


def _scoped(loc: Locator, owner: str, items: Iterable[object]) -> Iterator[Issue]:
    seen: dict[str, object] = {}
    for item in items:
        item_id: str = item.id  # type: ignore[attr-defined]
        first = seen.setdefault(item_id, item)
        if first is not item:
            yield loc.issue(
                item,
                f"id `{item_id}` appears twice in {owner}; ids must be "
                "unique inside their question",
                at="id",
                code="duplicate-id",
            )


def scoped_ids(course: m.Course, loc: Locator) -> Iterator[Issue]:
    """Option, pair, distractor and item ids are unique inside their question."""
    for node in course.decision_tree.nodes:
        yield from _scoped(loc, f"node `{node.id}`", node.options)
    for q in course.knowledge_check.questions:
        owner = f"question `{q.id}`"
        if isinstance(q, m.ChoiceQuestion):
            yield from _scoped(loc, owner, q.options)
        elif isinstance(q, m.MatchingQuestion):
            yield from _scoped(loc, owner, [*q.pairs, *q.distractors])
        elif isinstance(q, m.OrderingQuestion):
            yield from _scoped(loc, owner, q.items)


def track_references(course: m.Course, loc: Locator) -> Iterator[Issue]:
    """Points, tree outcomes and question tags name tracks that exist."""
    known = course.track_ids
    listing = ", ".join(known)

    def check(node: object, track_id: str, at: str) -> Iterator[Issue]:
        if track_id not in known:
            yield loc.issue(
                node,
                f"unknown track `{track_id}`; known tracks: {listing}",
                at=at,
                code="unknown-track",
            )

    for q in course.self_discovery.questions:
        for track_id in q.points:
            yield from check(q, track_id, "points")
        if not any(q.points.values()):
            yield loc.issue(
                q,
                'a "yes" to this question gives no points; give at least one track more than 0',
                at="points",
                code="no-points",
            )
    for node in course.decision_tree.nodes:
        for option in node.options:
            for track_id in option.points:
                yield from check(option, track_id, "points")
            if option.track is not None:
                yield from check(option, option.track, "track")
    for kq in course.knowledge_check.questions:
        for track_id in kq.tracks:
            yield from check(kq, track_id, "tracks")


def decision_tree_shape(course: m.Course, loc: Locator) -> Iterator[Issue]:
    """Options lead somewhere; the tree is acyclic, fully reachable and reaches every track."""
    tree = course.decision_tree
    by_id = {n.id: n for n in tree.nodes}
    if tree.start not in by_id:
        yield loc.issue(
            tree,
            f"start node `{tree.start}` does not exist; known nodes: {', '.join(by_id)}",
            at="start",
            code="tree",
        )
        return
    for node in tree.nodes:
        for option in node.options:
            if (option.next is None) == (option.track is None):
                yield loc.issue(
                    option,
                    "an option needs exactly one of `next` (another node) or `track` (an outcome)",
                    code="tree",
                )
            elif option.next is not None and option.next not in by_id:
                yield loc.issue(
                    option,
                    f"`next` names unknown node `{option.next}`; known nodes: {', '.join(by_id)}",
                    at="next",
                    code="tree",
                )
            if option.track is None and not option.label:
                yield loc.issue(
                    option, "an option that leads to another node needs a `label`", code="tree"
                )

    # Depth-first walk from the start: grey nodes are on the current path, so
    # reaching one again is a cycle.
    state: dict[str, str] = {}
    reached_tracks: set[str] = set()

    def visit(node: m.TreeNode) -> Iterator[Issue]:
        state[node.id] = "grey"
        for option in node.options:
            if option.track is not None:
                reached_tracks.add(option.track)
            target = by_id.get(option.next or "")
            if target is None:
                continue
            if state.get(target.id) == "grey":
                yield loc.issue(
                    option,
                    f"`next: {target.id}` makes a cycle in the decision "
                    "tree; every path must end in a track",
                    at="next",
                    code="tree",
                )
            elif target.id not in state:
                yield from visit(target)
        state[node.id] = "black"

    yield from visit(by_id[tree.start])
    for node in tree.nodes:
        if node.id not in state:
            yield loc.issue(
                node,
                f"node `{node.id}` cannot be reached from the start node "
                f"`{tree.start}`; link it with `next` or remove it",
                code="tree",
            )
    for track in course.tracks:
        if track.id not in reached_tracks:
            yield loc.issue(
                tree,
                f"no path of the decision tree ends in track `{track.id}`; "
                "add an option with `track: " + track.id + "`",
                code="tree",
            )


def knowledge_questions(course: m.Course, loc: Locator) -> Iterator[Issue]:
    """Every graded question has a valid, unambiguous correct answer."""
    for q in course.knowledge_check.questions:
        if isinstance(q, m.ChoiceQuestion):
            right = sum(o.correct for o in q.options)
            if q.type == "single" and right != 1:
                yield loc.issue(
                    q,
                    f"a single-answer question needs exactly one option with "
                    f"`correct: true`; it has {right}",
                    at="options",
                    code="answer-key",
                )
            if q.type == "multiple" and (right == 0 or right == len(q.options)):
                yield loc.issue(
                    q,
                    "a multiple-answer question needs at least one right and one wrong option",
                    at="options",
                    code="answer-key",
                )
            yield from _distinct_texts(loc, q, "options", [o.text for o in q.options])
        elif isinstance(q, m.MatchingQuestion):
            answers = [p.match for p in q.pairs] + [d.text for d in q.distractors]
            yield from _distinct_texts(loc, q, "answers", answers)
            yield from _distinct_texts(loc, q, "prompts", [p.prompt for p in q.pairs])
            if len(set(answers)) < 3:
                yield loc.issue(
                    q,
                    f"a matching question needs at least 3 distinct answers "
                    f"(it has {len(set(answers))}); add a `distractors` entry",
                    at="pairs",
                    code="answer-key",
                )
        elif isinstance(q, m.OrderingQuestion):
            yield from _distinct_texts(loc, q, "items", [i.text for i in q.items])


def _distinct_texts(
    loc: Locator, q: m.KnowledgeQuestion, what: str, texts: list[str]
) -> Iterator[Issue]:
    seen: set[str] = set()
    for text in texts:
        if text in seen:
            yield loc.issue(
                q,
                f"two {what} read {shown(text)}; a learner could not tell them "
                "apart, make them distinct",
                code="answer-key",
            )
        seen.add(text)


def section_places(course: m.Course, loc: Locator) -> Iterator[Issue]:
    """A course's own section is placed on a page the course has (``future`` is optional)."""
    if course.guidance.future is not None:
        return
    for section in course.guidance.placed("future"):
        yield loc.issue(
            section,
            f"section `{section.id}` is placed on `future`, but this course has no "
            "`future` guidance; add `future` or place the section elsewhere "
            "(introduction, tracks, decision-tree, next-steps)",
            at="place",
            code="section-place",
        )


CORE_RULES: tuple[CoreRule, ...] = (
    unique_ids,
    scoped_ids,
    track_references,
    decision_tree_shape,
    knowledge_questions,
    section_places,
)
