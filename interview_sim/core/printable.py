"""A person's text shown literally: control characters (ANSI escapes included) become their
visible symbols (ESC as ␛), one character for one, so offsets into the text stay valid.

Kept apart from text.py (which the grader uses) so that the setup screen can use it at start-up
without compiling the grader's patterns."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

# Lone surrogates (from a JSON "\ud800" or a YAML escape) cannot be encoded as UTF-8: writing
# one to a file or the terminal raises UnicodeEncodeError. They become U+FFFD.
_SURROGATES: dict[int, int] = dict.fromkeys(range(0xD800, 0xE000), 0xFFFD)

# C0 controls except tab and newline, DEL, and the C1 controls
CONTROL_PICTURES: dict[int, int] = {
    **{code: 0x2400 + code for code in range(0x20) if chr(code) not in "\t\n"},
    0x7F: 0x2421,
    **dict.fromkeys(range(0x80, 0xA0), 0xFFFD),
    **_SURROGATES,
}
_ONE_LINE_PICTURES = CONTROL_PICTURES | {ord("\t"): 0x2409, ord("\n"): 0x240A}
_SURROGATE = "[\ud800-\udfff]"
_CONTROL = "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]"
# what json.dumps(ensure_ascii=False) leaves raw but a terminal would obey or cannot print
_JSON_RAW = "[\x7f-\x9f\ud800-\udfff]"


@cache
def _pattern(characters: str) -> re.Pattern[str]:
    """Compiled when first used: start-up shows text with the translation tables alone."""
    return re.compile(characters)


def printable(text: str) -> str:
    """Control characters as symbols; tabs and newlines kept."""
    return text.translate(CONTROL_PICTURES)


def printable_line(text: str) -> str:
    """Control characters as symbols, tabs and newlines too: for text shown on one line."""
    return text.translate(_ONE_LINE_PICTURES)


def first_control(text: str) -> str | None:
    """The first control character (other than tab and newline) in the text, if any."""
    found = _pattern(_CONTROL).search(text)
    return found.group() if found else None


def without_surrogates(text: str) -> str:
    """The text with each lone surrogate replaced by U+FFFD (so that it can be encoded)."""
    return text.translate(_SURROGATES) if _pattern(_SURROGATE).search(text) else text


def json_text(data: Any, *, indent: int | None = None) -> str:
    """JSON for a terminal or a script: non-ASCII text kept readable, but DEL, the C1 controls
    and lone surrogates escaped as \\uXXXX like the C0 controls (which json always escapes)."""
    import json

    text = json.dumps(data, indent=indent, ensure_ascii=False)
    return _pattern(_JSON_RAW).sub(lambda m: f"\\u{ord(m.group()):04x}", text)
