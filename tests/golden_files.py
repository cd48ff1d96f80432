"""Byte-exact comparison of an export with a file in tests/golden/ (shared by the
exporters' golden-file tests)."""

from __future__ import annotations

from pathlib import Path

import pytest


def assert_golden(name: str, data: bytes) -> None:
    """Byte-exact against ``tests/golden/<name>``; ``PMKIT_UPDATE_GOLDEN=1`` rewrites it."""
    import difflib
    import os

    golden = Path(__file__).parent / "golden" / name
    if os.environ.get("PMKIT_UPDATE_GOLDEN") == "1":
        golden.write_bytes(data)
    expected = golden.read_bytes()
    if data != expected:
        diff = "\n".join(
            list(
                difflib.unified_diff(
                    expected.decode().splitlines(),
                    data.decode().splitlines(),
                    "golden",
                    "export",
                    lineterm="",
                )
            )[:60]
        )
        pytest.fail(f"the export differs from {name} (PMKIT_UPDATE_GOLDEN=1 to accept):\n{diff}")
