"""The application: a small App that pushes screens and owns the running session."""

from __future__ import annotations

import contextlib
import signal
import time
from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.theme import Theme

from interview_sim.core.bank import Bank
from interview_sim.core.preferences import Preferences, with_settings
from interview_sim.core.printable import printable, printable_line
from interview_sim.core.settings import Clock, SessionError, SessionSettings
from interview_sim.core.store import SessionStore, StoreError
from interview_sim.ui import messages
from interview_sim.ui.screens.setup import SetupScreen
from interview_sim.ui.stop_signals import StopSignals

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from textual.driver import Driver

    from interview_sim.core.grading import Grader
    from interview_sim.core.recorder import RecordedSession
    from interview_sim.core.session import Interview

# Imports inside methods are what start-up to the setup screen does without
# (tests/test_startup_imports.py).


class InterviewApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "interview-sim"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", id="app.quit", show=False)]

    def __init__(
        self,
        bank: Bank,
        store: SessionStore,
        *,
        settings: SessionSettings,
        start_now: bool = False,
        resume_id: str | None = None,
        open_history: bool = False,
        clock: Clock = time.monotonic,
        tick: float = 0.25,
        preferences: Preferences | None = None,
        preferences_path: Path | None = None,
        warning: str | None = None,
    ) -> None:
        super().__init__()
        self.preferences = preferences or Preferences()
        self.preferences_path = preferences_path  # None: nothing is remembered (tests)
        self._warning = warning
        self.bank = bank
        self.store = store
        self.defaults = settings
        self.clock = clock
        self.tick = tick
        self.interview: Interview | None = None
        self._start_now = start_now
        self._resume_id = resume_id
        self._open_history = open_history
        self.stop_signals = StopSignals(self.keep_draft_and_exit)

    def get_driver_class(self) -> type[Driver]:
        from interview_sim.ui.driver import safe_input

        return safe_input(super().get_driver_class())

    @cached_property
    def grader(self) -> Grader:
        from interview_sim.core.grading import Grader

        return Grader(self.bank.questions())

    def get_default_screen(self) -> Screen[Any]:
        """The setup screen, unless the app opens on something else: then a blank base."""
        if self._open_history or self._resume_id or self._start_now:
            return Screen(id="_default")
        return SetupScreen(self.bank, self.defaults)

    HANGUP_GRACE = 2.0  # seconds from SIGHUP to the process ending, whatever it is doing

    def on_mount(self) -> None:
        self.stop_signals.install(self.HANGUP_GRACE)  # SIGTERM, SIGHUP: keep the draft, exit
        if self.preferences.theme in self.available_themes:
            self.theme = self.preferences.theme
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        if self._warning:
            self.notify(printable(self._warning), severity="warning", timeout=10, markup=False)
        if self._open_history:
            self.action_open_history()
        elif self._resume_id:
            self.resume_session(self._resume_id)
        elif self._start_now:
            self.begin(self.defaults)
        elif self.tick > 0:  # tests (tick=0) run no timers
            self.set_timer(self.PREPARE_AFTER, self._prepare_for_start)

    # Starting an interview imports the engine and the interview screen and builds the grader
    # (it tokenises every concept of the bank): some 0.3 s. While the person is still choosing
    # on the setup screen, a thread does that work, so that Start responds at once. The delay
    # keeps it off the first paint.
    PREPARE_AFTER = 0.5

    def _prepare_for_start(self) -> None:
        self.run_worker(self._prepare, thread=True, group="prepare", exit_on_error=False)

    def _prepare(self) -> None:
        import interview_sim.core.recorder
        import interview_sim.core.report
        import interview_sim.ui.screens.interview  # noqa: F401

        _ = self.grader  # cached_property: Start finds it built (or waits for it)

    # ------------------------------------------------------------------ flow
    def show_setup(self) -> None:
        """Back to the setup screen: the base of the stack, or pushed over a blank one."""
        self._pop_to_base()
        if not isinstance(self.screen, SetupScreen):
            self.push_screen(SetupScreen(self.bank, self.defaults))

    def on_setup_screen_settings_chosen(self, message: SetupScreen.SettingsChosen) -> None:
        if self.screen is message.control:  # not a second Start queued before the switch
            self.remember(settings=message.settings)
            self.begin(message.settings)

    def remember(
        self, *, settings: SessionSettings | None = None, theme: str | None = None
    ) -> None:
        """Keep the setup screen's choices (not the seed) or the theme for the next run."""
        if settings is not None:
            self.preferences = with_settings(self.preferences, settings)
        if theme is not None:
            self.preferences = self.preferences._replace(theme=theme)
        if self.preferences_path is not None:
            self.run_worker(
                partial(self._save_preferences, self.preferences_path, self.preferences),
                thread=True,
                group="preferences",
                exit_on_error=False,
            )

    def _theme_changed(self, theme: Theme) -> None:
        if theme.name != self.preferences.theme:
            self.remember(theme=theme.name)

    def _save_preferences(self, path: Path, preferences: Preferences) -> None:
        from interview_sim.core.preferences import save

        try:
            save(path, preferences)
        except OSError as exc:
            text = printable_line(f"Could not keep your choices in {path}: {exc}")
            self.call_from_thread(self.notify, text, severity="warning", markup=False)

    def retry_question(self, question_id: str) -> None:
        """A one-question practice session of this question (from the question history)."""
        question = self.bank.by_id.get(question_id)
        if question is None:
            self.notify(
                printable_line(f"{question_id} is no longer in the loaded banks."),
                severity="warning",
                markup=False,
            )
            return
        settings = SessionSettings(
            topics=(question.topic,), questions=1, mode="practice", follow_ups=1
        )
        self.begin(settings, priorities={question.id: 1.0})

    def begin(
        self, settings: SessionSettings, priorities: Mapping[str, float] | None = None
    ) -> None:
        from interview_sim.core.plan import plan_questions
        from interview_sim.core.recorder import new_interview

        if self.failed_save() is not None:  # never drop answers a save refused
            self.offer_rescue(then=lambda: self.begin(settings, priorities))
            return
        settings = settings.with_seed()
        try:
            if priorities is None and settings.focus is not None:
                from interview_sim.core.clock import now
                from interview_sim.core.scheduling import focus_priorities, sync

                schedule = sync(self.store.root, self.store.results())
                priorities = focus_priorities(settings.focus, schedule, now())
            plan = plan_questions(self.bank, settings, priorities)
            self.interview = new_interview(
                self.bank, self.grader, self.store, settings, plan, self.clock
            )
        except (SessionError, StoreError) as exc:
            self.notify(printable_line(str(exc)), severity="error", timeout=8, markup=False)
            if not isinstance(self.screen, SetupScreen):
                self.show_setup()
            return
        self.interview.start()
        self.switch_to_interview()
        if short := settings.shortfall(self.bank):
            self.notify(short[0].upper() + short[1:] + ".", timeout=10)

    def resume_session(self, session_id: str) -> None:
        from interview_sim.core.lock import SessionLockedError
        from interview_sim.core.recorder import resume_interview
        from interview_sim.core.transcript import TranscriptError

        if self.failed_save() is not None:  # never drop answers a save refused
            self.offer_rescue(then=lambda: self.resume_session(session_id))
            return
        try:
            transcript = self.store.load(session_id)
            self.interview = resume_interview(
                self.bank, self.grader, self.store, transcript, self.clock
            )
        except SessionLockedError as exc:
            from interview_sim.ui.screens.locked_dialog import offer_read_only

            offer_read_only(self, exc)  # another terminal has it open
            return
        except (SessionError, StoreError, TranscriptError) as exc:
            self.notify(printable_line(str(exc)), severity="error", timeout=8, markup=False)
            if len(self.screen_stack) <= 1:
                self.show_setup()
            return
        self.interview.start()
        self.switch_to_interview()

    def switch_to_interview(self) -> None:
        from interview_sim.ui.screens.interview import InterviewScreen

        assert self.interview is not None
        self._pop_to_base()
        self.push_screen(InterviewScreen(self.interview, tick=self.tick))

    @on(messages.ShowSummary)
    def action_show_summary(self) -> None:
        """End the interview if it has not ended, and show its summary."""
        from interview_sim.ui.screens.summary import SummaryScreen

        session = self.session
        if session is None:
            return
        transcript = session.finish()
        self._pop_to_base()
        saved_to, problem = str(session.saved_to), session.save_error
        self.push_screen(SummaryScreen(transcript, self.bank, saved_to, problem, session))

    def _pop_to_base(self) -> None:
        """Drop every pushed screen: the next one starts a fresh stack."""
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def action_new_interview(self) -> None:
        self.offer_rescue(then=self._new_interview)  # answers a save refused go somewhere first

    def _new_interview(self) -> None:
        self.close_interview()
        self.interview = None
        self.show_setup()

    def close_interview(self) -> None:
        """Let go of the session, so that another terminal may resume it."""
        if self.session is not None:
            self.session.close()

    async def action_quit(self) -> None:
        """Quit from any key or the command palette: in an unfinished interview, the same
        dialog as esc (Save & quit prints how to resume); otherwise at once, unless that would
        lose answers the sessions folder refused (then it asks where to write them first)."""
        if self.interview is None or self.interview.finished:
            self.offer_rescue(then=self.exit)
            return
        from interview_sim.ui.screens.feedback import FeedbackScreen
        from interview_sim.ui.screens.interview import InterviewScreen

        asking = [s for s in self.screen_stack if isinstance(s, InterviewScreen)]
        if not asking:
            self.offer_rescue(then=self.exit)
        elif isinstance(self.screen, FeedbackScreen):  # practice feedback: continue, then ask
            self.screen.dismiss(None)
            self.call_after_refresh(asking[0].action_quit)
        else:
            asking[0].action_quit()  # does nothing while its dialog is already up

    @on(messages.OpenHistory)
    def action_open_history(self) -> None:
        from interview_sim.ui.screens.history import HistoryScreen

        self.push_screen(HistoryScreen(self.store, self.bank))

    # ------------------------------------------------------------------ what screens ask
    @on(messages.ResumeSession)
    def _resume_asked(self, message: messages.ResumeSession) -> None:
        self.resume_session(message.session_id)

    @on(messages.RetryQuestion)
    def _retry_asked(self, message: messages.RetryQuestion) -> None:
        self.retry_question(message.question_id)

    @on(messages.SaveElsewhere)
    def _save_elsewhere_asked(self) -> None:
        self.offer_rescue()

    @on(messages.SaveAndQuit)
    def _save_and_quit_asked(self) -> None:
        self.offer_rescue(then=lambda: self.exit(message=self.resume_message()))

    # ------------------------------------------------------------------ saving failed
    @property
    def session(self) -> RecordedSession | None:
        """The running interview with its recorder (None before the first one starts)."""
        if self.interview is None:
            return None
        from interview_sim.core.recorder import RecordedSession

        return RecordedSession.of(self.interview)

    def failed_save(self) -> RecordedSession | None:
        """The session when its last save failed (answers only in memory)."""
        session = self.session
        return session if session is not None and session.save_error is not None else None

    def offer_rescue(self, then: Callable[[], object] | None = None) -> None:
        """Ask for a folder to write the transcript to; ``then`` runs once it is saved."""
        from interview_sim.ui.screens.rescue_dialog import offer_rescue

        offer_rescue(self, self.failed_save(), then)

    def on_unmount(self) -> None:
        self.close_interview()  # the process ending would, but a test runs many apps in one
        self.stop_signals.remove()

    def keep_draft_and_exit(self, signum: int) -> None:
        """What Save & quit does, without asking: the answer being typed is written as the
        session's draft (resume brings it back), then the app exits with 128 + the signal."""
        from interview_sim.ui.screens.interview import InterviewScreen

        for screen in self.screen_stack:
            if isinstance(screen, InterviewScreen):
                screen.autosave_draft()
        failed = self.failed_save()
        if failed is not None:  # nobody to ask: the suggested rescue folder, if it takes it
            from interview_sim import locations

            with contextlib.suppress(StoreError):
                failed.recorder.relocate(locations.rescue_dir())
        unfinished = self.interview is not None and not self.interview.finished
        if self.interview is not None:
            with contextlib.suppress(StoreError):  # the draft's own save has already said why
                self.interview.checkpoint()  # the time spent on this question, for resume
        # After a hang-up there is no terminal to print to.
        message = self.resume_message() if unfinished and signum != signal.SIGHUP else None
        self.exit(return_code=128 + signum, message=message or None)

    def resume_message(self) -> str:
        session = self.session
        return session.resume_message() if session is not None else ""


def make_app(
    bank: Bank,
    sessions: Path,
    *,
    settings: SessionSettings | None = None,
    start_now: bool = False,
    resume_id: str | None = None,
    open_history: bool = False,
    clock: Clock = time.monotonic,
    tick: float = 0.25,
    preferences_path: Path | None = None,
) -> InterviewApp:
    """The app over a sessions folder; tests pass a fake clock and tick=0 (no timers)."""
    return InterviewApp(
        bank,
        SessionStore(sessions),
        settings=settings or SessionSettings(),
        start_now=start_now,
        resume_id=resume_id,
        open_history=open_history,
        clock=clock,
        tick=tick,
        preferences_path=preferences_path,
    )
