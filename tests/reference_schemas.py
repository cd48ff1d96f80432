"""Reference XSDs that no package registry ships (the IEEE LOM schema, IMS Common
Cartridge, QTI 1.2, cmi5): where the tests find them, and what happens when
they are not there.

They are not part of the project and never copied into it. The team keeps them
in a `shared/schemas/` folder beside the repository; `PMKIT_REFERENCE_SCHEMAS`
names another folder of the same layout. A fresh clone has neither: a test
that needs them is then skipped, with a reason naming the missing folder. In CI
(`CI` set) the folder must be there, so such a test can never be skipped
unnoticed: it fails instead.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def reference_root() -> Path:
    """The folder holding the reference schema sets (``scorm/``, ``cc11/``, ``qti12/``, …)."""
    named = os.environ.get("PMKIT_REFERENCE_SCHEMAS")
    return Path(named) if named else REPO.parent / "shared" / "schemas"


def reference_file(*parts: str) -> Path:
    """A file of the reference schemas; skips the test (fails it in CI) when it is absent."""
    path = reference_root().joinpath(*parts)
    if path.is_file():
        return path
    reason = (
        f"reference schema {path} is not there: it comes from the shared/ folder beside "
        "the repository (or the folder PMKIT_REFERENCE_SCHEMAS names), which a fresh "
        "clone does not have"
    )
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must run this test")
    pytest.skip(reason)
