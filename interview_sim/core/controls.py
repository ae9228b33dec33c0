"""A person's text shown literally: control characters (ANSI escapes included) become their
visible symbols (ESC as ␛), one character for one, so offsets into the text stay valid.

Kept apart from text.py (which the grader uses) so that the setup screen can use it at start-up
without compiling the grader's patterns."""

from __future__ import annotations

# C0 controls except tab and newline, DEL, and the C1 controls
CONTROL_PICTURES: dict[int, int] = {
    **{code: 0x2400 + code for code in range(0x20) if chr(code) not in "\t\n"},
    0x7F: 0x2421,
    **dict.fromkeys(range(0x80, 0xA0), 0xFFFD),
}
_ONE_LINE_PICTURES = CONTROL_PICTURES | {ord("\t"): 0x2409, ord("\n"): 0x240A}


def printable(text: str) -> str:
    """Control characters as symbols; tabs and newlines kept."""
    return text.translate(CONTROL_PICTURES)


def printable_line(text: str) -> str:
    """Control characters as symbols, tabs and newlines too: for text shown on one line."""
    return text.translate(_ONE_LINE_PICTURES)
