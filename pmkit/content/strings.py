"""The fixed text of every export (buttons, headings, notices), one catalogue per language.

Catalogues are package data (``pmkit/data/strings/<language>.yaml``): flat
mappings from a key namespaced by where the text appears (``app.next``,
``handout.duties``) to the text. ``{name}`` marks a placeholder filled in when
the text is used; a translation must keep exactly the placeholders of the
English text, which is the reference catalogue (every key exists there).

A course picks its catalogue by ``language`` (``es-MX`` uses ``es``) and may
override single texts under ``strings:`` in course.yaml. A course in a
language pmkit ships no catalogue for gives every text itself; the core rule
:func:`check_course_strings` says which are missing, at ``language:``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from importlib import resources
from types import MappingProxyType
from typing import TYPE_CHECKING

import yaml

from pmkit.issues import Issue
from pmkit.suggest import closest

if TYPE_CHECKING:  # pragma: no cover
    from pmkit.content.build import Locator
    from pmkit.content.model import Course

#: The reference catalogue: every key exists in it.
REFERENCE_LANGUAGE = "en"
#: ``{name}``: a placeholder. Anything else in braces is plain text.
PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")
#: How many missing keys a message names before it says "and N more".
_NAMED = 5


@functools.cache
def shipped_languages() -> tuple[str, ...]:
    """The languages pmkit ships a catalogue for, sorted (``("en", "es")``)."""
    folder = resources.files("pmkit").joinpath("data", "strings")
    names = (p.name for p in folder.iterdir() if p.name.endswith(".yaml"))
    return tuple(sorted(n.removesuffix(".yaml") for n in names))


def catalogue_language(language: str) -> str | None:
    """The shipped catalogue a BCP 47 tag uses: the whole tag, else its first subtag."""
    shipped = shipped_languages()
    tag = language.lower()
    while tag:
        if tag in shipped:
            return tag
        tag = tag.rpartition("-")[0]
    return None


@functools.cache
def catalogue(language: str) -> Mapping[str, str]:
    """The shipped catalogue of a language (``en``, ``es``): key -> text.

    Raises KeyError for a language pmkit ships none for (see
    :func:`catalogue_language`).
    """
    if language not in shipped_languages():
        raise KeyError(language)
    raw = resources.files("pmkit").joinpath("data", "strings", f"{language}.yaml").read_bytes()
    data = yaml.load(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise ValueError(f"the {language} string catalogue must map keys to texts")
    return MappingProxyType(dict(data))


def placeholders(text: str) -> frozenset[str]:
    """The placeholder names in ``text`` (``{count}`` -> ``count``)."""
    return frozenset(PLACEHOLDER.findall(text))


def fill(text: str, params: Mapping[str, object]) -> str:
    """``text`` with each ``{name}`` replaced by ``params[name]``.

    Plain replacement, not ``str.format``: a translated text can never reach
    attributes or format specifications, and stray braces stay as they are.
    """
    missing = placeholders(text) - params.keys()
    if missing:
        raise KeyError(f"no value for {{{', '.join(sorted(missing))}}} in {text!r}")
    return PLACEHOLDER.sub(lambda m: str(params[m.group(1)]), text)


class UiStrings(Mapping[str, str]):
    """A course's fixed texts: its language's catalogue with its own overrides.

    ``strings["handout.duties"]`` is the raw text (placeholders unfilled);
    ``strings("app.step", number=2, total=10)`` fills them.
    """

    def __init__(self, language: str, texts: Mapping[str, str]):
        self.language = language
        self._texts = dict(texts)

    def __getitem__(self, key: str) -> str:
        return self._texts[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._texts)

    def __len__(self) -> int:
        return len(self._texts)

    def __call__(self, key: str, **params: object) -> str:
        """The text of ``key`` with its placeholders filled from ``params``."""
        return fill(self._texts[key], params)

    def under(self, prefix: str) -> dict[str, str]:
        """Every text whose key starts with ``prefix`` (``"app."``), keys unchanged, sorted."""
        return {k: v for k, v in sorted(self._texts.items()) if k.startswith(prefix)}


def default_texts(language: str, overrides: Mapping[str, str]) -> dict[str, str]:
    """The texts for a language tag before the course is built: English, its
    catalogue's, then the course's overrides (used for defaults of content fields)."""
    texts = dict(catalogue(REFERENCE_LANGUAGE))
    shipped = catalogue_language(language)
    if shipped is not None:
        texts.update(catalogue(shipped))
    texts.update((k, v) for k, v in overrides.items() if isinstance(v, str))
    return texts


def ui_strings(course: Course, extra: Mapping[str, Mapping[str, str]] | None = None) -> UiStrings:
    """The fixed texts of ``course``: its language's catalogue, then its ``strings:``.

    ``extra`` lets a plugin add its own keys (prefixed with its own name):
    ``{"en": {...}, "es": {...}}``; the texts of the course's catalogue
    language are used, else the English ones. Keys the course does not
    override, in a language pmkit ships no catalogue for, fall back to English
    (validation has already asked the course for every core key).
    """
    if extra is None:  # the common case, asked per page or per question: built once
        return _course_texts(course.language, tuple(course.strings.items()))
    return _build(course.language, course.strings, extra)


@functools.lru_cache(maxsize=64)
def _course_texts(language: str, overrides: tuple[tuple[str, str], ...]) -> UiStrings:
    return _build(language, dict(overrides), {})


def _build(
    tag: str, overrides: Mapping[str, str], extra: Mapping[str, Mapping[str, str]]
) -> UiStrings:
    language = catalogue_language(tag)
    texts: dict[str, str] = {}
    for source in extra.get(REFERENCE_LANGUAGE, {}), catalogue(REFERENCE_LANGUAGE):
        texts.update(source)
    if language is not None and language != REFERENCE_LANGUAGE:
        texts.update(extra.get(language, {}))
        texts.update(catalogue(language))
    texts.update(overrides)
    return UiStrings(tag, texts)


def check_course_strings(course: Course, loc: Locator) -> Iterator[Issue]:
    """Overrides name known keys and keep their placeholders; every text exists."""
    reference = catalogue(REFERENCE_LANGUAGE)
    for key, text in course.strings.items():
        if key not in reference:
            match = closest(key, reference)
            hint = (
                f"did you mean `{match}`?"
                if match
                else "the keys are listed in pmkit's string catalogue (docs/authoring.md)"
            )
            yield loc.issue_at(
                course, ("strings", key), f"unknown string `{key}`; {hint}", key=True
            )
            continue
        want, have = placeholders(reference[key]), placeholders(text)
        if want != have:
            names = ", ".join(f"{{{n}}}" for n in sorted(want)) or "none"
            yield loc.issue_at(
                course,
                ("strings", key),
                f"the text of `{key}` must use the placeholders {names} "
                f"(it has {', '.join(f'{{{n}}}' for n in sorted(have)) or 'none'}); "
                "a reworded or translated text keeps every placeholder of the original",
            )
    if catalogue_language(course.language) is None:
        missing = [k for k in reference if k not in course.strings]
        if missing:
            named = ", ".join(f"`{k}`" for k in missing[:_NAMED])
            more = f" and {len(missing) - _NAMED} more" if len(missing) > _NAMED else ""
            shipped = " or ".join(f"`{lang}`" for lang in shipped_languages())
            yield loc.issue_at(
                course,
                ("language",),
                f"pmkit has no fixed texts (buttons, headings) in `{course.language}`: "
                f"{len(missing)} are missing ({named}{more}); give each one under "
                f"`strings:` in course.yaml (start from a copy of pmkit's `data/strings/en.yaml`, "
                f"see docs/authoring.md), or use language {shipped}",
            )
