"""pmkit: compile one structured career course into SCORM, Moodle XML, handouts and JSON.

This module is pmkit's public API for plugins and programs. Names are loaded
lazily so that ``import pmkit`` (and ``pmkit --help``) stays fast and pulls in
no heavy library such as lxml.

Public names: ``hookimpl``, ``Exporter``, ``ExportContext``, ``Option``,
``Scorer``, ``Issue``, ``Course`` (and the other model classes in
``pmkit.model``), ``load_course``, ``ValidationRule``, the errors
``PmkitError``, ``ContentError``, ``ExportError``, ``PluginError``,
``UsageError``, ``scoring_table`` (the data a scorer needs), ``to_data``
(the model as JSON-ready data), ``write_zip`` (a deterministic zip),
``JSON_FORMAT`` (the JSON export's format
marker) and ``__version__``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from pmkit.__version__ import VERSION as __version__

if TYPE_CHECKING:  # pragma: no cover
    # Re-exported lazily by __getattr__ below; listed here for type checkers.
    from pmkit.errors import AnswersError as AnswersError
    from pmkit.errors import ContentError as ContentError
    from pmkit.errors import ExportError as ExportError
    from pmkit.errors import PluginError as PluginError
    from pmkit.errors import PmkitError as PmkitError
    from pmkit.errors import UsageError as UsageError
    from pmkit.exporting import ExportContext as ExportContext
    from pmkit.exporting import Exporter as Exporter
    from pmkit.exporting import Option as Option
    from pmkit.exporting import write_zip as write_zip
    from pmkit.issues import Issue as Issue
    from pmkit.model.course import Course as Course
    from pmkit.model.json_schema import JSON_FORMAT as JSON_FORMAT
    from pmkit.model.load import ValidationRule as ValidationRule
    from pmkit.model.load import load_course as load_course
    from pmkit.model.serialize import to_data as to_data
    from pmkit.plugins import hookimpl as hookimpl
    from pmkit.scoring import Scorer as Scorer
    from pmkit.scoring import scoring_table as scoring_table

_LAZY = {
    "hookimpl": "pmkit.plugins",
    "Exporter": "pmkit.exporting",
    "ExportContext": "pmkit.exporting",
    "Option": "pmkit.exporting",
    "Scorer": "pmkit.scoring",
    "Issue": "pmkit.issues",
    "Course": "pmkit.model.course",
    "load_course": "pmkit.model.load",
    "ValidationRule": "pmkit.model.load",
    "PmkitError": "pmkit.errors",
    "ContentError": "pmkit.errors",
    "ExportError": "pmkit.errors",
    "PluginError": "pmkit.errors",
    "UsageError": "pmkit.errors",
    "AnswersError": "pmkit.errors",
    "scoring_table": "pmkit.scoring",
    "to_data": "pmkit.model.serialize",
    "JSON_FORMAT": "pmkit.model.json_schema",
    "write_zip": "pmkit.exporting",
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'pmkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
