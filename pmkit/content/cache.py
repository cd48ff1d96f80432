"""Validation cache: a warm run on unchanged content skips parsing and validation.

Kept in ``.pmkit-cache/`` in the working directory, one entry per content
folder, keyed by the SHA-256 of every file the course reads, pmkit's version
and the loaded plugins' names and versions. Only *valid* courses are cached,
so an error is always found again; an entry that is corrupt, stale or from
another version is ignored and replaced, never trusted. Entries are JSON (not
pickle): reading a planted cache file cannot run code.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from pmkit.__version__ import VERSION
from pmkit.content import model as m
from pmkit.content.serialize import from_data, to_data
from pmkit.issues import Issue

CACHE_DIR = ".pmkit-cache"
ENTRY_FORMAT = 1


class ValidationCache:
    """Reads and writes cache entries under ``directory``."""

    def __init__(self, directory: Path | str = CACHE_DIR, *, plugins: str = ""):
        self.directory = Path(directory)
        self.plugins = plugins

    def key(self, content_dir: Path) -> str | None:
        """The content's cache key, or None when the files cannot be read.

        Every YAML file below the folder counts (not only the included ones),
        so the key needs no YAML parser: a cache hit imports neither PyYAML
        nor cerberus.
        """
        digest = hashlib.sha256()
        digest.update(f"pmkit {VERSION}\0{self.plugins}\0{content_dir.as_posix()}\0".encode())
        try:
            files = sorted(p for p in content_dir.rglob("*")
                           if p.suffix in (".yaml", ".yml") and p.is_file())
            if not files:
                return None
            for path in files:
                raw = path.read_bytes()
                rel = path.relative_to(content_dir).as_posix()
                digest.update(f"\0{rel}\0{len(raw)}\0".encode())
                digest.update(raw)
        except OSError:
            return None
        return digest.hexdigest()

    def _entry_path(self, content_dir: Path) -> Path:
        name = hashlib.sha256(str(content_dir.resolve()).encode()).hexdigest()[:20]
        return self.directory / f"{name}.json"

    def get(self, content_dir: Path) -> Any:
        """The cached :class:`~pmkit.content.load.LoadedCourse`, or None."""
        from pmkit.content.load import LoadedCourse

        key = self.key(content_dir)
        if key is None:
            return None
        path = self._entry_path(content_dir)
        try:
            with path.open(encoding="utf-8") as fh:
                entry = json.load(fh)
            if entry.get("format") != ENTRY_FORMAT or entry.get("key") != key:
                return None
            course = from_data(m.Course, entry["course"])
            warnings = [Issue(**w) for w in entry["warnings"]]
        except FileNotFoundError:
            return None
        except Exception:
            # Corrupt or written by something else: ignore it, it is rewritten later.
            return None
        return LoadedCourse(course=course, warnings=warnings, from_cache=True)

    def put(self, content_dir: Path, loaded: Any) -> None:
        """Store a valid course; failures to write are ignored (the cache is optional)."""
        key = self.key(content_dir)
        if key is None:
            return
        entry = {
            "format": ENTRY_FORMAT,
            "key": key,
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
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    json.dump(entry, fh, ensure_ascii=False, separators=(",", ":"))
                os.replace(tmp, path)
            finally:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(tmp)
