"""No raw control character from a file or a person reaches the terminal (issue 13, item 14):
the screens show them as symbols (ESC as ␛). Checked on what the app would draw (the
screenshot holds the same text the terminal would get)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from textual import events
from textual.app import App
from textual.widgets import DataTable, TextArea

from interview_sim.core.bank import Bank
from interview_sim.core.grading import Grader
from interview_sim.core.settings import SessionSettings
from interview_sim.ui.app import make_app
from interview_sim.ui.screens.history import HistoryScreen
from interview_sim.ui.screens.interview import InterviewScreen
from interview_sim.ui.screens.transcript_view import TranscriptScreen

from .conftest import FakeClock
from .transcript_factory import answer, good, session_id, start_session

SIZE = (100, 32)
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
NASTY = "before \x1b[2J\x1b]52;c;aGFja2Vk\x07 after \x9b31m end"


def _drawn(app: App[None]) -> str:
    return app.export_screenshot()


def _no_controls(app: App[None]) -> None:
    found = CONTROLS.findall(_drawn(app))
    assert not found, f"raw control characters on screen: {found!r}"


async def test_a_resumed_draft_with_escape_codes_is_shown_as_symbols(
    mini_bank: Bank, mini_grader: Grader, tmp_path: Path, clock: FakeClock
) -> None:
    interview = start_session(
        mini_bank, mini_grader, tmp_path, clock, SessionSettings(questions=2, follow_ups=0, seed=3)
    )
    # as a hand edit, or an old version's paste, would leave it
    interview.save_draft(NASTY, interview.current.item_id)
    interview.on_record.close()  # the first process has ended
    app = make_app(mini_bank, tmp_path, resume_id=session_id(interview), clock=clock, tick=0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)
        box = app.screen.query_one("#answer", TextArea)
        assert box.text == "before ␛[2J␛]52;c;aGFja2Vk␇ after \ufffd31m end"
        _no_controls(app)


async def test_a_paste_holding_control_characters_lands_as_symbols(
    mini_bank: Bank, tmp_path: Path, clock: FakeClock
) -> None:
    settings = SessionSettings(questions=2, follow_ups=0, seed=3)
    app = make_app(mini_bank, tmp_path, settings=settings, start_now=True, clock=clock, tick=0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        box = app.screen.query_one("#answer", TextArea)
        # as the driver sends it: to the app, which forwards it to the focused widget
        app.post_message(events.Paste("one\x1b[0m two\r\nthree\rfour\x07\tfive"))
        await pilot.pause()
        assert box.text == "one␛[0m two\nthree\nfour␇\tfive"
        _no_controls(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
    saved = yaml.safe_load(next(tmp_path.glob("*.yaml")).read_text(encoding="utf-8"))
    assert saved["answers"][0]["answer"] == "one␛[0m two\nthree\nfour␇\tfive"


async def test_history_and_a_transcript_show_file_text_as_symbols(
    mini_bank: Bank, mini_grader: Grader, tmp_path: Path, clock: FakeClock
) -> None:
    interview = start_session(
        mini_bank, mini_grader, tmp_path, clock, SessionSettings(questions=2, follow_ups=0, seed=3)
    )
    answer(interview, good, advance=clock.advance)
    path = tmp_path / f"{session_id(interview)}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    record = data["answers"][0]
    record["prompt"] = "prompt " + NASTY
    record["answer"] = "answer " + NASTY
    record["notes"] = ["note " + NASTY]
    record["concepts"][0]["name"] = "concept " + NASTY
    record["concepts"][0]["matched"] = False
    data["settings"]["mode"] = "interview\x1b[5m"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")

    app = make_app(mini_bank, tmp_path, open_history=True, clock=clock, tick=0)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        assert app.screen.rows, "the edited transcript should still read"
        _no_controls(app)
        app.screen.query_one("#sessions", DataTable).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TranscriptScreen)
        drawn = _drawn(app)
        assert "␛[2J" in drawn or "␛[2J".replace("[", "&#91;") in drawn
        _no_controls(app)
