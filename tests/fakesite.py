"""Fake installed distributions for plugin tests: a folder on ``sys.path`` holding
METADATA, entry points and plugin modules, found by pmkit exactly as
``pip install`` would make them found. Registered as a pytest plugin in conftest."""

from __future__ import annotations

import importlib
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest


@dataclass
class FakeSite:
    """A folder on ``sys.path`` holding fake installed distributions."""

    root: Path
    modules: list[str] = field(default_factory=list)

    def install(
        self,
        dist: str,
        modules: dict[str, str],
        entry_points: dict[str, str],
        *,
        version: str = "1.0",
        issues_url: str | None = None,
    ) -> None:
        """Write a distribution ``dist`` (as spelled in METADATA) with its plugin modules.

        ``modules`` maps a top-level module name to its source; ``entry_points``
        maps an entry-point name (in the ``pmkit`` group) to its value.
        """
        for name, source in modules.items():
            (self.root / f"{name}.py").write_text(textwrap.dedent(source), encoding="utf-8")
            self.modules.append(name)
        info = self.root / f"{dist.replace('-', '_')}-{version}.dist-info"
        info.mkdir()
        meta = ["Metadata-Version: 2.1", f"Name: {dist}", f"Version: {version}"]
        if issues_url:
            meta.append(f"Project-URL: Issues, {issues_url}")
        (info / "METADATA").write_text("\n".join(meta) + "\n", encoding="utf-8")
        eps = "".join(f"{ep} = {value}\n" for ep, value in entry_points.items())
        (info / "entry_points.txt").write_text(f"[pmkit]\n{eps}", encoding="utf-8")
        importlib.invalidate_caches()

    def plugin(
        self,
        dist: str,
        source: str,
        *,
        ep: str | None = None,
        version: str = "1.0",
        issues_url: str | None = None,
    ) -> str:
        """One distribution with one plugin module; returns the entry-point name.

        The module is named after the distribution (``pmkit-demo`` → ``pmkit_demo``)
        and the entry point after its last part (``demo``).
        """
        module = dist.replace("-", "_").replace(".", "_").lower()
        ep_name = ep or dist.split("-", 1)[-1]
        self.install(
            dist, {module: source}, {ep_name: module}, version=version, issues_url=issues_url
        )
        return ep_name


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeSite]:
    """An empty fake site-packages on ``sys.path``; its modules are forgotten afterwards."""
    root = tmp_path / "site"
    root.mkdir()
    monkeypatch.syspath_prepend(str(root))
    importlib.invalidate_caches()
    fake = FakeSite(root)
    yield fake
    for name in fake.modules:
        sys.modules.pop(name, None)
    importlib.invalidate_caches()
