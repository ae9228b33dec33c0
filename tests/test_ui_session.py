"""Pilot tests: whole sessions through the real screens, with a fake clock."""

from __future__ import annotations

from pathlib import Path

import yaml
from textual.widgets import TextArea

from interview_sim.core.bank import Bank
from interview_sim.core.session import SessionSettings
from interview_sim.ui.app import make_app
from interview_sim.ui.screens.feedback import FeedbackScreen
from interview_sim.ui.screens.interview import InterviewScreen
from interview_sim.ui.screens.quit_dialog import QuitDialog
from interview_sim.ui.screens.setup import SetupScreen
from interview_sim.ui.screens.summary import SummaryScreen

from .conftest import FakeClock

SIZE = (100, 32)


def transcript(folder: Path) -> dict:
    files = sorted(folder.glob("*.yaml"))
    assert len(files) == 1, files
    return yaml.safe_load(files[0].read_text(encoding="utf-8"))


async def type_answer(pilot, text: str) -> None:
    area = pilot.app.screen.query_one("#answer", TextArea)
    area.insert(text)
    await pilot.pause()


async def test_interview_mode_from_setup_to_summary(mini_bank: Bank, tmp_path: Path,
                                                    clock: FakeClock) -> None:
    sessions = tmp_path / "s"
    app = make_app(mini_bank, sessions, settings=SessionSettings(seed=7), clock=clock, tick=0)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, SetupScreen)
        app.screen.query_one("#questions").value = "2"
        app.screen.query_one("#seed").value = "7"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)
        first = app.interview.current
        await type_answer(pilot, "It divides the logits before the softmax; "
                                 "low temperature is more deterministic.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        # saved before the next question is on screen
        saved = transcript(sessions)
        assert saved["answers"][0]["question"] == first.question.id
        assert saved["status"] == "in progress"
        step = app.interview.current
        assert step.is_follow_up and step.question.id == first.question.id
        await type_answer(pilot, "greedy")
        await pilot.press("ctrl+j")
        await pilot.pause()
        await type_answer(pilot, "second answer")
        await pilot.press("alt+enter")
        await pilot.pause()
        await type_answer(pilot, "follow-up two")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        saved = transcript(sessions)
        assert saved["status"] == "completed"
        assert [a["follow_up"] is not None for a in saved["answers"]] == [False, True, False, True]
        assert (sessions / f"{saved['id']}.md").is_file()
