"""A one-line button: focusable, pressed with enter, space or a click.

Lighter than Button, whose DEFAULT_CSS adds some 57 rules that every later style pass scans;
on the setup screen, Button cost ~20 ms of start-up (benchmarks/bench_startup.py).
"""

from __future__ import annotations

from textual.binding import Binding
from textual.events import Click
from textual.message import Message
from textual.widgets import Static


class PlainButton(Static, can_focus=True):
    DEFAULT_CSS = """
    PlainButton { width: auto; height: 1; padding: 0 1; text-style: bold; }
    PlainButton.-primary { background: $primary; color: $text; }
    PlainButton:hover { background: $boost; }
    PlainButton.-primary:hover { background: $primary-lighten-1; }
    PlainButton:focus { text-style: bold reverse; }
    """
    BINDINGS = [
        Binding("enter,space", "press", "Press", id="plain-button.press", show=False),
    ]

    class Pressed(Message):
        """The button was pressed."""

        def __init__(self, button: PlainButton) -> None:
            super().__init__()
            self.button = button

        @property
        def control(self) -> PlainButton:
            return self.button

    def __init__(self, label: str, *, id: str | None = None, primary: bool = False) -> None:
        super().__init__(label, id=id, classes="-primary" if primary else None, markup=False)

    def action_press(self) -> None:
        self.post_message(self.Pressed(self))

    def on_click(self, event: Click) -> None:
        event.stop()
        self.action_press()
