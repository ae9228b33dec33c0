"""The history while its index is rebuilt (the first listing after an upgrade reads every
transcript): what is known is on screen at once, with a progress line, and the rest fills in.
And the mouse wheel, like the cursor, brings the next page of rows."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from interview_sim.core import index as index_module
from interview_sim.core import transcript as transcript_module
from interview_sim.core.bank import Bank
from interview_sim.core.transcript import Transcript
from interview_sim.ui.app import make_app
from interview_sim.ui.screens.history import HistoryScreen

from .snapshot_helpers import recorded_session

TEMPLATE_ID = "20261101-090000-aaaa"


def copies(mini_bank: Bank, folder: Path, n: int) -> list[str]:
    """``n`` real transcripts (one run through the engine, copied under new ids), newest last."""
    recorded_session(mini_bank, folder, TEMPLATE_ID, "2026-11-01T09:00:00+00:00", [None])
    text = (folder / f"{TEMPLATE_ID}.yaml").read_text(encoding="utf-8")
    (folder / f"{TEMPLATE_ID}.yaml").unlink()
    ids = [f"20261101-09{i:02d}00-a{i:03x}" for i in range(n)]
    for sid in ids:
        (folder / f"{sid}.yaml").write_text(text.replace(TEMPLATE_ID, sid), encoding="utf-8")
    return ids


async def wait_for(
    pilot: Pilot[None], condition: Callable[[], bool], what: str, tries: int = 200
) -> None:
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"never saw {what}")


async def test_a_rebuild_shows_progress_and_fills_the_table_in(
    mini_bank: Bank, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "sessions"
    ids = copies(mini_bank, folder, 5)
    monkeypatch.setattr(index_module, "PROGRESS_SECONDS", 0.0)
    monkeypatch.setattr(index_module, "PROGRESS_SHARE", 1.0)  # every file read is reported
    monkeypatch.setattr(HistoryScreen, "REDRAW_SECONDS", 0.0)  # and drawn
    go_on = threading.Event()
    real = transcript_module.read_transcript
    read: list[str] = []

    def slow_after_two(path: Path) -> Transcript:
        if len(read) == 2:
            go_on.wait(timeout=10)
        read.append(path.name)
        return real(path)

    monkeypatch.setattr(transcript_module, "read_transcript", slow_after_two)
    app = make_app(mini_bank, folder, open_history=True, tick=0)
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen), "the history")
        screen = app.screen
        line = screen.query_one("#history-progress", Static)
        table = screen.query_one("#sessions", DataTable)
        await wait_for(
            pilot,
            lambda: "Reading saved sessions: 2 of 5" in str(line.render()),
            "the progress line",
        )
        assert line.display and table.row_count == 2
        shown = [table.coordinate_to_cell_key((i, 0)).row_key.value for i in range(2)]
        assert shown == [f"{sid}.yaml" for sid in ids[::-1][:2]]  # the newest first
        await pilot.pause()
        top = table.region.y
        assert line.region.y > top  # below the rows: they stay put when it comes and goes
        go_on.set()
        await wait_for(pilot, lambda: table.row_count == 5 and not line.display, "every row")
        await pilot.pause()
        assert table.region.y == top
        assert [r.id for r in screen.rows] == ids[::-1]
        await wait_for(pilot, lambda: screen.stats is not None, "the statistics")


async def test_the_mouse_wheel_at_the_end_of_the_table_brings_the_next_page(
    mini_bank: Bank, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "sessions"
    copies(mini_bank, folder, 30)
    monkeypatch.setattr(HistoryScreen, "PAGE", 12)
    app = make_app(mini_bank, folder, open_history=True, tick=0)
    async with app.run_test(size=(100, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen), "the history")
        table = app.screen.query_one("#sessions", DataTable)
        await wait_for(pilot, lambda: table.row_count == 12, "the first page")
        await wait_for(pilot, lambda: table.max_scroll_y > 0, "a table taller than its view")
        x, y = table.region.x + 5, table.region.y + 2
        for _ in range(20):  # a few turns of the wheel over the table
            app.post_message(
                events.MouseScrollDown(table, x, y, 0, 1, 0, False, False, False, x, y)
            )
            await pilot.pause()
            if table.row_count > 12:
                break
        assert table.row_count == 24
        assert table.cursor_row == 0  # the wheel did it, not the cursor
        note = app.screen.query_one("#sessions-empty", Static)
        assert "24 of 30 sessions shown" in str(note.render())


async def test_a_slow_listing_says_it_is_loading_and_a_fast_one_shows_nothing_extra(
    mini_bank: Bank, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from interview_sim.core.store import SessionStore

    folder = tmp_path / "sessions"
    copies(mini_bank, folder, 2)
    SessionStore(folder).listing()  # indexed: nothing is read again
    go_on = threading.Event()
    real = SessionStore.indexed

    def slow(self: SessionStore, *args: object) -> object:
        go_on.wait(timeout=10)
        return real(self, *args)

    monkeypatch.setattr(SessionStore, "indexed", slow)
    # A longer delay than the real one, so that a loaded machine opening the screen slowly
    # cannot make the line due before the first look at it.
    monkeypatch.setattr(HistoryScreen, "LOADING_LINE_DELAY", 2.0)
    app = make_app(mini_bank, folder, open_history=True, tick=0)
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen), "the history")
        line = app.screen.query_one("#history-progress", Static)
        assert not line.display  # not at once: a listing that is quick shows no such line
        await wait_for(pilot, lambda: line.display, "the loading line", tries=1000)
        assert "Loading sessions" in str(line.render())
        go_on.set()
        table = app.screen.query_one("#sessions", DataTable)
        await wait_for(pilot, lambda: table.row_count == 2 and not line.display, "the rows")


async def test_the_rows_are_painted_before_the_trends_and_weak_spots_are_worked_out(
    mini_bank: Bank, tmp_path: Path
) -> None:
    folder = tmp_path / "sessions"
    copies(mini_bank, folder, 3)
    app = make_app(mini_bank, folder, open_history=True, tick=0)
    painted: list[tuple[int, str, str]] = []  # each paint: rows in the table, trend, weak spots
    display = app._display

    def paint(screen: object, renderable: object) -> None:
        if renderable is not None and isinstance(screen, HistoryScreen) and screen.is_mounted:
            painted.append(
                (
                    screen.query_one("#sessions", DataTable).row_count,
                    str(screen.query_one("#trend-all-label", Static).render()),
                    str(screen.query_one("#weak-spots", Static).render()),
                )
            )
        display(screen, renderable)  # type: ignore[arg-type]

    app._display = paint  # type: ignore[method-assign]
    async with app.run_test(size=(100, 32)) as pilot:
        await app.workers.wait_for_complete()
        await wait_for(pilot, lambda: "Score trend (all)" in painted[-1][1], "the trends")
    rows_first = next(i for i, (rows, _, _) in enumerate(painted) if rows)
    assert painted[rows_first][1:] == ("", "Working out weak spots…")  # their place kept
    assert painted[-1][0] == 3
    assert "over 3 sessions" in painted[-1][1] and "Weakest topics" in painted[-1][2]
