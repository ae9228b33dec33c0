"""Ties a running interview to the sessions folder: save after every answer, report at the end."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from interview_sim import __version__
from interview_sim.core.bank import Bank, Question, UnknownQuestionError
from interview_sim.core.grading import Grader
from interview_sim.core.report import render_markdown
from interview_sim.core.session import Interview
from interview_sim.core.settings import Clock, SessionError, SessionSettings
from interview_sim.core.store import SessionStore
from interview_sim.core.transcript import Transcript, now_iso


@dataclass(slots=True)
class Recorder:
    """Called by the engine after each answer; the transcript is on disk when it returns."""

    store: SessionStore
    bank: Bank
    session_id: str
    created: str = field(default_factory=now_iso)
    path: Path | None = None
    report_path: Path | None = None

    def __call__(self, interview: Interview) -> None:
        transcript = Transcript.from_interview(
            self.session_id, interview, self.created, __version__
        )
        report = render_markdown(transcript, self.bank) if interview.finished else None
        self.path = self.store.save(transcript, report)
        if report is not None:
            self.report_path = self.path.with_suffix(".md")


def new_interview(
    bank: Bank,
    grader: Grader,
    store: SessionStore,
    settings: SessionSettings,
    plan: list[Question],
    clock: Clock,
) -> Interview:
    store.check_writable()
    recorder = Recorder(store, bank, store.new_id())
    return Interview(bank, grader, settings, plan, clock=clock, on_record=recorder)


def resume_interview(
    bank: Bank, grader: Grader, store: SessionStore, transcript: Transcript, clock: Clock
) -> Interview:
    """Rebuild a session from its transcript, to continue at the next unanswered question."""
    if transcript.status != "in progress":
        raise SessionError(
            f"session {transcript.id} is {transcript.status}; only a session in "
            "progress can be resumed"
        )
    store.check_writable()
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
