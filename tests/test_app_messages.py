"""Screens reach the app one typed way: a message from ui/messages.py, handled by the app."""

from __future__ import annotations

import re
from pathlib import Path

from interview_sim.core.bank import Bank
from interview_sim.core.grading import Grader
from interview_sim.core.settings import SessionSettings
from interview_sim.ui.app import make_app
from interview_sim.ui.messages import ResumeSession, RetryQuestion
from interview_sim.ui.screens.interview import InterviewScreen
from interview_sim.ui.screens.setup import SetupScreen

from .conftest import FakeClock
from .transcript_factory import answer, poor, session_id, start_session

UI = Path(__file__).parent.parent / "interview_sim" / "ui"


def test_no_screen_reaches_into_the_app() -> None:
    found = []
    for path in sorted(UI.rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"type: ignore|cast\(\"InterviewApp\"", line):
                found.append(f"{path.relative_to(UI)}:{number}: {line.strip()}")
    assert found == []


async def test_a_screen_asking_to_resume_a_session_resumes_it(
    mini_bank: Bank, mini_grader: Grader, tmp_path: Path, clock: FakeClock
) -> None:
    sessions = tmp_path / "s"
    settings = SessionSettings(questions=2, follow_ups=0, seed=4)
    earlier = start_session(mini_bank, mini_grader, sessions, clock, settings)
    answer(earlier, poor, steps=1)
    earlier.on_record.close()  # that process has ended
    app = make_app(mini_bank, sessions, settings=settings, clock=clock, tick=0)
    async with app.run_test(size=(100, 32)) as pilot:
        assert isinstance(app.screen, SetupScreen)
        app.screen.post_message(ResumeSession(session_id(earlier)))
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)
        assert app.session is not None and app.session.session_id == session_id(earlier)
        assert app.interview.current is not None and app.interview.current.number == 2


async def test_a_screen_asking_to_retry_a_question_starts_a_one_question_practice(
    mini_bank: Bank, tmp_path: Path, clock: FakeClock
) -> None:
    app = make_app(mini_bank, tmp_path / "s", settings=SessionSettings(), clock=clock, tick=0)
    async with app.run_test(size=(100, 32)) as pilot:
        app.screen.post_message(RetryQuestion("smp-top-k"))
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)
        assert [q.id for q in app.interview.plan] == ["smp-top-k"]
        assert app.interview.settings.mode == "practice"
