"""The session is open in another process: say so, and offer to read it instead."""

from __future__ import annotations

from typing import Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

LockedChoice = Literal["read-only", "leave"]


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
        self.dismiss(choice)  # type: ignore[arg-type]
