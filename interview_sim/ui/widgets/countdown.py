"""A countdown that asks the engine how long is left; it never counts ticks itself."""

from __future__ import annotations

from collections.abc import Callable

from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static

WARNING_SECONDS = 30.0
DANGER_SECONDS = 10.0


def format_clock(seconds: float) -> str:
    whole = max(0, int(seconds + 0.999))  # show 0:01 until the very end, like a kitchen timer
    return f"{whole // 60}:{whole % 60:02d}"


class Countdown(Static):
    """Shows m:ss left; turns amber, then red; posts Expired once when it reaches zero."""

    DEFAULT_CSS = """
    Countdown { width: auto; min-width: 12; content-align: right middle; text-style: bold; }
    Countdown.-warning { color: $warning; }
    Countdown.-danger { color: $error; text-style: bold reverse; }
    """

    seconds: reactive[float] = reactive(0.0)

    class Expired(Message):
        """Time for the current step is up."""

    def __init__(
        self, remaining: Callable[[], float], *, tick: float = 0.25, id: str | None = None
    ) -> None:
        super().__init__("", id=id)
        self._remaining = remaining
        self._tick = tick
        self._expired = False

    def on_mount(self) -> None:
        self.refresh_time()
        if self._tick > 0:
            self.set_interval(self._tick, self.refresh_time)

    def restart(self) -> None:
        """A new step began: allow one more Expired."""
        self._expired = False
        self.refresh_time()

    def refresh_time(self) -> None:
        self.seconds = self._remaining()
        if self.seconds <= 0 and not self._expired:
            self._expired = True
            self.post_message(self.Expired())

    def watch_seconds(self, seconds: float) -> None:
        self.update(f"⏱ {format_clock(seconds)}")
        self.set_class(seconds <= DANGER_SECONDS, "-danger")
        self.set_class(DANGER_SECONDS < seconds <= WARNING_SECONDS, "-warning")
