"""The handout as a PDF, rendered from the HTML handout with WeasyPrint.

The PDF is the print-ready HTML page (:func:`.html.render`) laid out on A4 or
Letter: fonts embedded (subsets), text selectable, the decision tree as the
same inline SVG. WeasyPrint is an optional extra (``pip install 'pmkit-courseware[pdf]'``)
that needs Pango and fonts from the system; ``check()`` says what to install
before anything is written. Rendering loads nothing: every URL is refused.

The output is byte-identical for the same content and ``SOURCE_DATE_EPOCH``:
the creation and modification dates are that timestamp (1980-01-01 without
it) and the file identifier is a hash of the content.
"""

from __future__ import annotations

import locale
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

import pmkit

from .html import HtmlHandoutExporter, render

#: Debian/Ubuntu packages WeasyPrint needs (Pango, with HarfBuzz and fontconfig, and a font).
SYSTEM_PACKAGES = ("libpango-1.0-0", "libpangoft2-1.0-0", "fonts-dejavu-core")
PDF_VARIANT = "pdf/ua-1"


class ExternalResourceRefused(ValueError):
    """Raised for every URL the HTML asks for: the PDF handout works offline."""


def import_weasyprint() -> Any:
    """The ``weasyprint`` module (ImportError or OSError when it cannot load)."""
    import weasyprint

    return weasyprint


def engine_problem() -> str | None:
    """Why WeasyPrint cannot run here, with the command that fixes it; None when it can."""
    try:
        import_weasyprint()
    except ImportError as exc:
        return (
            f"the PDF handout needs WeasyPrint ({exc}); install the PDF extra: "
            f"{pmkit.install_command('pdf')}"
        )
    except OSError as exc:
        return (
            f"WeasyPrint cannot load its system libraries ({exc}); install Pango and "
            f"fonts, on Debian or Ubuntu: apt-get install {' '.join(SYSTEM_PACKAGES)}"
        )
    return None


def url_fetcher(weasyprint: Any, asked: list[str] | None = None) -> Any:
    """A WeasyPrint URL fetcher that refuses every URL (recording it in ``asked``)."""
    record = asked if asked is not None else []

    def refuse(url: str, *args: Any, **kwargs: Any) -> Any:
        record.append(url)
        raise ExternalResourceRefused(f"the PDF handout loads nothing: refused {url}")

    base = getattr(getattr(weasyprint, "urls", None), "URLFetcher", None)
    if base is None:  # WeasyPrint before 68 takes a plain function
        return refuse

    class RefusingFetcher(base):  # type: ignore[misc, valid-type]
        def fetch(self, url: str, headers: Any = None) -> Any:
            return refuse(url)

    return RefusingFetcher()


def _w3c_date(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@contextmanager
def fixed_ctype_locale() -> Iterator[None]:
    """Lay out under ``C.UTF-8``, whatever the user's locale.

    Pango takes its default language from ``LC_CTYPE`` and fontconfig orders
    fallback fonts by it, so under ``tr_TR.UTF-8`` an emoji came from another
    font than under ``C`` and table widths moved by 0.01 pt: the PDF was not
    the same bytes (docs/decisions.md §18). The locale is process-wide: this
    is set for the render only and restored after it.
    """
    previous = locale.setlocale(locale.LC_CTYPE)
    try:
        locale.setlocale(locale.LC_CTYPE, "C.UTF-8")
    except locale.Error:  # a system without C.UTF-8: plain C lays out the same way
        locale.setlocale(locale.LC_CTYPE, "C")
    try:
        yield
    finally:
        locale.setlocale(locale.LC_CTYPE, previous)


def render_pdf(html: str, epoch: int, asked: list[str] | None = None) -> bytes:
    """``html`` as PDF bytes, dated ``epoch``, without network access."""
    weasyprint = import_weasyprint()
    with fixed_ctype_locale():
        document = weasyprint.HTML(
            string=html, base_url=None, url_fetcher=url_fetcher(weasyprint, asked)
        ).render()
        document.metadata.created = document.metadata.modified = _w3c_date(epoch)
        # PDF/UA-1: a tagged PDF (headings, lists, tables, the diagram as a Figure
        # with its alternative text) that declares its language and title.
        data: bytes = document.write_pdf(pdf_variant=PDF_VARIANT)
    return data


class PdfHandoutExporter(pmkit.Exporter):
    """The printable handout as an A4 or Letter PDF, rendered from the HTML handout
    with WeasyPrint (optional extra ``pmkit-courseware[pdf]``; needs Pango and fonts): worksheet,
    scoring key, decision-tree diagram, tracks, knowledge check and the answer key on
    its own page. Fonts embedded, text selectable, nothing loaded from the network;
    byte-identical for the same content and ``SOURCE_DATE_EPOCH``."""

    name = "pdf"
    title = "Printable handout as an A4 or Letter PDF (needs the pdf extra)"
    kind = "pdf"
    suffix = ".pdf"
    options: ClassVar[tuple[pmkit.Option, ...]] = HtmlHandoutExporter.options

    def filename(self, ctx: pmkit.ExportContext) -> str:
        """``<course-id>-handout.pdf``."""
        return f"{ctx.course.id}-handout{self.suffix}"

    @classmethod
    def unavailable(cls) -> str | None:
        """What to install when WeasyPrint or the system libraries it needs are missing."""
        return engine_problem()

    def check(self, ctx: pmkit.ExportContext) -> list[pmkit.Issue]:
        """WeasyPrint and the system libraries it needs can be loaded."""
        message = engine_problem()
        # A missing library is a problem of this machine, not of the course.
        return [pmkit.Issue.general(message, code="pdf")] if message else []

    def export(self, ctx: pmkit.ExportContext, target: Path) -> None:
        """Render the HTML handout to PDF."""
        html = render(ctx.course, dict(ctx.options))
        target.write_bytes(render_pdf(html, ctx.source_date_epoch))
