"""Score trends a person can read (issue 11, item 12): values, dates and a fixed 0-100 axis."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.widgets import Static

from interview_sim.core.bank import Bank
from interview_sim.core.grading import Grader
from interview_sim.core.report import trend_caption
from interview_sim.core.settings import SessionSettings
from interview_sim.core.store import SessionStore
from interview_sim.ui.app import make_app
from interview_sim.ui.widgets.score_trend import ScoreTrend, bar_rows

from .conftest import FakeClock
from .transcript_factory import GOOD, POOR, in_memory_transcript

NOW = datetime(2026, 12, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    ("points", "caption"),
    [
        ([], "no scores yet"),
        ([("2026-11-03T09:00:00+00:00", 60.0)], "60 in 1 session on 3 Nov"),
        (
            [("2026-11-03T09:00:00+00:00", 62.4)]
            + [(f"2026-11-{d:02d}T09:00:00+00:00", 50.0) for d in range(4, 11)]
            + [("2026-12-01T09:00:00+00:00", 70.6)],
            "62 → 71 over 9 sessions since 3 Nov",
        ),
        (
            [("2025-11-03T09:00:00", 40.0), ("2026-01-01T09:00:00", 45.0)],
            "40 → 45 over 2 sessions since 3 Nov 2025",
        ),
        ([("not a date", 40.0), ("2026-01-01", 45.0)], "40 → 45 over 2 sessions"),
    ],
    ids=["none", "one", "nine", "last-year", "bad-date"],
)
def test_trend_caption(points: list[tuple[str, float]], caption: str) -> None:
    assert trend_caption(points, today=NOW) == caption


def test_a_bar_is_as_tall_as_its_score_whatever_else_is_shown() -> None:
    # a single 60: 60% of the height (Sparkline drew it full height)
    assert bar_rows([60], rows=2, width=20) == ["100┤▂▂▂", "  0┤███"]
    assert bar_rows([100, 50, 0], rows=2, width=20) == ["100┤███      ", "  0┤██████▁▁▁"]
    # 58 and 62 look alike, not like 0 and 100
    top, bottom = bar_rows([58, 62], rows=2, width=6)
    assert (top, bottom) == ("100┤▁▂", "  0┤██")


def test_only_the_latest_scores_that_fit_are_drawn() -> None:
    lines = bar_rows([100.0] * 3 + [0.0] * 10, rows=2, width=10)
    assert lines == ["100┤      ", "  0┤▁▁▁▁▁▁"]  # six cells: the last six scores, one each


async def test_the_history_screen_says_the_trend_in_words(
    mini_bank: Bank, mini_grader: Grader, tmp_path: Path, clock: FakeClock
) -> None:
    sessions = tmp_path / "s"
    store = SessionStore(sessions)
    store.check_writable()  # makes the folder
    for day, seed, text in ((3, 1, POOR), (4, 2, None)):
        settings = SessionSettings(questions=1, seed=seed, follow_ups=0, topics=("sampling",))
        plan = in_memory_transcript(mini_bank, mini_grader, settings, []).plan
        reply = text or GOOD[plan[0]["id"]]
        t = in_memory_transcript(
            mini_bank,
            mini_grader,
            settings,
            [reply],
            session_id=f"2026110{day}-090000-abc{day}",
            created=f"2026-11-0{day}T09:00:00+00:00",
        )
        store.save(t, None)
    app = make_app(mini_bank, sessions, open_history=True, clock=clock, tick=0)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause(0.3)
        await pilot.pause()
        label = str(app.screen.query_one("#trend-all-label", Static).render())
        assert label == "Score trend (all): 0 → 100 over 2 sessions since 3 Nov"
        chart = app.screen.query_one("#trend-all", ScoreTrend)
        assert chart.scores == (0.0, 100.0)
