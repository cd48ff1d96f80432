"""An exporter that needs what a scorer cannot express stops before writing anything."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest

import pmkit
from pmkit.content.load import load_course
from pmkit.errors import ExportError
from pmkit.export.run import plan_exports, preflight
from pmkit.pluginhost.host import load_plugins
from pmkit.scoring.scorer import ScorerCannotExpress


class FractionsExporter(pmkit.Exporter):
    """Writes every option's fraction, as an LMS question bank would."""

    name = "fractions"
    title = "Answer fractions (test exporter)"
    options: ClassVar[tuple[pmkit.Option, ...]] = (
        pmkit.Option(
            "scorer", "string", "partial-credit", "the grade scorer that provides the fractions"
        ),
    )

    def check(self, ctx: pmkit.ExportContext) -> Iterator[pmkit.Issue]:
        scorer = ctx.scorer("grade", ctx.options["scorer"])
        for q in ctx.course.knowledge_check.questions:
            try:
                scorer.answer_fractions(q, ctx.scorer_options(scorer.name))
            except ScorerCannotExpress as exc:
                yield pmkit.Issue(q.source.file, q.source.line, q.source.column, exc.reason)

    def export(self, ctx: pmkit.ExportContext, target: Path) -> None:
        scorer = ctx.scorer("grade", ctx.options["scorer"])
        lines = [
            f"{q.id} {dict(scorer.answer_fractions(q, ctx.scorer_options(scorer.name)))}"
            for q in ctx.course.knowledge_check.questions
        ]
        target.write_text("\n".join(lines), encoding="utf-8")


class _Plugin:
    @staticmethod
    @pmkit.hookimpl
    def register_exporters(register: Any) -> None:
        register(FractionsExporter)


def _plans(tmp_path: Path, scorer: str) -> list[Any]:
    host = load_plugins(entry_points=False, extra=[("fractions", _Plugin())])
    course = load_course(Path(__file__).resolve().parent.parent / "content").course
    return plan_exports(
        host,
        course,
        tmp_path,
        ["fractions", "json"],
        [("scorer", scorer)],
        tmp_path / "out",
        warn=lambda message: None,
    )


def test_partial_credit_expresses_every_question(tmp_path: Path) -> None:
    assert preflight(_plans(tmp_path, "partial-credit")) == []


def test_all_or_nothing_stops_the_export_in_content_terms(tmp_path: Path) -> None:
    with pytest.raises(ExportError) as exc:
        preflight(_plans(tmp_path, "all-or-nothing"))
    issues = exc.value.issues
    assert issues and all(i.file.endswith("knowledge-check.yaml") for i in issues)
    assert all("use the partial-credit scorer" in i.message for i in issues)
    assert not (tmp_path / "out").exists()  # neither format wrote anything


@pytest.mark.parametrize(
    ("name", "message"), [("nope", "not installed"), ("weighted", "is a recommendation scorer")]
)
def test_a_wrong_scorer_name_is_an_export_error(tmp_path: Path, name: str, message: str) -> None:
    with pytest.raises(ExportError, match=message):
        preflight(_plans(tmp_path, name))
