"""Run every Textual App headless and act once a chosen screen has settled.

Shared by the start-up imports test and the start-up and history benchmarks, each of which runs
a program in a fresh interpreter with this folder on sys.path. It imports nothing of
interview-sim, and of Textual only the App it patches."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.app import App

if TYPE_CHECKING:
    from textual.screen import Screen

SIZE = (100, 32)


def when_settled(
    is_target: Callable[[Screen[Any]], bool],
    on_settled: Callable[[App[Any]], object],
    *,
    app_messages: bool = True,
    workers: bool = False,
) -> None:
    """Make App.run run headless at SIZE; once the app's screen is a target and settled, call
    on_settled(app) and exit the app. Settled: checked after a screen refresh (nothing left to
    lay out or paint), no node on the screen has messages queued (a widget still composing,
    say) nor, with app_messages, the app itself, and with workers no worker is unfinished;
    otherwise it checks again after the next refresh."""

    def busy(app: App[Any]) -> bool:
        return bool(
            (app_messages and app.message_queue_size)
            or (workers and any(not worker.is_finished for worker in app.workers))
            or any(node.message_queue_size for node in app.screen.walk_children(with_self=True))
        )

    def probe(app: App[Any]) -> None:
        if is_target(app.screen) and not busy(app):
            on_settled(app)
            app.exit()
        else:
            app.call_after_refresh(probe, app)

    run = App.run

    def headless(self: App[Any], *args: object, **kwargs: object) -> Any:
        self.call_after_refresh(probe, self)
        return run(self, headless=True, size=SIZE)

    App.run = headless  # type: ignore[method-assign]
