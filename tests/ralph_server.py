"""Serve Ralph's LRS API (``ralph-malph``) on 127.0.0.1 with its file-system backend.

Run by the Python of Ralph's own virtualenv (``.venv-ralph``), never imported by
the test suite: ``tests/ralph_lrs.py`` starts it as
``.venv-ralph/bin/python tests/ralph_server.py HOST PORT`` with Ralph's settings
in the environment (backend ``fs``, its folder, the credentials file).

Why not ``ralph runserver -b fs``: in Ralph 5.1 the file-system backend writes
every POST with the operation type "create" into one file, so the second POST of
statements fails ("already exists and overwrite is not allowed", HTTP 500), and
``runserver`` serves from a reloader's child process, where nothing can be
changed. Here, in the serving process, the backend appends instead; everything
else (the xAPI router, statement validation, basic authentication, the
statements query) is Ralph's own code, unchanged.
"""

from __future__ import annotations

import sys


def main() -> None:
    """Serve until terminated."""
    import uvicorn
    from ralph.backends.data.base import BaseOperationType
    from ralph.backends.lrs.fs import FSLRSBackend

    FSLRSBackend.default_operation_type = BaseOperationType.APPEND
    from ralph.api import app

    uvicorn.run(app, host=sys.argv[1], port=int(sys.argv[2]), log_level="info")


if __name__ == "__main__":
    main()
