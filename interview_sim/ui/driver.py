"""Textual's Linux driver, with two input bugs of Textual 8.2 worked around.

1. One byte that is not UTF-8 (a stray 0xFF from a terminal, a mis-encoded paste) ends the app:
   ``LinuxDriver.run_input_thread`` decodes standard input with a strict incremental decoder,
   and the ``UnicodeDecodeError`` it raises takes the input thread, then the app, down. Here
   the decoder replaces such a byte with U+FFFD.
2. A bracketed paste whose text holds an ESC is torn apart: ``XTermParser`` starts reading an
   escape sequence at the ESC, stops adding characters to the paste, and re-sends the rest of
   it as key presses (which can reach the submit binding, or the next question's box). Here
   every ESC between the paste's start and end markers reaches the parser as its visible
   symbol (␛), so the paste arrives whole, as one Paste event, where it was aimed.

``run_input_thread`` is Textual's own, except for the two lines marked; nothing else changes.
"""

from __future__ import annotations

import codecs
import os
import selectors
from collections.abc import Iterable

from textual._loop import loop_last
from textual._parser import ParseError
from textual._xterm_parser import BRACKETED_PASTE_END, BRACKETED_PASTE_START, XTermParser
from textual.driver import Driver
from textual.drivers.linux_driver import LinuxDriver
from textual.message import Message

ESC_SYMBOL = "\u241b"  # ␛


class PasteSafeParser(XTermParser):
    """XTermParser fed with each ESC inside a bracketed paste replaced by ␛ (see the module)."""

    def __init__(self, debug: bool = False) -> None:
        super().__init__(debug)
        self._in_paste = False
        self._tail = ""  # the end of what was fed outside a paste: a start marker may straddle
        self._held = ""  # inside a paste: what may be the beginning of the end marker

    def feed(self, data: str) -> Iterable[Message]:
        if not data:  # end of input
            held, self._held = self._held, ""
            if held:
                yield from super().feed(held)
            yield from super().feed("")
            return
        rewritten = self.rewrite(data)
        if rewritten:  # an empty feed would mean the end of input
            yield from super().feed(rewritten)

    def rewrite(self, data: str) -> str:
        out: list[str] = []
        text = data
        while text:
            if not self._in_paste:
                window = self._tail + text
                at = window.find(BRACKETED_PASTE_START)
                if at < 0:
                    out.append(text)
                    self._tail = window[-(len(BRACKETED_PASTE_START) - 1) :]
                    break
                split = at + len(BRACKETED_PASTE_START) - len(self._tail)
                out.append(text[:split])
                text = text[split:]
                self._in_paste, self._tail = True, ""
            else:
                text, self._held = self._held + text, ""
                at = text.find(BRACKETED_PASTE_END)
                if at < 0:
                    keep = _marker_prefix_at_end(text, BRACKETED_PASTE_END)
                    self._held = text[len(text) - keep :]
                    out.append(text[: len(text) - keep].replace("\x1b", ESC_SYMBOL))
                    break
                out.append(text[:at].replace("\x1b", ESC_SYMBOL) + BRACKETED_PASTE_END)
                text = text[at + len(BRACKETED_PASTE_END) :]
                self._in_paste = False
        return "".join(out)


def _marker_prefix_at_end(text: str, marker: str) -> int:
    """The length of the longest beginning of ``marker`` that ``text`` ends with."""
    for size in range(min(len(marker) - 1, len(text)), 0, -1):
        if text.endswith(marker[:size]):
            return size
    return 0


class SafeInputLinuxDriver(LinuxDriver):
    """LinuxDriver reading input with the two fixes above."""

    def run_input_thread(self) -> None:
        """Wait for input and dispatch events."""
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)

        fileno = self.fileno
        EVENT_READ = selectors.EVENT_READ

        parser = PasteSafeParser(self._debug)  # changed: was XTermParser
        feed = parser.feed
        tick = parser.tick

        # changed: errors="replace" (was strict)
        decode = codecs.getincrementaldecoder("utf-8")(errors="replace").decode
        read = os.read

        def process_selector_events(
            selector_events: list[tuple[selectors.SelectorKey, int]],
            final: bool = False,
        ) -> None:
            for last, (_selector_key, mask) in loop_last(selector_events):
                if mask & EVENT_READ:
                    unicode_data = decode(read(fileno, 1024 * 4), final=final and last)
                    if not unicode_data:
                        # This can occur if the stdin is piped
                        break
                    for event in feed(unicode_data):
                        self.process_message(event)
            for event in tick():
                self.process_message(event)

        try:
            while not self.exit_event.is_set():
                process_selector_events(selector.select(0.1))
            selector.unregister(self.fileno)
            process_selector_events(selector.select(0.1), final=True)

        finally:
            selector.close()
            try:
                for _event in feed(""):
                    pass
            except (EOFError, ParseError):
                pass


def safe_input(driver_class: type[Driver]) -> type[Driver]:
    """The driver Textual chose, except on Linux and macOS: there the subclass above, which
    survives a byte that is not UTF-8 and keeps a pasted ESC inside the paste."""
    return SafeInputLinuxDriver if driver_class is LinuxDriver else driver_class
