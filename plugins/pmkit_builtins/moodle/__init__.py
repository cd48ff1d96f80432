"""Moodle question banks: Moodle XML (``--format moodle``) and GIFT (``--format gift``).

Both render one :class:`~pmkit_builtins.moodle.bank.Bank`, so the two formats
always agree on categories, fractions and feedback.
"""

from __future__ import annotations

from typing import Any

import pmkit


@pmkit.hookimpl
def register_exporters(register: Any) -> None:
    """Register the Moodle XML and GIFT exporters (by path: imported when used)."""
    register("pmkit_builtins.moodle.xml_export:MoodleXmlExporter", name="moodle")
    register("pmkit_builtins.moodle.gift_export:GiftExporter", name="gift")
