"""Exporters and the machinery around them: options, staging, atomic and
deterministic writing.

pmkit, not the exporter, owns writing: an exporter writes one file at the
staging path it is given; pmkit renames it into place only when the exporter
returned normally. On any failure the previous output is untouched and no
temporary file is left behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from pmkit.errors import ExportError
from pmkit.issues import Issue
from pmkit.model.course import Course

#: The earliest time a zip entry can carry (1980-01-01T00:00:00).
ZIP_EPOCH = 315532800
#: The latest (2107-12-31T23:59:58): zip years are 7 bits from 1980.
ZIP_LAST = 4354819198


@dataclass(frozen=True)
class Option:
    """One exporter option as ``pmkit formats NAME`` shows it."""

    name: str
    type: str
    default: Any
    help: str
    allowed: tuple[Any, ...] | None = None


class Exporter:
    """Base class of every export format (built-in or third-party).

    Subclasses set the class attributes and implement :meth:`export`:

    * ``name`` — the format name (``pmkit export --format NAME``), an id.
    * ``title`` — one line for ``pmkit formats``.
    * ``kind`` — what the output is: ``"json"``, ``"xml"``, ``"text"``,
      ``"markdown"``, ``"html"``, ``"pdf"`` or ``"zip"``.
    * ``suffix`` — the file name suffix, with the dot (``".json"``).
    * ``options`` — a cerberus schema: every option has a ``type``, a
      ``default`` and ``meta: {help: ...}``; ``allowed`` lists choices.
    * ``deterministic`` — False only for an engine that cannot produce
      byte-identical output; say in ``nondeterministic_fields`` what varies.

    Instances are created per export run, with no arguments.
    """

    name: ClassVar[str]
    title: ClassVar[str] = ""
    kind: ClassVar[str] = "text"
    suffix: ClassVar[str] = ".txt"
    options: ClassVar[Mapping[str, Mapping[str, Any]]] = {}
    deterministic: ClassVar[bool] = True
    nondeterministic_fields: ClassVar[tuple[str, ...]] = ()

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

    @classmethod
    def describe_options(cls) -> list[Option]:
        """The options in a form made for people."""
        return [
            Option(name=key, type=str(rule.get("type", "string")), default=rule.get("default"),
                   help=str((rule.get("meta") or {}).get("help", "")),
                   allowed=tuple(rule["allowed"]) if "allowed" in rule else None)
            for key, rule in cls.options.items()
        ]


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
    scorers: Mapping[str, type] = field(default_factory=dict)
    warn: Callable[[str], None] = lambda message: None

    def scorer(self, kind: str, name: str | None = None) -> Any:
        """An instance of the scorer ``name``, or of the course's default of ``kind``.

        Raises :class:`ExportError` when it is not installed or of another kind.
        An exporter that needs something only some scorers provide (answer
        fractions, a browser twin) asks here in ``check()`` and reports the
        scorer's :class:`~pmkit.scoring.ScorerCannotExpress` reason as an issue,
        so the export stops before anything is written.
        """
        wanted = name or (self.course.scorers.recommendation if kind == "recommendation"
                          else self.course.scorers.grade)
        cls = self.scorers.get(wanted)
        if cls is None:
            raise ExportError(f"scorer {wanted!r} is not installed (installed: "
                              f"{', '.join(sorted(self.scorers)) or 'none'})")
        if cls.kind != kind:
            raise ExportError(f"scorer {wanted!r} is a {cls.kind} scorer, not a {kind} scorer")
        return cls()


def source_date_epoch(environ: Mapping[str, str] | None = None) -> int:
    """``SOURCE_DATE_EPOCH`` if set (reproducible builds), else 1980-01-01."""
    value = (environ if environ is not None else os.environ).get("SOURCE_DATE_EPOCH", "")
    if not value.strip():
        return ZIP_EPOCH
    try:
        seconds = int(value)
    except ValueError:
        raise ExportError(f"SOURCE_DATE_EPOCH={value!r} is not a whole number of seconds") from None
    if seconds > ZIP_LAST:
        raise ExportError(f"SOURCE_DATE_EPOCH={value} is after 2107-12-31, the last date a zip "
                          "file can record; use an earlier time")
    return max(seconds, ZIP_EPOCH)


def write_zip(target: Path, files: Mapping[str, bytes], epoch: int) -> None:
    """A deterministic zip: entries sorted by name, one fixed timestamp, fixed permissions."""
    import time

    stamp = time.gmtime(max(epoch, ZIP_EPOCH))[:6]
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, so the permissions above are honoured
            zf.writestr(info, files[name])


@contextlib.contextmanager
def staged_file(final: Path) -> Any:
    """Yield a temporary path next to ``final``; rename it into place on success.

    The temporary file lives in the destination folder so the rename is atomic
    (same file system). On any exception it is removed and ``final`` is left
    exactly as it was.
    """
    final.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=final.parent, prefix=f".{final.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        # mkstemp creates 0600; an export is meant to be shared like any file.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, final)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
