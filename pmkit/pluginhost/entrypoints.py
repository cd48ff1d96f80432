"""Finding the installed distributions' ``pmkit`` entry points without importing
:mod:`importlib.metadata`.

Importing :mod:`importlib.metadata` (and the :mod:`email` package it parses
metadata with) costs more than a tenth of pmkit's start-up, and every command
that loads plugins needs the entry points. The installed metadata on
``sys.path`` is plain files, so this module reads them itself the way
:func:`importlib.metadata.entry_points` does: folders on ``sys.path`` in order,
``*.dist-info`` and ``*.egg-info`` folders in them, the first distribution of a
normalised name wins, ``entry_points.txt`` read as an INI-like file. When the
path holds something it does not read (a zip file), :func:`discover` returns
``None`` and the caller asks :mod:`importlib.metadata` instead.
tests/test_startup.py checks both give the same entry points.
"""

from __future__ import annotations

import importlib
import os
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

#: ``module[:attribute][ [extras]]`` as importlib.metadata reads an entry point's value.
_VALUE = re.compile(r"(?P<module>[\w.]+)\s*(:\s*(?P<attr>[\w.]+)\s*)?((?P<extras>\[.*\])\s*)?$")


@dataclass(frozen=True)
class FoundEntryPoint:
    """One entry point of the group, with what pmkit shows of its distribution."""

    name: str
    value: str
    dist_name: str | None
    version: str | None
    issues_url: str | None

    def load(self) -> Any:
        """Import the module and return the named attribute (or the module)."""
        match = _VALUE.match(self.value)
        if match is None:
            raise ValueError(f"entry point value {self.value!r} is not 'module:attribute'")
        obj: Any = importlib.import_module(match.group("module"))
        for part in filter(None, (match.group("attr") or "").split(".")):
            obj = getattr(obj, part)
        return obj


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower().replace("-", "_")


def _metadata_folders(paths: Iterable[str]) -> list[str] | None:
    """Every distribution's metadata folder, first one of each name; None if the
    path holds a zip file (read by importlib.metadata only)."""
    seen: set[str] = set()
    folders = []
    for entry in paths:
        root = entry or "."
        if isinstance(entry, str) and root.lower().endswith(".egg"):
            return None
        if not isinstance(entry, str) or not os.path.isdir(root):
            if isinstance(entry, str) and os.path.isfile(root):
                return None
            continue
        try:
            children = os.listdir(root)
        except OSError:
            continue
        for child in children:
            low = child.lower()
            if not low.endswith((".dist-info", ".egg-info")):
                continue
            key = _normalised(low.rpartition(".")[0].partition("-")[0])
            if key in seen:
                continue
            seen.add(key)
            folders.append(os.path.join(root, child))
    return folders


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError):
        return None


def _group(text: str, group: str) -> list[tuple[str, str]]:
    """``name = value`` pairs of ``[group]`` in an entry_points.txt."""
    found = []
    section = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
        elif section == group:
            name, _, value = line.partition("=")
            found.append((name.strip(), value.strip()))
    return found


def _headers(text: str) -> dict[str, list[str]]:
    """The header fields of a METADATA / PKG-INFO file (up to the first blank line)."""
    headers: dict[str, list[str]] = {}
    last: list[str] | None = None
    for line in text.splitlines():
        if not line.strip():
            break
        if line[0] in " \t" and last:
            last[-1] += " " + line.strip()
            continue
        key, colon, value = line.partition(":")
        if not colon:
            continue
        last = headers.setdefault(key.strip().lower(), [])
        last.append(value.strip())
    return headers


def _issues_url(urls: list[str]) -> str | None:
    for entry in urls:
        label, _, link = entry.partition(",")
        if re.search(r"issue|bug|tracker", label, re.I):
            return link.strip()
    return None


def discover(group: str, paths: Iterable[str] | None = None) -> list[FoundEntryPoint] | None:
    """The entry points of ``group`` on ``paths`` (default ``sys.path``), or None
    when only importlib.metadata can tell."""
    folders = _metadata_folders(sys.path if paths is None else paths)
    if folders is None:
        return None
    found = []
    for folder in folders:
        text = _read(os.path.join(folder, "entry_points.txt"))
        pairs = _group(text, group) if text else []
        if not pairs:
            continue
        meta = _read(os.path.join(folder, "METADATA")) or _read(os.path.join(folder, "PKG-INFO"))
        headers = _headers(meta or "")
        name = next(iter(headers.get("name", [])), None)
        version = next(iter(headers.get("version", [])), None)
        url = _issues_url(headers.get("project-url", []))
        found += [FoundEntryPoint(ep, value, name, version, url) for ep, value in pairs]
    return found


def discover_with_metadata(group: str) -> list[FoundEntryPoint]:
    """The same, read through :mod:`importlib.metadata` (the slow, general way)."""
    from importlib import metadata

    found = []
    for ep in metadata.entry_points(group=group):
        dist = ep.dist
        if dist is None:
            found.append(FoundEntryPoint(ep.name, ep.value, None, None, None))
            continue
        meta = dist.metadata
        url = _issues_url(meta.get_all("Project-URL") or [])
        found.append(FoundEntryPoint(ep.name, ep.value, meta["Name"], dist.version, url))
    return found
