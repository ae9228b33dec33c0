"""The answer box: Textual's TextArea, with pasted control characters shown as symbols."""

from __future__ import annotations

from textual import events
from textual.widgets import TextArea

from interview_sim.core.printable import printable


class AnswerArea(TextArea):
    """A TextArea whose pasted text has its control characters replaced by their visible
    symbols (ESC as ␛): TextArea inserts a paste as it is, and draws it as it is, so an ESC
    pasted into an answer was written to the terminal raw (and obeyed) on every repaint.
    Line breaks pasted as CR (as many terminals send them) become new lines."""

    async def _on_paste(self, event: events.Paste) -> None:
        event.prevent_default()  # instead of TextArea's own handler, not as well as it
        if self.read_only:
            return
        text = printable(event.text.replace("\r\n", "\n").replace("\r", "\n"))
        if result := self._replace_via_keyboard(text, *self.selection):
            self.move_cursor(result.end_location)
            self.focus()
