"""Moodle XML (``pmkit export --format moodle``): the question bank as one file Moodle imports.

Renders the shared :class:`~pmkit_builtins.moodle.bank.Bank` with lxml only
(no XML is pasted together from strings), following what Moodle 5.1's
importer really does (docs/moodle-import.md) and the layout of
Moodle's own exporter:

* UTF-8, the XML declaration first, root ``<quiz>``; a ``<question
  type="category">`` (path and an ``<info format="html">``) before each
  category's questions.
* Every HTML text field is the content text HTML-escaped, paragraphs in
  ``<p>``, line breaks as ``<br>``, in **one** CDATA section: one section,
  because Moodle's XML parser drops whitespace-only pieces of text between
  entity references or CDATA sections; escaped first, so ``]]>`` (it becomes
  ``]]&gt;``) and HTML named entities such as ``&nbsp;`` (``&amp;nbsp;``)
  cannot occur in it. :func:`cdata` refuses anything else.
* Matching answers are plain text to Moodle's importer, but Moodle shows them
  through ``format_string()``, which reads them as HTML (strips tags, decodes
  entities); they are HTML-escaped too, so the learner sees them exactly as
  written.
* Names, category paths, tags and the true/false words are plain text; when
  one holds ``<``, ``>`` or ``&`` it goes in a CDATA section (split inside a
  ``]]>``), as Moodle's own exporter does, so no whitespace between those
  characters is lost. Moodle strips tags from names and category names.

Structural choices that avoid the importer's pitfalls (RULES §6): ordering
questions always carry ``<selecttype>ALL</selecttype>`` (else Moodle shows a
random subset of 6 items) and ``<shownumcorrect>1</shownumcorrect>`` (its
absence crashes Moodle 5.1's import); true/false answers are exactly
``true`` (listed first) and ``false``, one at 100 and one at 0; fractions come
from the bank, already snapped to Moodle's list. What pmkit writes is
described exactly by ``pmkit-moodle-quiz.xsd`` next to this module (pmkit's
own schema; Moodle publishes none).
"""

from __future__ import annotations

import functools
import html
import io
import re
from collections.abc import Iterator
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Any, ClassVar

from lxml import etree

import pmkit
from pmkit_builtins.moodle.bank import Bank, Category, Question, build_bank
from pmkit_builtins.moodle.fractions import percent

#: The file name of pmkit's schema of what this exporter writes.
SCHEMA_FILE = "pmkit-moodle-quiz.xsd"
#: Moodle's answer numbering styles (qtype_multichoice::get_numbering_styles).
NUMBERING = ("abc", "ABCD", "123", "iii", "IIII", "none")
#: The only named references an escaped text may contain: XML's own five.
XML_ENTITIES = frozenset({"amp", "lt", "gt", "quot", "apos"})

_NAMED_REFERENCE = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")
#: A named reference other than XML's five: one search instead of a findall per text.
_FOREIGN_REFERENCE = re.compile(r"&(?!(?:amp|lt|gt|quot|apos);)[A-Za-z][A-Za-z0-9]*;")
#: Whether a tree holds a text with ``]]>`` (which _write must split): asked of
#: libxml2 in one call instead of a Python loop over every ``<text>``.
_HAS_CDATA_END = etree.XPath('boolean(descendant-or-self::text[contains(., "]]>")])')
#: Percentages repeat (0, 100, 33.33333 ...): format each Fraction once.
_percent = functools.lru_cache(maxsize=1024)(percent)
#: Characters XML 1.0 cannot carry at all (not even as character references).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_MARKUP = frozenset("<>&")


class UnsafeText(ValueError):
    """A text would reach the XML in a form Moodle would not show as written (a pmkit bug)."""


def schema_file() -> Traversable:
    """pmkit's XSD of the Moodle XML subset it writes (package data next to this module)."""
    return resources.files(__package__).joinpath(SCHEMA_FILE)


def cdata(body: str) -> etree.CDATA:
    """``body`` as one CDATA section; refuses text that could not survive in one.

    A ``]]>`` would end the section early, and a named reference other than
    XML's five would be decoded by Moodle's HTML display (``&nbsp;`` shown as a
    space instead of as written). Escaped text never has either.
    """
    if "]]>" in body:
        raise UnsafeText(f"']]>' would end a CDATA section early: {body[:80]!r}")
    if "&" in body and _FOREIGN_REFERENCE.search(body):
        unknown = sorted({n for n in _NAMED_REFERENCE.findall(body) if n not in XML_ENTITIES})
        raise UnsafeText(f"HTML named entities {unknown} in an HTML text: {body[:80]!r}")
    return etree.CDATA(body)


def _sub(
    parent: etree._Element, tag: str, text: str | None = None, **attrib: str
) -> etree._Element:
    element = etree.SubElement(parent, tag, attrib)
    if text is not None:
        element.text = text
    return element


def _text(parent: etree._Element, body: str, *, markup: bool) -> etree._Element:
    """A ``<text>`` element.

    ``markup``: ``body`` is escaped HTML, always written as one CDATA section.
    Otherwise ``body`` is plain text, in a CDATA section when it holds ``<``,
    ``>`` or ``&`` (so Moodle's parser sees no entity references that would
    cut it into pieces), else as it is.
    """
    element = etree.SubElement(parent, "text")
    if markup:
        element.text = cdata(body) if body else ""
    elif _MARKUP.intersection(body) and "]]>" not in body:
        element.text = etree.CDATA(body)  # with "]]>": split sections, see _write
    else:
        element.text = body
    return element


def _plain_field(parent: etree._Element, tag: str, value: str) -> etree._Element:
    """A plain-text field (``<tag><text>value</text></tag>``): Moodle stores it as typed."""
    element = _sub(parent, tag)
    _text(element, value, markup=False)
    return element


def _html_field(
    parent: etree._Element, tag: str, value: str | None, **attrib: str
) -> etree._Element:
    """An HTML text field: ``<tag format="html"><text><![CDATA[...]]></text></tag>``."""
    element = etree.SubElement(parent, tag, {**attrib, "format": "html"})
    _text(element, pmkit.text_html(value or ""), markup=True)
    return element


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _grade(value: float) -> str:
    """A number the way Moodle's exporter writes grades and penalties: ``1.0000000``."""
    return f"{value:.7f}"


class MoodleXmlWriter:
    """Lays out a bank as Moodle XML: one element tree per ``<question>``, then the file.

    ``shuffle``, ``numbering`` and ``penalty`` are the exporter options of the
    same names.
    """

    def __init__(
        self, *, shuffle: bool = True, numbering: str = "abc", penalty: float = 0.3333333
    ) -> None:
        if numbering not in NUMBERING:
            raise ValueError(f"answer numbering {numbering!r} is not one of {NUMBERING}")
        self.shuffle = shuffle
        self.numbering = numbering
        self.penalty = penalty

    def elements(self, bank: Bank) -> Iterator[etree._Element]:
        """The ``<question>`` elements in file order: each category, then its questions."""
        for category in bank.categories:
            yield self.category(category)
            for question in category.questions:
                yield self.question(question)

    def category(self, category: Category) -> etree._Element:
        """``<question type="category">`` with the path and an ``<info format="html">``."""
        element = etree.Element("question", type="category")
        _plain_field(element, "category", category.path)
        _html_field(element, "info", category.info)
        return element

    def question(self, q: Question) -> etree._Element:
        """One question in its natural Moodle type."""
        element = etree.Element("question", type=q.qtype)
        self._header(element, q)
        if q.qtype == "multichoice":
            self._multichoice(element, q)
        elif q.qtype == "truefalse":
            self._truefalse(element, q)
        elif q.qtype == "matching":
            self._matching(element, q)
        elif q.qtype == "ordering":
            self._ordering(element, q)
        else:
            raise ValueError(f"question `{q.id}`: unknown Moodle type {q.qtype!r}")
        if q.tags:
            tags = _sub(element, "tags")
            for tag in q.tags:
                _plain_field(tags, "tag", tag)
        return element

    def _header(self, element: etree._Element, q: Question) -> None:
        # Moodle requires a name (else the whole import stops); the id stands in for a blank one.
        _plain_field(element, "name", q.name.strip() or q.id)
        _html_field(element, "questiontext", q.text)
        _html_field(element, "generalfeedback", q.general_feedback)
        _sub(element, "defaultgrade", _grade(q.default_grade))
        _sub(element, "penalty", _grade(self.penalty))
        _sub(element, "hidden", "0")
        _sub(element, "idnumber", q.id)

    def _shuffles(self, q: Question) -> bool:
        # Ungraded reflection questions (self-discovery, starting point) keep their order.
        return self.shuffle and q.default_grade > 0

    def _combined(self, element: etree._Element, combined: pmkit.CombinedFeedback | None) -> None:
        _html_field(element, "correctfeedback", combined.correct if combined else None)
        _html_field(element, "partiallycorrectfeedback", combined.partial if combined else None)
        _html_field(element, "incorrectfeedback", combined.incorrect if combined else None)

    def _multichoice(self, element: etree._Element, q: Question) -> None:
        _sub(element, "single", _flag(q.single))
        _sub(element, "shuffleanswers", _flag(self._shuffles(q)))
        _sub(element, "answernumbering", self.numbering)
        _sub(element, "showstandardinstruction", "1")
        self._combined(element, q.combined)
        if not q.single:
            _sub(element, "shownumcorrect")
        for answer in q.answers:
            node = _html_field(element, "answer", answer.text, fraction=_percent(answer.fraction))
            _html_field(node, "feedback", answer.feedback)

    def _truefalse(self, element: etree._Element, q: Question) -> None:
        by_word = {a.text: a for a in q.answers}
        if sorted(by_word) != ["false", "true"] or sorted(a.fraction for a in q.answers) != [0, 1]:
            # Moodle reads the words (else the position) and the last 100 wins (RULES 4.3).
            raise ValueError(
                f"question `{q.id}`: a true/false question needs the answers "
                "'true' and 'false', one right and one wrong"
            )
        for word in ("true", "false"):
            answer = by_word[word]
            node = _sub(
                element, "answer", fraction=_percent(answer.fraction), format="moodle_auto_format"
            )
            _text(node, word, markup=False)
            _html_field(node, "feedback", answer.feedback)

    def _matching(self, element: etree._Element, q: Question) -> None:
        _sub(element, "shuffleanswers", _flag(self._shuffles(q)))
        self._combined(element, q.combined)
        _sub(element, "shownumcorrect")
        for prompt, answer in q.pairs:
            node = _html_field(element, "subquestion", prompt)
            # Shown through format_string(), i.e. read as HTML: escaped like an HTML text.
            _text(_sub(node, "answer"), html.escape(answer, quote=True), markup=True)

    def _ordering(self, element: etree._Element, q: Question) -> None:
        if q.grading not in ("ABSOLUTE_POSITION", "ALL_OR_NOTHING"):
            raise ValueError(f"question `{q.id}`: unknown ordering grading {q.grading!r}")
        _sub(element, "layouttype", "VERTICAL")
        _sub(element, "selecttype", "ALL")
        _sub(element, "selectcount", "0")
        _sub(element, "gradingtype", q.grading)
        _sub(element, "showgrading", "SHOW")
        _sub(element, "numberingstyle", "none")
        self._combined(element, q.combined)
        # A value, as Moodle's ordering exporter writes it: the importer reads this element's
        # content, and an empty <shownumcorrect/> would store "do not show".
        _sub(element, "shownumcorrect", "1")
        for item in q.items:
            # In the correct order; Moodle ignores the fraction (every item counts 1).
            _html_field(element, "answer", item, fraction="100")

    def tostring(self, bank: Bank) -> bytes:
        """The whole file: UTF-8, the XML declaration first, two-space indentation."""
        out = io.BytesIO()
        self.write(bank, out)
        return out.getvalue()

    def write(self, bank: Bank, out: Any) -> None:
        """Write the file :meth:`tostring` returns into the binary file object ``out``.

        Question by question: the file is never held in memory whole (26 MB,
        and two more copies of it, at 10,000 questions).
        """
        with etree.xmlfile(out, encoding="UTF-8") as xf:
            xf.write_declaration()
            with xf.element("quiz"):
                for element in self.elements(bank):
                    xf.write("\n  ")
                    _write(xf, element, 1)
                xf.write("\n")
        out.write(b"\n")


def _write(xf: Any, element: etree._Element, level: int) -> None:
    """Serialise ``element`` (indented for ``level``) into an :func:`lxml.etree.xmlfile`.

    A tree holds at most one CDATA section per text, so a plain text containing
    ``]]>`` would be written escaped, and Moodle's parser drops whitespace-only
    pieces between entity references (``&lt;b&gt; &amp;`` loses its spaces).
    Such texts are written the way Moodle's exporter writes them: CDATA sections
    split inside ``]]>``. Everything else is serialised by lxml in one go.
    """
    if not _HAS_CDATA_END(element):
        etree.indent(element, space="  ", level=level)
        xf.write(element, with_tail=False)
    elif len(element):
        with xf.element(element.tag, {str(k): str(v) for k, v in element.attrib.items()}):
            for child in element:
                xf.write("\n" + "  " * (level + 1))
                _write(xf, child, level + 1)
            xf.write("\n" + "  " * level)
    else:
        with xf.element(element.tag, {str(k): str(v) for k, v in element.attrib.items()}):
            sections = (element.text or "").split("]]>")
            for i, section in enumerate(sections):
                before = ">" if i else ""
                after = "]]" if i < len(sections) - 1 else ""
                xf.write(etree.CDATA(before + section + after))


def _texts(q: Question) -> Iterator[str]:
    yield from (q.name, q.text, q.general_feedback or "", *q.tags)
    for a in q.answers:
        yield from (a.text, a.feedback or "")
    for prompt, answer in q.pairs:
        yield from (prompt, answer)
    yield from q.items
    if q.combined is not None:
        yield from (q.combined.correct, q.combined.partial, q.combined.incorrect)


def _issue(src: pmkit.Source, message: str, severity: str = "error") -> pmkit.Issue:
    return pmkit.Issue(
        src.file,
        src.line,
        src.column,
        message,
        severity,  # type: ignore[arg-type]
        "moodle",
    )


def import_pitfalls(bank: Bank, course: pmkit.Course) -> list[pmkit.Issue]:
    """What would make Moodle's importer fail or silently drop questions (RULES §1, §6).

    Checked before anything is written, beside the bank's own editor rules.
    """
    issues = []
    for category in bank.categories:
        bad = _NOT_XML.search(category.path + category.info)
        if bad:
            issues.append(
                _issue(
                    course.source,
                    f"category `{category.path}`: the character "
                    f"U+{ord(bad.group()):04X} cannot be written in XML",
                )
            )
    for q in bank.questions:
        where = f"question `{q.id}`"
        for text in _texts(q):
            bad = _NOT_XML.search(text)
            if bad:
                issues.append(
                    _issue(
                        q.source,
                        f"{where}: the character U+{ord(bad.group()):04X}"
                        " cannot be written in XML; remove it",
                    )
                )
                break
        if q.qtype == "matching" and any(not answer.strip() for _, answer in q.pairs):
            # Moodle saves the broken pair, then silently skips every later question.
            issues.append(
                _issue(
                    q.source,
                    f"{where}: a matching pair or distractor has a blank "
                    "answer; Moodle would stop importing after this question",
                )
            )
        if q.qtype == "ordering" and any(not item.strip() for item in q.items):
            issues.append(_issue(q.source, f"{where}: an ordering item is blank"))
    return issues


class MoodleXmlExporter(pmkit.Exporter):
    """``pmkit export --format moodle`` → ``exports/<course-id>-moodle.xml``.

    ``check()`` builds the bank (fractions from the chosen grade scorer,
    snapped to Moodle's list) and reports its problems and the import
    pitfalls it would meet; ``export()`` writes the same bank.
    """

    name = "moodle"
    title = "Moodle XML question bank (Question bank → Import → Moodle XML)"
    kind = "xml"
    suffix = ".xml"
    options: ClassVar[tuple[pmkit.Option, ...]] = (
        pmkit.Option(
            "scorer",
            "string",
            None,
            "grade scorer the answer fractions come from (default: the course's); "
            "all-or-nothing cannot express multiple-answer or matching questions",
        ),
        pmkit.Option(
            "ordering",
            "string",
            "native",
            "ordering questions: native (needs Moodle 4.4 or later) or skip (left "
            "out, with a warning naming each)",
            allowed=("native", "skip"),
        ),
        pmkit.Option(
            "category",
            "string",
            None,
            "root category path (default: $course$/top/<course title>); write a `/` "
            "inside a name as `//`",
            pattern=r"(?s).*\S.*",
        ),
        pmkit.Option(
            "shuffle",
            "boolean",
            True,
            "shuffle the answers of knowledge-check questions (self-discovery "
            "answers keep their order)",
        ),
        pmkit.Option(
            "numbering",
            "string",
            "abc",
            "how choices are numbered: abc, ABCD, 123, iii, IIII or none",
            allowed=tuple(NUMBERING),
        ),
        pmkit.Option(
            "penalty",
            "number",
            0.3333333,
            "share of the grade lost per wrong try in interactive quizzes (0 to 1)",
            minimum=0,
            maximum=1,
        ),
    )

    def __init__(self) -> None:
        self._built: tuple[Bank, list[pmkit.Issue]] | None = None

    def bank(self, ctx: pmkit.ExportContext) -> tuple[Bank, list[pmkit.Issue]]:
        """The bank and every problem found (built once per export run)."""
        if self._built is None:
            opts = ctx.options
            scorer = ctx.scorer("grade", opts["scorer"])
            bank = build_bank(
                ctx.course,
                scorer,
                scorer_options=ctx.scorer_options(scorer.name),
                root=opts["category"],
                ordering=opts["ordering"],
            )
            self._built = bank, [*bank.issues, *import_pitfalls(bank, ctx.course)]
        return self._built

    def writer(self, ctx: pmkit.ExportContext) -> MoodleXmlWriter:
        """The writer configured by this run's options."""
        opts = ctx.options
        return MoodleXmlWriter(
            shuffle=opts["shuffle"], numbering=opts["numbering"], penalty=float(opts["penalty"])
        )

    def check(self, ctx: pmkit.ExportContext) -> Iterator[pmkit.Issue]:
        """The bank's problems (errors stop the export; warnings are printed)."""
        _, issues = self.bank(ctx)
        yield from issues

    def export(self, ctx: pmkit.ExportContext, target: Path) -> None:
        """Write the XML file (refusing, like ``check()``, a bank with errors)."""
        bank, issues = self.bank(ctx)
        errors = [i for i in issues if i.severity == "error"]
        if errors:
            raise pmkit.ExportError("the Moodle XML export was stopped", sorted(errors))
        with target.open("wb") as out:
            self.writer(ctx).write(bank, out)
