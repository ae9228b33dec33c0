"""Textual's Footer, recomposed only when the keys it shows change.

Footer composes its keys afresh on every bindings update of its screen, and a screen sends
one on each focus change and refresh_bindings(), whether or not a shown key changed: six
times between Start and the first question on the interview screen, each one a remount and
a layout of every key. This one compares what it would show (from the screen's public
``active_bindings``) and lets Footer recompose only when that differs. Everything else,
drawing included, is Footer's own.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer as TextualFooter


class Footer(TextualFooter):
    def __init__(self) -> None:
        super().__init__()
        self._shown: tuple[tuple[str, str, str, bool, str], ...] | None = None

    def bindings_changed(self, screen: Screen[Any]) -> None:
        shown = tuple(
            (binding.key, binding.action, binding.description, enabled, tooltip)
            for _node, binding, enabled, tooltip in screen.active_bindings.values()
            if binding.show or binding.key == screen.app.COMMAND_PALETTE_BINDING
        )
        if shown != self._shown:
            super().bindings_changed(screen)
            if screen.app.app_focus:  # Footer recomposes only then
                self._shown = shown
