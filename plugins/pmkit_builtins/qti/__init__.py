"""Canvas QTI (``--format qti``): the knowledge check as one Canvas quiz in a QTI 1.2 zip."""

from __future__ import annotations

from typing import Any

import pmkit


@pmkit.hookimpl
def register_exporters(register: Any) -> None:
    """Register the Canvas QTI exporter (by path: imported when used)."""
    register("pmkit_builtins.qti.canvas:CanvasQtiExporter", name="qti")
