"""One session, one writer: a second process resuming it is refused and told who has it."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from textual.widgets import Static

from interview_sim import locations
from interview_sim.cli import sessions as cli_sessions
from interview_sim.cli.main import main
from interview_sim.core.bank import Bank
from interview_sim.core.grading import Grader
from interview_sim.core.lock import SessionLock, SessionLockedError, lock_path
from interview_sim.core.recorder import Recorder, resume_interview
from interview_sim.core.settings import SessionSettings
from interview_sim.core.store import SessionStore
from interview_sim.ui.app import make_app
from interview_sim.ui.screens.interview import InterviewScreen
from interview_sim.ui.screens.locked_dialog import LockedDialog
from interview_sim.ui.screens.transcript_view import TranscriptScreen

from .conftest import MINI_BANKS, FakeClock
from .transcript_factory import answer, good, start_session

SIZE = (100, 32)

# A second process that resumes the session (taking its lock), says so, and waits.
HOLDER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from interview_sim.core.bank import load_bank
    from interview_sim.core.grading import Grader
    from interview_sim.core.recorder import resume_interview
    from interview_sim.core.store import SessionStore
    bank = load_bank([Path(sys.argv[1])])
    store = SessionStore(Path(sys.argv[2]))
    interview = resume_interview(bank, Grader(bank.questions()), store,
                                 store.load(sys.argv[3]), time.monotonic)
    interview.start()
    print("holding", flush=True)
    if sys.argv[4] == "answer":
        interview.submit("answered in the other terminal")
        print("answered", flush=True)
    time.sleep(60)
""")


@pytest.fixture
def in_progress(
    mini_bank: Bank, mini_grader: Grader, tmp_path: Path, clock: FakeClock
) -> tuple[Path, str]:
    """A session with one answer, its process gone."""
    root = tmp_path / "sessions"
    interview = start_session(
        mini_bank, mini_grader, root, clock, SessionSettings(questions=3, follow_ups=0, seed=4)
    )
    answer(interview, good, steps=1, advance=clock.advance)
    recorder = interview.on_record
    assert isinstance(recorder, Recorder)
    recorder.close()
    return root, recorder.session_id


@pytest.fixture
def other_process(in_progress: tuple[Path, str]) -> Iterator[subprocess.Popen[str]]:
    """Another terminal that has resumed the session and is answering in it."""
    root, sid = in_progress
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(MINI_BANKS), str(root), sid, "idle"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "holding"
    yield proc
    proc.kill()
    proc.wait()


def test_a_second_process_is_refused_and_told_who_has_it(
    mini_bank: Bank,
    mini_grader: Grader,
    in_progress: tuple[Path, str],
    other_process: subprocess.Popen[str],
    clock: FakeClock,
) -> None:
    root, sid = in_progress
    store = SessionStore(root)
    with pytest.raises(SessionLockedError) as caught:
        resume_interview(mini_bank, mini_grader, store, store.load(sid), clock)
    message = str(caught.value)
    assert re.fullmatch(
        rf"session {sid} is open in another terminal since \d\d:\d\d "
        rf"\(pid {other_process.pid}\)",
        message,
    ), message
    assert caught.value.pid == other_process.pid


def test_the_lock_goes_with_a_killed_process(
    mini_bank: Bank,
    mini_grader: Grader,
    in_progress: tuple[Path, str],
    other_process: subprocess.Popen[str],
    clock: FakeClock,
) -> None:
    root, sid = in_progress
    os.kill(other_process.pid, signal.SIGKILL)
    other_process.wait()
    store = SessionStore(root)
    resumed = resume_interview(mini_bank, mini_grader, store, store.load(sid), clock)
    assert resumed.start() is not None
    resumed.on_record.close()  # type: ignore[union-attr]
    assert not lock_path(root, sid).exists()  # released cleanly: its file is gone too


def test_answers_of_both_terminals_survive(
    mini_bank: Bank, mini_grader: Grader, in_progress: tuple[Path, str], clock: FakeClock
) -> None:
    """Issue 13, item 1: submit in A, then B, then A kept only A's answers. Now B cannot
    resume while A has it, and resumes A's answers once A has ended."""
    root, sid = in_progress
    a = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(MINI_BANKS), str(root), sid, "answer"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert a.stdout is not None
        assert [a.stdout.readline().strip() for _ in range(2)] == ["holding", "answered"]
        store = SessionStore(root)
        with pytest.raises(SessionLockedError):
            resume_interview(mini_bank, mini_grader, store, store.load(sid), clock)
    finally:
        a.kill()
        a.wait()
    stale = store.load(sid)  # read before A ended would be just as good: resume reads again
    b = resume_interview(mini_bank, mini_grader, store, stale, clock)
    b.start()
    b.submit("answered here afterwards")
    saved = yaml.safe_load((root / f"{sid}.yaml").read_text(encoding="utf-8"))
    assert [x["answer"] for x in saved["answers"]][1:] == [
        "answered in the other terminal",
        "answered here afterwards",
    ]
    b.on_record.close()  # type: ignore[union-attr]


def test_cli_resume_of_a_session_open_elsewhere_exits_2_with_one_line(
    in_progress: tuple[Path, str],
    other_process: subprocess.Popen[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    root, sid = in_progress
    monkeypatch.setattr(locations, "bundled_banks_dir", lambda: MINI_BANKS)
    monkeypatch.setattr(cli_sessions, "_run_app", lambda **kw: pytest.fail("app launched"))
    code = main(["resume", sid, "--sessions-dir", str(root)])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert re.fullmatch(
        rf"interview-sim: session {sid} is open in another terminal since "
        rf"\d\d:\d\d \(pid {other_process.pid}\)\n",
        err,
    ), err


def test_a_lock_held_in_this_store_is_handed_on_not_refused(tmp_path: Path) -> None:
    """`resume` takes the lock before the app starts; the app's resume finds it taken by
    the same store and carries on, while any other holder is refused."""
    store = SessionStore(tmp_path)
    sid = "20261205-101010-abcd"
    first = store.lock(sid)
    assert store.lock(sid) is first
    with pytest.raises(SessionLockedError, match=f"pid {os.getpid()}"):
        SessionLock.acquire(tmp_path, sid)  # another open of the file: another holder
    store.release(sid)
    with SessionLock.acquire(tmp_path, sid) as again:
        assert again.held
    assert not lock_path(tmp_path, sid).exists()


@pytest.mark.parametrize("choice", ["r", "q"])
async def test_the_app_says_who_has_it_and_offers_read_only(
    mini_bank: Bank,
    in_progress: tuple[Path, str],
    other_process: subprocess.Popen[str],
    clock: FakeClock,
    choice: str,
) -> None:
    root, sid = in_progress
    app = make_app(mini_bank, root, resume_id=sid, clock=clock, tick=0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LockedDialog)
        shown = str(app.screen.query_one("#locked-message", Static).render())
        assert f"session {sid} is open in another terminal since" in shown
        assert f"(pid {other_process.pid})" in shown
        await pilot.press(choice)
        await pilot.pause()
        if choice == "r":
            assert isinstance(app.screen, TranscriptScreen)
            assert app.screen.transcript.id == sid
            assert not any(isinstance(s, InterviewScreen) for s in app.screen_stack)
    if choice == "q":
        assert app.return_code == 2
    assert not any(isinstance(s, InterviewScreen) for s in app.screen_stack)
    # nothing written by the refused process
    saved = yaml.safe_load((root / f"{sid}.yaml").read_text(encoding="utf-8"))
    assert len(saved["answers"]) == 1


def test_a_lock_held_for_an_instant_by_a_sweep_is_waited_for(tmp_path: Path) -> None:
    """Starting an interview sweeps lock files nobody holds, holding each for an instant: a
    resume at that moment must not be told the session is open elsewhere."""
    import fcntl
    import threading

    sid = "20261205-101010-abcd"
    path = lock_path(tmp_path, sid)
    path.write_text("999999999 2026-12-05T10:42:00+00:00\n")  # its holder is long gone
    fd = os.open(path, os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)  # the sweep, mid-way
    threading.Timer(0.05, os.close, (fd,)).start()
    with SessionLock.acquire(tmp_path, sid) as lock:
        assert lock.held
