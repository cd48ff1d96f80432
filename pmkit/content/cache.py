"""Validation cache: a warm run on unchanged content skips parsing and validation.

Kept in ``.pmkit-cache/`` in the working directory, one entry per content
folder. An entry records the files the course was parsed from (``course.yaml``
and its includes, by the names the course gives them) and a key: the SHA-256
of pmkit's version, the loaded plugins' names and versions, and those files'
bytes *as they were parsed*. A lookup reads only the files the entry names,
through the same inside-the-folder rule as the loader, so the key costs no
more than reading the course and never reads a file outside the content folder.

Only *valid* courses are cached, so an error is always found again; an entry
that is corrupt, stale, from another version or whose course does not fit the
model is ignored and replaced, never trusted (docs/decisions.md §20). Entries
are JSON (not pickle): reading a planted cache file cannot run code.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pmkit.__version__ import VERSION
from pmkit.content import model as m
from pmkit.content.load import COURSE_FILE, SourceFile, resolve_inside
from pmkit.content.serialize import from_data, to_data
from pmkit.issues import Issue

CACHE_DIR = ".pmkit-cache"
#: 2: entries name their files and key the bytes that were parsed.
ENTRY_FORMAT = 2


#: The most recent courses this process loaded through a cache, with their
#: entry's directory and key: what an export's output cache keys its content
#: on (pmkit.export.output_cache). Strong references, so an ``id`` cannot be
#: reused while listed; a few, so a long-running preview holds no old courses.
_KEYED: list[tuple[m.Course, Path, str]] = []
_KEYED_MAX = 4


def remember_key(course: m.Course, directory: Path, key: str) -> None:
    """Note that ``course`` is what the content with cache ``key`` loads to."""
    _KEYED[:] = [e for e in _KEYED if e[0] is not course][-(_KEYED_MAX - 1) :]
    _KEYED.append((course, directory, key))


def key_of(course: m.Course) -> tuple[Path, str] | None:
    """The cache directory and key ``course`` was loaded under, if it was loaded through one.

    Only the very object :func:`remember_key` was given matches: a course built
    or changed by a program has no key, so nothing is ever cached for it.
    """
    for known, directory, key in _KEYED:
        if known is course:
            return directory, key
    return None


class ValidationCache:
    """Reads and writes cache entries under ``directory``."""

    def __init__(self, directory: Path | str = CACHE_DIR, *, plugins: str = ""):
        self.directory = Path(directory)
        self.plugins = plugins

    def key(self, content_dir: Path, sources: Sequence[SourceFile]) -> str:
        """The cache key of ``sources``, the files a course of ``content_dir`` was parsed from."""
        digest = hashlib.sha256()
        digest.update(f"pmkit {VERSION}\0{self.plugins}\0{content_dir.as_posix()}\0".encode())
        for source in sources:
            digest.update(f"\0{source.name}\0{source.size}\0{source.sha256}".encode())
        return digest.hexdigest()

    @staticmethod
    def read_sources(content_dir: Path, names: Sequence[str]) -> list[SourceFile] | None:
        """Hash the files ``names`` as they are now, or None if one cannot be read.

        A name that leads outside the folder (even ``course.yaml`` through a
        link) or is not a regular file makes the course uncacheable: the key
        never reads what the loader would not.
        """
        sources = []
        for name in names:
            target = resolve_inside(content_dir, name)
            if isinstance(target, str) or not target.is_file():
                return None
            try:
                raw = target.read_bytes()
            except OSError:
                return None
            sources.append(SourceFile(name, hashlib.sha256(raw).hexdigest(), len(raw)))
        return sources

    def _entry_path(self, content_dir: Path) -> Path:
        name = hashlib.sha256(str(content_dir.resolve()).encode()).hexdigest()[:20]
        return self.directory / f"{name}.json"

    def get(self, content_dir: Path) -> Any:
        """The cached :class:`~pmkit.content.load.LoadedCourse`, or None."""
        from pmkit.content.load import LoadedCourse

        path = self._entry_path(content_dir)
        try:
            with path.open(encoding="utf-8") as fh:
                entry = json.load(fh)
            names = entry["files"]
            if (
                entry.get("format") != ENTRY_FORMAT
                or not isinstance(names, list)
                or not names
                or names[0] != COURSE_FILE
                or not all(isinstance(n, str) for n in names)
            ):
                return None
            sources = self.read_sources(content_dir, names)
            key = self.key(content_dir, sources) if sources is not None else None
            if key is None or entry.get("key") != key:
                return None
            course = from_data(m.Course, entry["course"])
            warnings = [Issue(**w) for w in entry["warnings"]]
            remember_key(course, self.directory, key)
        except FileNotFoundError:
            return None
        except Exception:
            # Corrupt, written by something else, or a course that does not fit
            # the model: ignore it, it is rewritten after the next validation.
            return None
        return LoadedCourse(course=course, warnings=warnings, from_cache=True)

    def put(self, content_dir: Path, loaded: Any, sources: Sequence[SourceFile]) -> None:
        """Store a valid course parsed from ``sources``; failures to write are ignored.

        ``sources`` are the hashes of the bytes the loader parsed, not a fresh
        read: a file saved during validation then simply misses next time.
        """
        names = [s.name for s in sources]
        if not names or names[0] != COURSE_FILE:
            return
        if any(isinstance(resolve_inside(content_dir, n), str) for n in names):
            return  # a lookup would refuse to read it, so the entry could never hit
        key = self.key(content_dir, sources)
        remember_key(loaded.course, self.directory, key)
        entry = {
            "format": ENTRY_FORMAT,
            "key": key,
            "files": names,
            "course": to_data(loaded.course, sources=True),
            "warnings": [w.to_dict() for w in loaded.warnings],
        }
        path = self._entry_path(content_dir)
        with contextlib.suppress(OSError):
            self.directory.mkdir(exist_ok=True)
            ignore = self.directory / ".gitignore"
            if not ignore.exists():
                ignore.write_text("*\n", encoding="utf-8")
            fd, tmp = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
            try:
                # json.dumps and one write: json.dump runs the pure-Python encoder
                # chunk by chunk (0.33 s at 10,000 questions; this takes 0.11 s).
                text = json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    fh.write(text)
                os.replace(tmp, path)
            finally:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(tmp)
