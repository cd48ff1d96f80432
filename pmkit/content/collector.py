"""How loading a course treats Python's cyclic garbage collector.

Loading allocates hundreds of thousands of small objects that all survive (the
parsed documents, their positions, the model). The collector would scan them
again and again for nothing, so :func:`paused` turns it off while loading and
back on afterwards -- only if it was on: a library call leaves the caller's
setting as it found it.

Turning it back on is not free either: everything loaded is still in the
youngest generation, and the first collection after loading scans all of it
(about 0.4 s for 10,000 questions). :func:`gc.freeze` moves those objects out
of the collector's sight instead, but it changes the whole process's
collector, so only the owner of the process may ask for it: the command line
does (``pmkit.cli.app``), a program using the Python API does not.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

_freeze_after_loading = False


def freeze_after_loading(enabled: bool) -> None:
    """Whether :func:`paused` freezes what was loaded (for the command line only)."""
    global _freeze_after_loading
    _freeze_after_loading = enabled


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """The collector off for the block, then as it was (frozen first, if asked for)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if _freeze_after_loading:
                gc.freeze()
            gc.enable()
