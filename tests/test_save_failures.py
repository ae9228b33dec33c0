"""The sessions folder stops taking writes mid-interview (permissions changed, disk full):
the interview goes on, says so, keeps every answer in memory, retries, and can save elsewhere."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
import yaml
from textual.widgets import Input, Static, TextArea

from interview_sim import locations
from interview_sim.core import store as store_module
from interview_sim.core.bank import Bank
from interview_sim.core.grading import Grader
from interview_sim.core.recorder import Recorder
from interview_sim.core.settings import SessionSettings
from interview_sim.ui.app import make_app
from interview_sim.ui.screens.interview import InterviewScreen
from interview_sim.ui.screens.quit_dialog import QuitDialog
from interview_sim.ui.screens.rescue_dialog import RescueDialog
from interview_sim.ui.screens.summary import SummaryScreen

from .conftest import FakeClock
from .transcript_factory import start_session

SIZE = (100, 32)


class Disk:
    """Writes into one folder fail while ``broken`` says so (ENOSPC or EACCES)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
        self.folder = folder
        self.broken: int | None = None
        real = store_module.atomic_write

        def write(path: Path, data: bytes, crash: object = None) -> None:
            if self.broken is not None and path.parent == self.folder:
                if self.broken == errno.EACCES:
                    raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
                raise OSError(self.broken, os.strerror(self.broken))
            real(path, data, crash)  # type: ignore[arg-type]

        monkeypatch.setattr(store_module, "atomic_write", write)


def answers_in(folder: Path) -> list[str]:
    (path,) = sorted(folder.glob("*.yaml"))
    return [a["answer"] for a in yaml.safe_load(path.read_text(encoding="utf-8"))["answers"]]


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EACCES], ids=["disk-full", "no-permission"])
def test_a_refused_save_keeps_the_answer_and_the_next_save_retries(
    mini_bank: Bank,
    mini_grader: Grader,
    tmp_path: Path,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
    code: int,
) -> None:
    folder = tmp_path / "s"
    disk = Disk(monkeypatch, folder)
    interview = start_session(
        mini_bank, mini_grader, folder, clock, SessionSettings(questions=3, follow_ups=0, seed=2)
    )
    recorder = interview.on_record
    assert isinstance(recorder, Recorder)
    told: list[str | None] = []
    recorder.on_status = told.append
    interview.submit("one")
    disk.broken = code
    interview.submit("two")  # no exception: the interview goes on
    assert interview.current is not None and interview.current.number == 3
    assert recorder.save_error is not None and os.strerror(code) in recorder.save_error
    assert answers_in(folder) == ["one"]
    assert [r.answer for r in interview.records] == ["one", "two"]
    assert not recorder.retry()
    disk.broken = None
    assert recorder.retry()
    assert answers_in(folder) == ["one", "two"]
    assert told == [recorder.save_error or told[0], None] and told[0] is not None
    recorder.close()


def test_relocating_writes_every_answer_to_the_other_folder(
    mini_bank: Bank,
    mini_grader: Grader,
    tmp_path: Path,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder, rescue = tmp_path / "s", tmp_path / "rescue"
    disk = Disk(monkeypatch, folder)
    disk.broken = errno.ENOSPC
    interview = start_session(
        mini_bank, mini_grader, folder, clock, SessionSettings(questions=2, follow_ups=0, seed=2)
    )
    interview.submit("one")
    recorder = interview.on_record
    assert isinstance(recorder, Recorder)
    path = recorder.relocate(rescue)
    assert path.parent == rescue and recorder.save_error is None
    interview.submit("two")
    assert answers_in(rescue) == ["one", "two"]
    assert (rescue / f"{recorder.session_id}.md").is_file()  # finished: the report too
    assert not list(folder.glob("*.yaml"))


def started(bank: Bank, sessions: Path, clock: FakeClock) -> object:
    settings = SessionSettings(seed=11, questions=3, follow_ups=0)
    return make_app(bank, sessions, settings=settings, start_now=True, clock=clock, tick=0)


async def type_and_submit(pilot, text: str) -> None:
    pilot.app.screen.query_one("#answer", TextArea).insert(text)
    await pilot.pause()
    await pilot.press("ctrl+s")
    await pilot.pause()


async def test_the_interview_goes_on_says_so_and_saves_once_the_folder_is_back(
    mini_bank: Bank, tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    sessions = tmp_path / "s"
    disk = Disk(monkeypatch, sessions)
    app = started(mini_bank, sessions, clock)
    async with app.run_test(size=SIZE) as pilot:
        await type_and_submit(pilot, "first answer")
        disk.broken = errno.EACCES
        await type_and_submit(pilot, "second answer")
        assert isinstance(app.screen, InterviewScreen)
        assert app.interview.current.number == 3
        status = str(app.screen.query_one("#interview-status", Static).render())
        assert "NOT SAVED" in status and "Permission denied" in status
        assert any("Not saved" in n.message for n in app._notifications)
        assert answers_in(sessions) == ["first answer"]
        disk.broken = None
        clock.advance(app.screen.RETRY_EVERY)
        app.screen.save_draft_if_due()  # what the once-a-second timer does
        await pilot.pause()
        assert answers_in(sessions) == ["first answer", "second answer"]
        assert str(app.screen.query_one("#interview-status", Static).render()) == ""
        await type_and_submit(pilot, "third answer")
        assert isinstance(app.screen, SummaryScreen)
    assert answers_in(sessions) == ["first answer", "second answer", "third answer"]


async def test_save_elsewhere_writes_the_transcript_to_the_chosen_folder(
    mini_bank: Bank, tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    sessions, rescue = tmp_path / "s", tmp_path / "rescue"
    monkeypatch.setattr(locations, "rescue_dir", lambda: rescue)
    disk = Disk(monkeypatch, sessions)
    app = started(mini_bank, sessions, clock)
    async with app.run_test(size=SIZE) as pilot:
        disk.broken = errno.ENOSPC
        await type_and_submit(pilot, "first answer")
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, RescueDialog)
        assert app.screen.query_one("#rescue-folder", Input).value == str(rescue)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)
        assert answers_in(rescue) == ["first answer"]
        await type_and_submit(pilot, "second answer")
        assert answers_in(rescue) == ["first answer", "second answer"]


async def test_save_and_quit_with_the_folder_refusing_asks_where_instead_of_exiting(
    mini_bank: Bank, tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    sessions, rescue = tmp_path / "s", tmp_path / "elsewhere"
    disk = Disk(monkeypatch, sessions)
    app = started(mini_bank, sessions, clock)
    async with app.run_test(size=SIZE) as pilot:
        await type_and_submit(pilot, "first answer")
        disk.broken = errno.ENOSPC
        app.screen.query_one("#answer", TextArea).insert("half of the second")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, QuitDialog)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, RescueDialog)  # not gone: nothing would be saved
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen) and app.is_running
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        folder_input = app.screen.query_one("#rescue-folder", Input)
        folder_input.value = str(rescue)
        await pilot.press("enter")
        await pilot.pause()
    assert app.return_code in (0, None)
    (path,) = rescue.glob("*.yaml")
    saved = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert [a["answer"] for a in saved["answers"]] == ["first answer"]
    assert saved["draft"]["text"] == "half of the second"


async def test_the_summary_says_not_saved_and_quitting_asks_for_a_folder(
    mini_bank: Bank, tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    sessions, rescue = tmp_path / "s", tmp_path / "rescue"
    monkeypatch.setattr(locations, "rescue_dir", lambda: rescue)
    disk = Disk(monkeypatch, sessions)
    settings = SessionSettings(seed=11, questions=1, follow_ups=0)
    app = make_app(mini_bank, sessions, settings=settings, start_now=True, clock=clock, tick=0)
    async with app.run_test(size=SIZE) as pilot:
        disk.broken = errno.ENOSPC
        await type_and_submit(pilot, "the only answer")
        assert isinstance(app.screen, SummaryScreen)
        shown = str(app.screen.query_one("#saved-to", Static).render())
        assert "NOT saved" in shown and "No space left on device" in shown
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, RescueDialog) and app.is_running
        await pilot.press("enter")
        await pilot.pause()
    assert answers_in(rescue) == ["the only answer"]
    assert len(list(rescue.glob("*.md"))) == 1


async def test_a_stop_signal_with_the_folder_refusing_writes_to_the_rescue_folder(
    mini_bank: Bank, tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SIGTERM or a closed terminal: nobody to ask, so the suggested folder is used."""
    import signal

    sessions, rescue = tmp_path / "s", tmp_path / "rescue"
    monkeypatch.setattr(locations, "rescue_dir", lambda: rescue)
    disk = Disk(monkeypatch, sessions)
    app = started(mini_bank, sessions, clock)
    async with app.run_test(size=SIZE) as pilot:
        disk.broken = errno.ENOSPC
        await type_and_submit(pilot, "first answer")
        app.screen.query_one("#answer", TextArea).insert("typed when the signal came")
        await pilot.pause()
        app.keep_draft_and_exit(signal.SIGTERM)
        await pilot.pause()
    assert app.return_code == 128 + signal.SIGTERM
    (path,) = rescue.glob("*.yaml")
    saved = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert [a["answer"] for a in saved["answers"]] == ["first answer"]
    assert saved["draft"]["text"] == "typed when the signal came"
    assert f"--sessions-dir {rescue}" in app.resume_message()
