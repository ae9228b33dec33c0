"""A session's status is one of three named values, written to transcripts as plain text."""

from __future__ import annotations

import pytest

from interview_sim.core.bank import Bank
from interview_sim.core.grading import Grader
from interview_sim.core.plan import plan_questions
from interview_sim.core.session import Interview, Status
from interview_sim.core.settings import SessionSettings
from interview_sim.core.transcript import STATUSES, Transcript, parse_transcript


def test_transcripts_accept_exactly_the_statuses_a_session_can_have() -> None:
    assert STATUSES == ("in progress", "completed", "abandoned")
    assert [s.value for s in Status] == list(STATUSES)


@pytest.mark.parametrize("ending", [Status.COMPLETED, Status.ABANDONED])
def test_an_ended_session_is_saved_and_read_back_with_its_status(
    mini_bank: Bank, mini_grader: Grader, ending: Status
) -> None:
    settings = SessionSettings(topics=("sampling",), difficulty="easy", questions=2, follow_ups=0)
    interview = Interview(
        mini_bank, mini_grader, settings, plan_questions(mini_bank, settings), clock=lambda: 9.0
    )
    interview.start()
    assert interview.status is Status.IN_PROGRESS and not interview.finished
    interview.finish(ending)
    assert interview.finished
    transcript = Transcript.from_interview("20260101-120000-abcd", interview, "2026-01-01", "0")
    text = transcript.dumps()
    assert f"status: {ending.value}\n" in text  # plain text, no Python tag
    assert type(transcript.to_dict()["status"]) is str
    assert parse_transcript(text, "t.yaml").status == ending
