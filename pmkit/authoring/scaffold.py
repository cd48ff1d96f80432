"""The files of ``pmkit new``: a small valid course whose comments teach the format.

The course lives in ``pmkit/data/new-course/`` as YAML files with one
placeholder, ``{{id}}`` (the course id, derived from the folder name); the
content JSON Schema is generated beside them so editors check every file as
it is typed. The output depends only on the folder name: no dates, no
randomness.
"""

from __future__ import annotations

import re

from pmkit.authoring.content_schema import SCHEMA_FILE, schema_text

#: The scaffold's files, in the order they are listed to the user.
COURSE_FILES: tuple[str, ...] = (
    "course.yaml",
    "self-discovery.yaml",
    "tracks/data-analyst.yaml",
    "tracks/data-engineer.yaml",
    "decision-tree.yaml",
    "guidance.yaml",
    "knowledge-check.yaml",
)
DEFAULT_ID = "my-course"
MAX_ID = 64


def course_id_for(folder_name: str) -> str:
    """A valid course id from a folder name (``My Course 2`` -> ``my-course-2``)."""
    slug = re.sub(r"[^a-z0-9]+", "-", folder_name.lower()).strip("-")
    slug = slug[:MAX_ID].rstrip("-")
    return slug or DEFAULT_ID


def _template(relative: str) -> str:
    from importlib import resources

    root = resources.files("pmkit").joinpath("data", "new-course")
    return root.joinpath(*relative.split("/")).read_text(encoding="utf-8")


def render(course_id: str) -> dict[str, str]:
    """The new course's files: relative POSIX path -> text (the schema file last)."""
    files = {name: _template(name).replace("{{id}}", course_id) for name in COURSE_FILES}
    files[SCHEMA_FILE] = schema_text()
    return files


def next_steps(folder: str) -> list[str]:
    """The three commands to run next, as lines for the user."""
    import shlex

    where = shlex.quote(folder)
    steps = [
        (f"pmkit preview --content {where}", "see it as a learner and as the LMS records it"),
        (f"pmkit validate --content {where}", "check it after every change"),
        (f"pmkit export --format scorm --content {where}", "the package to upload to your LMS"),
    ]
    width = max(len(command) for command, _ in steps)
    return [f"  {command:<{width}}  {note}" for command, note in steps]
