"""Files in the sessions folder that we did not write (issue 13, items 4-8 and 17): each is
listed as unreadable with its reason, or read safely; nothing hangs, crashes or is modified."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
import yaml
from textual.widgets import DataTable

from interview_sim import locations
from interview_sim.cli.main import main
from interview_sim.core import index as index_module
from interview_sim.core.bank import Bank
from interview_sim.core.grading import Grader
from interview_sim.core.store import SessionStore
from interview_sim.core.transcript import TranscriptError, read_transcript
from interview_sim.ui.app import make_app
from interview_sim.ui.screens.history import HistoryScreen
from interview_sim.ui.screens.transcript_view import TranscriptScreen

from .conftest import MINI_BANKS, FakeClock
from .transcript_factory import answer, good, session_id, start_session


@pytest.fixture(autouse=True)
def _mini_banks_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(locations, "bundled_banks_dir", lambda: MINI_BANKS)


@pytest.fixture
def folder(mini_bank: Bank, mini_grader: Grader, tmp_path: Path, clock: FakeClock) -> Path:
    """A sessions folder with one finished session."""
    root = tmp_path / "sessions"
    done = start_session(mini_bank, mini_grader, root, clock, _settings())
    answer(done, good, advance=clock.advance)
    return root


def _settings():  # type: ignore[no-untyped-def]
    from interview_sim.core.settings import SessionSettings

    return SessionSettings(questions=2, follow_ups=0, seed=5)


def _the_transcript(root: Path) -> Path:
    (path,) = root.glob("*.yaml")
    return path


def _review_json(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict, str]:
    code = main(["review", "--json", "--sessions-dir", str(root)])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out else {}), err


# --------------------------------------------------------------------------- 4: alias bombs


def _alias_bomb(levels: int) -> str:
    """Anchors nested `levels` deep, nine aliases each: 9**levels strings once expanded."""
    lines = ['j0: &j0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        lines.append(f"j{i}: &j{i} [" + ", ".join([f"*j{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_in_a_transcript_is_refused_not_expanded(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _the_transcript(folder)
    text = path.read_text(encoding="utf-8")
    # the bomb's anchors at the top, its last alias as an answer's notes (`notes: [*j]`)
    levels = 6  # 531,441 strings: slow to expand, not dangerous; the had 9 levels
    bombed = _alias_bomb(levels) + text.replace("notes: []", f"notes: [*j{levels - 1}]", 1)
    assert bombed != _alias_bomb(levels) + text
    path.write_text(bombed, encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(TranscriptError, match="alias"):
        read_transcript(path)
    code, listing, _ = _review_json(folder, capsys)
    assert code == 0
    assert listing["sessions"] == []
    assert listing["unreadable"][0]["file"] == path.name
    assert "aliases are not allowed" in listing["unreadable"][0]["reason"]
    assert time.perf_counter() - started < 2.0


def test_the_full_size_alias_bomb_is_refused_at_once(folder: Path) -> None:
    path = _the_transcript(folder)
    text = path.read_text(encoding="utf-8")
    path.write_text(_alias_bomb(9) + text.replace("notes: []", "notes: [*j8]", 1), "utf-8")
    started = time.perf_counter()
    with pytest.raises(TranscriptError, match=r"line \d+: an alias \(\*j0\)"):
        read_transcript(path)
    assert time.perf_counter() - started < 1.0


def test_text_with_ampersands_and_stars_still_reads(folder: Path) -> None:
    path = _the_transcript(folder)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("notes: []", "notes: ['Q&A *emphasis* & more']", 1), "utf-8")
    assert "Q&A *emphasis* & more" in read_transcript(path).records[0].grade.notes


# --------------------------------------------------------------------------- 5: NaN, infinity


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf", ".NaN"])
@pytest.mark.parametrize("field", ["elapsed_seconds", "seconds", "minutes_per_question"])
def test_non_finite_numbers_are_refused(
    folder: Path, field: str, value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _the_transcript(folder)
    text = path.read_text(encoding="utf-8")
    edited, n = _set_first(text, field, value)
    assert n, field
    path.write_text(edited, encoding="utf-8")
    with pytest.raises(TranscriptError, match=f"{field}: expected a finite number"):
        read_transcript(path)
    code, listing, _ = _review_json(folder, capsys)
    assert code == 0 and listing["sessions"] == []
    assert "finite" in listing["unreadable"][0]["reason"]


def _set_first(text: str, field: str, value: str) -> tuple[str, int]:
    out, n = [], 0
    for line in text.splitlines(keepends=True):
        key = line.strip().removeprefix("- ")
        if not n and key.startswith(f"{field}: "):
            out.append(line[: line.index(field)] + f"{field}: {value}\n")
            n += 1
        else:
            out.append(line)
    return "".join(out), n


def test_a_nan_left_in_the_index_by_an_older_version_is_read_again(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = SessionStore(folder)
    (row,) = store.rows()[0]
    index_path = folder / ".index.json"
    index = index_module.flat_entries(index_path.read_bytes())
    entry = index[row.file]  # [mtime, size, id, ..., status, ..., duration, ...]
    assert (entry[6], entry[10]) == (row.status, row.duration)
    entry[10] = float("nan")
    index_path.write_bytes(index_module.written(index))
    code, listing, _ = _review_json(folder, capsys)
    assert code == 0 and listing["sessions"][0]["duration"] == row.duration
    assert store.rows()[0][0].duration == row.duration


# --------------------------------------------------------------------------- 6: copies


async def test_a_copy_of_a_transcript_is_listed_by_its_file_name(
    folder: Path, mini_bank: Bank
) -> None:
    original = _the_transcript(folder)
    copy = folder / "backup copy.yaml"
    copy.write_bytes(original.read_bytes())
    rows, bad = SessionStore(folder).rows()
    assert sorted(r.file for r in rows) == sorted([original.name, copy.name])
    assert rows[0].id == rows[1].id and bad == []

    app = make_app(mini_bank, folder, open_history=True, tick=0)
    async with app.run_test(size=(100, 32)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        table = app.screen.query_one("#sessions", DataTable)
        assert table.row_count == 2
        files = []
        for row in range(2):
            table.focus()
            table.move_cursor(row=row)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, TranscriptScreen)
            files.append(app.screen.file)
            await pilot.press("escape")
            await pilot.pause()
        assert sorted(files) == sorted([original.name, copy.name])
        dates = [str(table.get_row_at(row)[0]) for row in range(2)]
        assert sorted(d.split(" · ")[1] for d in dates) == sorted([original.name, copy.name])


# --------------------------------------------------------------------------- 7: not files


def test_links_to_devices_pipes_and_nowhere_are_listed_as_unreadable(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good_name = _the_transcript(folder).name
    (folder / "zero.yaml").symlink_to("/dev/zero")
    os.mkfifo(folder / "pipe.yaml")
    (folder / "dangling.yaml").symlink_to(folder / "gone.yaml")
    (folder / "loop-a.yaml").symlink_to(folder / "loop-b.yaml")
    (folder / "loop-b.yaml").symlink_to(folder / "loop-a.yaml")
    (folder / "folder.yaml").mkdir()
    (folder / "linked.yaml").symlink_to(folder / good_name)  # a link to a transcript reads
    with (folder / "huge.yaml").open("wb") as fh:
        fh.truncate(21 * 1024 * 1024)  # sparse: takes no room
    started = time.perf_counter()
    code, listing, err = _review_json(folder, capsys)
    assert code == 0, err
    assert time.perf_counter() - started < 5.0
    assert sorted(r["file"] for r in listing["sessions"]) == sorted([good_name, "linked.yaml"])
    reasons = {u["file"]: u["reason"] for u in listing["unreadable"]}
    assert reasons == {
        "dangling.yaml": "a symbolic link to a file that does not exist",
        "folder.yaml": "not a regular file (a folder)",
        "huge.yaml": "too large (21.0 MB; at most 20.0 MB)",
        "loop-a.yaml": "a symbolic link in a loop (it never reaches a file)",
        "loop-b.yaml": "a symbolic link in a loop (it never reaches a file)",
        "pipe.yaml": "not a regular file (a named pipe)",
        "zero.yaml": "not a regular file (a device)",
    }
    assert os.readlink(folder / "zero.yaml") == "/dev/zero"  # left as they were


@pytest.mark.parametrize("make", ["fifo", "zero", "dangling"])
def test_report_and_resume_of_a_session_that_is_not_a_file_say_why(
    tmp_path: Path, make: str, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "s"
    root.mkdir()
    path = root / "20250101-000000-abcd.yaml"
    if make == "fifo":
        os.mkfifo(path)
    elif make == "zero":
        path.symlink_to("/dev/zero")
    else:
        path.symlink_to(root / "nothing.yaml")
    for command in (["report", path.stem], ["resume", path.stem]):
        code = main([*command, "--sessions-dir", str(root)])
        err = capsys.readouterr().err
        assert code == 2, (command, err)
        assert err.startswith(f"interview-sim: {path.name}: "), err
        assert "regular file" in err or "symbolic link" in err, err


# --------------------------------------------------------------------------- 8: bad folders


def test_review_json_of_a_file_or_unreadable_folder_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a_file = tmp_path / "not-a-folder"
    a_file.write_text("x", encoding="utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0)
    try:
        for root, why in ((a_file, "Not a directory"), (locked, "Permission denied")):
            if why == "Permission denied" and os.access(locked, os.R_OK):
                continue  # running as root: every folder can be read
            code, listing, err = _review_json(root, capsys)
            assert code == 2
            assert err == f"interview-sim: cannot list the sessions folder {root}: {why}\n"
            assert listing == {}
    finally:
        locked.chmod(0o755)


async def test_the_history_screen_of_a_folder_that_is_a_file_says_so(
    tmp_path: Path, mini_bank: Bank
) -> None:
    a_file = tmp_path / "not-a-folder"
    a_file.write_text("x", encoding="utf-8")
    app = make_app(mini_bank, a_file, open_history=True, tick=0)
    async with app.run_test(size=(100, 32)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        messages = [n.message for n in app._notifications]
        assert any("cannot list the sessions folder" in m for m in messages), messages


# --------------------------------------------------------------------------- 17: export


async def test_export_replaces_a_symlinked_report_instead_of_writing_through_it(
    folder: Path, mini_bank: Bank, tmp_path: Path
) -> None:
    transcript = _the_transcript(folder)
    victim = tmp_path / "precious.txt"
    victim.write_text("keep me", encoding="utf-8")
    report = transcript.with_suffix(".md")
    report.unlink(missing_ok=True)
    report.symlink_to(victim)
    app = make_app(mini_bank, folder, open_history=True, tick=0)
    async with app.run_test(size=(100, 32)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert not report.is_symlink()
    assert report.read_text(encoding="utf-8").startswith("# ")
    assert [p.name for p in folder.iterdir() if p.name.endswith(".tmp")] == []


def test_a_saved_transcript_never_holds_an_alias(
    mini_bank: Bank, mini_grader: Grader, tmp_path: Path, clock: FakeClock
) -> None:
    """What we write, we read: the writer never uses anchors, which the reader refuses."""
    interview = start_session(mini_bank, mini_grader, tmp_path, clock, _settings())
    answer(interview, good, advance=clock.advance)
    path = tmp_path / f"{session_id(interview)}.yaml"
    events = list(yaml.parse(path.read_text(encoding="utf-8")))
    assert not [e for e in events if isinstance(e, yaml.AliasEvent)]
    assert read_transcript(path).id == session_id(interview)
