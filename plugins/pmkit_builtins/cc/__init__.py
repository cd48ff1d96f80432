"""IMS Common Cartridge (``--format cc``): the course as pages and a quiz any LMS imports."""

from __future__ import annotations

from typing import Any

import pmkit


@pmkit.hookimpl
def register_exporters(register: Any) -> None:
    """Register the Common Cartridge exporter (by path: imported when used)."""
    register("pmkit_builtins.cc.cartridge:CommonCartridgeExporter", name="cc")
