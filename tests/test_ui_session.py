"""Pilot tests: whole sessions through the real screens, with a fake clock."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from textual import events
from textual.widgets import TextArea

import interview_sim.ui.screens.feedback as feedback_screen
import interview_sim.ui.screens.interview as interview_screen
from interview_sim.core.bank import Bank
from interview_sim.core.grading import Grader
from interview_sim.core.settings import SessionSettings
from interview_sim.ui.app import make_app
from interview_sim.ui.screens.feedback import FeedbackScreen
from interview_sim.ui.screens.interview import InterviewScreen
from interview_sim.ui.screens.quit_dialog import QuitDialog
from interview_sim.ui.screens.setup import SetupScreen
from interview_sim.ui.screens.summary import SummaryScreen

from .conftest import FakeClock
from .transcript_factory import in_memory_transcript

SIZE = (100, 32)


def transcript(folder: Path) -> dict:
    files = sorted(folder.glob("*.yaml"))
    assert len(files) == 1, files
    return yaml.safe_load(files[0].read_text(encoding="utf-8"))


async def type_answer(pilot, text: str) -> None:
    area = pilot.app.screen.query_one("#answer", TextArea)
    area.insert(text)
    await pilot.pause()


async def test_interview_mode_from_setup_to_summary(
    mini_bank: Bank, tmp_path: Path, clock: FakeClock
) -> None:
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
        await type_answer(
            pilot,
            "It divides the logits before the softmax; low temperature is more deterministic.",
        )
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


def started_app(bank: Bank, sessions: Path, clock: FakeClock, **settings) -> object:
    base = {"seed": 11, "questions": 2, "follow_ups": 1, **settings}
    return make_app(
        bank, sessions, settings=SessionSettings(**base), start_now=True, clock=clock, tick=0
    )


async def test_practice_mode_shows_feedback_after_every_answer(
    mini_bank: Bank, tmp_path: Path, clock: FakeClock
) -> None:
    sessions = tmp_path / "s"
    app = started_app(mini_bank, sessions, clock, mode="practice", follow_ups=0)
    async with app.run_test(size=SIZE) as pilot:
        question = app.interview.current.question
        await type_answer(pilot, question.model_answer)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FeedbackScreen)
        assert app.screen.record.question_id == question.id
        assert app.screen.record.score >= 60
        shown = " ".join(str(w.render()) for w in app.screen.query("Static"))
        assert "Model answer" in shown
        clock.advance(45)  # reading feedback does not eat the next question's time
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)
        assert app.interview.remaining() == app.interview.step_limit()


async def test_timeout_submits_what_is_typed_and_moves_on(
    mini_bank: Bank, tmp_path: Path, clock: FakeClock
) -> None:
    sessions = tmp_path / "s"
    app = started_app(mini_bank, sessions, clock, follow_ups=0)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        first = app.interview.current.question
        await type_answer(pilot, "half an answer about logits")
        clock.advance(app.interview.step_limit() + 1)  # minutes of interview time, instantly
        screen.query_one("Countdown").refresh_time()
        await pilot.pause()
        saved = transcript(sessions)
        assert saved["answers"][0]["question"] == first.id
        assert saved["answers"][0]["outcome"] == "timeout"
        assert saved["answers"][0]["answer"] == "half an answer about logits"
        assert app.interview.current.number == 2
        assert screen.query_one("#answer", TextArea).text == ""


async def test_timer_expiring_while_quit_dialog_is_open_keeps_the_answer(
    mini_bank: Bank, tmp_path: Path, clock: FakeClock
) -> None:
    sessions = tmp_path / "s"
    app = started_app(mini_bank, sessions, clock, follow_ups=0)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await type_answer(pilot, "typed before the dialog")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, QuitDialog)
        clock.advance(10_000)
        screen.query_one("Countdown").refresh_time()
        await pilot.pause()
        assert isinstance(app.screen, QuitDialog)  # nothing moved under the dialog
        await pilot.press("escape")  # keep going
        await pilot.pause()
        saved = transcript(sessions)
        assert saved["answers"][0]["answer"] == "typed before the dialog"
        assert saved["answers"][0]["outcome"] == "timeout"


async def test_hint_is_shown_recorded_and_caps_the_score(
    mini_bank: Bank, tmp_path: Path, clock: FakeClock
) -> None:
    sessions = tmp_path / "s"
    app = started_app(
        mini_bank,
        sessions,
        clock,
        follow_ups=0,
        topics=("sampling",),
        difficulty="easy",
        questions=1,
    )
    async with app.run_test(size=SIZE) as pilot:
        question = app.interview.current.question
        await pilot.press("ctrl+t")
        await pilot.pause()
        hint = app.screen.query_one("#hint")
        assert hint.has_class("-shown")
        assert question.hint in str(hint.render())
        await type_answer(pilot, question.model_answer)
        await pilot.press("ctrl+s")
        await pilot.pause()
        answer = transcript(sessions)["answers"][0]
        assert answer["hint_used"] is True
        assert answer["grader_score"] > 70 and answer["score"] == 70


async def test_the_hint_notice_names_the_cap_the_engine_applies(
    mini_bank: Bank, tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The notice says the cap from core.settings, not a number of its own."""
    monkeypatch.setattr(interview_screen, "HINT_SCORE_CAP", 65)
    app = started_app(
        mini_bank,
        tmp_path / "s",
        clock,
        follow_ups=0,
        topics=("sampling",),
        difficulty="easy",
        questions=1,
    )
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert "capped at 65" in str(app.screen.query_one("#hint").render())


@pytest.mark.parametrize("pass_line, verdict", [(55, "(pass)"), (56, "(not yet)")])
def test_the_feedback_verdict_is_the_graders_pass_line(
    mini_bank: Bank,
    mini_grader: Grader,
    monkeypatch: pytest.MonkeyPatch,
    pass_line: int,
    verdict: str,
) -> None:
    monkeypatch.setattr(feedback_screen, "PASS_SCORE", pass_line)
    settings = SessionSettings(topics=("sampling",), difficulty="easy", questions=1, follow_ups=0)
    record = in_memory_transcript(mini_bank, mini_grader, settings, ["an answer"]).records[0]
    head = feedback_screen.feedback_widgets(replace(record, score=55), None)[1]
    assert verdict in str(head.content)


async def test_skip_records_a_zero_and_asks_no_follow_up(
    mini_bank: Bank, tmp_path: Path, clock: FakeClock
) -> None:
    sessions = tmp_path / "s"
    app = started_app(mini_bank, sessions, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+n")
        await pilot.pause()
        answer = transcript(sessions)["answers"][0]
        assert (answer["outcome"], answer["score"]) == ("skipped", 0)
        assert app.interview.current.number == 2 and not app.interview.current.is_follow_up


async def test_quit_asks_first_then_saves_for_resume(
    mini_bank: Bank, tmp_path: Path, clock: FakeClock
) -> None:
    sessions = tmp_path / "s"
    app = started_app(mini_bank, sessions, clock, follow_ups=0)
    async with app.run_test(size=SIZE) as pilot:
        await type_answer(pilot, "first answer")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await type_answer(pilot, "unsent")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, QuitDialog)
        await pilot.press("s")
        await pilot.pause()
    saved = transcript(sessions)
    assert saved["status"] == "in progress"
    assert [a["answer"] for a in saved["answers"]] == ["first answer"]
    assert saved["draft"]["text"] == "unsent"  # the unsubmitted answer is kept too
    assert f"interview-sim resume {saved['id']}" in app.resume_message()


async def test_save_and_quit_keeps_what_was_typed_and_resume_puts_it_back(
    mini_bank: Bank, tmp_path: Path, clock: FakeClock
) -> None:
    """Even before any answer was submitted: nothing typed is lost."""
    sessions = tmp_path / "s"
    app = started_app(mini_bank, sessions, clock, follow_ups=0)
    async with app.run_test(size=SIZE) as pilot:
        asked = app.interview.current.item_id
        await type_answer(pilot, "half an answer,\nstill thinking")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
    saved = transcript(sessions)
    assert saved["answers"] == []
    assert saved["draft"] == {"for": asked, "text": "half an answer,\nstill thinking"}
    assert f"interview-sim resume {saved['id']}" in app.resume_message()

    again = make_app(mini_bank, sessions, resume_id=saved["id"], clock=clock, tick=0)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert again.interview.current.item_id == asked
        assert again.screen.query_one("#answer", TextArea).text == "half an answer,\nstill thinking"
        await pilot.press("ctrl+s")
        await pilot.pause()
    answered = transcript(sessions)
    assert answered["answers"][0]["answer"] == "half an answer,\nstill thinking"
    assert "draft" not in answered


async def test_end_now_marks_the_session_abandoned_and_summarises(
    mini_bank: Bank, tmp_path: Path, clock: FakeClock
) -> None:
    sessions = tmp_path / "s"
    app = started_app(mini_bank, sessions, clock, follow_ups=0)
    async with app.run_test(size=SIZE) as pilot:
        await type_answer(pilot, "only answer")
        await pilot.press("ctrl+s", "escape")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
    assert transcript(sessions)["status"] == "abandoned"


async def test_markup_and_escape_codes_in_answers_are_shown_literally(
    mini_bank: Bank, tmp_path: Path, clock: FakeClock
) -> None:
    sessions = tmp_path / "s"
    nasty = "[bold]x[/] [/ [link=http://x]y \x1b[31mred\x1b[0m 🤖 注意力 ∑"
    app = started_app(mini_bank, sessions, clock, mode="practice", follow_ups=0)
    async with app.run_test(size=SIZE) as pilot:
        await type_answer(pilot, nasty)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FeedbackScreen)
        answer_widget = app.screen.query_one("HighlightedAnswer")
        rendered = str(answer_widget.render())
        assert "[bold]x[/] [/ [link=http://x]y" in rendered
        assert "🤖 注意力" in rendered
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
    assert transcript(sessions)["answers"][0]["answer"] == nasty


async def test_resize_and_keys_during_screen_changes_do_not_crash(
    mini_bank: Bank, tmp_path: Path, clock: FakeClock
) -> None:
    sessions = tmp_path / "s"
    app = started_app(mini_bank, sessions, clock, mode="practice")
    async with app.run_test(size=SIZE) as pilot:
        await type_answer(pilot, "answer one")
        await pilot.press("ctrl+s", "ctrl+s", "ctrl+t", "ctrl+n", "escape", "enter")
        for size in ((60, 20), (200, 50), (40, 12), (100, 32)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
    saved = transcript(sessions)
    assert saved["answers"][0]["answer"] == "answer one"


async def test_typing_is_autosaved_so_a_killed_session_resumes_with_it(
    mini_bank: Bank, tmp_path: Path, clock: FakeClock
) -> None:
    sessions = tmp_path / "s"
    app = started_app(mini_bank, sessions, clock, follow_ups=0)
    async with app.run_test(size=SIZE) as pilot:
        asked = app.interview.current.item_id
        screen = app.screen
        screen.autosave_draft()  # nothing typed: nothing written
        assert not list(sessions.glob("*.yaml"))
        await type_answer(pilot, "typed before the terminal closed")
        screen.autosave_draft()
        saved = transcript(sessions)
        assert saved["draft"] == {"for": asked, "text": "typed before the terminal closed"}
        # the app is now torn down without the quit dialog, as a closed terminal would
    again = make_app(mini_bank, sessions, resume_id=saved["id"], clock=clock, tick=0)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = again.screen.query_one("#answer", TextArea).text
        assert text == "typed before the terminal closed"


async def test_submit_waits_for_keys_typed_just_before_it(
    mini_bank: Bank, tmp_path: Path, clock: FakeClock
) -> None:
    """Ctrl+S is handled as it arrives; keys sent just before it (fast typing, a paste) may
    still be queued in the answer box. Their words must reach the saved answer."""
    sessions = tmp_path / "s"
    app = started_app(mini_bank, sessions, clock, follow_ups=0)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        area = screen.query_one("#answer", TextArea)
        for ch in "last words":
            area.post_message(events.Key("space" if ch == " " else ch, ch))
        screen.action_submit()  # before the answer box has handled those keys
        await pilot.pause()
    assert transcript(sessions)["answers"][0]["answer"] == "last words"


async def test_a_stop_signal_while_a_dialog_is_open_keeps_the_typed_answer(
    mini_bank: Bank, tmp_path: Path, clock: FakeClock
) -> None:
    """SIGHUP (terminal closed) or SIGTERM: the handler keeps the draft from whichever
    screen is on top, then exits with 128 + the signal number."""
    sessions = tmp_path / "s"
    app = started_app(mini_bank, sessions, clock)
    async with app.run_test(size=SIZE) as pilot:
        await type_answer(pilot, "typed, then the dialog, then the signal")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, QuitDialog)
        app.keep_draft_and_exit(signal.SIGTERM)
        await pilot.pause()
    assert app.return_code == 128 + signal.SIGTERM
    saved = transcript(sessions)
    assert saved["status"] == "in progress"
    assert saved["draft"]["text"] == "typed, then the dialog, then the signal"


async def test_a_stop_signal_after_the_summary_does_not_offer_to_resume(
    mini_bank: Bank, tmp_path: Path, clock: FakeClock
) -> None:
    app = started_app(mini_bank, tmp_path / "s", clock, questions=1, follow_ups=0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+n")  # skip the only question: the summary
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        exits: list[object] = []
        app.exit = lambda **kwargs: exits.append(kwargs)  # type: ignore[method-assign]
        app.keep_draft_and_exit(signal.SIGTERM)
    assert exits == [{"return_code": 128 + signal.SIGTERM, "message": None}]


async def test_the_draft_is_kept_when_typing_pauses_or_has_gone_on_for_long(
    mini_bank: Bank, tmp_path: Path, clock: FakeClock
) -> None:
    sessions = tmp_path / "s"
    app = started_app(mini_bank, sessions, clock, follow_ups=0)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await type_answer(pilot, "first words")
        clock.advance(1)
        screen.save_draft_if_due()  # still typing, for 1 s only: nothing yet
        assert not list(sessions.glob("*.yaml"))
        clock.advance(1.5)
        screen.save_draft_if_due()  # a 2.5 s pause: kept
        assert transcript(sessions)["draft"]["text"] == "first words"
        for n in range(6):  # non-stop typing, a key every 1.9 s (never a 2 s pause)
            await type_answer(pilot, f" w{n}")
            clock.advance(1.9)
            screen.save_draft_if_due()
        # kept once the oldest unsaved edit was 10 s old, without waiting for a pause
        assert transcript(sessions)["draft"]["text"] == "first words w0 w1 w2 w3 w4 w5"


async def test_the_app_ending_on_an_error_mid_answer_keeps_the_typing(
    mini_bank: Bank, tmp_path: Path, clock: FakeClock
) -> None:
    """A closed terminal can also end the app through the input reader failing (a panic),
    before the SIGHUP handler runs: the draft is kept as the interview screen goes."""
    sessions = tmp_path / "s"
    app = started_app(mini_bank, sessions, clock)
    with contextlib.suppress(Exception):  # run_test reports the panic
        async with app.run_test(size=SIZE) as pilot:
            await type_answer(pilot, "typed when the terminal went away")
            app.panic("input reader failed")
            await pilot.pause()
    saved = transcript(sessions)
    assert saved["status"] == "in progress"
    assert saved["draft"]["text"] == "typed when the terminal went away"


async def test_a_hang_up_keeps_the_draft_and_ends_the_process_even_if_shutdown_stalls(
    mini_bank: Bank, tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After SIGHUP Textual's shutdown can block writing to the vanished terminal: the draft
    is kept on the event loop, and a deadline ends the process whatever it is doing."""
    ended: list[int] = []
    monkeypatch.setattr(os, "_exit", ended.append)
    sessions = tmp_path / "s"
    app = started_app(mini_bank, sessions, clock)
    app.HANGUP_GRACE = 0.05
    async with app.run_test(size=SIZE) as pilot:
        await type_answer(pilot, "typed when the window closed")
        app.stop_signals.hung_up(signal.SIGHUP, None)  # what the SIGHUP handler does
        await pilot.pause()
    await asyncio.sleep(0.2)
    assert ended == [128 + signal.SIGHUP]
    assert app.return_code == 128 + signal.SIGHUP
    assert transcript(sessions)["draft"]["text"] == "typed when the window closed"


async def test_feedback_shows_what_was_written_near_a_missed_concept(
    mini_bank: Bank, tmp_path: Path, clock: FakeClock
) -> None:
    app = started_app(
        mini_bank,
        tmp_path / "s",
        clock,
        mode="practice",
        follow_ups=0,
        topics=("sampling",),
        difficulty="easy",
        questions=1,
    )
    async with app.run_test(size=SIZE) as pilot:
        question = app.interview.current.question
        assert question.id == "smp-temperature"
        await type_answer(
            pilot,
            "Temperature divides the logits before softmax. A high "
            "temperature spreads out the distribution.",
        )
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FeedbackScreen)
        shown = " ".join(str(w.render()) for w in app.screen.query("Static"))
        assert "✘ high temperature flattens the distribution" in shown
        assert (
            "you wrote “spreads out the distribution”; we listen for “flattens the distribution”"
        ) in shown
