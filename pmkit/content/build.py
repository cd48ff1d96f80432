"""Schema-valid YAML documents -> the immutable course model.

The builder also fills a :class:`Locator`, so the core's cross-reference rules
can point at the exact field of a node (``next:`` of an option, say) rather
than at the node's first line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from pmkit.content import model as m
from pmkit.content.yaml_positions import YamlDocument
from pmkit.issues import Issue

DEFAULT_MASTERY = 80
DEFAULT_RECOMMENDATION_SCORER = "weighted"
DEFAULT_GRADE_SCORER = "partial-credit"
DEFAULT_KNOWLEDGE_CHECK_TITLE = "Knowledge Check"
#: Where a course's own section goes when it names no ``place``: with the next steps.
DEFAULT_SECTION_PLACE = "next-steps"


@dataclass
class Locator:
    """Finds the document and path a model node was built from."""

    places: dict[int, tuple[YamlDocument, tuple[Any, ...]]] = field(default_factory=dict)

    def issue(
        self,
        node: object,
        message: str,
        *,
        at: str | None = None,
        code: str = "content",
        severity: str = "error",
    ) -> Issue:
        """An issue at ``node`` (or at its field ``at``, when given and present)."""
        place = self.places.get(id(node))
        if place is None:
            src: m.Source = node.source  # type: ignore[attr-defined]
            return Issue(src.file, src.line, src.column, message, severity, code)  # type: ignore[arg-type]
        doc, path = place
        target = (*path, at) if at is not None else path
        key = at is not None and target in doc.key_marks
        return doc.issue(target, message, key=key, code=code, severity=severity)


@dataclass
class IncludedFiles:
    """The schema-valid documents of a course, grouped by kind (in include order)."""

    course: YamlDocument
    tracks: list[YamlDocument]
    self_discovery: YamlDocument
    decision_tree: YamlDocument
    guidance: YamlDocument
    knowledge_checks: list[YamlDocument]


class ModelBuilder:
    """Builds :class:`pmkit.content.model.Course` from :class:`IncludedFiles`."""

    def __init__(self) -> None:
        self.locator = Locator()
        self._doc: YamlDocument

    def _src(self, path: tuple[Any, ...]) -> m.Source:
        line, column = self._doc.position(path)
        return m.Source(self._doc.file, line, column)

    def _place(self, node: Any, path: tuple[Any, ...]) -> Any:
        self.locator.places[id(node)] = (self._doc, path)
        return node

    def build(self, files: IncludedFiles) -> m.Course:
        """The whole course."""
        tracks = tuple(self._track(doc) for doc in files.tracks)
        perfect_for = {t.id: t.perfect_for for t in tracks}
        self_discovery = self._self_discovery(files.self_discovery)
        tree = self._decision_tree(files.decision_tree, perfect_for)
        guidance = self._guidance(files.guidance)
        knowledge_check = self._knowledge_check(files.knowledge_checks)
        self._doc = doc = files.course
        d = doc.data
        src = d.get("source")
        scorers = d.get("scorers") or {}
        course = m.Course(
            format_version=d["pmkit"],
            id=d["id"],
            title=d["title"],
            version=d["version"],
            language=d["language"],
            description=d["description"],
            introduction=self._section(d["introduction"], ("introduction",)),
            attribution=m.Attribution(
                publisher=src["publisher"],
                title=src["title"],
                author=src.get("author"),
                disclaimer=src["disclaimer"],
                note=src.get("note"),
                source=self._src(("source",)),
            )
            if src is not None
            else None,
            mastery=d.get("mastery", DEFAULT_MASTERY),
            scorers=m.ScorerDefaults(
                recommendation=scorers.get("recommendation", DEFAULT_RECOMMENDATION_SCORER),
                grade=scorers.get("grade", DEFAULT_GRADE_SCORER),
                source=self._src(("scorers",)),
                options=tuple(
                    m.ScorerSetting(
                        scorer=scorer,
                        option=option,
                        value=value,
                        source=self._src(("scorers", "options", scorer, option)),
                    )
                    for scorer, values in (scorers.get("options") or {}).items()
                    for option, value in values.items()
                ),
            ),
            tracks=tracks,
            self_discovery=self_discovery,
            decision_tree=tree,
            guidance=guidance,
            knowledge_check=knowledge_check,
            source=self._src(()),
        )
        return self._place(course, ())

    def _section(self, d: dict[str, Any], path: tuple[Any, ...]) -> m.Section:
        return m.Section(heading=d["heading"], text=d["text"], source=self._src(path))

    @staticmethod
    def _points(d: dict[str, int] | None) -> m.Points:
        return MappingProxyType(dict(d)) if d else m.EMPTY_POINTS

    def _track(self, doc: YamlDocument) -> m.Track:
        self._doc = doc
        d = doc.data
        courses = tuple(
            m.CourseLink(
                title=c["title"],
                provider=c["provider"],
                url=c.get("url"),
                description=c.get("description"),
                source=self._src(("courses", i)),
            )
            for i, c in enumerate(d.get("courses") or [])
        )
        track = m.Track(
            id=d["id"],
            title=d["title"],
            short_title=d["short_title"],
            perfect_for=d["perfect_for"],
            duties=tuple(d["duties"]),
            key_skills=tuple(d["key_skills"]),
            progression=tuple(d["progression"]),
            industries=tuple(d["industries"]),
            courses=courses,
            source=self._src(()),
        )
        return self._place(track, ())

    def _self_discovery(self, doc: YamlDocument) -> m.SelfDiscovery:
        self._doc = doc
        d = doc.data
        groups = []
        for gi, g in enumerate(d["groups"]):
            questions = tuple(
                self._place(
                    m.YesNoQuestion(
                        id=q["id"],
                        text=q["text"],
                        points=self._points(q["points"]),
                        source=self._src(("groups", gi, "questions", qi)),
                    ),
                    ("groups", gi, "questions", qi),
                )
                for qi, q in enumerate(g["questions"])
            )
            group = m.QuestionGroup(
                id=g["id"], title=g["title"], questions=questions, source=self._src(("groups", gi))
            )
            groups.append(self._place(group, ("groups", gi)))
        return self._place(
            m.SelfDiscovery(
                title=d["title"], intro=d["intro"], groups=tuple(groups), source=self._src(())
            ),
            (),
        )

    def _decision_tree(self, doc: YamlDocument, perfect_for: dict[str, str]) -> m.DecisionTree:
        self._doc = doc
        d = doc.data
        nodes = []
        for ni, n in enumerate(d["nodes"]):
            options = []
            for oi, o in enumerate(n["options"]):
                path = ("nodes", ni, "options", oi)
                label = o.get("label") or perfect_for.get(o.get("track") or "", "")
                option = m.TreeOption(
                    id=o["id"],
                    label=label,
                    text=o.get("text"),
                    points=self._points(o.get("points")),
                    next=o.get("next"),
                    track=o.get("track"),
                    source=self._src(path),
                )
                options.append(self._place(option, path))
            node = m.TreeNode(
                id=n["id"],
                prompt=n["prompt"],
                text=n.get("text"),
                options=tuple(options),
                source=self._src(("nodes", ni)),
            )
            nodes.append(self._place(node, ("nodes", ni)))
        tree = m.DecisionTree(
            title=d["title"],
            intro=d["intro"],
            start=d["start"],
            nodes=tuple(nodes),
            source=self._src(()),
        )
        return self._place(tree, ())

    def _guidance(self, doc: YamlDocument) -> m.Guidance:
        self._doc = doc
        d = doc.data
        future = first_steps = growth = None
        if (f := d.get("future")) is not None:
            envs = tuple(
                self._place(
                    m.WorkEnvironment(
                        id=w["id"],
                        label=w["label"],
                        text=w["text"],
                        source=self._src(("future", "work_environments", i)),
                    ),
                    ("future", "work_environments", i),
                )
                for i, w in enumerate(f["work_environments"])
            )
            future = m.Future(
                heading=f["heading"],
                text=f["text"],
                industries_heading=f["industries_heading"],
                industries_text=f["industries_text"],
                work_environments_heading=f["work_environments_heading"],
                work_environments=envs,
                source=self._src(("future",)),
            )
        if (fs := d.get("first_steps")) is not None:
            first_steps = m.FirstSteps(
                heading=fs["heading"],
                intro=fs["intro"],
                steps=tuple(fs["steps"]),
                source=self._src(("first_steps",)),
            )
        if (cg := d.get("continuous_growth")) is not None:
            growth = m.ContinuousGrowth(
                heading=cg["heading"],
                intro=cg["intro"],
                habits=tuple(cg["habits"]),
                source=self._src(("continuous_growth",)),
            )
        sections = tuple(
            self._place(
                m.CustomSection(
                    id=x["id"],
                    heading=x["heading"],
                    text=x["text"],
                    place=x.get("place", DEFAULT_SECTION_PLACE),
                    source=self._src(("sections", i)),
                ),
                ("sections", i),
            )
            for i, x in enumerate(d.get("sections") or ())
        )
        guidance = m.Guidance(
            tracks_intro=self._optional_section(d, "tracks_intro"),
            making_your_choice=self._optional_section(d, "making_your_choice"),
            future=future,
            first_steps=first_steps,
            continuous_growth=growth,
            closing=d.get("closing"),
            source=self._src(()),
            sections=sections,
        )
        return self._place(guidance, ())

    def _optional_section(self, d: dict[str, Any], key: str) -> m.Section | None:
        return self._section(d[key], (key,)) if d.get(key) is not None else None

    def _knowledge_check(self, docs: list[YamlDocument]) -> m.KnowledgeCheck:
        title = intro = None
        settings: dict[str, Any] = {}
        questions: list[m.KnowledgeQuestion] = []
        for doc in docs:
            self._doc = doc
            title = title or doc.data.get("title")
            intro = intro or doc.data.get("intro")
            for key in ("attempts", "questions_per_screen", "check_each_question"):
                if key in doc.data and key not in settings:  # the first file that gives it
                    settings[key] = doc.data[key]
            for qi, q in enumerate(doc.data["questions"]):
                questions.append(self._question(q, ("questions", qi)))
        self._doc = docs[0]
        return m.KnowledgeCheck(
            title=title or DEFAULT_KNOWLEDGE_CHECK_TITLE,
            intro=intro,
            questions=tuple(questions),
            source=self._src(()),
            **settings,
        )

    def _feedback(self, d: dict[str, str], path: tuple[Any, ...]) -> m.CombinedFeedback:
        return m.CombinedFeedback(
            correct=d["correct"],
            partial=d["partial"],
            incorrect=d["incorrect"],
            source=self._src(path),
        )

    def _question(self, q: dict[str, Any], path: tuple[Any, ...]) -> m.KnowledgeQuestion:
        common: dict[str, Any] = {
            "id": q["id"],
            "type": q["type"],
            "prompt": q["prompt"],
            "explanation": q["explanation"],
            "tracks": tuple(q.get("tracks") or ()),
            "source": self._src(path),
        }
        kind = q["type"]
        question: m.KnowledgeQuestion
        if kind in ("single", "multiple"):
            options = tuple(
                self._place(
                    m.ChoiceOption(
                        id=o["id"],
                        text=o["text"],
                        correct=o["correct"],
                        feedback=o.get("feedback"),
                        source=self._src((*path, "options", i)),
                    ),
                    (*path, "options", i),
                )
                for i, o in enumerate(q["options"])
            )
            question = m.ChoiceQuestion(**common, options=options, shuffle=q.get("shuffle", True))
        elif kind == "true-false":
            question = m.TrueFalseQuestion(
                **common,
                answer=q["answer"],
                true_feedback=q.get("true_feedback"),
                false_feedback=q.get("false_feedback"),
            )
        elif kind == "matching":
            pairs = tuple(
                self._place(
                    m.MatchPair(
                        id=p["id"],
                        prompt=p["prompt"],
                        match=p["match"],
                        source=self._src((*path, "pairs", i)),
                    ),
                    (*path, "pairs", i),
                )
                for i, p in enumerate(q["pairs"])
            )
            distractors = tuple(
                self._place(
                    m.Distractor(
                        id=x["id"], text=x["text"], source=self._src((*path, "distractors", i))
                    ),
                    (*path, "distractors", i),
                )
                for i, x in enumerate(q.get("distractors") or ())
            )
            question = m.MatchingQuestion(
                **common,
                pairs=pairs,
                distractors=distractors,
                feedback=self._feedback(q["feedback"], (*path, "feedback")),
            )
        else:
            items = tuple(
                self._place(
                    m.OrderItem(
                        id=it["id"], text=it["text"], source=self._src((*path, "items", i))
                    ),
                    (*path, "items", i),
                )
                for i, it in enumerate(q["items"])
            )
            question = m.OrderingQuestion(
                **common, items=items, feedback=self._feedback(q["feedback"], (*path, "feedback"))
            )
        return self._place(question, path)
