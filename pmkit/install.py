"""How pmkit was installed, so that a hint to install more says the right command.

From a clone (an editable install, the README's way) an extra is installed
with ``pip install -e 'FOLDER[extra]'``; from a package index with
``pip install 'pmkit-courseware[extra]'``.
"""

from __future__ import annotations

import json
import shlex
from importlib import metadata
from urllib.parse import unquote, urlparse

from pmkit.__version__ import DISTRIBUTION


def editable_folder() -> str | None:
    """The project folder when pmkit is installed in editable mode, else None."""
    # A build leaves a *.egg-info in the project folder, which is on sys.path when
    # pmkit runs from there: look at every copy and take the installed one's record.
    raw = next(
        (
            text
            for dist in metadata.distributions(name=DISTRIBUTION)
            if (text := dist.read_text("direct_url.json"))
        ),
        None,
    )
    if not raw:
        return None
    try:
        info = json.loads(raw)
    except ValueError:
        return None
    if not (info.get("dir_info") or {}).get("editable"):
        return None
    url = urlparse(str(info.get("url", "")))
    return unquote(url.path) if url.scheme == "file" else None


def install_command(extra: str) -> str:
    """The pip command that installs pmkit's optional ``extra`` the way pmkit was installed."""
    folder = editable_folder()
    if folder is not None:
        return f"python -m pip install -e {shlex.quote(f'{folder}[{extra}]')}"
    return f"python -m pip install {shlex.quote(f'{DISTRIBUTION}[{extra}]')}"
