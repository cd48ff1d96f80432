"""The PDF handout: rendered from the HTML handout by WeasyPrint through the CLI, on
A4 or Letter, with extractable text holding every seed fact, the tracks and the
answer key; offline, byte-identical with SOURCE_DATE_EPOCH, and a clear error
(nothing written) when WeasyPrint or its system libraries are missing."""

from __future__ import annotations

import builtins
import io
import re
import socket
import sys
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pypdf
import pytest

import pmkit
import pmkit.cli.app as app
from pmkit.content import model as m
from pmkit.content.load import load_course
from pmkit.pluginhost.host import load_plugins
from pmkit.testing import ExporterContract, plugin_host
from pmkit_builtins.handout import content, pdf
from pmkit_builtins.handout.pdf import PdfHandoutExporter

REPO = Path(__file__).resolve().parent.parent
SEED_FACTS = REPO / "tests" / "data" / "seed_facts.txt"
TARGET = Path("exports") / "pm-career-paths-handout.pdf"
A4 = (595.28, 841.89)
LETTER = (612.0, 792.0)


class _PdfDev:
    """Registers the PDF exporter while the built-in handout plugin does not yet."""

    @staticmethod
    @pmkit.hookimpl
    def register_exporters(register: Any) -> None:
        register(PdfHandoutExporter)


def _builtin_has_pdf() -> bool:
    return "pdf" in load_plugins(entry_points=False, warn=lambda _: None).exporters


@pytest.fixture
def cli(
    run_cli: Callable[..., Any], bundled_content: Path, monkeypatch: pytest.MonkeyPatch
) -> Callable[..., Any]:
    """``run_cli`` on the bundled course, with the PDF exporter loaded."""
    if not _builtin_has_pdf():

        def load_host() -> Any:
            return load_plugins(extra=[("pdf-dev", _PdfDev)], warn=app.stderr_warning)

        monkeypatch.setattr(app, "load_host", load_host)
    return run_cli


@pytest.fixture
def course(bundled_content: Path) -> m.Course:
    """The bundled course."""
    return load_course(bundled_content).course


@pytest.fixture
def fetches(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[list[str]]]:
    """Every URL list of a refusing fetcher the exporter made (one list per render)."""
    made: list[list[str]] = []
    real = pdf.url_fetcher

    def spy(weasyprint: Any, asked: list[str] | None = None) -> Any:
        record: list[str] = asked if asked is not None else []
        made.append(record)
        return real(weasyprint, record)

    monkeypatch.setattr(pdf, "url_fetcher", spy)
    yield made


def norm(text: str) -> str:
    """Text compared without whitespace, soft hyphens or ligatures (line breaks vary)."""
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "")
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"\s+", "", text)


def seed_facts() -> list[str]:
    return [
        line.strip()
        for line in SEED_FACTS.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]


def pages_of(path: Path) -> list[pypdf.PageObject]:
    return list(pypdf.PdfReader(io.BytesIO(path.read_bytes())).pages)


def text_of(path: Path) -> str:
    return "\n".join(page.extract_text() for page in pages_of(path))


def export(cli: Callable[..., Any], *args: str) -> Path:
    result = cli("export", "--format", "pdf", *args)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert TARGET.is_file()
    return TARGET


def size_of(page: pypdf.PageObject) -> tuple[float, float]:
    return round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2)


# --------------------------------------------------------------------------- the contract


class TestPdfHandoutContract(ExporterContract):
    exporter_class = PdfHandoutExporter


def test_identity_and_options_match_the_html_handout() -> None:
    from pmkit_builtins.handout.html import HtmlHandoutExporter

    cls = PdfHandoutExporter
    assert (cls.name, cls.kind, cls.suffix) == ("pdf", "pdf", ".pdf")
    assert cls.deterministic and not cls.nondeterministic_fields
    assert cls.options == HtmlHandoutExporter.options
    host = plugin_host(("pdf-dev", _PdfDev), warn=pytest.fail)
    assert host.exporter("pdf") is PdfHandoutExporter


# --------------------------------------------------------------------------- content


def test_cli_pdf_has_every_fact_tracks_and_answer_key(
    cli: Callable[..., Any], course: m.Course, fetches: list[list[str]]
) -> None:
    path = export(cli)
    with path.open("rb") as f:
        assert f.read(5) == b"%PDF-"
    pages = pages_of(path)
    assert 4 <= len(pages) <= 30
    assert {size_of(p) for p in pages} == {A4}
    text = text_of(path)
    flat = norm(text)
    missing = [fact for fact in seed_facts() if norm(fact) not in flat]
    assert not missing, f"seed facts missing from the PDF text: {missing}"
    for track in course.tracks:
        assert norm(track.title) in flat
    key = flat.rindex(norm(content.labels(course)["answer_key"]))
    for n, q in enumerate(course.knowledge_check.questions, 1):
        assert norm(f"{n}. {content.flat(q.prompt)}") in flat[key:]
        assert norm(content.answer_key(course, q)) in flat[key:]
    # the answer key starts its own page
    assert any(
        norm(p.extract_text()).startswith(norm(content.labels(course)["answer_key"]))
        for p in pages[1:]
    )
    # offline: a refusing fetcher was used and never asked for anything
    assert fetches == [[]]


def test_letter_without_answer_key(cli: Callable[..., Any], course: m.Course) -> None:
    path = export(cli, "-o", "pdf.paper", "letter", "-o", "pdf.answer_key", "false")
    pages = pages_of(path)
    assert 4 <= len(pages) <= 30
    assert {size_of(p) for p in pages} == {LETTER}
    flat = norm(text_of(path))
    assert norm(content.labels(course)["answer_key"]) not in flat
    explained = [q for q in course.knowledge_check.questions if q.explanation]
    assert explained
    for q in explained:
        assert norm(content.flat(q.explanation)) not in flat


def test_dates_follow_source_date_epoch(
    cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = export(cli).read_bytes()
    info = pypdf.PdfReader(io.BytesIO(first)).metadata
    assert info is not None
    assert info["/CreationDate"].startswith("D:20231114221320")


def test_external_urls_are_refused_and_no_socket_opened(
    cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, fetches: list[list[str]]
) -> None:
    from pmkit_builtins.handout import html

    def no_network(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the PDF export tried to open a network connection")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    hostile = (
        '<style>@import url("https://example.com/x.css");</style>'
        '<img src="http://example.com/logo.png" alt="">'
        '<img src="file:///etc/hostname" alt="">'
    )
    real_render = html.render

    def render(course: m.Course, options: dict[str, Any]) -> str:
        return real_render(course, options).replace("<main>", "<main>" + hostile, 1)

    monkeypatch.setattr(pdf, "render", render)
    export(cli)
    [asked] = fetches
    assert sorted(asked) == [
        "file:///etc/hostname",
        "http://example.com/logo.png",
        "https://example.com/x.css",
    ]


# --------------------------------------------------------------------------- missing engine


def _failing_import(monkeypatch: pytest.MonkeyPatch, error: Exception) -> None:
    real_import = builtins.__import__

    def fake_import(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "weasyprint" or name.startswith("weasyprint."):
            raise error
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (
            ImportError("No module named 'weasyprint'"),
            "install the PDF extra: python -m pip install",
        ),
        (
            OSError("cannot load library 'libpango-1.0-0'"),
            "apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core",
        ),
    ],
)
def test_missing_weasyprint_or_libraries_is_a_clear_error(
    cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, error: Exception, expected: str
) -> None:
    _failing_import(monkeypatch, error)
    result = cli("export", "--format", "pdf")
    assert result.exit_code == 1, result.stdout + result.stderr
    output = " ".join((result.stdout + result.stderr).split())
    assert expected in output
    assert "Traceback" not in output
    assert not Path("exports").exists() or not any(Path("exports").iterdir())


def test_missing_weasyprint_module_entry(
    monkeypatch: pytest.MonkeyPatch, course: m.Course, bundled_content: Path
) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    ctx = pmkit.ExportContext(
        course=course, options={}, source_date_epoch=0, content_dir=bundled_content
    )
    [issue] = PdfHandoutExporter().check(ctx)
    assert issue.severity == "error" and issue.code == "pdf"
    # The hint says how to add the extra to *this* installation (editable here).
    assert pmkit.install_command("pdf") in issue.message
    assert "-e " in pmkit.install_command("pdf")
    # A library missing here is no fault of the course: no content position.
    assert (issue.file, issue.line, issue.column) == (None, None, None)
    assert issue.format().startswith("error: the PDF handout needs WeasyPrint")


HOSTILE_PDF = 'Pipe | star * <script>alert(1)</script> # & "quote" ]]> {x} 😀 مرحبا'


def test_hostile_strings_are_shown_as_text_in_the_pdf(
    cli: Callable[..., Any], bundled_content: Path
) -> None:
    """Content that looks like markup reaches the page as text (docs/decisions.md §33).

    Emoji and right-to-left text must not break the export; the visible
    ASCII parts are compared after extraction (extraction order of RTL runs
    and fallback glyphs for emoji vary by font, so they are not compared).
    """
    import json

    duty = bundled_content / "tracks" / "ux-pm.yaml"
    duty.write_text(
        duty.read_text(encoding="utf-8").replace(
            "Drive UX improvements", json.dumps(HOSTILE_PDF, ensure_ascii=False)
        ),
        encoding="utf-8",
    )
    question = bundled_content / "self-discovery.yaml"
    question.write_text(
        question.read_text(encoding="utf-8").replace(
            "Are you passionate about user needs?", json.dumps(HOSTILE_PDF, ensure_ascii=False)
        ),
        encoding="utf-8",
    )
    text = norm(text_of(export(cli, "--content", str(bundled_content))))
    visible = norm('Pipe | star * <script>alert(1)</script> # & "quote" ]]> {x}')
    assert text.count(visible) >= 2  # the duty and the worksheet question


# --------------------------------------------------------------------------- accessibility


def structure_types(reader: pypdf.PdfReader) -> tuple[list[str], list[tuple[str, str]]]:
    """Every structure element's type (``/H1``, ``/Table``...) and (type, /Alt) pairs."""
    types: list[str] = []
    alts: list[tuple[str, str]] = []

    def walk(node: Any) -> None:
        node = node.get_object()
        if isinstance(node, pypdf.generic.ArrayObject):
            for child in node:
                walk(child)
        elif isinstance(node, pypdf.generic.DictionaryObject):
            if "/S" in node:
                types.append(str(node["/S"]))
                if "/Alt" in node:
                    alts.append((str(node["/S"]), str(node["/Alt"])))
            if "/K" in node:
                walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return types, alts


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_tagged_pdf_with_language_title_and_alt_text(
    cli: Callable[..., Any], course: m.Course, paper: str
) -> None:
    """PDF/UA-1: tagged (headings, lists, tables, the diagram as a Figure with
    alternative text), with the document language, title and XMP metadata."""
    reader = pypdf.PdfReader(io.BytesIO(export(cli, "-o", "pdf.paper", paper).read_bytes()))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == course.language
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata is not None and reader.metadata.title == course.title
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert 'pdfuaid:part="1"' in xmp and course.title in xmp
    types, alts = structure_types(reader)
    for tag in (
        "/Document",
        "/H1",
        "/H2",
        "/H3",
        "/P",
        "/L",
        "/LI",
        "/Table",
        "/TR",
        "/TH",
        "/TD",
        "/Figure",
    ):
        assert tag in types, f"no {tag} in the structure tree"
    assert types.count("/H1") == 1
    figures = [alt for kind, alt in alts if kind == "/Figure"]
    assert len(figures) == 1 and course.decision_tree.title in figures[0]


def test_byte_identical_across_processes(bundled_content: Path, tmp_path: Path) -> None:
    """Two separate runs (different hash seeds, so no set or dict order can leak into
    the tagged PDF's structure tree) write the same bytes."""
    import os
    import subprocess

    outputs = []
    for seed in ("1", "2"):
        folder = tmp_path / f"run-{seed}"
        folder.mkdir()
        env = {
            **os.environ,
            "PYTHONHASHSEED": seed,
            "SOURCE_DATE_EPOCH": "1700000000",
            "PMKIT_NO_CACHE": "1",
        }
        subprocess.run(
            [
                sys.executable,
                "-c",
                "from pmkit.cli import main; main()",
                "export",
                "--format",
                "pdf",
                "--content",
                str(bundled_content),
            ],
            cwd=folder,
            env=env,
            check=True,
            capture_output=True,
        )
        outputs.append((folder / TARGET).read_bytes())
    assert outputs[0] == outputs[1]
