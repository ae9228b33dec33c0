"""Disputing a flag (issue 12): "Not what I said" on feedback drops a misconception the person
says they never stated; the score becomes self-assessed with the grader's kept beside it."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from textual.widgets import Footer, OptionList, Static

from interview_sim.core.bank import Bank
from interview_sim.core.grading import Grader
from interview_sim.core.overrule import disputable, dispute, overrule, self_assessed_score
from interview_sim.core.report import render_markdown
from interview_sim.core.results import OVERCLAIM_STATEMENT
from interview_sim.core.settings import SessionError, SessionSettings
from interview_sim.core.store import SessionStore
from interview_sim.core.transcript import Transcript, TranscriptError, parse_transcript
from interview_sim.ui.screens.feedback import DisputeDialog, FeedbackScreen, feedback_widgets

from .conftest import FakeClock
from .test_footer import keys_in_view
from .test_overrule import answer_temperature, feedback_from, saved, temperature_app
from .transcript_factory import GOOD, in_memory_transcript

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


def test_disputing_a_lone_reversed_claim_gives_back_its_points_and_drops_its_note(
    flagged: Transcript,
) -> None:
    from interview_sim.core.grading import REVERSED_STATEMENT

    from .test_claims import GRADER, ONE_REVERSED, TEMPERATURE

    def notes(record) -> str:
        return " ".join(
            str(w.content) for w in feedback_widgets(record, None) if isinstance(w, Static)
        )

    grade = GRADER.grade(TEMPERATURE, ONE_REVERSED)
    record = replace(flagged.records[0], answer=ONE_REVERSED, grade=grade, score=grade.score)
    assert record.score == 80 and "Note: possibly stated the other way round" in notes(record)
    after = dispute(record, REVERSED_STATEMENT)
    assert after.score == 100 and after.self_assessed
    assert "possibly stated the other way round" not in notes(after)


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


# --------------------------------------------------------------------------- on screen


def footer_keys(app) -> list[str]:
    return [k.description for k in app.screen.query_one(Footer).query("FooterKey")]


@pytest.mark.parametrize("where", ["practice", "summary"])
async def test_not_what_i_said_on_feedback(
    where: str, mini_bank: Bank, tmp_path: Path, clock: FakeClock
) -> None:
    sessions = tmp_path / "s"
    app = temperature_app(mini_bank, sessions, clock, where)
    async with app.run_test(size=(100, 32)) as pilot:
        await answer_temperature(pilot, FLAGGED)
        if where == "summary":
            assert "overall score 25/100" in str(app.screen.query_one("#summary-title").render())
        await feedback_from(pilot, where)
        assert footer_keys(app) == ["Continue", "Not what I said", "palette"]  # nothing missed
        assert not app.screen.query(".fb-disputed")
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, DisputeDialog)
        await pilot.press("escape")  # cancels: nothing changes
        await pilot.pause()
        assert isinstance(app.screen, FeedbackScreen) and app.screen.record.score == 25
        assert "disputed" not in saved(sessions)["answers"][0]
        await pilot.press("n")
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        assert [str(options.get_option_at_index(0).prompt)] == [CLAIM]
        options.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FeedbackScreen)
        head = str(app.screen.query_one(".fb-score", Static).render())
        assert head.startswith("Score 100/100 (self-assessed; grader 25)"), head
        line = str(app.screen.query_one(".fb-disputed", Static).render())
        assert line.startswith(f"✔ Misconception: {CLAIM} (you did not claim this, you say;")
        assert not app.screen.query(".fb-misconception")
        assert footer_keys(app) == ["Continue", "palette"]  # nothing left to dispute
        answer = saved(sessions)["answers"][0]
        assert answer["disputed"] == [CLAIM]
        assert (answer["score"], answer["grader_score"]) == (100, 25)
        if where == "summary":  # the scores shown count it, as for an overruled concept
            await pilot.press("escape")
            await pilot.pause()
            title = str(app.screen.query_one("#summary-title", Static).render())
            assert "overall score 100/100" in title
            report = next(sessions.glob("*.md")).read_text(encoding="utf-8")
            assert "(not claimed, says the candidate)" in report


@pytest.mark.parametrize(
    ("answer", "keys"),
    [
        (GOOD["smp-temperature"], ["Continue", "palette"]),  # nothing flagged, nothing missed
        (OVERCLAIMED, ["Continue", "palette"]),  # an overclaim is not disputable
        (
            FLAGGED.replace("a low temperature is more deterministic and ", ""),
            ["Continue", "I covered this", "Not what I said", "palette"],
        ),
    ],
    ids=["clean", "overclaim", "flagged-and-missed"],
)
@pytest.mark.parametrize("size", [(100, 32), (60, 20)], ids=["100x32", "60x20"])
async def test_not_what_i_said_is_offered_only_for_a_failing_flag(
    answer: str,
    keys: list[str],
    size: tuple[int, int],
    mini_bank: Bank,
    tmp_path: Path,
    clock: FakeClock,
) -> None:
    app = temperature_app(mini_bank, tmp_path / "s", clock, "practice")
    async with app.run_test(size=size) as pilot:
        await answer_temperature(pilot, answer)
        assert isinstance(app.screen, FeedbackScreen)
        assert keys_in_view(app) == keys
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(
            app.screen, FeedbackScreen if "Not what I said" not in keys else DisputeDialog
        )


def test_a_disputed_flag_is_not_struck_through_in_the_answer(flagged: Transcript) -> None:
    from interview_sim.ui.widgets.highlighted_answer import highlighted

    record = flagged.records[0]
    (m,) = record.grade.misconceptions

    def styles(unclaimed: tuple[str, ...]) -> set[str]:
        text = highlighted(record.answer, record.grade, unclaimed)
        return {str(s.style) for s in text.spans if (s.start, s.end) == (m.start, m.end)}

    assert styles(()) == {"bold red strike"}
    assert styles(dispute(record, CLAIM).disputed) == {"yellow"}


# --------------------------------------------------------------------------- bank authors


def test_suggest_aliases_lists_the_alias_that_fired_and_where(
    mini_bank: Bank,
    mini_grader: Grader,
    authors_store: SessionStore,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from interview_sim.cli.main import main

    store = authors_store
    # two sessions dispute the flag, one on words holding an escape code: counted, printable
    for n, answer in enumerate([FLAGGED, FLAGGED, FLAGGED.replace("removes", "removes\x1b[2J")]):
        t = temperature_transcript(mini_bank, mini_grader, answer)
        t.id = f"20260101-12000{n}-abcd"
        t.records = [dispute(t.records[0], CLAIM)]
        store.save(t, None)
    args = ["banks", "suggest-aliases", "--sessions-dir", str(store.root)]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out
    lines = out.splitlines()
    heading = lines.index(
        "Aliases that may be too broad: they fired on answers whose authors say they did not "
        "make the claim ('Not what I said')"
    )
    assert lines[0].startswith("No concept has been marked 'I covered this'")
    assert lines[heading + 1 :] == [
        f"smp-temperature: {CLAIM}",
        '  2x  alias "removes tokens from the vocabulary" fired on '
        '"removes tokens from the vocabulary"',
        '  1x  alias "removes tokens from the vocabulary" fired on '
        '"removes␛[2J tokens from the vocabulary"',
    ]
    assert main([*args, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["missed"] == []
    assert data["too_broad"][0]["statement"] == CLAIM
    assert data["too_broad"][0]["fired"][0] == {
        "alias": "removes tokens from the vocabulary",
        "words": "removes tokens from the vocabulary",
        "count": 2,
    }
