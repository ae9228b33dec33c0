"""The sessions folder refused the transcript: ask for another folder to write it to."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static


class RescueDialog(ModalScreen[Path | None]):
    """Returns the folder chosen, or None to go on as before (saving is still retried)."""

    CSS_PATH = "../screens.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="rescue.cancel")]

    def __init__(self, problem: str, suggestion: Path) -> None:
        super().__init__()
        self.problem = problem
        self.suggestion = suggestion

    def compose(self) -> ComposeResult:
        with Vertical(id="rescue-dialog", classes="dialog"):
            yield Static(
                Text(
                    f"Not saved: {self.problem}.\nEvery answer is kept in memory and saving is "
                    "retried after each one. To write the transcript somewhere else now, "
                    "give a folder:"
                ),
                id="rescue-message",
                classes="dialog-text",
                markup=False,
            )
            yield Input(str(self.suggestion), id="rescue-folder")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save there (enter)", variant="primary", id="save", compact=True)
                yield Button("Cancel (esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#rescue-folder", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def save(self) -> None:
        folder = self.query_one("#rescue-folder", Input).value.strip()
        if folder:
            self.dismiss(Path(folder).expanduser())

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
