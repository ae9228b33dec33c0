"""Feedback lists the question's common wrong claims the grade did not flag, collapsed, so a
person can check an answer the grader passed: it matches words, not meaning."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Collapsible, Static

from interview_sim.core.bank import Bank
from interview_sim.core.grading import Grader
from interview_sim.core.report import unflagged_misconceptions
from interview_sim.core.settings import SessionSettings
from interview_sim.ui.screens.feedback import FeedbackScreen

from .conftest import FakeClock
from .test_ui_session import started_app, type_answer
from .transcript_factory import in_memory_transcript

ONE_TEMPERATURE_QUESTION = {"topics": ("sampling",), "difficulty": "easy", "questions": 1}
TEMPERATURE = SessionSettings(**ONE_TEMPERATURE_QUESTION, follow_ups=1, seed=11)
RIGHT = "Temperature divides the logits before the softmax; a low temperature is more greedy."
WRONG = "Temperature divides the logits and removes tokens from the vocabulary."
STATEMENT = "Temperature changes which tokens are in the vocabulary."


def test_only_the_claims_the_grade_did_not_flag_are_listed(
    mini_bank: Bank, mini_grader: Grader
) -> None:
    right, follow_up = in_memory_transcript(
        mini_bank, mini_grader, TEMPERATURE, [RIGHT, "It becomes greedy."]
    ).records
    assert right.question_id == "smp-temperature" and follow_up.follow_up_id is not None
    assert [m.statement for m in unflagged_misconceptions(mini_bank, right)] == [STATEMENT]
    # a follow-up is checked against its question's wrong claims, as the grader checks it
    assert [m.statement for m in unflagged_misconceptions(mini_bank, follow_up)] == [STATEMENT]
    (wrong,) = in_memory_transcript(mini_bank, mini_grader, TEMPERATURE, [WRONG]).records[:1]
    assert [m.statement for m in wrong.grade.misconceptions] == [STATEMENT]
    assert unflagged_misconceptions(mini_bank, wrong) == ()  # shown as flagged instead
    assert unflagged_misconceptions(None, right) == ()
    assert unflagged_misconceptions(mini_bank, replace(right, outcome="skipped")) == ()
    gone = replace(right, question_id="no-such-question")
    assert unflagged_misconceptions(mini_bank, gone) == ()


@asynccontextmanager
async def feedback_on(
    bank: Bank, tmp_path: Path, clock: FakeClock, answer: str
) -> AsyncIterator[Pilot[None]]:
    """Practice on the one easy sampling question: ``answer`` submitted, its feedback shown."""
    app = started_app(bank, tmp_path / "s", clock, **ONE_TEMPERATURE_QUESTION, mode="practice")
    async with app.run_test(size=(100, 32)) as pilot:
        await type_answer(pilot, answer)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(pilot.app.screen, FeedbackScreen)
        yield pilot


async def test_feedback_keeps_the_list_folded_until_asked(
    mini_bank: Bank, tmp_path: Path, clock: FakeClock
) -> None:
    async with feedback_on(mini_bank, tmp_path, clock, RIGHT) as pilot:
        app = pilot.app
        check = app.screen.query_one(".fb-check", Collapsible)
        assert check.title == "Wrong claims to check your answer for (1)"
        assert check.collapsed
        await pilot.press("tab", "enter")  # the keyboard reaches it; Enter opens it
        await pilot.pause()
        assert not check.collapsed and isinstance(app.screen, FeedbackScreen)
        shown = " ".join(str(w.render()) for w in check.query(".fb-claim, .fb-claim-correction"))
        assert STATEMENT in shown
        assert "actually: It only reshapes the probabilities" in shown
        assert "can miss these" in str(check.query_one(".fb-claims-note", Static).render())
        await pilot.press("enter")  # and closes it again
        await pilot.pause()
        assert check.collapsed
        await pilot.press("ctrl+s")  # Continue still works from there
        await pilot.pause()
        assert not isinstance(app.screen, FeedbackScreen)


async def test_a_flagged_claim_is_not_listed_twice(
    mini_bank: Bank, tmp_path: Path, clock: FakeClock
) -> None:
    async with feedback_on(mini_bank, tmp_path, clock, WRONG) as pilot:
        assert not pilot.app.screen.query(".fb-check")
        shown = " ".join(str(w.render()) for w in pilot.app.screen.query(".fb-misconception"))
        assert STATEMENT in shown
