"""The session is open in another process: say so, and offer to read it instead (the dialog, and
the flow around it)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, get_args

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from interview_sim.core.printable import printable_line
from interview_sim.core.store import StoreError

if TYPE_CHECKING:
    from interview_sim.core.lock import SessionLockedError
    from interview_sim.ui.app import InterviewApp

LockedChoice = Literal["read-only", "leave"]
_CHOICES: dict[str, LockedChoice] = {c: c for c in get_args(LockedChoice)}


class LockedDialog(ModalScreen[LockedChoice]):
    """``message`` says who holds the session; ``leave`` names the way out (Quit or Back)."""

    CSS_PATH = "../screens.tcss"
    BINDINGS = [
        Binding("r", "choose('read-only')", "Open read-only", id="locked.read-only"),
        Binding("q,escape", "choose('leave')", "Leave", id="locked.leave"),
    ]

    def __init__(self, message: str, leave: str = "Quit") -> None:
        super().__init__()
        self.message = message
        self.leave = leave

    def compose(self) -> ComposeResult:
        with Vertical(id="locked-dialog", classes="dialog"):
            yield Static(
                Text(
                    f"{self.message}.\nOnly one terminal at a time can answer in a session; "
                    "you can read it here without changing it."
                ),
                id="locked-message",
                classes="dialog-text",
                markup=False,
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Open read-only (r)", variant="primary", id="read-only", compact=True)
                yield Button(f"{self.leave} (q)", id="leave", compact=True)

    def on_mount(self) -> None:
        self.query_one("#read-only", Button).focus()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.action_choose(event.button.id or "leave")

    def action_choose(self, choice: str) -> None:
        self.dismiss(_CHOICES.get(choice, "leave"))


def offer_read_only(app: InterviewApp, locked: SessionLockedError) -> None:
    """Another terminal has the session open: read it here, or leave it alone. Opened by
    `interview-sim resume ID` (nothing below), leaving quits; from the history, it goes back."""
    session_id = locked.session_id
    from_start = len(app.screen_stack) <= 1

    def chosen(choice: LockedChoice | None) -> None:
        if choice == "read-only":
            open_read_only(app, session_id, from_start)
        elif from_start:
            app.exit(return_code=2, message=f"interview-sim: {locked}")

    app.push_screen(LockedDialog(str(locked), "Quit" if from_start else "Back"), chosen)


def open_read_only(app: InterviewApp, session_id: str, from_start: bool) -> None:
    from interview_sim.core.transcript import TranscriptError
    from interview_sim.ui.screens.history import HistoryScreen
    from interview_sim.ui.screens.transcript_view import TranscriptScreen

    try:
        transcript = app.store.load(session_id)
    except (StoreError, TranscriptError) as exc:
        app.notify(printable_line(str(exc)), severity="error", timeout=8, markup=False)
        if from_start:
            app.show_setup()
        return
    if from_start:  # Back from the transcript goes to the history, not a blank screen
        app.push_screen(HistoryScreen(app.store, app.bank))
    file = app.store.path_for(session_id).name
    app.push_screen(TranscriptScreen(transcript, app.bank, app.store, file))
