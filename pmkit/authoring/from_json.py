"""YAML content files recreated from a JSON export (``"format": "pmkit-course/1"``).

``pmkit export --format json`` writes the whole course; :func:`course_files`
turns its ``course`` back into a content folder (``course.yaml``, one file per
track under ``tracks/``, one file per other kind), so that exporting the
recreated folder to JSON again gives the same course. Values equal to what
pmkit would assume anyway (an absent optional field, empty points) are left
out, so the files read like hand-written ones. Comments of the original files
are not in the export, so they are not recreated.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from pmkit.authoring.content_schema import SCHEMA_FILE, schema_text
from pmkit.errors import PmkitError
from pmkit.ids import is_id

JSON_FORMAT = "pmkit-course/1"


class _Flow(dict[str, Any]):
    """A mapping written on one line (``{track: 2}``)."""


class _FlowList(list[Any]):
    """A list written on one line (``[a, b]``)."""


class _Quoted(str):
    """A string written in double quotes (a version, which YAML could read as a number)."""

    __slots__ = ()


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True  # every value written out in full: no anchors in content files


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(
    _Quoted, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", str(v), style='"')
)
_Dumper.add_representer(
    _Flow, lambda d, v: d.represent_mapping("tag:yaml.org,2002:map", dict(v), flow_style=True)
)
_Dumper.add_representer(
    _FlowList, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", list(v), flow_style=True)
)


def _scorers(data: Mapping[str, Any]) -> dict[str, Any]:
    """course.yaml's `scorers`, with the exported option values nested again by scorer."""
    out = _clean({k: v for k, v in data.items() if k != "options"})
    options: dict[str, dict[str, Any]] = {}
    for setting in data.get("options") or ():
        options.setdefault(setting["scorer"], {})[setting["option"]] = setting["value"]
    if options:
        out["options"] = options
    return out


def _clean(value: Any) -> Any:
    """Drop ``source``, absent (None) values and empty lists or mappings, recursively."""
    if isinstance(value, Mapping):
        out = {}
        for key, item in value.items():
            if key == "source":
                continue
            item = _clean(item)
            if item is None or item == [] or item == {}:
                continue
            out[key] = item
        return out
    if isinstance(value, list):
        return [_clean(item) for item in value]
    return value


def _flow_points(node: dict[str, Any]) -> dict[str, Any]:
    if "points" in node:
        node["points"] = _Flow(node["points"])
    return node


def dump(data: Mapping[str, Any], header: str) -> str:
    """One content file: the comment ``header`` lines, then ``data`` as block YAML."""
    body = yaml.dump(
        dict(data),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=88,
        default_flow_style=False,
        indent=2,
    )
    return header + body


def _header(schema: str, origin: str) -> str:
    return (
        f"# yaml-language-server: $schema={schema}\n"
        f"# Recreated by `pmkit new --from-json` from {origin}.\n"
    )


def course_files(course: Mapping[str, Any], origin: str) -> dict[str, str]:
    """The content files of ``course`` (the ``course`` member of a JSON export).

    Returns relative POSIX path -> text, ``course.yaml`` first, the schema file
    last. Raises :class:`KeyError`/:class:`TypeError` on a course that is not
    complete (see :func:`read_export`).
    """
    header, track_header = _header(SCHEMA_FILE, origin), _header(f"../{SCHEMA_FILE}", origin)
    c = course
    tracks = [_clean(t) for t in c["tracks"]]
    for track in tracks:
        if not isinstance(track.get("id"), str) or not is_id(track["id"]):
            raise TypeError(f"track id {track.get('id')!r} is not a valid id")
    track_paths = [f"tracks/{t['id']}.yaml" for t in tracks]

    self_discovery = _clean(c["self_discovery"])
    for group in self_discovery["groups"]:
        group["questions"] = [_flow_points(q) for q in group["questions"]]
    tree = _clean(c["decision_tree"])
    for node in tree["nodes"]:
        node["options"] = [_flow_points(o) for o in node["options"]]
    knowledge = _clean(c["knowledge_check"])
    for question in knowledge["questions"]:
        if "tracks" in question:
            question["tracks"] = _FlowList(question["tracks"])

    head: dict[str, Any] = {
        "pmkit": c["format_version"],
        "id": c["id"],
        "title": c["title"],
        "version": _Quoted(c["version"]),
        "language": c["language"],
        "description": c["description"],
        "introduction": _clean(c["introduction"]),
        "source": _clean(c["attribution"]),
        "mastery": c["mastery"],
        "scorers": _scorers(c["scorers"]),
        "include": [
            "self-discovery.yaml",
            *track_paths,
            "decision-tree.yaml",
            "guidance.yaml",
            "knowledge-check.yaml",
        ],
    }
    if head["source"] is None:  # a course that is not derived from a publication
        del head["source"]
    files = {
        "course.yaml": dump(head, header),
        "self-discovery.yaml": dump({"kind": "self-discovery", **self_discovery}, header),
    }
    for path, track in zip(track_paths, tracks, strict=True):
        files[path] = dump({"kind": "track", **track}, track_header)
    files["decision-tree.yaml"] = dump({"kind": "decision-tree", **tree}, header)
    files["guidance.yaml"] = dump({"kind": "guidance", **_clean(c["guidance"])}, header)
    files["knowledge-check.yaml"] = dump({"kind": "knowledge-check", **knowledge}, header)
    files[SCHEMA_FILE] = schema_text()
    return files


def read_export(path: Path) -> dict[str, str]:
    """The content files recreated from the JSON export at ``path``.

    Raises :class:`~pmkit.errors.PmkitError` (with the position of a JSON
    syntax error) when the file is not a readable ``pmkit-course/1`` export.
    """
    from pmkit.content.load import display_path
    from pmkit.errors import ContentError
    from pmkit.issues import Issue

    shown = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PmkitError(f"cannot read {shown}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise PmkitError(f"{shown} is not UTF-8 text ({exc.reason})") from exc
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ContentError(
            [Issue(shown, exc.lineno, exc.colno, f"not valid JSON: {exc.msg}", code="json")]
        ) from exc
    found = document.get("format") if isinstance(document, dict) else None
    if found != JSON_FORMAT:
        what = f"its format is {found!r}" if found is not None else "it has no `format`"
        raise ContentError(
            [
                Issue(
                    shown,
                    1,
                    1,
                    f"not a pmkit JSON export ({what}; expected "
                    f"{JSON_FORMAT!r}): write one with `pmkit export -f json`",
                    code="json",
                )
            ]
        )
    try:
        return course_files(document["course"], path.name)
    except (KeyError, TypeError, AttributeError) as exc:
        raise ContentError(
            [
                Issue(
                    shown,
                    1,
                    1,
                    f"the export is incomplete or damaged "
                    f"({type(exc).__name__}: {exc}); export it again with "
                    "`pmkit export -f json`",
                    code="json",
                )
            ]
        ) from exc
