"""The output cache: an unchanged course exported with unchanged options costs a copy.

A warm ``pmkit export`` used to build the question bank and lay out 26 MB of
XML again for the very same bytes. When the course was loaded through the
validation cache (so its content has a key: pmkit's version, the plugins, the
content folder and the bytes of every file it was parsed from), each format's
result is kept in ``.pmkit-cache/output/`` beside the validation entries, keyed
by everything else that changes its bytes:

* the format, its exporter (class and the function doing the work, so a
  patched exporter is never served an old result) and the plugins loaded;
* the options after conversion, the output file name, ``SOURCE_DATE_EPOCH``;
* pmkit's version and its code and the exporter package's code as installed
  (names, sizes and modification times: an edited checkout is a new key);
* the libraries the bytes depend on (Python, zlib, lxml and libxml2).

Only built-in formats are cached, and not ``pdf``, whose bytes also depend on
the PDF engine and the fonts installed: a third-party exporter may read what
pmkit cannot see. An entry also keeps the format's pre-flight ``check()``
issues, so a hit prints the same warnings without running the check.

An entry is never trusted: its metadata must parse and name the key, and the
bytes are hashed while they are copied; anything else is a miss and the
format is exported as usual. A hit still goes through the staging file and
the atomic rename, like any export. Writing an entry is best effort.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pmkit.__version__ import VERSION
from pmkit.issues import Issue

#: Sub-folder of the validation cache's directory.
OUTPUT_DIR = "output"
#: Bumped when an entry's layout changes.
ENTRY_FORMAT = 1
#: Built-in formats whose bytes depend on more than this key (the PDF engine, fonts).
UNCACHED_FORMATS = frozenset({"pdf"})
_CHUNK = 1 << 20


@dataclass(frozen=True)
class CachedOutput:
    """A usable entry: where its bytes are, what they hash to, the check() issues."""

    data: Path
    sha256: str
    size: int
    issues: list[Issue]


@dataclass(frozen=True)
class OutputSlot:
    """Where one format's entry for one content folder and file name lives, and its key."""

    meta: Path
    data: Path
    key: str


def slot_for(
    directory: Path,
    content_key: str,
    fmt: str,
    exporter: Any,
    builtin: bool,
    plugins: str,
    options: dict[str, Any],
    filename: str,
    epoch: int,
) -> OutputSlot | None:
    """The slot and key of one planned export, or None when it is not cacheable."""
    if not builtin or fmt in UNCACHED_FORMATS:
        return None
    try:
        options_text = json.dumps(options, sort_keys=True, default=repr)
    except (TypeError, ValueError):
        return None
    cls = type(exporter)
    work = getattr(cls, "export", None)
    parts = [
        f"pmkit {VERSION}",
        content_key,
        fmt,
        f"{cls.__module__}.{cls.__qualname__}",
        f"{getattr(work, '__module__', '')}.{getattr(work, '__qualname__', '')}",
        plugins,
        options_text,
        filename,
        str(epoch),
        sys.version,
        zlib.ZLIB_RUNTIME_VERSION,
        _libraries(),
        code_fingerprint(cls.__module__.partition(".")[0]),
    ]
    key = hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()
    # One slot per content entry, format and file name: a new key replaces the
    # old result instead of piling up 26 MB files.
    slot = hashlib.sha256(f"{content_key}\0{fmt}\0{filename}".encode()).hexdigest()[:20]
    folder = directory / OUTPUT_DIR
    return OutputSlot(folder / f"{slot}.json", folder / f"{slot}.data", key)


def _libraries() -> str:
    try:
        from lxml import etree
    except ImportError:  # pragma: no cover - lxml is a dependency
        return "no lxml"
    return f"lxml {etree.LXML_VERSION} libxml2 {etree.LIBXML_VERSION}"


_code_fingerprints: dict[str, str] = {}


def code_fingerprint(package: str) -> str:
    """pmkit's and ``package``'s installed files: relative names, sizes, modification times.

    Stat only (about 130 files, a millisecond): an edit, a reinstall or a
    different checkout changes it, as it changes Python's own ``.pyc`` check.
    """
    if package not in _code_fingerprints:
        digest = hashlib.sha256()
        for name in sorted({"pmkit", package}):
            module = sys.modules.get(name)
            for folder in getattr(module, "__path__", None) or []:
                for root, dirs, files in os.walk(folder):
                    dirs[:] = sorted(d for d in dirs if d != "__pycache__")
                    for file in sorted(files):
                        with contextlib.suppress(OSError):
                            info = os.stat(os.path.join(root, file))
                            rel = os.path.relpath(os.path.join(root, file), folder)
                            digest.update(
                                f"{name}/{rel}\0{info.st_size}\0{info.st_mtime_ns}\0".encode(
                                    "utf-8", "surrogateescape"
                                )
                            )
        _code_fingerprints[package] = digest.hexdigest()
    return _code_fingerprints[package]


def lookup(slot: OutputSlot) -> CachedOutput | None:
    """The slot's entry if it is for ``slot.key`` and looks whole (bytes are checked on copy)."""
    try:
        with slot.meta.open(encoding="utf-8") as fh:
            meta = json.load(fh)
        if meta.get("format") != ENTRY_FORMAT or meta.get("key") != slot.key:
            return None
        sha, size = meta["sha256"], meta["size"]
        if not isinstance(sha, str) or not isinstance(size, int) or size <= 0:
            return None
        if slot.data.stat().st_size != size:
            return None
        issues = [Issue(**i) for i in meta["issues"]]
    except FileNotFoundError:
        return None
    except Exception:
        return None  # damaged or foreign: a miss, rewritten after this export
    return CachedOutput(slot.data, sha, size, issues)


def copy_verified(entry: CachedOutput, target: Path) -> bool:
    """Copy the entry's bytes to ``target``, hashing them; False (target emptied) if they differ."""
    digest = hashlib.sha256()
    size = 0
    try:
        with entry.data.open("rb") as src, target.open("wb") as dst:
            while chunk := src.read(_CHUNK):
                digest.update(chunk)
                size += len(chunk)
                dst.write(chunk)
    except OSError:
        ok = False
    else:
        ok = size == entry.size and digest.hexdigest() == entry.sha256
    if not ok:
        with contextlib.suppress(OSError):
            target.write_bytes(b"")
    return ok


def store(slot: OutputSlot, produced: Path, issues: list[Issue]) -> None:
    """Keep ``produced`` (a finished staging file) under ``slot``; failures are ignored.

    The bytes are renamed into place before the metadata naming their hash, so
    a reader sees either the old entry, a mismatch (a miss), or the new entry.
    """
    folder = slot.meta.parent
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        ignore = folder.parent / ".gitignore"
        if not ignore.exists():
            ignore.write_text("*\n", encoding="utf-8")
        digest = hashlib.sha256()
        size = 0
        fd, tmp_data = tempfile.mkstemp(dir=folder, suffix=".tmp")
        tmp_meta = ""
        try:
            with os.fdopen(fd, "wb") as dst, produced.open("rb") as src:
                while chunk := src.read(_CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    dst.write(chunk)
            meta = {
                "format": ENTRY_FORMAT,
                "key": slot.key,
                "sha256": digest.hexdigest(),
                "size": size,
                "issues": [i.to_dict() for i in issues],
            }
            fd, tmp_meta = tempfile.mkstemp(dir=folder, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(json.dumps(meta, ensure_ascii=False))
            os.replace(tmp_data, slot.data)
            os.replace(tmp_meta, slot.meta)
        finally:
            for leftover in (tmp_data, tmp_meta):
                if leftover:
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(leftover)
