"""The one id pattern: content ids, format names and scorer names share it.

Lower-case letters, digits and hyphens, starting with a letter or digit, at
most 64 characters: safe in file names, URLs, XML identifiers and LMS ids.
"""

from __future__ import annotations

import re

#: The pattern as text (for JSON Schemas and cerberus rules).
ID_PATTERN = r"[a-z0-9][a-z0-9-]{0,63}"
_ID = re.compile(ID_PATTERN + r"\Z")


def is_id(value: object) -> bool:
    """True when ``value`` is a string that is a valid id."""
    return isinstance(value, str) and _ID.match(value) is not None
