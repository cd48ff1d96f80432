"""pmkit's exporter contract (pmkit.testing.ExporterContract), with default and other options."""

from __future__ import annotations

from typing import Any, ClassVar

from pmkit.testing import ExporterContract
from pmkit_aiken import AikenExporter


class TestAikenContract(ExporterContract):
    exporter_class = AikenExporter


class TestAikenContractOtherOptions(ExporterContract):
    exporter_class = AikenExporter
    exporter_options: ClassVar[dict[str, Any]] = {
        "letters": "paren",
        "true_label": "Wahr",
        "false_label": "Falsch",
    }


class TestAikenContractWithoutTrueFalse(ExporterContract):
    exporter_class = AikenExporter
    exporter_options: ClassVar[dict[str, Any]] = {"true_false": "skip"}
