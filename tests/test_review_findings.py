"""Defects found in review of the 2026-12-05 changes, each shown by a test that fails today.

Every test here is ``xfail(strict=True)`` with the reason, so that the suite stays green while
the defect is there and turns red (XPASS) once it is fixed: then drop the marker.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import json
import os
import re
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from textual.worker_manager import WorkerManager

from interview_sim import locations
from interview_sim.cli.main import main
from interview_sim.core import index as index_module
from interview_sim.core import transcript as transcript_module
from interview_sim.core.bank import Bank
from interview_sim.core.files import atomic_write
from interview_sim.core.index import INDEX_NAME
from interview_sim.core.settings import SessionSettings
from interview_sim.core.store import SessionStore
from interview_sim.ui.app import make_app
from interview_sim.ui.screens.history import HistoryScreen
from interview_sim.ui.screens.interview import InterviewScreen
from interview_sim.ui.screens.rescue_dialog import RescueDialog
from interview_sim.ui.screens.setup import SetupScreen
from interview_sim.ui.screens.summary import SummaryScreen

from .conftest import FakeClock
from .snapshot_helpers import recorded_session
from .test_history_loading import copies, wait_for
from .test_save_failures import Disk, type_and_submit

SESSION_ID = "20261101-090000-aaaa"


@pytest.fixture
def folder(mini_bank: Bank, tmp_path: Path) -> Path:
    """A sessions folder with one real transcript, listed once (so the index exists)."""
    root = tmp_path / "sessions"
    recorded_session(mini_bank, root, SESSION_ID, "2026-11-01T09:00:00+00:00", ["x", "y"])
    SessionStore(root).listing()
    return root


def _review_json(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["review", "--json", "--sessions-dir", str(root)])
    out, err = capsys.readouterr()
    return code, out, err


# --------------------------------------------------------------------------- the history screen


async def test_leaving_the_history_while_it_rebuilds_does_not_crash_the_app(
    mini_bank: Bank, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "sessions"
    copies(mini_bank, folder, 300)
    monkeypatch.setattr(index_module, "PROGRESS_SECONDS", 0.0)
    monkeypatch.setattr(index_module, "PROGRESS_SHARE", 1.0)  # progress after every file
    real_read = transcript_module.read_transcript

    def slow_read(path: Path) -> Any:
        time.sleep(0.01)
        return real_read(path)

    monkeypatch.setattr(transcript_module, "read_transcript", slow_read)
    # Taking a screen down removes its widgets first and cancels its workers last; the gap is
    # a few awaits. It is widened here (the cancel comes 0.3 s later) so that a progress report
    # surely falls in it; unwidened, 4 of 12 escapes during a 200-session rebuild crashed.
    real_cancel = WorkerManager.cancel_node

    def late_cancel(self: WorkerManager, node: Any) -> list[Any]:
        asyncio.get_running_loop().call_later(0.3, real_cancel, self, node)
        return []

    monkeypatch.setattr(WorkerManager, "cancel_node", late_cancel)
    app = make_app(mini_bank, folder, tick=0)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen), "the history")
        await pilot.press("escape")  # while about 3 s of reading are still to come
        await pilot.pause(0.6)
        assert isinstance(app.screen, SetupScreen)
        assert app.is_running


# --------------------------------------------------------------------------- the command line


def test_suggest_aliases_with_a_file_for_a_sessions_folder_says_so_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    not_a_folder = tmp_path / "sessions"
    not_a_folder.write_text("x", encoding="utf-8")
    code = main(["banks", "suggest-aliases", "--sessions-dir", str(not_a_folder)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("interview-sim: cannot list the sessions folder"), err


# --------------------------------------------------------------------------- the index


def test_a_deeply_nested_index_is_read_again(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = SessionStore(folder).listing()
    (folder / INDEX_NAME).write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    code, out, err = _review_json(folder, capsys)
    assert code == 0, err
    assert [r["file"] for r in json.loads(out)["sessions"]] == [r.file for r in expected.rows]


def test_an_index_entry_with_a_huge_number_is_read_again(folder: Path) -> None:
    store = SessionStore(folder)
    expected = store.listing()
    path = folder / INDEX_NAME
    data = index_module.flat_entries(path.read_bytes())
    entry = data[f"{SESSION_ID}.yaml"]
    entry[10] = 10**400  # the duration, with the key still matching the file
    path.write_bytes(index_module.written(data))
    assert store.listing() == expected


def test_a_named_pipe_for_an_index_does_not_hang_the_listing(folder: Path) -> None:
    index = folder / INDEX_NAME
    index.unlink()
    os.mkfifo(index)
    done: list[object] = []
    worker = threading.Thread(target=lambda: done.append(SessionStore(folder).listing()))
    worker.daemon = True
    worker.start()
    worker.join(timeout=3)
    try:
        assert done, "the listing still waits on the pipe after 3 s"
    finally:
        if not done:  # let the blocked reader go: a writer opens the pipe and closes it
            fd = os.open(index, os.O_WRONLY | os.O_NONBLOCK)
            os.close(fd)
            worker.join(timeout=5)


def test_a_transcript_with_a_huge_integer_is_listed_as_unreadable(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = folder / f"{SESSION_ID}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        re.sub(r"(?m)^elapsed_seconds: .*$", "elapsed_seconds: " + "9" * 400, text, count=1),
        encoding="utf-8",
    )
    code, out, err = _review_json(folder, capsys)
    assert code == 0, err
    assert [u["file"] for u in json.loads(out)["unreadable"]] == [path.name]


# --------------------------------------------------------------------------- unsaved answers


async def test_new_interview_from_a_summary_not_saved_keeps_the_answers(
    mini_bank: Bank, tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    sessions, rescue = tmp_path / "s", tmp_path / "rescue"
    monkeypatch.setattr(locations, "rescue_dir", lambda: rescue)
    disk = Disk(monkeypatch, sessions)
    settings = SessionSettings(seed=11, questions=1, follow_ups=0)
    app = make_app(mini_bank, sessions, settings=settings, start_now=True, clock=clock, tick=0)
    async with app.run_test(size=(100, 32)) as pilot:
        disk.broken = errno.ENOSPC
        await type_and_submit(pilot, "the only answer")
        assert isinstance(app.screen, SummaryScreen)
        assert app.failed_save() is not None  # the answer is only in memory
        await pilot.press("ctrl+n")
        await pilot.pause()
        # asked where to write it now, or still held so that quitting asks
        assert isinstance(app.screen, RescueDialog) or app.failed_save() is not None


async def test_a_refused_save_in_a_folder_named_with_brackets_keeps_the_interview_going(
    mini_bank: Bank, tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    sessions = tmp_path / "practice [/] 2026"
    disk = Disk(monkeypatch, sessions)
    settings = SessionSettings(seed=11, questions=2, follow_ups=0)
    app = make_app(mini_bank, sessions, settings=settings, start_now=True, clock=clock, tick=0)
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        disk.broken = errno.ENOSPC
        await type_and_submit(pilot, "the first answer")
        await pilot.pause(0.2)
        assert app.is_running
        assert isinstance(app.screen, InterviewScreen)


def test_suggest_aliases_shows_control_characters_from_a_transcript_as_symbols(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = folder / f"{SESSION_ID}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    answer = data["answers"][0]
    missed = next(c for c in answer["concepts"] if not c["matched"])
    missed["name"] = "evil\x1b[2Jname"
    answer["overruled"] = [missed["name"]]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    code = main(["banks", "suggest-aliases", "--sessions-dir", str(folder)])
    out = capsys.readouterr().out
    assert code == 0
    assert "evil" in out and "\x1b" not in out, repr(out)


def test_two_threads_writing_one_file_leave_old_or_new_never_torn(tmp_path: Path) -> None:
    path = tmp_path / INDEX_NAME
    half_written, go_on = threading.Event(), threading.Event()

    def pause_at_half(step: str) -> None:
        if step == "write-half":
            half_written.set()
            go_on.wait(timeout=10)

    def slow_writer() -> None:
        with contextlib.suppress(OSError):
            # an index of a few hundred sessions: more than the file buffer, so the first
            # half is on disk before the pause
            atomic_write(path, b"A" * 100_000, crash=pause_at_half)

    writer = threading.Thread(target=slow_writer)
    writer.start()
    assert half_written.wait(timeout=10)
    atomic_write(path, b"B" * 10)  # the other thread, meanwhile
    go_on.set()
    writer.join(timeout=10)
    assert path.read_bytes() in (b"A" * 100_000, b"B" * 10)
