"""RecordedSession (core/recorder.py): the running session's transcript, as saved, without
Textual."""

from __future__ import annotations

from pathlib import Path

import pytest

from interview_sim import __version__
from interview_sim.core.bank import Bank
from interview_sim.core.grading import Grader
from interview_sim.core.overrule import overrulable, overrule
from interview_sim.core.plan import plan_questions
from interview_sim.core.recorder import RecordedSession
from interview_sim.core.session import Interview, Status
from interview_sim.core.settings import SessionSettings
from interview_sim.core.store import SessionStore

from .conftest import FakeClock
from .transcript_factory import POOR, answer, poor, start_session

SETTINGS = SessionSettings(questions=2, follow_ups=0, seed=3)


def test_the_transcript_is_the_one_saved_with_this_version(
    mini_bank: Bank, mini_grader: Grader, tmp_path: Path, clock: FakeClock
) -> None:
    interview = start_session(mini_bank, mini_grader, tmp_path / "s", clock, SETTINGS)
    session = RecordedSession.of(interview)
    answer(interview, poor, steps=1)
    transcript = session.transcript()
    assert transcript.app_version == __version__ != ""
    assert session.saved_to == session.recorder.path and session.save_error is None
    saved = SessionStore(tmp_path / "s").load(session.session_id)
    assert (saved.id, saved.created, saved.app_version) == (
        transcript.id,
        transcript.created,
        transcript.app_version,
    )
    assert [r.answer for r in saved.records] == [r.answer for r in transcript.records] == [POOR]
    session.close()


def test_before_anything_is_saved_it_names_the_folder(
    mini_bank: Bank, mini_grader: Grader, tmp_path: Path, clock: FakeClock
) -> None:
    interview = start_session(mini_bank, mini_grader, tmp_path / "s", clock, SETTINGS)
    session = RecordedSession.of(interview)
    assert session.saved_to == tmp_path / "s" and session.transcript().records == []
    session.close()


@pytest.mark.parametrize(
    ("status", "expected"),
    [(Status.COMPLETED, Status.COMPLETED), (Status.ABANDONED, Status.ABANDONED)],
    ids=["completed", "abandoned"],
)
def test_finishing_saves_the_status_and_the_report(
    mini_bank: Bank,
    mini_grader: Grader,
    tmp_path: Path,
    clock: FakeClock,
    status: Status,
    expected: Status,
) -> None:
    interview = start_session(mini_bank, mini_grader, tmp_path / "s", clock, SETTINGS)
    session = RecordedSession.of(interview)
    answer(interview, poor, steps=1)
    transcript = session.finish(status)
    assert transcript.status == expected
    assert session.finish(Status.COMPLETED).status == expected  # already ended: unchanged
    assert SessionStore(tmp_path / "s").load(session.session_id).status == expected
    assert session.recorder.report_path is not None and session.recorder.report_path.is_file()


def test_an_overruled_miss_is_saved_and_in_the_transcript_returned(
    mini_bank: Bank, mini_grader: Grader, tmp_path: Path, clock: FakeClock
) -> None:
    interview = start_session(mini_bank, mini_grader, tmp_path / "s", clock, SETTINGS)
    session = RecordedSession.of(interview)
    answer(interview, poor)
    record = interview.records[0]
    concept = overrulable(record)[0]
    transcript = session.amend(overrule(record, concept))
    assert concept in transcript.records[0].overruled
    saved = SessionStore(tmp_path / "s").load(session.session_id)
    assert concept in saved.records[0].overruled


def test_an_interview_without_a_recorder_is_refused(mini_bank: Bank, mini_grader: Grader) -> None:
    plan = plan_questions(mini_bank, SETTINGS)
    bare = Interview(mini_bank, mini_grader, SETTINGS, plan, clock=lambda: 0.0)
    with pytest.raises(TypeError, match="no Recorder"):
        RecordedSession.of(bare)
