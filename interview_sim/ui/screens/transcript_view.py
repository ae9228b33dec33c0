"""One past session read-only, every answer with its highlights; and the report export that it
and the history share (written by the store, atomically, beside the transcript)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from interview_sim.core.bank import Bank
from interview_sim.core.printable import printable_line
from interview_sim.core.report import render_markdown
from interview_sim.core.store import SessionStore, StoreError
from interview_sim.core.transcript import Transcript, TranscriptError
from interview_sim.ui.screens.feedback import feedback_widgets
from interview_sim.ui.widgets.footer import Footer


def export_report(screen: Screen[None], store: SessionStore, file: str, bank: Bank) -> None:
    """Write the session's Markdown report beside its transcript and say where (or why not)."""
    try:
        transcript = store.load_file(file)
        path = store.save_report(file, render_markdown(transcript, bank))
    except (StoreError, TranscriptError, OSError) as exc:
        screen.notify(printable_line(str(exc)), severity="error", markup=False)
        return
    screen.notify(printable_line(f"Report written to {path}"), markup=False)


class TranscriptScreen(Screen[None]):
    """One past session, every answer with its highlights."""

    CSS_PATH = "../screens.tcss"

    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Back", id="transcript.back"),
        Binding("e", "export", "Export report", id="transcript.export"),
    ]

    def __init__(self, transcript: Transcript, bank: Bank, store: SessionStore, file: str) -> None:
        super().__init__()
        self.transcript = transcript
        self.bank = bank
        self.store = store
        self.file = file

    def compose(self) -> ComposeResult:
        t = self.transcript
        score = "-" if t.score is None else f"{t.score:.0f}/100"
        with VerticalScroll(id="transcript"):
            yield Static(
                Text(
                    printable_line(
                        f"{t.id} · {t.status} · {t.settings.mode} · score {score} · "
                        f"{', '.join(t.topics)}"
                    ),
                    style="bold",
                ),
                markup=False,
            )
            for r in t.records:
                yield Static(
                    Text(
                        f"Q{r.number}" + (f" follow-up {r.follow_up_id}" if r.follow_up_id else ""),
                        style="bold reverse",
                    ),
                    markup=False,
                    classes="tr-head",
                )
                yield from feedback_widgets(r, self.bank)
        yield Footer()

    def action_export(self) -> None:
        export_report(self, self.store, self.file, self.bank)


def open_transcript(screen: Screen[None], store: SessionStore, file: str, bank: Bank) -> None:
    """Show a saved session's transcript over ``screen``; a file that cannot be read is a
    notice naming why."""
    try:
        transcript = store.load_file(file)
    except (StoreError, TranscriptError) as exc:
        screen.notify(printable_line(str(exc)), severity="error", markup=False)
        return
    screen.app.push_screen(TranscriptScreen(transcript, bank, store, file))
