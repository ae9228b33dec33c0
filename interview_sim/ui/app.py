"""The application: a small App that pushes screens and owns the running session."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
import time
from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.theme import Theme

from interview_sim.core.bank import Bank
from interview_sim.core.controls import printable_line
from interview_sim.core.preferences import Preferences, with_settings
from interview_sim.core.settings import Clock, SessionError, SessionSettings
from interview_sim.core.store import SessionStore, StoreError
from interview_sim.locations import resume_command
from interview_sim.ui.screens.setup import SetupScreen

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from textual.driver import Driver

    from interview_sim.core.grading import Grader
    from interview_sim.core.lock import SessionLockedError
    from interview_sim.core.recorder import Recorder
    from interview_sim.core.session import Interview

# Screens other than setup, the grader and the engine (core.session, core.transcript) are
# imported when first needed: start-up to an interactive setup screen is a measured target
# (benchmarks/bench_startup.py).


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

    def get_driver_class(self) -> type[Driver]:
        """Textual's driver, except on Linux and macOS: there a subclass that survives a byte
        that is not UTF-8 and keeps a pasted ESC inside the paste (see ui/driver.py)."""
        driver_class = super().get_driver_class()
        from textual.drivers.linux_driver import LinuxDriver

        if driver_class is LinuxDriver:
            from interview_sim.ui.driver import SafeInputLinuxDriver

            return SafeInputLinuxDriver
        return driver_class

    @cached_property
    def grader(self) -> Grader:
        from interview_sim.core.grading import Grader

        return Grader(self.bank.questions())

    def get_default_screen(self) -> Screen[Any]:
        """The setup screen, unless the app opens on something else: then a blank base."""
        if self._open_history or self._resume_id or self._start_now:
            return Screen(id="_default")
        return SetupScreen(self.bank, self.defaults)

    # Closing the terminal sends SIGHUP, `kill` SIGTERM: without a handler either one ends the
    # process on the spot, and the answer being typed (not yet in the last autosave) is lost.
    # After a hang-up, shutting down can hang in Textual's writes to the vanished terminal, so
    # the process is ended HANGUP_GRACE seconds after SIGHUP whatever it is doing by then.
    HANGUP_GRACE = 2.0

    def on_mount(self) -> None:
        self._event_loop = loop = asyncio.get_running_loop()
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signal.SIGTERM, self.keep_draft_and_exit, signal.SIGTERM)
        with contextlib.suppress(ValueError):  # ValueError: not the main thread
            # Not a loop handler: this one also runs while the loop is stuck.
            self._previous_hangup = signal.signal(signal.SIGHUP, self._hung_up)
        if self.preferences.theme in self.available_themes:
            self.theme = self.preferences.theme
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        if self._warning:
            self.notify(self._warning, severity="warning", timeout=10)
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
            self.call_from_thread(
                self.notify, f"Could not keep your choices in {path}: {exc}", severity="warning"
            )

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
        from interview_sim.core.recorder import new_interview
        from interview_sim.core.session import plan_questions

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

        try:
            transcript = self.store.load(session_id)
            self.interview = resume_interview(
                self.bank, self.grader, self.store, transcript, self.clock
            )
        except SessionLockedError as exc:
            self.offer_read_only(exc)
            return
        except (SessionError, StoreError, TranscriptError) as exc:
            self.notify(printable_line(str(exc)), severity="error", timeout=8, markup=False)
            if len(self.screen_stack) <= 1:
                self.show_setup()
            return
        self.interview.start()
        self.switch_to_interview()

    def offer_read_only(self, locked: SessionLockedError) -> None:
        """Another terminal has the session open: read it here, or leave it alone."""
        from interview_sim.ui.screens.locked_dialog import LockedChoice, LockedDialog

        session_id = locked.session_id
        from_start = len(self.screen_stack) <= 1  # `interview-sim resume ID`: nothing below

        def chosen(choice: LockedChoice | None) -> None:
            if choice == "read-only":
                self.open_read_only(session_id, from_start)
            elif from_start:
                self.exit(return_code=2, message=f"interview-sim: {locked}")

        self.push_screen(LockedDialog(str(locked), "Quit" if from_start else "Back"), chosen)

    def open_read_only(self, session_id: str, from_start: bool) -> None:
        from interview_sim.core.transcript import TranscriptError
        from interview_sim.ui.screens.history import HistoryScreen
        from interview_sim.ui.screens.transcript_view import TranscriptScreen

        try:
            transcript = self.store.load(session_id)
        except (StoreError, TranscriptError) as exc:
            self.notify(str(exc), severity="error", timeout=8)
            if from_start:
                self.show_setup()
            return
        if from_start:  # Back from the transcript goes to the history, not a blank screen
            self.push_screen(HistoryScreen(self.store, self.bank))
        file = self.store.path_for(session_id).name
        self.push_screen(TranscriptScreen(transcript, self.bank, self.store, file))

    def switch_to_interview(self) -> None:
        from interview_sim.ui.screens.interview import InterviewScreen

        assert self.interview is not None
        self._pop_to_base()
        self.push_screen(InterviewScreen(self.interview, tick=self.tick))

    def action_show_summary(self) -> None:
        from interview_sim.core.recorder import Recorder
        from interview_sim.core.session import Status
        from interview_sim.core.transcript import Transcript
        from interview_sim.ui.screens.summary import SummaryScreen

        interview = self.interview
        if interview is None:
            return
        if not interview.finished:
            interview.finish(Status.COMPLETED)
        recorder = interview.on_record
        assert isinstance(recorder, Recorder)
        transcript = Transcript.from_interview(recorder.session_id, interview, recorder.created, "")
        saved = str(recorder.path or self.store.root)
        self._pop_to_base()
        self.push_screen(SummaryScreen(transcript, self.bank, saved, problem=recorder.save_error))

    def _pop_to_base(self) -> None:
        """Drop every pushed screen: the next one starts a fresh stack."""
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def action_new_interview(self) -> None:
        self.close_interview()
        self.interview = None
        self.show_setup()

    def close_interview(self) -> None:
        """Let go of the session, so that another terminal may resume it."""
        if self.interview is None:
            return
        from interview_sim.core.recorder import Recorder

        recorder = self.interview.on_record
        if isinstance(recorder, Recorder):
            recorder.close()

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

    def action_open_history(self) -> None:
        from interview_sim.ui.screens.history import HistoryScreen

        self.push_screen(HistoryScreen(self.store, self.bank))

    # ------------------------------------------------------------------ saving failed
    def failed_save(self) -> Recorder | None:
        """The session's recorder when its last save failed (answers only in memory)."""
        from interview_sim.core.recorder import Recorder

        recorder = self.interview.on_record if self.interview else None
        if isinstance(recorder, Recorder) and recorder.save_error is not None:
            return recorder
        return None

    def offer_rescue(self, then: Callable[[], object] | None = None) -> None:
        """Ask for a folder to write the transcript to; ``then`` runs once it is saved."""
        from interview_sim import locations
        from interview_sim.ui.screens.rescue_dialog import RescueDialog

        recorder = self.failed_save()
        if recorder is None:
            if then is not None:
                then()
            return

        def chosen(folder: Path | None) -> None:
            if folder is None:
                self.notify("Not saved yet: still retrying after each answer.", timeout=6)
                return
            try:
                path = recorder.relocate(folder)
            except StoreError as exc:
                self.notify(str(exc), severity="error", timeout=8)
                self.offer_rescue(then)
                return
            self.notify(f"Saved to {path}; from now on the session is saved there.")
            if then is not None:
                then()

        self.push_screen(RescueDialog(str(recorder.save_error), locations.rescue_dir()), chosen)

    def on_unmount(self) -> None:
        self.close_interview()  # the process ending would, but a test runs many apps in one
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            self._event_loop.remove_signal_handler(signal.SIGTERM)
        # AttributeError: never installed; TypeError: the previous one was not from Python
        with contextlib.suppress(ValueError, AttributeError, TypeError):
            signal.signal(signal.SIGHUP, self._previous_hangup)

    def _hung_up(self, signum: int, frame: object) -> None:
        """Keep the draft on the event loop; end the process shortly whatever happens."""
        deadline = threading.Timer(self.HANGUP_GRACE, os._exit, (128 + signum,))
        deadline.daemon = True  # a clean exit before then does not wait for it
        deadline.start()
        self._event_loop.call_soon_threadsafe(self.keep_draft_and_exit, signum)

    def keep_draft_and_exit(self, signum: int) -> None:
        """What Save & quit does, without asking: the answer being typed is written as the
        session's draft (resume brings it back), then the app exits with 128 + the signal."""
        from interview_sim.ui.screens.interview import InterviewScreen

        for screen in self.screen_stack:
            if isinstance(screen, InterviewScreen):
                screen.autosave_draft()
        recorder = self.failed_save()
        if recorder is not None:  # nobody to ask: the suggested rescue folder, if it takes it
            from interview_sim import locations

            with contextlib.suppress(StoreError):
                recorder.relocate(locations.rescue_dir())
        unfinished = self.interview is not None and not self.interview.finished
        if self.interview is not None:
            with contextlib.suppress(StoreError):  # the draft's own save has already said why
                self.interview.checkpoint()  # the time spent on this question, for resume
        # After a hang-up there is no terminal to print to.
        message = self.resume_message() if unfinished and signum != signal.SIGHUP else None
        self.exit(return_code=128 + signum, message=message or None)

    def resume_message(self) -> str:
        from interview_sim.core.recorder import Recorder

        recorder = self.interview.on_record if self.interview else None
        if isinstance(recorder, Recorder) and recorder.save_error is not None:
            return f"NOT SAVED: {recorder.save_error}."
        if isinstance(recorder, Recorder) and recorder.path is not None:
            command = resume_command(recorder.session_id, recorder.store.root)
            return f"Saved to {recorder.path}. Resume with: {command}"
        if isinstance(recorder, Recorder):
            return f"Nothing answered yet; session {recorder.session_id} was not saved."
        return ""


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
