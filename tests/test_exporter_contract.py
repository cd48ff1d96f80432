"""pmkit's own exporters pass the contract suite plugin authors use (pmkit.testing)."""

from __future__ import annotations

from typing import Any, ClassVar

from pmkit.pluginhost.host import load_plugins
from pmkit.testing import ExporterContract

_EXPORTERS = load_plugins(entry_points=False).exporters


class TestJson(ExporterContract):
    exporter_class = _EXPORTERS["json"].obj


class TestJsonCompactWithSources(ExporterContract):
    """Options reach the exporter as `-o json.KEY VALUE` would give them."""

    exporter_class = _EXPORTERS["json"].obj
    exporter_options: ClassVar[dict[str, Any]] = {"indent": 0, "sources": True}


class TestScorm12(ExporterContract):
    exporter_class = _EXPORTERS["scorm"].obj


class TestScorm2004(ExporterContract):
    exporter_class = _EXPORTERS["scorm"].obj
    exporter_options: ClassVar[dict[str, Any]] = {"version": "2004"}


class TestCmi5(ExporterContract):
    exporter_class = _EXPORTERS["cmi5"].obj


class TestMoodle(ExporterContract):
    exporter_class = _EXPORTERS["moodle"].obj


class TestMoodleWithoutOrderingOrShuffling(ExporterContract):
    exporter_class = _EXPORTERS["moodle"].obj
    exporter_options: ClassVar[dict[str, Any]] = {
        "ordering": "skip",
        "shuffle": False,
        "penalty": 0.5,
    }


class TestGift(ExporterContract):
    exporter_class = _EXPORTERS["gift"].obj


class TestMarkdownHandout(ExporterContract):
    exporter_class = _EXPORTERS["markdown"].obj


class TestHtmlHandoutLetter(ExporterContract):
    exporter_class = _EXPORTERS["html"].obj
    exporter_options: ClassVar[dict[str, Any]] = {"paper": "letter"}


class TestPdfHandout(ExporterContract):
    exporter_class = _EXPORTERS["pdf"].obj


class TestCanvasQti(ExporterContract):
    exporter_class = _EXPORTERS["qti"].obj


class TestCanvasQtiWithSurveyAndPoints(ExporterContract):
    exporter_class = _EXPORTERS["qti"].obj
    exporter_options: ClassVar[dict[str, Any]] = {"survey": True, "points": 2, "ordering": "skip"}


class TestCommonCartridge(ExporterContract):
    exporter_class = _EXPORTERS["cc"].obj


class TestCommonCartridge13(ExporterContract):
    exporter_class = _EXPORTERS["cc"].obj
    exporter_options: ClassVar[dict[str, Any]] = {"cc_version": "1.3"}


def test_every_builtin_exporter_is_covered() -> None:
    covered = {
        cls.exporter_class.name
        for cls in ExporterContract.__subclasses__()
        if cls.__module__ == __name__
    }
    assert covered == set(_EXPORTERS)
