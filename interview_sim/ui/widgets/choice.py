"""A one-line, keyboard-first chooser: left/right (or space/enter) cycles through options; a
click on the ‹ steps back, anywhere else forward.

Stands in for Textual's Select, and is kept: each Select is five nodes (its current value,
an overlay and the overlay's list) where this is one, and the setup form's four Selects cost
~45 ms of CPU at start-up against ~1 ms for these (benchmarks/bench_startup.py), which alone
would take start-up past 1.3x a bare Textual app. It differs from Select in what a person
sees: the options are stepped through in place rather than picked from a drop-down list.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic, TypeVar

from rich.text import Text
from textual.binding import Binding
from textual.events import Click
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

T = TypeVar("T")


class Choice(Widget, Generic[T], can_focus=True):
    # The chosen option's line is coloured by a component class rather than the widget's
    # background, so that a border (a label as border title, say) keeps its parent's colour.
    COMPONENT_CLASSES = {"choice--value"}
    DEFAULT_CSS = """
    Choice {
        height: 1;
        width: 100%;
        & > .choice--value { background: $boost; }
        &:focus > .choice--value { background: $accent 30%; text-style: bold; }
    }
    """
    BINDINGS = [
        Binding("right,space,enter", "step(1)", "Next option", id="choice.next", show=False),
        Binding("left", "step(-1)", "Previous option", id="choice.previous", show=False),
    ]

    index: reactive[int] = reactive(0)

    class Changed(Message):
        """The chosen option changed."""

        def __init__(self, choice: Choice[T]) -> None:
            super().__init__()
            self.choice = choice

    def __init__(
        self, options: Sequence[tuple[str, T]], value: T, *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.options = list(options)
        values = [v for _, v in self.options]
        self.set_reactive(Choice.index, values.index(value) if value in values else 0)

    @property
    def value(self) -> T:
        return self.options[self.index][1]

    @value.setter
    def value(self, new: T) -> None:
        self.index = [v for _, v in self.options].index(new)

    def render(self) -> Text:
        label = self.options[self.index][0]
        text = Text.assemble(
            " ",
            ("‹ ", "dim"),
            label,
            (" ›", "dim"),
            style=self.get_component_rich_style("choice--value"),
        )
        text.pad_right(self.content_size.width - text.cell_len)
        return text

    def action_step(self, delta: int) -> None:
        self.index = (self.index + delta) % len(self.options)

    def on_click(self, event: Click) -> None:
        offset = event.get_content_offset(self)
        self.action_step(-1 if offset is not None and offset.x <= 2 else 1)  # " ‹ " steps back

    def watch_index(self) -> None:
        self.post_message(self.Changed(self))
