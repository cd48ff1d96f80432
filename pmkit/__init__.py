"""pmkit: compile one structured career course into SCORM, Moodle XML, handouts and JSON.

This module is pmkit's public API, for plugins and programs; with
:mod:`pmkit.testing` it is all that pmkit's compatibility promise covers
(``docs/plugins.md``). Everything else (``pmkit.content``, ``pmkit.export``,
``pmkit.scoring``, ``pmkit.pluginhost``, ``pmkit.cli``) is internal and may
change in any release.

Names are loaded lazily so that ``import pmkit`` (and ``pmkit --help``) stays
fast and pulls in no heavy library such as lxml.

* Plugins: ``hookimpl``, ``Exporter``, ``ExportContext``, ``Option``,
  ``Scorer``, ``ScorerCannotExpress``, ``ValidationRule``, ``Issue``.
* The course model: ``Course`` and every class it is made of (``Track``,
  ``TreeNode``, ``ChoiceQuestion``, …), ``load_course``, ``LoadedCourse``,
  ``to_data``, ``JSON_FORMAT``, ``ID_PATTERN``/``is_id``.
* Shared by exporters: ``option_order`` (the deterministic option order) and
  ``course_sections`` (the course's pages as blocks: ``CourseSection``,
  ``HeadingBlock``, ``ParagraphBlock``, ``ListBlock``, ``TermsBlock``,
  ``TableBlock``, ``QuestionBlock``, ``ChoiceItem``); ``ui_strings`` (the
  course's fixed texts in its language: ``UiStrings``).
* Scoring: ``Recommendation``, ``TrackScore``, ``Contribution``,
  ``PathStep``, ``Grade``, ``QuestionOutcome``, ``SCORER_KINDS``,
  ``scoring_table``, ``check_answers``/``AnswerProblem`` and the exact
  arithmetic ``SCORE_UNITS``, ``units``, ``percent_of``, ``reaches``,
  ``share_percent``.
* Writing: ``write_zip`` (a deterministic zip); ``install_command(extra)``, the
  pip command that adds an optional extra the way pmkit was installed.
* Errors: ``PmkitError``, ``ContentError``, ``AnswersError``,
  ``ExportError``, ``PluginError``, ``UsageError``; and ``__version__``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from pmkit.__version__ import VERSION as __version__

if TYPE_CHECKING:  # pragma: no cover
    # Loaded lazily by __getattr__ below; listed here for type checkers.
    from pmkit.content.json_schema import JSON_FORMAT as JSON_FORMAT
    from pmkit.content.load import LoadedCourse as LoadedCourse
    from pmkit.content.load import ValidationRule as ValidationRule
    from pmkit.content.load import load_course as load_course
    from pmkit.content.markup import text_html as text_html
    from pmkit.content.markup import text_paragraphs as text_paragraphs
    from pmkit.content.model import QUESTION_CLASSES as QUESTION_CLASSES
    from pmkit.content.model import Attribution as Attribution
    from pmkit.content.model import ChoiceOption as ChoiceOption
    from pmkit.content.model import ChoiceQuestion as ChoiceQuestion
    from pmkit.content.model import CombinedFeedback as CombinedFeedback
    from pmkit.content.model import ContinuousGrowth as ContinuousGrowth
    from pmkit.content.model import Course as Course
    from pmkit.content.model import CourseLink as CourseLink
    from pmkit.content.model import CustomSection as CustomSection
    from pmkit.content.model import DecisionTree as DecisionTree
    from pmkit.content.model import Distractor as Distractor
    from pmkit.content.model import FirstSteps as FirstSteps
    from pmkit.content.model import Future as Future
    from pmkit.content.model import Guidance as Guidance
    from pmkit.content.model import KnowledgeCheck as KnowledgeCheck
    from pmkit.content.model import KnowledgeQuestion as KnowledgeQuestion
    from pmkit.content.model import MatchingQuestion as MatchingQuestion
    from pmkit.content.model import MatchPair as MatchPair
    from pmkit.content.model import OrderingQuestion as OrderingQuestion
    from pmkit.content.model import OrderItem as OrderItem
    from pmkit.content.model import Points as Points
    from pmkit.content.model import QuestionGroup as QuestionGroup
    from pmkit.content.model import ScorerDefaults as ScorerDefaults
    from pmkit.content.model import Section as Section
    from pmkit.content.model import SelfDiscovery as SelfDiscovery
    from pmkit.content.model import Source as Source
    from pmkit.content.model import Track as Track
    from pmkit.content.model import TreeNode as TreeNode
    from pmkit.content.model import TreeOption as TreeOption
    from pmkit.content.model import TrueFalseQuestion as TrueFalseQuestion
    from pmkit.content.model import WorkEnvironment as WorkEnvironment
    from pmkit.content.model import YesNoQuestion as YesNoQuestion
    from pmkit.content.order import option_order as option_order
    from pmkit.content.sections import ChoiceItem as ChoiceItem
    from pmkit.content.sections import CourseSection as CourseSection
    from pmkit.content.sections import HeadingBlock as HeadingBlock
    from pmkit.content.sections import ListBlock as ListBlock
    from pmkit.content.sections import ParagraphBlock as ParagraphBlock
    from pmkit.content.sections import QuestionBlock as QuestionBlock
    from pmkit.content.sections import TableBlock as TableBlock
    from pmkit.content.sections import TermsBlock as TermsBlock
    from pmkit.content.sections import course_sections as course_sections
    from pmkit.content.serialize import to_data as to_data
    from pmkit.content.strings import UiStrings as UiStrings
    from pmkit.content.strings import ui_strings as ui_strings
    from pmkit.errors import AnswersError as AnswersError
    from pmkit.errors import ContentError as ContentError
    from pmkit.errors import ExportError as ExportError
    from pmkit.errors import PluginError as PluginError
    from pmkit.errors import PmkitError as PmkitError
    from pmkit.errors import UsageError as UsageError
    from pmkit.export.exporter import ExportContext as ExportContext
    from pmkit.export.exporter import Exporter as Exporter
    from pmkit.export.writing import write_zip as write_zip
    from pmkit.ids import ID_PATTERN as ID_PATTERN
    from pmkit.ids import is_id as is_id
    from pmkit.install import install_command as install_command
    from pmkit.issues import Issue as Issue
    from pmkit.options import Option as Option
    from pmkit.pluginhost.hookspecs import hookimpl as hookimpl
    from pmkit.scoring.answers import AnswerProblem as AnswerProblem
    from pmkit.scoring.answers import check_answers as check_answers
    from pmkit.scoring.arithmetic import SCORE_UNITS as SCORE_UNITS
    from pmkit.scoring.arithmetic import percent_of as percent_of
    from pmkit.scoring.arithmetic import reaches as reaches
    from pmkit.scoring.arithmetic import share_percent as share_percent
    from pmkit.scoring.arithmetic import units as units
    from pmkit.scoring.scorer import SCORER_KINDS as SCORER_KINDS
    from pmkit.scoring.scorer import Contribution as Contribution
    from pmkit.scoring.scorer import Grade as Grade
    from pmkit.scoring.scorer import PathStep as PathStep
    from pmkit.scoring.scorer import QuestionOutcome as QuestionOutcome
    from pmkit.scoring.scorer import Recommendation as Recommendation
    from pmkit.scoring.scorer import Scorer as Scorer
    from pmkit.scoring.scorer import ScorerCannotExpress as ScorerCannotExpress
    from pmkit.scoring.scorer import TrackScore as TrackScore
    from pmkit.scoring.table import scoring_table as scoring_table

_LAZY = {
    "PmkitError": "pmkit.errors",
    "ContentError": "pmkit.errors",
    "AnswersError": "pmkit.errors",
    "ExportError": "pmkit.errors",
    "PluginError": "pmkit.errors",
    "UsageError": "pmkit.errors",
    "Issue": "pmkit.issues",
    "Option": "pmkit.options",
    "ID_PATTERN": "pmkit.ids",
    "is_id": "pmkit.ids",
    "hookimpl": "pmkit.pluginhost.hookspecs",
    "Exporter": "pmkit.export.exporter",
    "ExportContext": "pmkit.export.exporter",
    "write_zip": "pmkit.export.writing",
    "install_command": "pmkit.install",
    "Scorer": "pmkit.scoring.scorer",
    "ScorerCannotExpress": "pmkit.scoring.scorer",
    "Recommendation": "pmkit.scoring.scorer",
    "TrackScore": "pmkit.scoring.scorer",
    "Contribution": "pmkit.scoring.scorer",
    "PathStep": "pmkit.scoring.scorer",
    "Grade": "pmkit.scoring.scorer",
    "QuestionOutcome": "pmkit.scoring.scorer",
    "SCORER_KINDS": "pmkit.scoring.scorer",
    "SCORE_UNITS": "pmkit.scoring.arithmetic",
    "percent_of": "pmkit.scoring.arithmetic",
    "reaches": "pmkit.scoring.arithmetic",
    "share_percent": "pmkit.scoring.arithmetic",
    "units": "pmkit.scoring.arithmetic",
    "scoring_table": "pmkit.scoring.table",
    "check_answers": "pmkit.scoring.answers",
    "AnswerProblem": "pmkit.scoring.answers",
    "load_course": "pmkit.content.load",
    "LoadedCourse": "pmkit.content.load",
    "ValidationRule": "pmkit.content.load",
    "to_data": "pmkit.content.serialize",
    "JSON_FORMAT": "pmkit.content.json_schema",
    "Source": "pmkit.content.model",
    "Section": "pmkit.content.model",
    "Attribution": "pmkit.content.model",
    "ScorerDefaults": "pmkit.content.model",
    "CourseLink": "pmkit.content.model",
    "Track": "pmkit.content.model",
    "YesNoQuestion": "pmkit.content.model",
    "QuestionGroup": "pmkit.content.model",
    "SelfDiscovery": "pmkit.content.model",
    "TreeOption": "pmkit.content.model",
    "TreeNode": "pmkit.content.model",
    "DecisionTree": "pmkit.content.model",
    "WorkEnvironment": "pmkit.content.model",
    "Future": "pmkit.content.model",
    "FirstSteps": "pmkit.content.model",
    "ContinuousGrowth": "pmkit.content.model",
    "Guidance": "pmkit.content.model",
    "CustomSection": "pmkit.content.model",
    "CombinedFeedback": "pmkit.content.model",
    "ChoiceOption": "pmkit.content.model",
    "MatchPair": "pmkit.content.model",
    "Distractor": "pmkit.content.model",
    "OrderItem": "pmkit.content.model",
    "KnowledgeQuestion": "pmkit.content.model",
    "ChoiceQuestion": "pmkit.content.model",
    "TrueFalseQuestion": "pmkit.content.model",
    "MatchingQuestion": "pmkit.content.model",
    "OrderingQuestion": "pmkit.content.model",
    "KnowledgeCheck": "pmkit.content.model",
    "Course": "pmkit.content.model",
    "Points": "pmkit.content.model",
    "QUESTION_CLASSES": "pmkit.content.model",
    "option_order": "pmkit.content.order",
    "text_html": "pmkit.content.markup",
    "text_paragraphs": "pmkit.content.markup",
    "ChoiceItem": "pmkit.content.sections",
    "CourseSection": "pmkit.content.sections",
    "HeadingBlock": "pmkit.content.sections",
    "ListBlock": "pmkit.content.sections",
    "ParagraphBlock": "pmkit.content.sections",
    "QuestionBlock": "pmkit.content.sections",
    "TableBlock": "pmkit.content.sections",
    "TermsBlock": "pmkit.content.sections",
    "course_sections": "pmkit.content.sections",
    "ui_strings": "pmkit.content.strings",
    "UiStrings": "pmkit.content.strings",
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
