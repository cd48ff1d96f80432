"""Atomic and deterministic writing: staging files, zip archives, ``SOURCE_DATE_EPOCH``.

An exporter writes one file at the staging path it is given; pmkit renames it
into place only when the exporter returned normally. On any failure the
previous output is untouched and no temporary file is left behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pmkit.errors import ExportError

#: The earliest time a zip entry can carry (1980-01-01T00:00:00).
ZIP_EPOCH = 315532800
#: The latest (2107-12-31T23:59:58): zip years are 7 bits from 1980.
ZIP_LAST = 4354819198



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
