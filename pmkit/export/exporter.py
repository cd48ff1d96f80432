"""The exporter API: the :class:`Exporter` base class and the :class:`ExportContext`.

pmkit, not the exporter, owns writing (see :mod:`pmkit.export.writing`): an
exporter writes one file at the staging path it is given.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from pmkit.content.model import Course
from pmkit.errors import ExportError, PmkitError
from pmkit.issues import Issue
from pmkit.options import Option

if TYPE_CHECKING:
    from pmkit.scoring.scorer import Scorer


class Exporter:
    """Base class of every export format (built-in or third-party).

    Subclasses set the class attributes and implement :meth:`export`:

    * ``name`` — the format name (``pmkit export --format NAME``), an id.
    * ``title`` — one line for ``pmkit formats``.
    * ``kind`` — what the output is: ``"json"``, ``"xml"``, ``"text"``,
      ``"markdown"``, ``"html"``, ``"pdf"`` or ``"zip"``.
    * ``suffix`` — the file name suffix, with the dot (``".json"``).
    * ``options`` — a tuple of :class:`pmkit.Option` declarations; values
      reach :attr:`ExportContext.options` converted, checked and defaulted.
    * ``deterministic`` — False only for an engine that cannot produce
      byte-identical output; say in ``nondeterministic_fields`` what varies.

    Instances are created per export run, with no arguments.
    """

    name: ClassVar[str]
    title: ClassVar[str] = ""
    kind: ClassVar[str] = "text"
    suffix: ClassVar[str] = ".txt"
    options: ClassVar[tuple[Option, ...]] = ()
    deterministic: ClassVar[bool] = True
    nondeterministic_fields: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def unavailable(cls) -> str | None:
        """Why this format cannot run on this machine, saying what to install; None when
        it can.

        ``--format all`` skips such a format with that line; naming it explicitly
        is an error; ``pmkit formats`` marks it. Keep it cheap: it runs for every
        format in a ``--format all`` run and in ``pmkit formats``.
        """
        return None

    def filename(self, ctx: ExportContext) -> str:
        """The output file name: ``<course-id>-<format><suffix>`` unless overridden."""
        return f"{ctx.course.id}-{self.name}{self.suffix}"

    def check(self, ctx: ExportContext) -> Iterable[Issue]:
        """Pre-flight: yield problems (in content terms) before anything is written.

        Runs for every selected format before any of them writes, and alone
        with ``pmkit export --check``. Errors stop the whole run.
        """
        return ()

    def export(self, ctx: ExportContext, target: Path) -> None:
        """Write the output to ``target`` (a staging path pmkit renames into place).

        Raise :class:`pmkit.ExportError` with a clear message for a problem
        the user can fix; any other exception is reported as a plugin bug.
        """
        raise NotImplementedError(f"exporter {self.name!r} does not implement export()")


@dataclass
class ExportContext:
    """What an exporter gets to work with.

    ``course`` is the validated model; ``options`` this format's options,
    converted and with defaults applied; ``source_date_epoch`` the timestamp
    to write wherever a format needs one (``SOURCE_DATE_EPOCH`` or 1980-01-01);
    ``warn`` prints a warning for the user; ``scorers`` maps scorer names to
    their classes.
    """

    course: Course
    options: dict[str, Any]
    source_date_epoch: int
    content_dir: Path
    scorers: Mapping[str, type[Scorer]] = field(default_factory=dict)
    warn: Callable[[str], None] = lambda message: None

    def scorer(self, kind: str, name: str | None = None) -> Any:
        """An instance of the scorer ``name``, or of the course's default of ``kind``.

        Raises :class:`ExportError` when it is not installed or of another kind.
        An exporter that needs something only some scorers provide (answer
        fractions, a browser twin) asks here in ``check()`` and reports the
        scorer's :class:`~pmkit.ScorerCannotExpress` reason as an issue,
        so the export stops before anything is written.
        """
        wanted = name or (
            self.course.scorers.recommendation
            if kind == "recommendation"
            else self.course.scorers.grade
        )
        cls = self.scorers.get(wanted)
        if cls is None:
            raise ExportError(
                f"scorer {wanted!r} is not installed (installed: "
                f"{', '.join(sorted(self.scorers)) or 'none'})"
            )
        if cls.kind != kind:
            raise ExportError(f"scorer {wanted!r} is a {cls.kind} scorer, not a {kind} scorer")
        return cls()

    def scorer_options(self, name: str) -> dict[str, Any]:
        """The option values scorer ``name`` runs with in this export: the course's
        (``scorers: options:`` in course.yaml) over the scorer's declared defaults.

        Pass them to every scorer method that takes ``options``
        (``score()``, ``answer_fractions()``) and to its browser twin.
        """
        from pmkit.scoring.settings import course_values

        cls = self.scorers.get(name)
        if cls is None:
            raise ExportError(f"scorer {name!r} is not installed")
        try:
            return course_values(self.course, name, cls.options)
        except PmkitError as exc:
            raise ExportError(str(exc)) from exc
