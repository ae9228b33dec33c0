"""A one-line button: Textual's Button, styled for the setup form, also pressed with space.

Every behaviour is Button's own (enter or a click presses it, with its brief press effect, and
it posts ``Button.Pressed``); space presses it too, as before. Only the stylesheet differs
(``inherit_css=False``): Button's DEFAULT_CSS holds some 45 rule blocks (variants, flat,
compact, ANSI) that every node of the screen is matched against, ~5-7 ms of CPU at start-up
for the setup form's two buttons (benchmarks/bench_startup.py).
"""

from __future__ import annotations

from textual.binding import Binding
from textual.content import Content
from textual.widgets import Button


class PlainButton(Button, inherit_css=False):
    DEFAULT_CSS = """
    PlainButton {
        width: auto;
        height: 1;
        padding: 0;  /* Button's width is its label's and two cells */
        text-align: center;
        text-style: bold;
        pointer: pointer;
        &.-primary { background: $primary; color: $text; }
        &:hover { background: $boost; }
        &.-primary:hover { background: $primary-lighten-1; }
        &:focus { text-style: bold reverse; }
        &.-active { tint: $background 30%; }
    }
    """
    BINDINGS = [Binding("space", "press", "Press", id="plain-button.press", show=False)]

    def __init__(self, label: str, *, id: str | None = None, primary: bool = False) -> None:
        super().__init__(Content(label), "primary" if primary else "default", id=id)
