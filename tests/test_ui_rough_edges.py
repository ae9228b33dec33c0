"""Pilot tests for rough edges a new user met (issue 11): what screens say, where focus is."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import yaml

from interview_sim.core.bank import Bank
from interview_sim.core.settings import SessionSettings
from interview_sim.ui.app import make_app
from interview_sim.ui.screens.feedback import FeedbackScreen

from .conftest import FakeClock

SIZE = (100, 32)


def started_app(bank: Bank, sessions: Path, clock: FakeClock, **settings: object):
    base: dict[str, object] = {"seed": 11, "questions": 2, "follow_ups": 1, **settings}
    return make_app(
        bank,
        sessions,
        settings=SessionSettings(**base),  # type: ignore[arg-type]
        start_now=True,
        clock=clock,
        tick=0,
    )


def shown_text(screen) -> str:
    return "\n".join(str(w.render()) for w in screen.query("Static"))


def only_transcript(folder: Path) -> dict:
    (path,) = folder.glob("*.yaml")
    return yaml.safe_load(path.read_text(encoding="utf-8"))


async def test_a_skipped_question_says_skipped_not_capped(
    mini_bank: Bank, tmp_path: Path, clock: FakeClock
) -> None:
    sessions = tmp_path / "s"
    app = started_app(mini_bank, sessions, clock, mode="practice", follow_ups=0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, FeedbackScreen)
        text = shown_text(app.screen)
        assert "capped" not in text
        assert "skipped: scored 0" in text
        record = app.screen.record
        assert only_transcript(sessions)["answers"][0]["notes"] == []
        # a transcript saved before the fix still holds the grader's note: not shown either
        note = "a required concept is missing; score capped at 55"
        old = replace(record, grade=replace(record.grade, notes=(note,)))
        await app.push_screen(FeedbackScreen(old, mini_bank))
        assert "capped" not in shown_text(app.screen)
