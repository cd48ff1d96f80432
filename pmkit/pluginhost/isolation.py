"""Running a plugin's code so that its failures stay its own.

Plugin code (an import, a hook, an exporter's ``filename``/``check``/``export``,
a scorer, a rule) may print, raise anything, or call ``sys.exit()``. pmkit's
own output on stdout is data (``--json``), so whatever a plugin prints goes
to stderr; ``SystemExit`` is a failure of that plugin like any exception,
never the end of pmkit. ``KeyboardInterrupt`` still stops the run: it is the
user's, not the plugin's.
"""

from __future__ import annotations

import contextlib
import sys
import traceback
from collections.abc import Iterator

#: What a plugin's code may raise that pmkit reports as that plugin's failure.
PLUGIN_FAILURES: tuple[type[BaseException], ...] = (Exception, SystemExit)


@contextlib.contextmanager
def plugin_output() -> Iterator[None]:
    """Send anything printed to stdout to stderr while plugin code runs."""
    with contextlib.redirect_stdout(sys.stderr):
        yield


def describe(exc: BaseException) -> str:
    """``TypeName: message`` — with ``sys.exit(3)`` shown as ``SystemExit(3)``."""
    if isinstance(exc, SystemExit):
        return f"SystemExit({exc.code!r}): the plugin called sys.exit()"
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def formatted_traceback(exc: BaseException) -> str:
    """The exception's traceback as text, for ``--traceback``."""
    return "".join(traceback.format_exception(exc)).rstrip()
