"""Confirm before leaving an interview; what was answered is already saved."""

from __future__ import annotations

from typing import Literal, get_args

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

QuitChoice = Literal["resume-later", "end-now", "cancel"]
_CHOICES: dict[str, QuitChoice] = {c: c for c in get_args(QuitChoice)}


class QuitDialog(ModalScreen[QuitChoice]):
    CSS_PATH = "../screens.tcss"
    BINDINGS = [
        Binding("escape", "choose('cancel')", "Keep going", id="quit.cancel"),
        Binding("s", "choose('resume-later')", "Save & quit", id="quit.later"),
        Binding("e", "choose('end-now')", "End now", id="quit.end"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="quit-dialog"):
            yield Static(
                "Leave the interview? Every answer you submitted is already saved. The "
                "answer you are typing is kept as a draft, not submitted: `resume` brings it "
                "back after Save & quit.",
                id="quit-question",
                markup=False,
            )
            with Horizontal(id="quit-buttons"):
                yield Button("Save & quit (s)", variant="primary", id="resume-later", compact=True)
                yield Button("End now (e)", variant="warning", id="end-now", compact=True)
                yield Button("Keep going (esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.action_choose(event.button.id or "cancel")

    def action_choose(self, choice: str) -> None:
        self.dismiss(_CHOICES.get(choice, "cancel"))
