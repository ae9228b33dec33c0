"""The history table is filled a page at a time (5,000 sessions took over a second to fill,
and again on every sort): more rows come as the cursor nears the last one."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable

from interview_sim.core.bank import Bank
from interview_sim.ui.app import make_app
from interview_sim.ui.screens.history import HistoryScreen
from interview_sim.ui.screens.transcript_view import TranscriptScreen

from .snapshot_helpers import recorded_session

SESSIONS = 7


@pytest.fixture
def sessions(mini_bank: Bank, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(HistoryScreen, "PAGE", 3)
    folder = tmp_path / "sessions"
    for day in range(SESSIONS):
        recorded_session(
            mini_bank,
            folder,
            f"2026110{day + 1}-090000-aaa{day}",
            f"2026-11-0{day + 1}T09:00:00+00:00",
            [None],
            seed=day + 1,
            questions=1,
        )
    return folder


async def test_rows_come_a_page_at_a_time_and_open_the_right_session(
    mini_bank: Bank, sessions: Path
) -> None:
    app = make_app(mini_bank, sessions, open_history=True, tick=0)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause(0.3)
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        table = screen.query_one("#sessions", DataTable)
        assert table.row_count == 3
        note = screen.query_one("#sessions-empty")
        assert note.display and "3 of 7 sessions shown" in str(note.render())
        for _ in range(SESSIONS - 1):
            await pilot.press("down")
            await pilot.pause()
        assert table.row_count == SESSIONS and table.cursor_row == SESSIONS - 1
        assert not note.display
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TranscriptScreen)
        assert app.screen.transcript.id == "20261101-090000-aaa0"  # the oldest: last by date
        await pilot.press("escape")
        await pilot.press("s")  # sort by score: the table starts again from one page
        await pilot.pause()
        assert table.row_count == 3
        keys = [table.coordinate_to_cell_key((i, 0)).row_key.value for i in range(3)]
        assert keys == [r.file for r in screen.filtered()[:3]]
