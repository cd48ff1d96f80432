"""The validation cache keys what was parsed, reads only the course's own files,
and trusts no entry whose course does not fit the model (issue 12, section 1)."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pmkit.content import yaml_positions
from pmkit.content.cache import ValidationCache
from pmkit.content.load import load_course
from pmkit.errors import ContentError


def set_mastery(course_yaml: Path, value: str) -> None:
    text = course_yaml.read_text(encoding="utf-8")
    text, n = re.subn(r"(?m)^mastery:.*$", f"mastery: {value}", text)
    if not n:
        text += f"\nmastery: {value}\n"
    course_yaml.write_text(text, encoding="utf-8")


def test_a_file_saved_during_validation_is_not_cached_under_its_new_bytes(
    tmp_path: Path, bundled_content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The edit lands between reading course.yaml and parsing it (a deterministic hook,
    standing in for an editor saving while a 20,000-question course validates)."""
    cache = ValidationCache(tmp_path / "cache")
    course_yaml = bundled_content / "course.yaml"
    real_load_yaml = yaml_positions.load_yaml
    edited: list[str] = []

    def load_yaml_then_edit(raw: bytes, file: str) -> Any:
        if file.endswith("course.yaml") and not edited:
            set_mastery(course_yaml, "999")
            edited.append(file)
        return real_load_yaml(raw, file)  # the old bytes, as read before the edit

    monkeypatch.setattr(yaml_positions, "load_yaml", load_yaml_then_edit)
    first = load_course(bundled_content, cache=cache)
    assert edited and first.course.mastery != 999
    monkeypatch.setattr(yaml_positions, "load_yaml", real_load_yaml)
    # Before the fix the old course was stored under the new bytes' key: this
    # run said "valid" and handed the stale course on.
    with pytest.raises(ContentError) as exc:
        load_course(bundled_content, cache=cache)
    assert any("mastery" in i.message and "999" in i.message for i in exc.value.issues)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every file pmkit reads through Path.read_bytes (the loader's and the cache's reads)."""
    seen: list[Path] = []
    real = Path.read_bytes

    def recording(self: Path) -> bytes:
        seen.append(self.resolve())
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", recording)
    return seen


def test_the_key_reads_no_file_outside_the_folder_nor_an_unincluded_one(
    tmp_path: Path, bundled_content: Path, reads: list[Path]
) -> None:
    outside = tmp_path / "elsewhere" / "huge.yaml"
    outside.parent.mkdir()
    outside.write_bytes(b"x: 1\n" * 1000)
    (bundled_content / "linked.yaml").symlink_to(outside)
    (bundled_content / "drafts").mkdir()
    (bundled_content / "drafts" / "unused.yaml").write_bytes(b"y: 2\n" * 1000)
    cache = ValidationCache(tmp_path / "cache")
    assert not load_course(bundled_content, cache=cache).from_cache
    assert load_course(bundled_content, cache=cache).from_cache
    assert reads, "the recorder saw nothing: the test no longer observes the reads"
    assert outside not in reads
    assert (bundled_content / "drafts" / "unused.yaml").resolve() not in reads
    root = bundled_content.resolve()
    assert all(p.is_relative_to(root) for p in reads)


def test_an_unincluded_yaml_file_does_not_invalidate_the_entry(
    tmp_path: Path, bundled_content: Path
) -> None:
    cache = ValidationCache(tmp_path / "cache")
    load_course(bundled_content, cache=cache)
    (bundled_content / "notes.yaml").write_text("scratch: true\n", encoding="utf-8")
    assert load_course(bundled_content, cache=cache).from_cache


def test_a_repointed_link_is_noticed(tmp_path: Path, bundled_content: Path) -> None:
    """The key follows the names the course uses, through the links they are now."""
    track = bundled_content / "tracks" / "ux-pm.yaml"
    spare = bundled_content / "tracks" / "ux-pm.real.yaml"
    track.rename(spare)
    track.symlink_to(spare.name)
    cache = ValidationCache(tmp_path / "cache")
    load_course(bundled_content, cache=cache)
    broken = bundled_content / "tracks" / "broken.yaml"
    broken.write_text(
        spare.read_text(encoding="utf-8").replace("short_title:", "short_titel:"), encoding="utf-8"
    )
    track.unlink()
    track.symlink_to(broken.name)
    with pytest.raises(ContentError):
        load_course(bundled_content, cache=cache)


Tamper = Callable[[dict[str, Any]], None]


def _set(path: tuple[Any, ...], value: Any) -> Tamper:
    def tamper(course: dict[str, Any]) -> None:
        node: Any = course
        for step in path[:-1]:
            node = node[step]
        node[path[-1]] = value

    return tamper


@pytest.mark.parametrize(
    "tamper",
    [
        _set(("mastery",), "80"),
        _set(("mastery",), True),
        _set(("title",), 5),
        _set(("tracks",), {"not": "a list"}),
        _set(("tracks", 0, "duties"), [1, 2]),
        _set(("knowledge_check", "questions", 0, "type"), "essay"),
        _set(("knowledge_check", "questions", 0, "unexpected"), 1),
        _set(("self_discovery", "groups", 0, "questions", 0, "points"), ["a"]),
        _set(("source",), None),
    ],
    ids=[
        "int-as-text",
        "bool-as-int",
        "title-number",
        "tracks-mapping",
        "duty-numbers",
        "unknown-type",
        "extra-field",
        "points-list",
        "no-source",
    ],
)
def test_an_entry_with_the_right_key_but_a_malformed_course_is_ignored(
    tmp_path: Path, bundled_content: Path, tamper: Tamper
) -> None:
    cache = ValidationCache(tmp_path / "cache")
    load_course(bundled_content, cache=cache)
    (entry,) = (tmp_path / "cache").glob("*.json")
    data = json.loads(entry.read_text(encoding="utf-8"))
    tamper(data["course"])
    entry.write_text(json.dumps(data), encoding="utf-8")
    assert not load_course(bundled_content, cache=cache).from_cache


def test_an_entry_naming_files_outside_is_ignored(tmp_path: Path, bundled_content: Path) -> None:
    cache = ValidationCache(tmp_path / "cache")
    load_course(bundled_content, cache=cache)
    (entry,) = (tmp_path / "cache").glob("*.json")
    data = json.loads(entry.read_text(encoding="utf-8"))
    data["files"].append("../../etc/hostname" if os.path.exists("/etc/hostname") else "../x")
    entry.write_text(json.dumps(data), encoding="utf-8")
    assert not load_course(bundled_content, cache=cache).from_cache
