"""A one-line field for a number, edited as in Input: focusing it selects the whole value (so
typing replaces it); then digits, a sign and (for decimals) a point, backspace, delete,
left/right, home/end, paste, and a click to place the cursor.

Lighter than Input (no blink timer, validators, suggester or mouse selection), which took
~15 ms off the setup screen's start-up (benchmarks/bench_startup.py).
"""

from __future__ import annotations

import re
from typing import Literal

from rich.text import Text
from textual.binding import Binding
from textual.events import Click, Focus, Key, Paste
from textual.reactive import reactive
from textual.widget import Widget

_ALLOWED = {"integer": re.compile(r"[-+]?\d*"), "number": re.compile(r"[-+]?\d*\.?\d*")}


class NumberField(Widget, can_focus=True):
    COMPONENT_CLASSES = {"number-field--cursor", "number-field--placeholder"}
    DEFAULT_CSS = """
    NumberField {
        height: 1;
        width: 100%;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        &:focus { background-tint: $foreground 5%; }
        & > .number-field--cursor {
            background: $input-cursor-background;
            color: $input-cursor-foreground;
            text-style: $input-cursor-text-style;
        }
        & > .number-field--placeholder { color: $text-disabled; }
    }
    """
    BINDINGS = [
        Binding("left", "move(-1)", "Cursor left", id="number-field.left", show=False),
        Binding("right", "move(1)", "Cursor right", id="number-field.right", show=False),
        Binding("home,ctrl+a", "home", "Go to start", id="number-field.home", show=False),
        Binding("end,ctrl+e", "end", "Go to end", id="number-field.end", show=False),
        Binding("backspace", "delete(-1)", "Delete left", id="number-field.back", show=False),
        Binding("delete,ctrl+d", "delete(1)", "Delete right", id="number-field.del", show=False),
    ]

    value: reactive[str] = reactive("")
    cursor: reactive[int] = reactive(0)
    selected: reactive[bool] = reactive(False)
    """The whole value is selected (on focus): the next edit replaces it."""

    def __init__(
        self,
        value: str = "",
        *,
        kind: Literal["integer", "number"] = "integer",
        placeholder: str = "",
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._allowed = _ALLOWED[kind]
        self.placeholder = placeholder
        self._scrolled = 0  # characters hidden on the left when the value is wider than the field
        self.set_reactive(NumberField.value, value)
        self.set_reactive(NumberField.cursor, len(value))

    def validate_cursor(self, cursor: int) -> int:
        return min(max(cursor, 0), len(self.value))

    def watch_value(self, value: str) -> None:
        self.cursor = min(self.cursor, len(value))

    def check_consume_key(self, key: str, character: str | None) -> bool:
        return character is not None and character.isprintable()

    def render(self) -> Text:
        cursor_style = self.get_component_rich_style("number-field--cursor")
        if not self.value:
            placeholder_style = self.get_component_rich_style("number-field--placeholder")
            text = Text(self.placeholder or " ", placeholder_style, no_wrap=True, end="")
            if self.has_focus:
                text.stylize(cursor_style, 0, 1)
            return text
        text = Text(self.value, no_wrap=True, end="")
        if self.has_focus:
            if self.selected:
                text.stylize(cursor_style)
            elif self.cursor == len(self.value):
                text.append(" ", cursor_style)
            else:
                text.stylize(cursor_style, self.cursor, self.cursor + 1)
        width = self.content_size.width
        self._scrolled = max(0, self.cursor + 1 - width) if width else 0
        return text[self._scrolled :]

    def _edit(self, start: int, end: int, insert: str) -> None:
        """Replace value[start:end] with as much of `insert` as keeps the value a number."""
        kept = ""
        for character in insert:
            if self._allowed.fullmatch(self.value[:start] + kept + character + self.value[end:]):
                kept += character
        if insert and not kept:
            self.app.bell()
            return
        self.selected = False
        self.value = self.value[:start] + kept + self.value[end:]
        self.cursor = start + len(kept)

    def _replace_at_cursor(self, text: str) -> None:
        start, end = (0, len(self.value)) if self.selected else (self.cursor, self.cursor)
        self._edit(start, end, text)

    def on_key(self, event: Key) -> None:
        if event.is_printable and event.character is not None:
            event.stop()
            event.prevent_default()
            self._replace_at_cursor(event.character)

    def on_paste(self, event: Paste) -> None:
        event.stop()
        if event.text:
            self._replace_at_cursor(event.text.splitlines()[0])

    def on_focus(self, event: Focus) -> None:
        if not event.from_app_focus:
            self.selected = bool(self.value)

    def on_blur(self) -> None:
        self.selected = False

    def on_click(self, event: Click) -> None:
        offset = event.get_content_offset(self)
        if offset is not None:
            self.selected = False
            self.cursor = self._scrolled + offset.x

    def action_move(self, delta: int) -> None:
        if self.selected:  # as in Input: an arrow ends the selection at that side
            self.selected = False
            self.cursor = 0 if delta < 0 else len(self.value)
        else:
            self.cursor += delta

    def action_home(self) -> None:
        self.selected = False
        self.cursor = 0

    def action_end(self) -> None:
        self.selected = False
        self.cursor = len(self.value)

    def action_delete(self, direction: int) -> None:
        if self.selected:
            self._edit(0, len(self.value), "")
        elif direction < 0 and self.cursor > 0:
            self._edit(self.cursor - 1, self.cursor, "")
        elif direction > 0:
            self._edit(self.cursor, self.cursor + 1, "")
