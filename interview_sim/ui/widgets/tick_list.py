"""A list to tick any number of options in: Textual's SelectionList, styled for the setup form.

Every behaviour is SelectionList's own (up/down/home/end/page keys, space or enter ticks, a
click ticks the line under the pointer, the pointer highlights the line it is over,
``selected`` in the order ticked). Labels are shown as plain text, their control characters
as symbols. Only the stylesheet differs (``inherit_css=False``): SelectionList's and
OptionList's DEFAULT_CSS (borders, compact variants, separators) cost ~5-10 ms of CPU at
start-up (benchmarks/bench_startup.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic, TypeVar

from textual.content import Content
from textual.widgets import OptionList, SelectionList

from interview_sim.core.controls import printable_line

T = TypeVar("T")


class TickList(SelectionList[T], Generic[T], inherit_css=False):
    COMPONENT_CLASSES = SelectionList.COMPONENT_CLASSES | OptionList.COMPONENT_CLASSES
    DEFAULT_CSS = """
    TickList {
        height: auto;
        max-height: 100%;
        color: $foreground;
        background: $surface;
        overflow-x: hidden;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        & > .selection-list--button { color: $panel-darken-2; background: $panel; }
        & > .selection-list--button-highlighted { color: $panel-darken-2; background: $panel; }
        & > .selection-list--button-selected { color: $text-success; background: $panel; }
        & > .selection-list--button-selected-highlighted {
            color: $text-success;
            background: $panel;
        }
        & > .option-list--option-highlighted {
            color: $foreground;
            background: $block-cursor-blurred-background;
        }
        & > .option-list--option-disabled { color: $text-disabled; }
        & > .option-list--option-hover { background: $block-hover-background; }
        &:focus {
            background-tint: $foreground 5%;
            & > .option-list--option-highlighted {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
        }
    }
    """

    def __init__(self, options: Sequence[tuple[str, T, bool]], *, id: str | None = None) -> None:
        """options: (label, value, ticked) for each line."""
        super().__init__(
            *((Content(printable_line(label)), value, ticked) for label, value, ticked in options),
            id=id,
        )
