"""The interview itself: progress, countdown, the question, and a multi-line answer box."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static, TextArea

from interview_sim.core.printable import printable, printable_line
from interview_sim.core.recorder import Recorder
from interview_sim.core.session import AnswerRecord, Interview, Status, Step
from interview_sim.core.settings import HINT_SCORE_CAP
from interview_sim.ui.messages import SaveAndQuit, SaveElsewhere, ShowSummary
from interview_sim.ui.screens.feedback import FeedbackScreen
from interview_sim.ui.screens.quit_dialog import QuitChoice, QuitDialog
from interview_sim.ui.widgets.answer_area import AnswerArea
from interview_sim.ui.widgets.countdown import Countdown
from interview_sim.ui.widgets.footer import Footer


class InterviewScreen(Screen[None]):
    """Shows one step at a time; every submission is saved by the engine before we move on."""

    CSS_PATH = "../screens.tcss"

    BINDINGS = [
        Binding("ctrl+s", "submit", "Submit", id="interview.submit", priority=True),
        Binding(
            "ctrl+j,alt+enter",
            "submit",
            "Submit",
            id="interview.submit-alt",
            show=False,
            priority=True,
        ),
        Binding("ctrl+t", "hint", "Hint", id="interview.hint", priority=True),
        Binding("ctrl+n", "skip", "Skip", id="interview.skip", priority=True),
        Binding("escape,ctrl+q", "quit", "Quit", id="interview.quit", priority=True),
        Binding("ctrl+o", "save_elsewhere", "Save elsewhere", id="interview.rescue", show=False),
    ]

    # The typed answer is kept as the session's draft once typing pauses for DRAFT_IDLE
    # seconds, and at least every DRAFT_MAX_AGE seconds during non-stop typing: a crash or
    # SIGKILL loses at most that. (A closed terminal or SIGTERM keeps all of it.)
    DRAFT_IDLE = 2.0
    DRAFT_MAX_AGE = 10.0
    # While the sessions folder refuses writes, saving is tried again this often (and after
    # every answer), so the notice goes once the folder takes the transcript again.
    RETRY_EVERY = 5.0

    def __init__(self, interview: Interview, *, tick: float = 0.25) -> None:
        super().__init__()
        self.interview = interview
        self.tick = tick
        self._busy = False  # a dialog or a feedback screen is up
        self._unsaved_since: float | None = None  # first edit not yet in the draft
        # The step the answer box's text was typed for; None once that step is recorded,
        # until the next step is shown (under practice feedback the box still holds it).
        self._box_for: str | None = None
        self._last_edit = 0.0
        self._last_retry = 0.0

    def compose(self) -> ComposeResult:
        with Horizontal(id="progress-bar"):
            yield Static("", id="progress")
            yield Countdown(self.interview.remaining, tick=self.tick, id="countdown")
        with VerticalScroll(id="question-pane"):
            yield Static("", id="question", markup=False)
            yield Static("", id="hint", markup=False)
        # Held, not queried: it must still be readable while the screen is being unmounted.
        self.answer_box = AnswerArea(
            "",
            id="answer",
            soft_wrap=True,
            tab_behavior="indent",
            placeholder="Type your answer. Enter = new line, Ctrl+S = submit.",
        )
        yield self.answer_box
        yield Static("", id="interview-status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        if isinstance(self.interview.on_record, Recorder):
            self.interview.on_record.on_status = self.save_status_changed
        self.show_step(self.interview.current)
        if self.tick > 0:  # tests (tick=0) call save_draft_if_due themselves
            self.set_interval(1.0, self.save_draft_if_due)

    def on_unmount(self) -> None:
        """However the screen goes (the app ending on an error, say: a closed terminal makes
        reading it fail, which can end the app before the SIGHUP handler runs), an
        unfinished answer is kept. The answer box is still there at this point."""
        if not self.interview.finished:
            self.autosave_draft()
        recorder = self.interview.on_record
        if isinstance(recorder, Recorder) and recorder.on_status == self.save_status_changed:
            recorder.on_status = None  # the app tells the person from now on

    @on(TextArea.Changed, "#answer")
    def note_edit(self) -> None:
        now = self.interview.clock()
        self._last_edit = now
        if self._unsaved_since is None:
            self._unsaved_since = now

    def save_draft_if_due(self) -> None:
        """Keep the draft once typing pauses, or when the oldest unsaved edit is getting old."""
        now = self.interview.clock()
        recorder = self.interview.on_record
        if (
            isinstance(recorder, Recorder)
            and recorder.save_error is not None
            and now - self._last_retry >= self.RETRY_EVERY
        ):
            self._last_retry = now
            recorder.retry()
        if self._unsaved_since is None:
            return
        if (
            now - self._last_edit >= self.DRAFT_IDLE
            or now - self._unsaved_since >= self.DRAFT_MAX_AGE
        ):
            self.autosave_draft()

    def autosave_draft(self) -> None:
        """Keep the typed answer as the session's draft (resume puts it back), unless it is
        already kept: after a pause in typing, on quit, on SIGHUP/SIGTERM."""
        self._unsaved_since = None
        if self._box_for is not None:  # the engine also refuses text typed for another step
            self.interview.save_draft(self.answer_text(), self._box_for)

    # ------------------------------------------------------------------ display
    def show_step(self, step: Step | None) -> None:
        if step is None:
            self.post_message(ShowSummary())
            return
        total = len(self.interview.plan)
        q = step.question
        kind = f"follow-up {step.follow_up_number}" if step.is_follow_up else "question"
        self.query_one("#progress", Static).update(
            Text(
                printable_line(
                    f"Q{step.number} of {total} · {kind} · {q.topic} · {q.difficulty} · "
                    f"{self.interview.settings.mode}\u00a0mode"  # wrapped as one: "practice mode"
                )
            )
        )
        label = "Follow-up: " if step.is_follow_up else ""
        self.query_one("#question", Static).update(
            Text(printable(label + step.prompt), style="bold")
        )
        hint = self.query_one("#hint", Static)
        hint.update("")
        hint.remove_class("-shown")
        answer = self.answer_box
        # what Save & quit kept, on resume; a hand-edited draft's ESC is shown, not obeyed
        answer.text = printable(self.interview.draft_text())
        self._box_for = step.item_id
        self._unsaved_since = None
        answer.move_cursor(answer.document.end)
        answer.focus()
        self.query_one(Countdown).restart()

    def flash(self, message: str) -> None:
        self.query_one("#interview-status", Static).update(Text(message))

    def save_status_changed(self, problem: str | None) -> None:
        """The sessions folder refused the transcript (``problem``), or took it again."""
        status = self.query_one("#interview-status", Static)
        status.set_class(problem is not None, "-save-failed")
        if problem is None:
            status.update("")
            self.notify("Saved again: every answer is on disk.", timeout=4)
            return
        status.update(
            Text(f"NOT SAVED ({problem}). Answers are kept here; ctrl+o saves elsewhere.")
        )
        self.notify(  # the problem names the folder: shown as written, never as markup
            printable_line(
                f"Not saved: {problem}. The interview goes on; your answers are kept and saving "
                "is retried. Press ctrl+o to save somewhere else."
            ),
            severity="error",
            timeout=10,
            markup=False,
        )

    def action_save_elsewhere(self) -> None:
        if self._busy:
            return
        recorder = self.interview.on_record
        if not isinstance(recorder, Recorder) or recorder.save_error is None:
            self.flash("Every answer is saved; nothing to move.")
            return
        self.post_message(SaveElsewhere())

    # ------------------------------------------------------------------ actions
    def action_submit(self) -> None:
        self._record_when_typing_is_in(self.interview.submit)

    def action_skip(self) -> None:
        self._record_when_typing_is_in(self.interview.skip)

    def _record_when_typing_is_in(self, record: Callable[[str], AnswerRecord]) -> None:
        """Record the answer once the answer box has taken every key sent before this one.

        The submit key is a priority binding, handled as it arrives, while the keys typed just
        before it may still wait in the answer box's queue (fast typing, a paste): queueing
        the recording behind them means the last words are never cut off."""
        if self._busy or self.interview.current is None:
            return
        self._busy = True
        self.answer_box.call_later(self._record_typed, record)

    def _record_typed(self, record: Callable[[str], AnswerRecord]) -> None:
        self._busy = False
        if self.interview.current is not None:
            self.after_record(record(self.answer_text()))

    def action_hint(self) -> None:
        if self._busy or self.interview.current is None:
            return
        if self.interview.current.is_follow_up:
            self.flash("Follow-ups have no hints.")
            return
        hint = self.interview.use_hint()
        widget = self.query_one("#hint", Static)
        if hint:
            widget.update(
                Text(
                    printable(
                        f"Hint: {hint}  (this question's score is now capped at {HINT_SCORE_CAP})"
                    ),
                    style="italic",
                )
            )
            widget.add_class("-shown")
        else:
            self.flash("This question has no hint.")

    def action_quit(self) -> None:
        if self._busy:
            return
        self._busy = True
        self.app.push_screen(QuitDialog(), self.after_quit_dialog)

    def after_quit_dialog(self, choice: QuitChoice | None) -> None:
        self._busy = False
        if choice == "resume-later":
            self.autosave_draft()  # on disk before the app exits
            self.interview.checkpoint()  # and the time spent on this question
            self.post_message(SaveAndQuit())  # if the folder refused it: once written elsewhere
        elif choice == "end-now":
            self.autosave_draft()  # kept in the transcript
            self.interview.finish(Status.ABANDONED)
            self.post_message(ShowSummary())
        else:
            self.answer_box.focus()
            self.check_time()  # the clock kept running while the dialog was open

    def answer_text(self) -> str:
        return self.answer_box.text

    # ------------------------------------------------------------------ time
    @on(Countdown.Expired)
    def check_time(self) -> None:
        if self._busy or self.interview.current is None:
            return
        record = self.interview.poll(self.answer_text())
        if record is not None:
            self.after_record(record, timed_out=True)

    def after_record(self, record: AnswerRecord, *, timed_out: bool = False) -> None:
        self._box_for = None  # the box's text is this answer now, nobody's draft
        self._unsaved_since = None
        if timed_out:
            self.notify(
                f"Time's up: your answer to Q{record.number} was submitted as it stood.", timeout=4
            )
        if self.interview.settings.mode == "practice":
            self._busy = True
            self.app.push_screen(
                FeedbackScreen(record, self.interview.bank, amend=self.interview.amend),
                lambda _: self.after_feedback(),
            )
        else:
            self.show_step(self.interview.current)

    def after_feedback(self) -> None:
        self._busy = False
        self.interview.restart_step_clock()
        self.show_step(self.interview.current)


def answer_preview(text: str, limit: int = 60) -> str:
    flat = " ".join(printable(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
