"""The question history (from the history screen, `a`): a question's attempts side by side,
leeches marked, and "retry this question" starting a one-question practice session."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.containers import Horizontal
from textual.widgets import Static

from interview_sim.core.bank import Bank
from interview_sim.core.scheduling import LEECH_FAILURES
from interview_sim.core.store import SessionStore
from interview_sim.ui.app import make_app
from interview_sim.ui.screens.history import HistoryScreen
from interview_sim.ui.screens.interview import InterviewScreen
from interview_sim.ui.screens.question_history import SIDE_BY_SIDE, QuestionHistoryScreen

from .snapshot_helpers import recorded_session

SIZE = (100, 32)
NOW = "2026-11-07T10:00:00+00:00"


@pytest.fixture
def failing(mini_bank: Bank, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """One question failed on LEECH_FAILURES days, then one other session; clock fixed after."""
    monkeypatch.chdir(tmp_path)
    sessions = Path("sessions")
    for day in range(LEECH_FAILURES):
        recorded_session(
            mini_bank,
            sessions,
            f"2026110{day + 1}-090000-aaa{day}",
            f"2026-11-0{day + 1}T09:00:00+00:00",
            [f"no idea, try {day} [bold]x[/bold]"],
            seed=5,
            questions=1,
        )
    recorded_session(
        mini_bank,
        sessions,
        "20261106-090000-bbbb",
        "2026-11-06T09:00:00+00:00",
        [None],
        seed=9,
        questions=1,
    )
    monkeypatch.setenv("INTERVIEW_SIM_NOW", NOW)
    return sessions


async def _open(pilot) -> QuestionHistoryScreen:
    await pilot.pause(0.3)  # the listing loads on a worker thread
    assert isinstance(pilot.app.screen, HistoryScreen)
    pilot.app.screen.query_one("#sessions").move_cursor(row=1)  # the newest failed session
    await pilot.press("a")
    await pilot.pause(0.3)  # and the attempts too
    screen = pilot.app.screen
    assert isinstance(screen, QuestionHistoryScreen)
    return screen


async def test_attempts_side_by_side_with_the_leech_marked(mini_bank: Bank, failing: Path) -> None:
    app = make_app(mini_bank, failing, open_history=True, tick=0)
    async with app.run_test(size=SIZE) as pilot:
        history = app.screen
        await pilot.pause(0.3)
        weak = str(history.query_one("#weak-spots", Static).render())
        assert f"Leeches (failed {LEECH_FAILURES}+ times)" in weak
        assert "Read their model answers" in weak
        screen = await _open(pilot)
        columns = screen.query_one("#attempts", Horizontal).children
        assert len(columns) == min(LEECH_FAILURES, SIDE_BY_SIDE)
        about = str(screen.query_one("#question-about", Static).render())
        assert f"{LEECH_FAILURES} attempt(s)" in about and "A leech" in about
        picked = screen.query_one("#question-pick SelectCurrent Static", Static)
        assert "[leech]" in str(picked.render())  # the label is text, not markup
        texts = " ".join(str(s.render()) for s in columns[-1].query(Static))
        assert f"no idea, try {LEECH_FAILURES - 1} [bold]x[/bold]" in texts  # literal, not markup
        assert "Missed:" in texts and "2026-11-04 09:00" in texts


async def test_retry_this_question_starts_a_one_question_practice(
    mini_bank: Bank, failing: Path
) -> None:
    app = make_app(mini_bank, failing, open_history=True, tick=0)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot)
        qid = screen.question_id
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)
        interview = app.interview
        assert interview is not None
        assert [q.id for q in interview.plan] == [qid]
        assert interview.settings.mode == "practice" and interview.settings.focus is None


def test_question_history_snapshot(snap_compare, mini_bank: Bank, failing: Path) -> None:
    async def run_before(pilot) -> None:
        await _open(pilot)

    app = make_app(mini_bank, failing, open_history=True, tick=0)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize(("presses", "focus"), [(1, "due"), (3, "new"), (4, "cram")])
async def test_setup_focus_draws_from_the_schedule(
    mini_bank: Bank, failing: Path, presses: int, focus: str
) -> None:
    """Focus on the setup screen: due and cram ask the failed question first, new never."""
    app = make_app(mini_bank, failing, tick=0)
    async with app.run_test(size=SIZE) as pilot:
        app.screen.query_one("#focus").focus()
        await pilot.press(*["right"] * presses)
        app.screen.query_one("#questions").value = "1"
        app.screen.query_one("#start").focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)
        interview = app.interview
        assert interview is not None and interview.settings.focus == focus
        results = SessionStore(failing).results()
        failed = results[0].answers[0][0]
        asked = {q for s in results for q, _, _ in s.answers}
        assert len(asked) == 2
        first = interview.plan[0].id
        if focus == "new":
            assert first not in asked
        else:
            assert first == failed


async def test_statistics_view_shows_the_figures_of_stats_json(
    mini_bank: Bank, failing: Path
) -> None:
    from datetime import datetime

    from interview_sim.core.scheduling import build
    from interview_sim.core.stats import statistics
    from interview_sim.ui.screens.stats import StatsScreen

    results = SessionStore(failing).results()
    expected = statistics(results, build(results), datetime.fromisoformat(NOW))
    app = make_app(mini_bank, failing, open_history=True, tick=0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.3)
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        shown = " ".join(str(w.render()) for w in app.screen.query(Static))
        assert f"Due {expected.due_today} today, {expected.due_this_week} this week" in shown
        assert f"failed {LEECH_FAILURES} of {LEECH_FAILURES}" in shown
        for topic, (passed, reviews) in expected.retention.items():
            assert f"({passed} of {reviews})" in shown and topic in shown
        assert "2026-11-06 09:00" in shown  # the trend, with dates and values
        await pilot.press("escape")
        assert isinstance(app.screen, HistoryScreen)


async def test_history_shows_due_counts_without_working_out_every_statistic(
    mini_bank: Bank, failing: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opening the history draws the due counts and leeches from the schedule's cards alone;
    the statistics view's figures (every review gone through) wait for `i`, and are the same."""
    from datetime import datetime

    from interview_sim.core.scheduling import build
    from interview_sim.core.stats import statistics
    from interview_sim.ui.screens import history as history_module

    results = SessionStore(failing).results()
    expected = statistics(results, build(results), datetime.fromisoformat(NOW))
    assert expected.due_today and expected.leeches  # something to show
    worked_out: list[int] = []

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        worked_out.append(1)
        return statistics(*args, **kwargs)

    monkeypatch.setattr(history_module, "statistics", counted)
    app = make_app(mini_bank, failing, open_history=True, tick=0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.3)
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        spots = str(screen.query_one("#weak-spots", Static).render())
        due = f"Due: {expected.due_today} today, {expected.due_this_week} this week"
        assert due in spots
        assert f"{expected.leeches[0].question_id} ({LEECH_FAILURES}x)" in spots
        assert worked_out == []
        await pilot.press("i")
        await pilot.pause()
        assert worked_out == [1]
        assert screen.stats == expected


def test_statistics_snapshot(snap_compare, mini_bank: Bank, failing: Path) -> None:
    async def run_before(pilot) -> None:
        await pilot.pause(0.3)
        await pilot.press("i")
        await pilot.pause()

    app = make_app(mini_bank, failing, open_history=True, tick=0)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


async def test_model_answer_column_beside_the_attempts(mini_bank: Bank, failing: Path) -> None:
    app = make_app(mini_bank, failing, open_history=True, tick=0)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot)
        question = mini_bank.by_id[screen.question_id]
        await pilot.press("m")
        await pilot.pause()
        columns = screen.query_one("#attempts", Horizontal).children
        assert len(columns) == SIDE_BY_SIDE  # the model answer and the latest attempts
        model = " ".join(str(s.render()) for s in columns[0].query(Static))
        assert "Model answer" in model and question.model_answer.split()[0] in model
        for fu in question.follow_ups:
            assert fu.prompt.split()[0] in model
        await pilot.press("m")
        await pilot.pause()
        columns = screen.query_one("#attempts", Horizontal).children
        assert len(columns) == min(LEECH_FAILURES, SIDE_BY_SIDE)
        assert not any("model" in c.classes for c in columns)
