"""A one-line field for a number: Textual's Input (type integer or number), styled for the
setup form.

Every behaviour is Input's own: focusing selects the value so that typing replaces it, shift
and the mouse select, ctrl+c/x/v copy, cut and paste, ctrl+u/k/w delete, a click places the
cursor. Only the stylesheet differs (``inherit_css=False``): Input's DEFAULT_CSS (borders,
padding, the compact and ANSI variants) made four stock Inputs cost ~12 ms of CPU more than four
of these at start-up (benchmarks/bench_startup.py and the figures in README's Performance).
"""

from __future__ import annotations

from typing import Literal

from rich.cells import cell_len, set_cell_size
from textual import events
from textual.widgets import Input

# The characters a number may hold, for each kind (Input's type): what a paste keeps.
_CHARACTERS = {"integer": frozenset("0123456789+-_"), "number": frozenset("0123456789+-_.eE")}


class NumberField(Input, inherit_css=False):
    COMPONENT_CLASSES = Input.COMPONENT_CLASSES
    DEFAULT_CSS = """
    NumberField {
        width: 100%;
        height: 1;
        padding: 0;
        background: $surface;
        color: $foreground;
        scrollbar-size-horizontal: 0;
        pointer: text;
        &:focus { background-tint: $foreground 5%; }
        &.-invalid { background-tint: $error 20%; }
        & > .input--cursor {
            background: $input-cursor-background;
            color: $input-cursor-foreground;
            text-style: $input-cursor-text-style;
        }
        & > .input--selection {
            background: $input-selection-background;
            color: $input-selection-foreground;
        }
        & > .input--placeholder, & > .input--suggestion { color: $text-disabled; }
        &:ansi {
            background: ansi_default;
            color: ansi_default;
            & > .input--cursor { background: ansi_white; color: ansi_black; }
            & > .input--placeholder { text-style: dim; color: ansi_default; }
        }
    }
    """

    def __init__(
        self,
        value: str = "",
        *,
        kind: Literal["integer", "number"] = "integer",
        placeholder: str = "",
        id: str | None = None,
    ) -> None:
        super().__init__(value, placeholder, type=kind, id=id)
        self._placeholder = placeholder

    def on_resize(self) -> None:
        """Input wraps a placeholder too wide for it at a space (a narrow field said "by" for
        "by difficulty"): cut it at the edge with an ellipsis instead."""
        room = self.scrollable_content_region.width
        full = self._placeholder
        self.placeholder = full if cell_len(full) <= room else set_cell_size(full, room - 1) + "…"

    def _on_paste(self, event: events.Paste) -> None:
        event.prevent_default()  # instead of Input's handler, which it then calls
        line = event.text.splitlines()[0] if event.text else ""
        super()._on_paste(events.Paste("".join(c for c in line if c in _CHARACTERS[self.type])))
        event.stop()
