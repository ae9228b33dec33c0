"""A list to tick any number of options in: up/down, page up/down and home/end move, space or
enter ticks, a click ticks the line under the pointer, the line under the pointer is lit.

Stands in for Textual's SelectionList, and is kept: drawn like SelectionList (its box
colours and highlight; ✔ for a ticked box), it behaves as it does for the keys and the mouse
(``selected`` in the order ticked, too). SelectionList renders every option through
OptionList's Content machinery; for the setup form's ten topics that cost ~8-10 ms of CPU
more at start-up even with a stylesheet as small as this one (measured against this widget in
fresh processes, benchmarks/bench_startup.py's harness), with start-up already at about 1.3x a
bare Textual app.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic, TypeVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.events import Click, MouseMove
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from interview_sim.core.printable import printable_line

T = TypeVar("T")


class TickList(ScrollView, Generic[T], can_focus=True):
    COMPONENT_CLASSES = {
        "tick-list--box",
        "tick-list--box-ticked",
        "tick-list--highlighted",
        "tick-list--hover",
    }
    DEFAULT_CSS = """
    TickList {
        height: auto;
        overflow-x: hidden;
        background: $surface;
        & > .tick-list--box { background: $panel; }
        & > .tick-list--box-ticked { color: $text-success; background: $panel; }
        & > .tick-list--highlighted {
            color: $foreground;
            background: $block-cursor-blurred-background;
        }
        & > .tick-list--hover { background: $block-hover-background; }
        &:focus {
            background-tint: $foreground 5%;
            & > .tick-list--highlighted {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
        }
    }
    """
    BINDINGS = [
        Binding("down", "move(1)", "Next", id="tick-list.down", show=False),
        Binding("up", "move(-1)", "Previous", id="tick-list.up", show=False),
        Binding("pagedown", "page(1)", "Page down", id="tick-list.page-down", show=False),
        Binding("pageup", "page(-1)", "Page up", id="tick-list.page-up", show=False),
        Binding("home", "first", "First", id="tick-list.first", show=False),
        Binding("end", "last", "Last", id="tick-list.last", show=False),
        Binding("space,enter", "tick", "Tick", id="tick-list.tick", show=False),
    ]

    highlighted: reactive[int] = reactive(0, init=False)
    hovered: reactive[int | None] = reactive(None, init=False)
    """The line under the pointer, if any."""

    def __init__(self, options: Sequence[tuple[str, T, bool]], *, id: str | None = None) -> None:
        """options: (label, value, ticked) for each line; labels are shown as plain text."""
        super().__init__(id=id)
        # control characters in a label show as symbols (ESC as ␛), never reach the terminal
        self._options = [(printable_line(label), value) for label, value, _ in options]
        self._ticked: dict[T, None] = {value: None for _, value, ticked in options if ticked}
        self.virtual_size = Size(
            max((cell_len(x) for x, _ in self._options), default=0) + 4, len(self._options)
        )

    @property
    def selected(self) -> list[T]:
        """The ticked values, in the order they were ticked (as SelectionList.selected)."""
        return list(self._ticked)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        index = self.scroll_offset.y + y
        if not 0 <= index < len(self._options):
            return Strip.blank(width, base)
        label, value = self._options[index]
        if index == self.highlighted:
            base += self.get_component_rich_style("tick-list--highlighted")
        elif index == self.hovered:
            base += self.get_component_rich_style("tick-list--hover")
        box = self.get_component_rich_style(
            "tick-list--box-ticked" if value in self._ticked else "tick-list--box"
        )
        side = Style.from_color(box.bgcolor, base.bgcolor)
        meta = Style(meta={"option": index})
        room = max(width - 4, 0)
        if cell_len(label) > room:
            label = (set_cell_size(label, room - 1) + "…") if room else ""
        segments = [
            Segment("▐", side + meta),
            Segment("✔" if value in self._ticked else " ", box + meta),
            Segment("▌", side + meta),
            Segment(f" {label}", base + meta),
        ]
        return Strip(segments).adjust_cell_length(width, base + meta)

    def watch_highlighted(self) -> None:
        self.scroll_to_region(
            Region(0, self.highlighted, 1, 1), animate=False, force=True, immediate=True
        )
        self.refresh()

    def _move_to(self, index: int) -> None:
        if self._options:
            self.highlighted = min(max(index, 0), len(self._options) - 1)

    def action_move(self, delta: int) -> None:
        self._move_to(self.highlighted + delta)

    def action_page(self, direction: int) -> None:
        self._move_to(self.highlighted + direction * max(self.scrollable_content_region.height, 1))

    def action_first(self) -> None:
        self._move_to(0)

    def action_last(self) -> None:
        self._move_to(len(self._options) - 1)

    def action_tick(self) -> None:
        if not self._options:
            return
        value = self._options[self.highlighted][1]
        if value in self._ticked:
            del self._ticked[value]
        else:
            self._ticked[value] = None
        self.refresh()

    def on_mouse_move(self, event: MouseMove) -> None:
        index = event.style.meta.get("option")
        self.hovered = index if isinstance(index, int) else None

    def on_leave(self) -> None:
        self.hovered = None

    def watch_hovered(self) -> None:
        self.refresh()

    def on_click(self, event: Click) -> None:
        index = event.style.meta.get("option")
        if isinstance(index, int):
            event.stop()
            self.highlighted = index
            self.action_tick()
