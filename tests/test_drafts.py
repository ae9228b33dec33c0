"""A draft belongs to exactly one step: never carried into, graded with, or saved for another."""

from __future__ import annotations

import asyncio
from pathlib import Path

import yaml
from textual.widgets import TextArea

from interview_sim.core.bank import Bank
from interview_sim.core.settings import SessionSettings
from interview_sim.ui.app import make_app
from interview_sim.ui.screens.feedback import FeedbackScreen
from interview_sim.ui.screens.interview import InterviewScreen

from .conftest import FakeClock

SIZE = (100, 32)


def saved(folder: Path) -> dict:
    (path,) = sorted(folder.glob("*.yaml"))
    return yaml.safe_load(path.read_text(encoding="utf-8"))


async def test_practice_feedback_does_not_carry_the_answer_into_the_follow_up(
    mini_bank: Bank, tmp_path: Path, clock: FakeClock
) -> None:
    """Issue 11, item 1: submit within a second of the last key, read the feedback for 3 s,
    press Enter. The follow-up's box was showing the old answer, already saved as its draft."""
    sessions = tmp_path / "s"
    settings = SessionSettings(seed=7, questions=2, follow_ups=1, mode="practice")
    # tick > 0: the real once-a-second draft timer runs, under the feedback screen too
    app = make_app(mini_bank, sessions, settings=settings, start_now=True, clock=clock, tick=0.05)
    async with app.run_test(size=SIZE) as pilot:
        first = app.interview.current
        app.screen.query_one("#answer", TextArea).insert("my answer to the first question")
        await pilot.pause()
        clock.advance(0.5)  # ctrl+s half a second after the last key
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FeedbackScreen)
        clock.advance(3)  # reading the feedback
        await asyncio.sleep(1.3)  # the draft timer fires at least once meanwhile
        await pilot.pause()
        on_disk = saved(sessions)
        assert "draft" not in on_disk, on_disk.get("draft")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)
        follow_up = app.interview.current
        assert follow_up.is_follow_up and follow_up.question.id == first.question.id
        assert app.screen.query_one("#answer", TextArea).text == ""
        clock.advance(3)
        await asyncio.sleep(1.3)
        await pilot.press("ctrl+n")  # skip the follow-up: its answer is empty, not the old one
        await pilot.pause()
    answers = saved(sessions)["answers"]
    assert [a["answer"] for a in answers] == ["my answer to the first question", ""]
