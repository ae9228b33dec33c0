"""SIGTERM and SIGHUP while the app runs. Closing the terminal sends SIGHUP, `kill` SIGTERM:
without a handler either one ends the process on the spot, and the answer being typed (not yet
in the last autosave) is lost. The app decides what to do (``on_stop``); this module only
catches the signals, for as long as the app is mounted."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
from collections.abc import Callable
from typing import Any


class StopSignals:
    """Runs ``on_stop(signum)`` on the event loop for SIGTERM or SIGHUP. After a hang-up,
    shutting down can hang in Textual's writes to the vanished terminal, so the process is
    ended ``hangup_grace`` seconds after SIGHUP whatever it is doing by then."""

    def __init__(self, on_stop: Callable[[int], object]) -> None:
        self.on_stop = on_stop
        self.hangup_grace = 2.0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._previous_hangup: Any = None
        self._hangup_installed = False

    def install(self, hangup_grace: float) -> None:
        """From the event loop's thread (the app's on_mount)."""
        self.hangup_grace = hangup_grace
        self._loop = loop = asyncio.get_running_loop()
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signal.SIGTERM, self.on_stop, signal.SIGTERM)
        with contextlib.suppress(ValueError):  # ValueError: not the main thread
            # Not a loop handler: this one also runs while the loop is stuck.
            self._previous_hangup = signal.signal(signal.SIGHUP, self.hung_up)
            self._hangup_installed = True

    def remove(self) -> None:
        """Put back what was there before (a test runs many apps in one process)."""
        if self._loop is not None:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                self._loop.remove_signal_handler(signal.SIGTERM)
        if self._hangup_installed:
            # TypeError: the previous handler was not installed from Python
            with contextlib.suppress(ValueError, TypeError):
                signal.signal(signal.SIGHUP, self._previous_hangup)
            self._hangup_installed = False

    def hung_up(self, signum: int, frame: object) -> None:
        """The SIGHUP handler: ``on_stop`` on the event loop, and the process ended shortly
        whatever happens."""
        deadline = threading.Timer(self.hangup_grace, os._exit, (128 + signum,))
        deadline.daemon = True  # a clean exit before then does not wait for it
        deadline.start()
        assert self._loop is not None
        self._loop.call_soon_threadsafe(self.on_stop, signum)
