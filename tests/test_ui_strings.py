"""The fixed-text catalogues: parity of the languages, course overrides, missing texts."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import pmkit
from pmkit.content.strings import (
    catalogue,
    catalogue_language,
    fill,
    placeholders,
    shipped_languages,
)

SPANISH_COURSE = Path(__file__).parent / "data" / "spanish-course"


def test_shipped_languages() -> None:
    assert shipped_languages() == ("en", "es")


@pytest.mark.parametrize("language", ["es"])
def test_every_key_in_both_languages_with_the_same_placeholders(language: str) -> None:
    en, other = catalogue("en"), catalogue(language)
    assert sorted(en) == sorted(other), set(en) ^ set(other)
    for key, text in en.items():
        assert placeholders(text) == placeholders(other[key]), key
        assert other[key].strip() and text.strip(), key


def test_keys_are_namespaced_and_texts_are_plain() -> None:
    for key, text in catalogue("en").items():
        assert re.fullmatch(r"[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)+", key), key
        assert "<" not in text and "{{" not in text, key


@pytest.mark.parametrize(
    ("tag", "shipped"),
    [("en", "en"), ("en-GB", "en"), ("es", "es"), ("es-MX", "es"), ("ES-419", "es"), ("pt", None)],
)
def test_language_tags_find_their_catalogue(tag: str, shipped: str | None) -> None:
    assert catalogue_language(tag) == shipped


def test_fill_replaces_named_placeholders_only() -> None:
    assert fill("Step {number} of {total}", {"number": 2, "total": 9}) == "Step 2 of 9"
    assert fill("{0} {x.y} {number}", {"number": 1}) == "{0} {x.y} 1"
    with pytest.raises(KeyError, match="total"):
        fill("Step {number} of {total}", {"number": 2})


def _course_yaml(folder: Path, extra: str) -> None:
    path = folder / "course.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("mastery: 80\n", "mastery: 80\n" + extra), encoding="utf-8")


@pytest.fixture
def spanish(tmp_path: Path) -> Path:
    target = tmp_path / "spanish-course"
    shutil.copytree(SPANISH_COURSE, target)
    return target


def _errors(folder: Path) -> list[pmkit.Issue]:
    with pytest.raises(pmkit.ContentError) as caught:
        pmkit.load_course(folder)
    return caught.value.issues


def _line_of(folder: Path, needle: str) -> int:
    lines = (folder / "course.yaml").read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if needle in line)


def test_the_spanish_course_uses_the_spanish_catalogue(spanish: Path) -> None:
    course = pmkit.load_course(spanish).course
    texts = pmkit.ui_strings(course)
    assert texts["app.next"] == "Siguiente"
    assert texts("app.progress.step", number=2, total=10, screen="Tu futuro") == (
        "Paso 2 de 10: Tu futuro"
    )
    # a content default in the course's language, too
    assert course.knowledge_check.title == "Comprobación de conocimientos"


def test_an_override_replaces_one_text(spanish: Path) -> None:
    _course_yaml(spanish, 'strings:\n  app.next: "Continuar"\n  handout.duties: "Tus tareas:"\n')
    course = pmkit.load_course(spanish).course
    assert dict(course.strings) == {"app.next": "Continuar", "handout.duties": "Tus tareas:"}
    texts = pmkit.ui_strings(course)
    assert texts["app.next"] == "Continuar" and texts["app.back"] == "Atrás"
    data = pmkit.to_data(course)
    assert data["strings"] == {"app.next": "Continuar", "handout.duties": "Tus tareas:"}


def test_an_unknown_key_is_reported_at_its_position_with_a_suggestion(spanish: Path) -> None:
    _course_yaml(spanish, "strings:\n  app.nxet: Continuar\n")
    (issue,) = _errors(spanish)
    assert (issue.file.endswith("course.yaml"), issue.line, issue.column) == (
        True,
        _line_of(spanish, "app.nxet"),
        3,
    )
    assert "unknown string `app.nxet`" in issue.message
    assert "did you mean `app.next`?" in issue.message


def test_an_override_must_keep_the_placeholders(spanish: Path) -> None:
    _course_yaml(spanish, 'strings:\n  app.progress.step: "Paso {number}: {screen}"\n')
    (issue,) = _errors(spanish)
    assert issue.line == _line_of(spanish, "app.progress.step")
    assert "{number}, {screen}, {total}" in issue.message
    assert "it has {number}, {screen}" in issue.message


def test_a_malformed_key_is_a_schema_error(spanish: Path) -> None:
    _course_yaml(spanish, "strings:\n  Next: Continuar\n")
    (issue,) = _errors(spanish)
    assert issue.line == _line_of(spanish, "Next:")
    assert "string key such as `app.next`" in issue.message


def test_a_language_without_a_catalogue_must_give_every_text(spanish: Path) -> None:
    path = spanish / "course.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("language: es-ES", "language: pt-BR"),
        encoding="utf-8",
    )
    _course_yaml(spanish, 'strings:\n  app.next: "Próximo"\n')
    (issue,) = _errors(spanish)
    assert issue.line == _line_of(spanish, "language:") and issue.column == 11
    missing = len(catalogue("en")) - 1
    assert f"no fixed texts (buttons, headings) in `pt-BR`: {missing} are missing" in (
        issue.message
    )
    assert "`app.attempt_complete_heading`" in issue.message  # the first few, by name
    assert "under `strings:`" in issue.message and "`en` or `es`" in issue.message


def test_a_language_without_a_catalogue_works_with_every_text(spanish: Path) -> None:
    path = spanish / "course.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("language: es-ES", "language: pt-BR"),
        encoding="utf-8",
    )
    portuguese = {key: f"PT {text}" for key, text in catalogue("es").items()}
    _course_yaml(
        spanish,
        "strings:\n"
        + "".join(f"  {key}: {json.dumps(text)}\n" for key, text in portuguese.items()),
    )
    course = pmkit.load_course(spanish).course
    assert dict(pmkit.ui_strings(course)) == portuguese


def test_a_plugin_adds_its_own_keys(spanish: Path) -> None:
    course = pmkit.load_course(spanish).course
    extra = {"en": {"myplugin.hello": "Hello"}, "es": {"myplugin.hello": "Hola"}}
    assert pmkit.ui_strings(course, extra)["myplugin.hello"] == "Hola"
    only_english = {"en": {"myplugin.hello": "Hello"}}
    assert pmkit.ui_strings(course, only_english)["myplugin.hello"] == "Hello"
    assert pmkit.ui_strings(course, extra)["app.next"] == "Siguiente"


def test_the_scorm_package_carries_the_app_texts_and_screen_labels(
    spanish: Path, tmp_path: Path, run_cli: Callable[..., Any]
) -> None:
    _course_yaml(spanish, 'strings:\n  app.next: "Continuar"\n')
    out = tmp_path / "out"
    result = run_cli("export", "-f", "scorm", "-c", str(spanish), "-d", str(out), "-q")
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out / "carreras-de-datos-scorm12.zip") as z:
        page = z.read("index.html").decode("utf-8")
        data = z.read("course-data.js").decode("ascii")
    assert '<html lang="es-ES">' in page
    assert 'id="btn-next">Continuar<' in page and 'id="btn-back">Atrás<' in page
    package = json.loads(data.removeprefix("var PMKIT_PACKAGE = ").rstrip(";\n"))
    assert package["strings"]["app.next"] == "Continuar"
    assert set(package["strings"]) == {k for k in catalogue("en") if k.startswith("app.")}
    # the course's own page headings name the screens; the catalogue the others
    assert package["screens"]["tracks"] == "Empieza tu carrera en datos"
    assert package["screens"]["starting-point"] == "Piensa en tu punto de partida"
    assert package["screens"]["knowledge-check"] == "Comprobación de conocimientos"
    assert package["screens"]["recommendation"] == "Recomendación"


def test_overrides_survive_the_json_round_trip(spanish: Path, tmp_path: Path) -> None:
    from pmkit.authoring.from_json import course_files

    _course_yaml(spanish, 'strings:\n  app.next: "Continuar"\n')
    data = pmkit.to_data(pmkit.load_course(spanish).course)
    files = course_files(data, "test")
    assert "strings:\n  app.next: Continuar\n" in files["course.yaml"]
