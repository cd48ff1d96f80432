"""A course whose every text is hostile: markup, CDATA ends, entities, emoji, right-to-left.

Shared by the Common Cartridge and Canvas QTI tests: ids stay valid, every
text a learner can see is replaced by a numbered hostile string, so a test
can find each one again in the output exactly as written.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

HOSTILE = "<script>alert(1)</script> ]]> & &amp; &nbsp; {x} \"q\" 'a' 😀 שלום עולם مرحبا"
HOSTILE_LINES = "Line one <b>]]></b> &lt;\nline two 😀 שלום\n\nNew paragraph & <i>x</i> مرحبا"


def edit_yaml(path: Path, change: Callable[[Any], None]) -> None:
    """Load a content file, let ``change`` edit the data, write it back."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8"
    )


def make_hostile(content: Path) -> None:
    """Replace the texts of the course in ``content`` (edited in place)."""
    counter = iter(range(10_000))

    def h(multiline: bool = False) -> str:
        return f"{HOSTILE_LINES if multiline else HOSTILE} #{next(counter)}"

    def course(d: Any) -> None:
        d["title"], d["description"] = h(), h(True)
        d["introduction"] = {"heading": h(), "text": h(True)}
        d["source"]["disclaimer"] = h(True)

    def kc(d: Any) -> None:
        d["title"], d["intro"] = h(), h(True)
        for q in d["questions"]:
            q["prompt"], q["explanation"] = h(True), h(True)
            for o in q.get("options", []):
                o["text"], o["feedback"] = h(), h(True)
            if q["type"] == "true-false":
                q["true_feedback"], q["false_feedback"] = h(True), h(True)
            for p in q.get("pairs", []):
                p["prompt"], p["match"] = h(), h()
            for dis in q.get("distractors", []):
                dis["text"] = h()
            for i in q.get("items", []):
                i["text"] = h()
            if "feedback" in q:
                q["feedback"] = {"correct": h(True), "partial": h(True), "incorrect": h(True)}

    def sd(d: Any) -> None:
        d["title"], d["intro"] = h(), h(True)
        for g in d["groups"]:
            g["title"] = h()
            for q in g["questions"]:
                q["text"] = h(True)

    def tree(d: Any) -> None:
        d["title"], d["intro"] = h(), h(True)
        for n in d["nodes"]:
            n["prompt"], n["text"] = h(), h(True)
            for o in n["options"]:
                o["label"], o["text"] = h(), h(True)

    def guidance(d: Any) -> None:
        d["tracks_intro"] = {"heading": h(), "text": h(True)}
        d["closing"] = h(True)
        d["first_steps"]["steps"] = [h() for _ in d["first_steps"]["steps"]]
        for w in d["future"]["work_environments"]:
            w["label"], w["text"] = h(), h()

    def track(d: Any) -> None:
        d["title"], d["short_title"], d["perfect_for"] = h(), h(), h()
        d["duties"] = [h() for _ in d["duties"]]

    edit_yaml(content / "course.yaml", course)
    edit_yaml(content / "knowledge-check.yaml", kc)
    edit_yaml(content / "self-discovery.yaml", sd)
    edit_yaml(content / "decision-tree.yaml", tree)
    edit_yaml(content / "guidance.yaml", guidance)
    for path in sorted((content / "tracks").glob("*.yaml")):
        edit_yaml(path, track)
