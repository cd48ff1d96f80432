"""Text as messages show it, and the characters no content text may hold.

Kept apart from the YAML loader because messages are built on a cache hit too,
when PyYAML is not imported.
"""

from __future__ import annotations

import re
import unicodedata

#: How much of a value a message quotes.
SHOWN_LENGTH = 60

#: Characters no text may hold: C0 controls but tab and newline, DEL, C1
#: controls, U+FFFE/U+FFFF and lone surrogates. XML cannot carry most of them,
#: UTF-8 cannot encode surrogates, and a terminal obeys ESC sequences.
FORBIDDEN_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
_CONTROL_NAMES = {0x00: "NUL", 0x0D: "carriage return", 0x1B: "ESC", 0x7F: "DEL"}


def printable(text: str) -> str:
    """``text`` with every forbidden character written as an escape (for messages)."""
    return FORBIDDEN_CHARACTERS.sub(
        lambda m: m[0].encode("unicode_escape", "backslashreplace").decode("ascii"), text
    )


def shown(value: object, limit: int = SHOWN_LENGTH) -> str:
    """``value`` quoted for a message: escaped, and shortened with its length if long."""
    text = repr(value) if isinstance(value, str) else printable(str(value))
    if len(text) <= limit:
        return text
    size = f"{len(value):,} characters" if isinstance(value, str) else f"{len(text):,} characters"
    return f"{text[: limit - 1]}… ({size})"


def describe_character(ch: str) -> str:
    """``U+001B (ESC)``: the code point and, where it has one, its name."""
    code = ord(ch)
    name = _CONTROL_NAMES.get(code) or unicodedata.name(ch, "")
    if 0xD800 <= code <= 0xDFFF:
        name = "a lone surrogate"
    elif not name and (code < 0x20 or 0x7F <= code <= 0x9F):
        name = "a control character"
    elif not name:
        name = "a noncharacter"
    return f"U+{code:04X} ({name})"


__all__ = ["FORBIDDEN_CHARACTERS", "describe_character", "printable", "shown"]
