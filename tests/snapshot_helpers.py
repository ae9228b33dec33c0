"""Deterministic sessions for snapshot and history tests: fixed ids, dates and clock."""

from __future__ import annotations

from pathlib import Path

from interview_sim.core.bank import Bank
from interview_sim.core.grading import Grader
from interview_sim.core.plan import plan_questions
from interview_sim.core.recorder import Recorder
from interview_sim.core.session import Interview
from interview_sim.core.settings import SessionSettings
from interview_sim.core.store import SessionStore

from .conftest import FakeClock


def recorded_session(
    bank: Bank,
    sessions: Path,
    session_id: str,
    created: str,
    answers: list[str | None],
    *,
    seed: int = 5,
    questions: int = 2,
    follow_ups: int = 0,
    finish: bool = True,
    topics: tuple[str, ...] = (),
) -> Interview:
    """Run a real session through the engine, answering with the given texts in order."""
    settings = SessionSettings(seed=seed, questions=questions, follow_ups=follow_ups, topics=topics)
    clock = FakeClock()
    store = SessionStore(sessions)
    store.check_writable()
    interview = Interview(
        bank,
        Grader(bank.questions()),
        settings,
        plan_questions(bank, settings),
        clock=clock,
        on_record=Recorder(store, bank, session_id, created=created),
    )
    interview.start()
    for text in answers:
        if interview.current is None:
            break
        clock.advance(42)
        step = interview.current
        model = step.follow_up.model_answer if step.follow_up else step.question.model_answer
        interview.submit(model if text is None else text)  # None: answer with the model answer
    if finish and not interview.finished:
        interview.finish("abandoned")
    return interview
