"""Ties a running interview to the sessions folder: save after every answer, report at the end."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from interview_sim import __version__
from interview_sim.core.bank import Bank, Question, UnknownQuestionError
from interview_sim.core.grading import Grader
from interview_sim.core.report import render_markdown
from interview_sim.core.session import AnswerRecord, Interview, Status
from interview_sim.core.settings import Clock, SessionError, SessionSettings
from interview_sim.core.store import SessionStore, StoreError
from interview_sim.core.transcript import Transcript, now_iso
from interview_sim.locations import resume_command

SaveStatus = Callable[[str | None], None]


@dataclass(slots=True)
class Recorder:
    """Called by the engine after each answer; the transcript is on disk when it returns,
    unless the folder refused it: then ``save_error`` says why, the interview goes on with
    every answer in memory, and each later save (or ``retry``) tries again. ``on_status`` is
    told when saving starts failing (the reason) and when it works again (None)."""

    store: SessionStore
    bank: Bank
    session_id: str
    created: str = field(default_factory=now_iso)
    path: Path | None = None
    report_path: Path | None = None
    save_error: str | None = None
    on_status: SaveStatus | None = None
    home: SessionStore | None = None  # where the session is locked (store may be moved)
    # weak: an interview dropped without close() frees its lock, as its process ending would
    _interview: weakref.ref[Interview] | None = None

    def __post_init__(self) -> None:
        if self.home is None:
            self.home = self.store

    def __call__(self, interview: Interview) -> None:
        self._interview = weakref.ref(interview)
        self._save()

    def transcript(self, interview: Interview) -> Transcript:
        """The interview as this recorder writes it (this app's version included)."""
        return Transcript.from_interview(self.session_id, interview, self.created, __version__)

    def _save(self) -> bool:
        interview = self._interview() if self._interview else None
        if interview is None:
            return True
        transcript = self.transcript(interview)
        report = render_markdown(transcript, self.bank) if interview.finished else None
        try:
            path = self.store.save(transcript, report)
        except OSError as exc:  # permissions changed, disk full, folder gone...
            reason = f"could not save to {self.store.root}: {exc.strerror or exc}"
            failing_before, self.save_error = self.save_error, reason
            if self.on_status and failing_before is None:
                self.on_status(reason)
            return False
        self.path = path
        if self.save_error is not None:
            self.save_error = None
            if self.on_status:
                self.on_status(None)
        if report is not None:
            self.report_path = path.with_suffix(".md")
            self.close()  # final: nobody can resume it, so nobody need wait for it
        return True

    def retry(self) -> bool:
        """Save again what the interview holds; True once it is on disk."""
        return self._save()

    def relocate(self, folder: Path) -> Path:
        """Write the session to another folder from now on (the sessions folder refused it).

        StoreError, and nothing changed, when that folder cannot take it either."""
        store = SessionStore(folder)
        store.check_writable()
        previous, self.store = self.store, store
        if not self._save():
            self.store = previous
            raise StoreError(self.save_error or f"could not save to {folder}")
        assert self.path is not None
        return self.path

    def close(self) -> None:
        """Let go of the session (another process may resume it). Safe to call twice."""
        assert self.home is not None
        self.home.release(self.session_id)


@dataclass(frozen=True, slots=True)
class RecordedSession:
    """A running interview and the recorder saving it: what the app and the summary ask about
    the session (its transcript, where it is saved, why the last save failed) without
    rebuilding any of it."""

    interview: Interview
    recorder: Recorder

    @classmethod
    def of(cls, interview: Interview) -> RecordedSession:
        """The session of an interview made by new_interview or resume_interview."""
        if not isinstance(interview.on_record, Recorder):
            raise TypeError("the interview has no Recorder: not made by new_interview/resume")
        return cls(interview, interview.on_record)

    @property
    def session_id(self) -> str:
        return self.recorder.session_id

    def transcript(self) -> Transcript:
        """The transcript as saved (or as it would be, were the folder taking it)."""
        return self.recorder.transcript(self.interview)

    @property
    def saved_to(self) -> Path:
        """The transcript's file once written; until then the folder it goes to."""
        return self.recorder.path or self.recorder.store.root

    @property
    def save_error(self) -> str | None:
        """Why the last save failed (the answers are then only in memory), or None."""
        return self.recorder.save_error

    def resume_message(self) -> str:
        """What to print on leaving: where it is saved and how to resume, or why it is not."""
        if self.save_error is not None:
            return f"NOT SAVED: {self.save_error}."
        if self.recorder.path is not None:
            command = resume_command(self.session_id, self.recorder.store.root)
            return f"Saved to {self.recorder.path}. Resume with: {command}"
        return f"Nothing answered yet; session {self.session_id} was not saved."

    def amend(self, record: AnswerRecord) -> Transcript:
        """Keep a record whose miss was overruled (saved at once); the transcript with it."""
        self.interview.amend(record)
        return self.transcript()

    def finish(self, status: Status = Status.COMPLETED) -> Transcript:
        """End the session if it has not ended (saved with its report); its transcript."""
        if not self.interview.finished:
            self.interview.finish(status)
        return self.transcript()

    def close(self) -> None:
        """Let go of the session, so that another process may resume it."""
        self.recorder.close()


def new_interview(
    bank: Bank,
    grader: Grader,
    store: SessionStore,
    settings: SessionSettings,
    plan: list[Question],
    clock: Clock,
) -> Interview:
    store.check_writable()
    session_id = store.new_id()
    store.lock(session_id)  # held until the session ends or the process does
    recorder = Recorder(store, bank, session_id)
    return Interview(bank, grader, settings, plan, clock=clock, on_record=recorder)


def resume_interview(
    bank: Bank, grader: Grader, store: SessionStore, transcript: Transcript, clock: Clock
) -> Interview:
    """Rebuild a session from its transcript, to continue at the next unanswered question.

    Takes the session's lock first (SessionLockedError if another process has it open), then
    reads the transcript again: what that other process saved before letting go counts."""
    store.check_writable()
    store.lock(transcript.id)
    try:
        transcript = _reread(store, transcript)
        if transcript.status != Status.IN_PROGRESS:
            raise SessionError(
                f"session {transcript.id} is {transcript.status}; only a session in "
                "progress can be resumed"
            )
        return _rebuild(bank, grader, store, transcript, clock)
    except BaseException:
        store.release(transcript.id)
        raise


def _reread(store: SessionStore, transcript: Transcript) -> Transcript:
    try:
        return store.load(transcript.id)
    except StoreError:  # not (or no longer) in the folder: the one given is all there is
        return transcript


def _rebuild(
    bank: Bank, grader: Grader, store: SessionStore, transcript: Transcript, clock: Clock
) -> Interview:
    plan: list[Question] = []
    for entry in transcript.plan:
        try:
            plan.append(bank.question(entry["id"]))
        except UnknownQuestionError:
            raise SessionError(
                f"session {transcript.id} asks {entry['id']!r}, which is not in "
                "the loaded banks (was it added with --banks?)"
            ) from None
    recorder = Recorder(store, bank, transcript.id, created=transcript.created)
    return Interview(
        bank,
        grader,
        transcript.settings,
        plan,
        clock=clock,
        records=list(transcript.records),
        on_record=recorder,
        elapsed_before=transcript.elapsed_seconds,
        draft=transcript.draft,
        draft_for=transcript.draft_for,
        step_seconds_before=transcript.step_seconds,
        step_seconds_for=transcript.step_for,
    )
