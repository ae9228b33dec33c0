"""End of session: overall and per-topic scores, weak spots, and where the transcript is."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Static

from interview_sim.core.bank import Bank
from interview_sim.core.report import format_duration, summarise
from interview_sim.core.session import SCORE_RULE, AnswerRecord
from interview_sim.core.transcript import Transcript
from interview_sim.ui.screens.feedback import FeedbackScreen
from interview_sim.ui.screens.interview import answer_preview
from interview_sim.ui.widgets.footer import Footer

if TYPE_CHECKING:
    from interview_sim.core.recorder import RecordedSession


class SummaryScreen(Screen[None]):
    CSS_PATH = "../screens.tcss"
    BINDINGS = [
        Binding("ctrl+n", "app.new_interview", "New interview", id="summary.new"),
        Binding("ctrl+r", "app.open_history", "History", id="summary.history"),
        Binding("q,ctrl+q", "app.quit", "Quit", id="summary.quit"),
    ]

    def __init__(
        self,
        transcript: Transcript,
        bank: Bank,
        saved_to: str,
        problem: str | None = None,
        session: RecordedSession | None = None,
    ) -> None:
        """problem: why the last save failed; session: the session shown, which keeps a miss
        overruled on an answer's feedback (None: a transcript read, nothing to overrule)."""
        super().__init__()
        self.transcript = transcript
        self.bank = bank
        self.saved_to = saved_to
        self.problem = problem
        self.session = session
        self._changed = False

    def compose(self) -> ComposeResult:
        t = self.transcript
        s = summarise(t)
        score = "-" if s.score is None else f"{s.score:.0f}/100"
        with VerticalScroll(id="summary"):
            yield Static(
                Text(f"Session {t.status} · overall score {score}", style="bold"),
                id="summary-title",
                markup=False,
            )
            yield Static(Text(f"Scores: {SCORE_RULE}", style="dim"), id="score-rule")
            yield Static(
                Text(
                    f"Time used {format_duration(s.seconds_used)} · answered {s.answered} · "
                    f"timed out {s.timed_out} · skipped {s.skipped} · hints {s.hints} · "
                    f"seed {t.settings.seed}"
                ),
                markup=False,
            )
            by = Text()
            for label, scores in (("By topic", s.by_topic), ("By difficulty", s.by_difficulty)):
                by.append(f"{label}: ", style="bold")
                by.append("  ".join(f"{k} {v:.0f}" for k, v in scores.items()) or "-")
                by.append("\n")
            by.rstrip()
            yield Static(by, markup=False, classes="summary-block")
            if s.missed_concepts:
                yield Static(
                    Text.assemble(
                        ("Concepts missed most: ", "bold"),
                        "; ".join(f"{name} ({n}x)" for name, n in s.missed_concepts),
                    ),
                    markup=False,
                    classes="summary-block",
                )
            if s.review_next:
                yield Static(
                    Text.assemble(
                        ("Review next\n", "bold"), "\n".join(f"• {x}" for x in s.review_next)
                    ),
                    markup=False,
                    classes="summary-block",
                )
            yield Static(
                Text(f"Transcript saved to {self.saved_to}", style="italic")
                if self.problem is None
                else Text(
                    f"Transcript NOT saved: {self.problem}. Quitting (q) asks for a folder.",
                    style="bold red",
                ),
                id="saved-to",
                markup=False,
            )
            table: DataTable[Text] = DataTable(id="answers", cursor_type="row", zebra_stripes=True)
            yield table
        yield Footer()

    def on_mount(self) -> None:
        self.fill_table()

    def fill_table(self) -> None:
        table = self.query_one("#answers", DataTable)
        table.add_columns("#", "question", "score", "outcome", "answer")
        for i, r in enumerate(self.transcript.records):
            label = f"Q{r.number}" + (" ↳" if r.follow_up_id else "")
            table.add_row(
                Text(label),
                Text(r.item_id),
                Text(str(r.score)),
                Text(r.outcome),
                Text(answer_preview(r.answer, 40)),
                key=str(i),
            )
        table.focus()

    @on(DataTable.RowSelected, "#answers")
    def open_answer(self) -> None:
        table = self.query_one("#answers", DataTable)
        if not self.transcript.records or table.cursor_row < 0:
            return
        record = self.transcript.records[table.cursor_row]
        amend = None if self.session is None else self.amend
        self.app.push_screen(FeedbackScreen(record, self.bank, amend), self.after_feedback)

    def amend(self, record: AnswerRecord) -> None:
        """A miss overruled on the answer's feedback: saved (transcript and report)."""
        assert self.session is not None
        self.transcript = self.session.amend(record)
        self._changed = True

    async def after_feedback(self, _: None) -> None:
        if self._changed:  # the scores shown count the overruled concept now
            self._changed = False
            row = self.query_one("#answers", DataTable).cursor_row
            await self.recompose()
            self.fill_table()
            self.query_one("#answers", DataTable).move_cursor(row=row)
