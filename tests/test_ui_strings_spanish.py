"""A course in Spanish: no export of it carries English fixed text.

The English texts looked for are the catalogue's that differ from the Spanish
ones (split at their placeholders); a check of the bundled English course
finds them, so the search itself works. Only what people read is searched
(tests/ui_text.py): text, shown attributes, JSON strings, the app's string
literals and data, the PDF's text.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from ui_text import shown_texts

from pmkit.content.strings import PLACEHOLDER, catalogue

SPANISH_COURSE = Path(__file__).parent / "data" / "spanish-course"

#: format, its options, the file it writes
EXPORTS = [
    ("scorm", ("-o", "version", "1.2"), "carreras-de-datos-scorm12.zip"),
    ("scorm", ("-o", "version", "2004"), "carreras-de-datos-scorm2004.zip"),
    ("cmi5", (), "carreras-de-datos-cmi5.zip"),
    ("moodle", (), "carreras-de-datos-moodle.xml"),
    ("gift", (), "carreras-de-datos-gift.txt"),
    ("markdown", (), "carreras-de-datos-handout.md"),
    ("html", (), "carreras-de-datos-handout.html"),
    ("pdf", (), "carreras-de-datos-handout.pdf"),
    ("json", (), "carreras-de-datos.json"),
    ("cc", (), "carreras-de-datos-cc.imscc"),
    ("qti", (), "carreras-de-datos-qti.zip"),
]


def english_fragments() -> dict[str, str]:
    """English text -> its key: the fixed parts of every text Spanish words differently.

    Single lower-case words ("points", "track") are left out: they are also
    the app's identifiers and CSS classes, which nobody reads.
    """
    en, es = catalogue("en"), catalogue("es")
    out: dict[str, str] = {}
    for key, text in en.items():
        if text == es[key]:
            continue
        for part in PLACEHOLDER.split(text)[::2]:
            part = part.strip(" ,.:;()“”")
            readable = sum(ch.isalpha() for ch in part) >= 4
            if readable and part not in es.values() and (" " in part or part[:1].isupper()):
                out.setdefault(part, key)
    return out


def english_in(name: str, data: bytes) -> list[str]:
    """``key: "fragment"`` for each English text found in what people read of a file."""
    text = "\n".join(shown_texts(name, data))
    found = []
    for fragment, key in english_fragments().items():
        if re.search(r"\b" + re.escape(fragment) + r"\b", text):
            found.append(f"{key}: {fragment!r}")
    return found


@pytest.fixture
def spanish(tmp_path: Path) -> Path:
    target = tmp_path / "spanish-course"
    shutil.copytree(SPANISH_COURSE, target)
    return target


@pytest.mark.parametrize(("fmt", "options", "filename"), EXPORTS, ids=[e[2] for e in EXPORTS])
def test_no_english_in_a_spanish_export(
    fmt: str,
    options: tuple[str, ...],
    filename: str,
    spanish: Path,
    tmp_path: Path,
    run_cli: Callable[..., Any],
) -> None:
    out = tmp_path / "out"
    result = run_cli("export", "-f", fmt, *options, "-c", str(spanish), "-d", str(out), "-q")
    assert result.exit_code == 0, result.output
    data = (out / filename).read_bytes()
    assert english_in(filename, data) == []
    # and the Spanish texts are there (the search reads the file at all)
    text = "\n".join(shown_texts(filename, data))
    assert "Comprobación de conocimientos" in text or "Carreras en datos" in text


def test_the_search_finds_english_in_an_english_course(
    bundled_content: Path, tmp_path: Path, run_cli: Callable[..., Any]
) -> None:
    out = tmp_path / "out"
    for fmt in ("markdown", "scorm", "qti"):
        result = run_cli("export", "-f", fmt, "-c", str(bundled_content), "-d", str(out), "-q")
        assert result.exit_code == 0, result.output
    assert "handout.scoring_key: 'Scoring key'" in english_in(
        "h.md", (out / "pm-career-paths-handout.md").read_bytes()
    )
    in_app = english_in("s.zip", (out / "pm-career-paths-scorm12.zip").read_bytes())
    assert "app.kc.submit: 'Submit answers'" in in_app
    in_quiz = english_in("q.zip", (out / "pm-career-paths-qti.zip").read_bytes())
    assert any(found.endswith(": 'True'") for found in in_quiz)


def test_the_language_is_declared(
    spanish: Path, tmp_path: Path, run_cli: Callable[..., Any]
) -> None:
    out = tmp_path / "out"
    for fmt in ("html", "scorm", "cc"):
        result = run_cli("export", "-f", fmt, "-c", str(spanish), "-d", str(out), "-q")
        assert result.exit_code == 0, result.output
    assert '<html lang="es-ES">' in (out / "carreras-de-datos-handout.html").read_text("utf-8")
    with zipfile.ZipFile(out / "carreras-de-datos-scorm12.zip") as z:
        assert '<html lang="es-ES">' in z.read("index.html").decode("utf-8")
    with zipfile.ZipFile(out / "carreras-de-datos-cc.imscc") as z:
        pages = [n for n in z.namelist() if n.endswith(".html")]
        assert pages and all(b'lang="es-ES"' in z.read(n) for n in pages)
        assert b"es-ES" in z.read("imsmanifest.xml")
