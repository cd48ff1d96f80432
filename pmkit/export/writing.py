"""Atomic and deterministic writing: staging files, zip archives, ``SOURCE_DATE_EPOCH``.

An exporter writes one file at the staging path it is given; pmkit renames it
into place only when the exporter returned normally. On any failure the
previous output is untouched and no temporary file is left behind.

What cannot be caught (kill -9, a power cut) can leave a staging file. Its
name says it is pmkit's and which process wrote it, so the next export into
the folder removes it once that process is gone, and never touches anything
else (:func:`remove_stale_temp_files`).
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import stat
import tempfile
import time
import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from pmkit.errors import ExportError

#: The earliest time a zip entry can carry (1980-01-01T00:00:00).
ZIP_EPOCH = 315532800
#: The latest (2107-12-31T23:59:58): zip years are 7 bits from 1980.
ZIP_LAST = 4354819198
#: ``.<final name>.pmkit-<pid>-<mkstemp's 8 random characters>.tmp``
TEMP_PATTERN = re.compile(r"\..+\.pmkit-(?P<pid>[0-9]+)-[a-z0-9_]{8}\.tmp\Z", re.S)
#: A staging file this old is stale even if its process id was reused since.
STALE_AFTER_SECONDS = 24 * 3600


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
        raise ExportError(
            f"SOURCE_DATE_EPOCH={value} is after 2107-12-31, the last date a zip "
            "file can record; use an earlier time"
        )
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
    tmp: Path | None = None
    try:
        # Ctrl-C or SIGTERM between creating the file and knowing its name would
        # leave it behind: hold them until the name is known, inside the `try`.
        with _interruptions_held():
            fd, tmp_name = tempfile.mkstemp(
                dir=final.parent, prefix=temp_prefix(final.name), suffix=".tmp"
            )
            tmp = Path(tmp_name)
            os.close(fd)
        yield tmp
        # mkstemp creates 0600; an export is meant to be shared like any file.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, final)
    finally:
        if tmp is not None:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()


@contextlib.contextmanager
def _interruptions_held() -> Iterator[None]:
    """Delay SIGINT and SIGTERM (delivered on leaving) where the platform allows it."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def temp_prefix(name: str) -> str:
    """The start of a staging file's name for ``name`` (see :data:`TEMP_PATTERN`)."""
    return f".{name}.pmkit-{os.getpid()}-"


def _process_gone(pid: int) -> bool:
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError, OSError):
        return False  # exists (another user's) or cannot be asked: leave it
    return False


def remove_stale_temp_files(folder: Path) -> list[Path]:
    """Remove pmkit's staging files in ``folder`` whose process has ended.

    Only regular files named like :data:`TEMP_PATTERN` are considered, and
    only when the process that wrote them is gone (or they are a day old): a
    concurrent export's file in progress is left alone, and so is every file
    pmkit did not name. Returns what was removed; errors are ignored.
    """
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        match = TEMP_PATTERN.match(entry.name)
        if match is None:
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISREG(info.st_mode):
            continue
        if _process_gone(int(match["pid"])) or now - info.st_mtime > STALE_AFTER_SECONDS:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed
