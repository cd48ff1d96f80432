"""Courses of other shapes than the bundled one, for tests of what is drawn or laid out.

:func:`write_course` copies the bundled course and replaces its tracks and its
decision tree by a generated :class:`Shape`: 2 to 6 tracks, deeper or wider
trees, branches that join (a question reached from several answers), long
prompts and labels. Everything is deterministic (the shape's ``seed``), and
every generated course passes ``pmkit validate``: no cycle, every question
reachable, every track at the end of some path.

Other tests may add shapes to :data:`SHAPES` or build their own ``Shape``.
"""

from __future__ import annotations

import random
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "content"
TRACK_NAMES = ("Technical PM", "UX PM", "Strategic PM", "Growth PM", "Platform PM", "Data PM")
WORDS = (
    "product",
    "customer",
    "roadmap",
    "experiment",
    "stakeholder",
    "analytics",
    "platform",
    "internationalisation",
    "go-to-market",
    "discovery",
    "pricing",
    "teams",
)


@dataclass(frozen=True)
class Shape:
    """A course shape: how many tracks, how deep and wide the tree is, whether
    branches join, and how long its texts are (in words)."""

    name: str
    tracks: int = 3
    depth: int = 2  # questions on the longest path
    width: int = 3  # answers per question
    joins: bool = False
    words: int = 4  # words per answer label (prompts are a little longer)
    seed: int = 1
    #: "bundled": the bundled guidance; "own": optional parts left out and sections of
    #: the course's own at every place; "none": a guidance file with nothing but its kind.
    guidance: str = "bundled"


SHAPES = (
    Shape("two-tracks-shallow", tracks=2, depth=1, width=2),
    Shape("three-tracks-joined", tracks=3, depth=3, width=3, joins=True),
    Shape("four-tracks-wide", tracks=4, depth=2, width=6, words=6),
    Shape("five-tracks-deep", tracks=5, depth=5, width=3, joins=True, seed=7),
    Shape("six-tracks-wide-deep", tracks=6, depth=4, width=5, joins=True, words=8, seed=3),
    Shape("six-tracks-many-answers", tracks=6, depth=2, width=12, words=3, seed=5),
    Shape("long-words", tracks=3, depth=2, width=3, words=3, seed=11),
    # Questions reached from answers of two different questions (joins across parents).
    Shape("four-tracks-joined-parents", tracks=4, depth=3, width=6, joins=True, seed=1),
    Shape("two-tracks-own-sections", tracks=2, depth=2, width=2, guidance="own", seed=13),
    Shape("six-tracks-no-guidance", tracks=6, depth=2, width=4, guidance="none", seed=17),
)

#: The sections of the course's own a shape with ``guidance="own"`` adds: id -> place.
OWN_SECTIONS = {
    "own-welcome": "introduction",
    "own-tracks": "tracks",
    "own-tree": "decision-tree",
    "own-future": "future",
    "own-last": None,  # no place: with the next steps
}
#: The optional guidance parts a shape with ``guidance="own"`` leaves out.
OWN_LEFT_OUT = ("tracks_intro", "first_steps", "closing")


def own_heading(section_id: str) -> str:
    """The heading of a generated section of the course's own."""
    return f"Our own part {section_id.removeprefix('own-')}"


def guidance(shape: Shape, bundled: dict[str, Any]) -> dict[str, Any]:
    """The shape's guidance file as YAML-ready data."""
    if shape.guidance == "none":
        return {"kind": "guidance"}
    if shape.guidance == "bundled":
        return bundled
    data = {k: v for k, v in bundled.items() if k not in OWN_LEFT_OUT}
    data["sections"] = []
    for section_id, place in OWN_SECTIONS.items():
        section = {
            "id": section_id,
            "heading": own_heading(section_id),
            "text": f"First paragraph of {section_id}.\n\nSecond paragraph of {section_id}.",
        }
        if place:
            section["place"] = place
        data["sections"].append(section)
    return data


def _phrase(rng: random.Random, words: int, shape: Shape) -> str:
    if shape.name == "long-words":
        return " ".join(rng.choice(WORDS) * 3 for _ in range(words))
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize()


def track_ids(shape: Shape) -> list[str]:
    """The ids of the shape's tracks (the bundled three first, so other files stay valid)."""
    bundled = ["technical-pm", "ux-pm", "strategic-pm"]
    extra = [name.lower().replace(" ", "-") for name in TRACK_NAMES[3:]]
    return (bundled + extra)[: shape.tracks]


def decision_tree(shape: Shape) -> dict[str, Any]:
    """The generated decision tree as YAML-ready data."""
    rng = random.Random(shape.seed)
    tracks = track_ids(shape)
    levels: list[list[dict[str, Any]]] = []
    for level in range(shape.depth):
        count = 1 if level == 0 else max(1, min(3, len(levels[-1]) * shape.width // 3))
        levels.append(
            [
                {
                    "id": f"q{level}-{i}",
                    "prompt": _phrase(rng, shape.words + 2, shape) + "?",
                    "options": [],
                }
                for i in range(count)
            ]
        )
    next_track = 0
    for level, nodes in enumerate(levels):
        below = levels[level + 1] if level + 1 < len(levels) else []
        unreached = list(below)
        for node in nodes:
            for k in range(shape.width):
                option: dict[str, Any] = {
                    "id": f"{node['id']}-a{k}",
                    "label": _phrase(rng, shape.words, shape),
                }
                target = None
                if unreached and (k % 2 == 0 or len(unreached) > shape.width - k):
                    target = unreached.pop(0)["id"]
                elif below and shape.joins and k % 3 == 1:
                    target = rng.choice(below)["id"]  # a join: a question of several parents
                if target:
                    option["next"] = target
                else:
                    track = tracks[next_track % len(tracks)]
                    next_track += 1
                    option["track"] = track
                    option["points"] = {track: 2}
                node["options"].append(option)
        assert not unreached, "every question must be reachable"
    assert next_track >= len(tracks), f"{shape.name}: every track must end some path"
    return {
        "kind": "decision-tree",
        "title": f"Decision tree: {shape.name}",
        "intro": "A generated tree.",
        "start": "q0-0",
        "nodes": [n for nodes in levels for n in nodes],
    }


def _track(template: dict[str, Any], track_id: str, name: str) -> dict[str, Any]:
    data = dict(template)
    data.update(
        id=track_id,
        short_title=name,
        title=f"The {name}",
        perfect_for=f"People who would enjoy the work of a {name}",
    )
    return data


def write_course(shape: Shape, folder: Path) -> Path:
    """Write the course of ``shape`` into ``folder`` (a new directory); return it."""
    shutil.copytree(BUNDLED, folder)
    template = yaml.safe_load((BUNDLED / "tracks" / "technical-pm.yaml").read_text("utf-8"))
    ids = track_ids(shape)
    for path in (folder / "tracks").iterdir():
        path.unlink()
    for track_id, name in zip(ids, TRACK_NAMES, strict=False):
        data = _track(template, track_id, name)
        (folder / "tracks" / f"{track_id}.yaml").write_text(
            yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8"
        )
    course = yaml.safe_load((folder / "course.yaml").read_text("utf-8"))
    course["include"] = [
        "self-discovery.yaml",
        *(f"tracks/{t}.yaml" for t in ids),
        "decision-tree.yaml",
        "guidance.yaml",
        "knowledge-check.yaml",
    ]
    _write(folder / "course.yaml", course)
    _write(folder / "decision-tree.yaml", decision_tree(shape))
    if shape.guidance != "bundled":
        bundled = yaml.safe_load((folder / "guidance.yaml").read_text("utf-8"))
        _write(folder / "guidance.yaml", guidance(shape, bundled))
    _keep_known_tracks(folder, set(ids))
    return folder


def _keep_known_tracks(folder: Path, known: set[str]) -> None:
    """Drop references to tracks a small shape does not have (points, question tags)."""
    for name in ("self-discovery.yaml", "knowledge-check.yaml"):
        path = folder / name
        data = yaml.safe_load(path.read_text("utf-8"))
        _prune(data, known)
        _write(path, data)


def _prune(data: Any, known: set[str]) -> None:
    if isinstance(data, dict):
        if isinstance(data.get("points"), dict):
            kept = {t: p for t, p in data["points"].items() if t in known}
            data["points"] = kept or {sorted(known)[0]: 1}  # a "yes" must add points
        if isinstance(data.get("tracks"), list):
            data["tracks"] = [t for t in data["tracks"] if t in known] or sorted(known)[:1]
        for value in data.values():
            _prune(value, known)
    elif isinstance(data, list):
        for value in data:
            _prune(value, known)


def _write(path: Path, data: Any) -> None:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
