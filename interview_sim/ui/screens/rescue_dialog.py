"""The sessions folder refused the transcript: ask for another folder to write it to (the dialog,
and the flow around it)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from interview_sim import locations
from interview_sim.core.printable import printable_line
from interview_sim.core.store import StoreError

if TYPE_CHECKING:
    from interview_sim.core.recorder import RecordedSession


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


def offer_rescue(
    app: App[Any], failed: RecordedSession | None, then: Callable[[], object] | None = None
) -> None:
    """The failed-save flow: ask for a folder and write the session there, asking again while a
    folder refuses it too. ``then`` runs once every answer is on disk (at once when nothing
    failed: ``failed`` is the session whose last save failed, or None)."""
    if failed is None:
        if then is not None:
            then()
        return

    def chosen(folder: Path | None) -> None:
        if folder is None:
            app.notify("Not saved yet: still retrying after each answer.", timeout=6)
            return
        try:
            path = failed.recorder.relocate(folder)
        except StoreError as exc:
            app.notify(printable_line(str(exc)), severity="error", timeout=8, markup=False)
            offer_rescue(app, failed, then)
            return
        app.notify(
            printable_line(f"Saved to {path}; from now on the session is saved there."),
            markup=False,
        )
        if then is not None:
            then()

    problem = failed.save_error or "the sessions folder refused the transcript"
    app.push_screen(RescueDialog(problem, locations.rescue_dir()), chosen)
