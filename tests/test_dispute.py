"""Disputing a flag (issue 12): "Not what I said" on feedback drops a misconception the person
says they never stated; the score becomes self-assessed with the grader's kept beside it."""

from __future__ import annotations

from dataclasses import replace

import pytest
import yaml

from interview_sim.core.bank import Bank
from interview_sim.core.grading import Grader
from interview_sim.core.overrule import disputable, dispute, overrule, self_assessed_score
from interview_sim.core.report import render_markdown
from interview_sim.core.results import OVERCLAIM_STATEMENT
from interview_sim.core.settings import SessionError, SessionSettings
from interview_sim.core.transcript import Transcript, TranscriptError, parse_transcript

from .transcript_factory import in_memory_transcript

CLAIM = "Temperature changes which tokens are in the vocabulary."
# Every concept hit; "removes tokens from the vocabulary" fires the claim above, though the
# answer says it of top-k, not of temperature: the false flag this feature is for.
FLAGGED = (
    "Unlike top-k, which removes tokens from the vocabulary, temperature divides the logits "
    "before the softmax: a low temperature is more deterministic and a high one flattens the "
    "distribution."
)
# Every concept hit, one overclaim ("always"): it costs points but does not fail the answer.
OVERCLAIMED = (
    "Temperature divides the logits before the softmax: a low temperature is more "
    "deterministic and a high one always flattens the distribution."
)
SETTINGS = SessionSettings(
    questions=1, follow_ups=0, seed=1, topics=("sampling",), difficulty="easy"
)


def temperature_transcript(bank: Bank, grader: Grader, answer: str) -> Transcript:
    settings = SETTINGS
    while True:
        t = in_memory_transcript(bank, grader, settings, [answer])
        if t.records[0].question_id == "smp-temperature":
            return t
        settings = replace(settings, seed=settings.seed + 1)


@pytest.fixture
def flagged(mini_bank: Bank, mini_grader: Grader) -> Transcript:
    return temperature_transcript(mini_bank, mini_grader, FLAGGED)


def test_disputing_a_flag_lifts_the_cap_and_keeps_the_graders_score(
    flagged: Transcript,
) -> None:
    record = flagged.records[0]
    assert record.score == record.grade.score == 25  # the flag's cap, all concepts hit
    assert disputable(record) == [CLAIM] and not record.self_assessed
    after = dispute(record, CLAIM)
    assert after.disputed == (CLAIM,) and after.self_assessed
    assert after.score == 100
    assert after.grade == record.grade  # the grader's findings and score are kept as they were
    assert disputable(after) == []
    with pytest.raises(SessionError, match="not a claim flagged"):
        dispute(after, CLAIM)  # twice
    with pytest.raises(SessionError, match="not a claim flagged"):
        dispute(record, "Temperature is a learned parameter.")  # never flagged
    assert disputable(replace(record, outcome="skipped")) == []  # nothing was written


def test_the_hint_cap_still_applies(flagged: Transcript) -> None:
    record = replace(flagged.records[0], hint_used=True)
    assert dispute(record, CLAIM).score == 70
    assert self_assessed_score(record.grade, (), hint_used=True, disputed=[CLAIM]) == 70


def test_an_overrule_after_a_dispute_keeps_the_dispute(
    mini_bank: Bank, mini_grader: Grader
) -> None:
    partial = FLAGGED.replace("a low temperature is more deterministic and ", "")
    record = temperature_transcript(mini_bank, mini_grader, partial).records[0]
    missed = "low temperature is more deterministic"
    both = overrule(dispute(record, CLAIM), missed)
    assert (both.disputed, both.overruled, both.score) == ((CLAIM,), (missed,), 100)
    assert dispute(overrule(record, missed), CLAIM).score == 100


def test_an_overclaim_is_not_disputable(mini_bank: Bank, mini_grader: Grader) -> None:
    record = temperature_transcript(mini_bank, mini_grader, OVERCLAIMED).records[0]
    assert [m.statement for m in record.grade.misconceptions] == [OVERCLAIM_STATEMENT]
    assert disputable(record) == []
    with pytest.raises(SessionError):
        dispute(record, OVERCLAIM_STATEMENT)


def test_a_reversed_claim_is_disputable(flagged: Transcript) -> None:
    from interview_sim.core.grading import REVERSED_STATEMENT

    from .test_claims import GRADER, SWAPPED, TEMPERATURE

    grade = GRADER.grade(TEMPERATURE, SWAPPED)
    record = replace(flagged.records[0], answer=SWAPPED, grade=grade, score=grade.score)
    assert disputable(record) == [REVERSED_STATEMENT]  # once, however many claims it flags
    after = dispute(record, REVERSED_STATEMENT)
    assert record.score <= 25 < after.score


def test_a_dispute_round_trips_and_reports(flagged: Transcript) -> None:
    flagged.records = [dispute(flagged.records[0], CLAIM)]
    text = flagged.dumps()
    again = parse_transcript(text, "t.yaml").records[0]
    assert again.disputed == (CLAIM,) and again.self_assessed
    assert (again.score, again.grade.score) == (100, 25)
    report = render_markdown(parse_transcript(text, "t.yaml"))
    assert f"{CLAIM} (not claimed, says the candidate) Actually:" in report
    assert "**score 100** (self-assessed; grader 25)" in report


def test_an_old_transcript_without_disputes_reads_as_before(flagged: Transcript) -> None:
    text = flagged.dumps()
    assert "disputed" not in text  # written only when there is one
    record = parse_transcript(text, "t.yaml").records[0]
    assert record.disputed == () and not record.self_assessed and record.score == 25
    assert f"{CLAIM} Actually:" in render_markdown(parse_transcript(text, "t.yaml"))


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ("Temperature is a learned parameter.", "is not a wrong claim flagged in this answer"),
        (OVERCLAIM_STATEMENT, "is not a wrong claim flagged in this answer"),
        (3, "expected text"),
    ],
    ids=["never-flagged", "overclaim", "not-text"],
)
def test_a_bad_dispute_names_the_file_and_field(
    flagged: Transcript, entry: object, problem: str
) -> None:
    flagged.records = [dispute(flagged.records[0], CLAIM)]
    data = yaml.safe_load(flagged.dumps())
    data["answers"][0]["disputed"] = [entry]
    with pytest.raises(TranscriptError) as caught:
        parse_transcript(yaml.safe_dump(data), "t.yaml")
    assert str(caught.value).startswith("t.yaml: answers[0].disputed[0]: "), caught.value
    assert problem in str(caught.value)
    data["answers"][0]["disputed"] = [CLAIM, CLAIM]
    with pytest.raises(TranscriptError, match=r"answers\[0\]\.disputed\[1\]: .* listed twice"):
        parse_transcript(yaml.safe_dump(data), "t.yaml")
    data["answers"][0]["disputed"] = CLAIM
    with pytest.raises(TranscriptError, match=r"answers\[0\]\.disputed: expected a list"):
        parse_transcript(yaml.safe_dump(data), "t.yaml")


def test_the_schedule_treats_a_disputed_answer_as_self_assessed(flagged: Transcript) -> None:
    from interview_sim.core.scheduling import reviews_in

    assert flagged.results().reviews[0][3] is False  # 25: Again either way
    flagged.records = [dispute(flagged.records[0], CLAIM)]
    results = flagged.results()
    (review,) = results.reviews
    assert review[2] == 100 and review[3] is True  # helped: rated Hard, not Easy
    assert [r.rating.name for r in reviews_in(results)] == ["Hard"]
