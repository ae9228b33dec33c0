"""The screen's key bindings on one line, drawn like Footer; a key is clicked to press it.

Footer starts empty and, once the bindings are known, composes one FooterKey per binding,
which lays the screen out and paints it a second time. KeyBar is a single node that
repaints itself instead; on the setup screen that kept ~40 ms off start-up
(benchmarks/bench_startup.py).
"""

from __future__ import annotations

from typing import NamedTuple

from rich.cells import cell_len
from rich.text import Text
from textual.events import Click
from textual.screen import Screen
from textual.widget import Widget


class _Key(NamedTuple):
    key: str
    display: str
    description: str
    enabled: bool


class KeyBar(Widget):
    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description", "key-bar--separator"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        text-wrap: nowrap;
        color: $footer-foreground;
        background: $footer-background;
        .key-bar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .key-bar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .key-bar--separator { color: $foreground 20%; }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._spans: list[tuple[int, int, _Key]] = []
        self._keys: tuple[list[_Key], _Key | None] | None = None  # until the bindings change

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        self._keys = None
        self.refresh()

    def _shown_keys(self) -> tuple[list[_Key], _Key | None]:
        """Shown bindings (the first key for each action, as Footer does), and the palette's."""
        active = self.screen.active_bindings
        keys: list[_Key] = []
        actions: set[str] = set()
        for _node, binding, enabled, _tooltip in active.values():
            if binding.show and binding.action not in actions:
                actions.add(binding.action)
                display = self.app.get_key_display(binding)
                keys.append(_Key(binding.key, display, binding.description, enabled))
        palette = None
        if self.app.ENABLE_COMMAND_PALETTE and self.app.COMMAND_PALETTE_BINDING in active:
            _node, binding, enabled, _tooltip = active[self.app.COMMAND_PALETTE_BINDING]
            display = self.app.get_key_display(binding)
            palette = _Key(binding.key, display, binding.description, enabled)
        return keys, palette

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-bar--key")
        description_style = self.get_component_rich_style("key-bar--description")
        if self._keys is None:
            self._keys = self._shown_keys()
        keys, palette = self._keys
        text = Text(no_wrap=True, overflow="crop", end="")
        spans: list[tuple[int, int, _Key]] = []

        def add(key: _Key, key_text: str, description_text: str) -> None:
            start, start_cell = len(text), text.cell_len
            text.append(key_text, key_style)
            text.append(description_text, description_style)
            if not key.enabled:
                text.stylize("dim", start)
            spans.append((start_cell, text.cell_len, key))

        for key in keys:
            add(key, f" {key.display} ", f"{key.description} ")
        if palette is not None:  # on the right, after a thin rule, as Footer draws it
            shown = f"▏{palette.display} {palette.description} "
            gap = self.size.width - text.cell_len - cell_len(shown)
            if gap >= 1:
                text.append(" " * gap)
                text.append("▏", self.get_component_rich_style("key-bar--separator"))
                add(palette, palette.display, f" {palette.description}")
                text.append(" ")
        self._spans = spans
        return text

    def on_click(self, event: Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                event.stop()
                if key.enabled:
                    self.app.simulate_key(key.key)
                else:
                    self.app.bell()
                return
