"""CLI options and the messages around them (issue 11): where a flag may go, what is said."""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from interview_sim import locations
from interview_sim.cli import sessions as cli_sessions
from interview_sim.cli.errors import CliError
from interview_sim.cli.main import main
from interview_sim.core.bank import Bank
from interview_sim.core.grading import Grader
from interview_sim.core.settings import SessionSettings

from .conftest import MINI_BANKS, FakeClock
from .transcript_factory import answer, good, session_id, start_session


@pytest.fixture(autouse=True)
def _mini_banks_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(locations, "bundled_banks_dir", lambda: MINI_BANKS)


@pytest.fixture
def launched(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, object]]:
    """What the app would have been started with (no UI is started; a resumed session's lock
    is let go at once, as the app's exit would)."""
    calls: list[dict[str, object]] = []

    def run_app(**kw: object) -> int:
        calls.append(kw)
        resumed = kw.get("resume_id")
        if isinstance(resumed, str):
            kw["store"].release(resumed)  # type: ignore[attr-defined]
        return 0

    monkeypatch.setattr(cli_sessions, "_run_app", run_app)
    return calls


def test_sessions_dir_before_the_subcommand(
    mini_bank: Bank,
    mini_grader: Grader,
    clock: FakeClock,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    launched: list[dict[str, object]],
) -> None:
    here = tmp_path / "here"
    going = start_session(
        mini_bank, mini_grader, here, clock, SessionSettings(questions=2, follow_ups=0, seed=4)
    )
    answer(going, good, steps=1, advance=clock.advance)
    sid = session_id(going)
    going.on_record.close()  # the first process has ended: its lock is let go

    assert main(["--sessions-dir", str(here), "review", "--json"]) == 0
    assert [s["id"] for s in json.loads(capsys.readouterr().out)["sessions"]] == [sid]
    assert main(["--sessions-dir", str(here), "report", sid, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == sid
    assert main(["--sessions-dir", str(here), "resume", sid]) == 0
    assert main(["--sessions-dir", str(here), "start", "--seed", "3"]) == 0
    assert main(["--sessions-dir", str(here)]) == 0  # a bare start
    # given on both sides, the one after the subcommand wins (as for any repeated option)
    assert main(["--sessions-dir", str(tmp_path / "no"), "resume", sid,
                     "--sessions-dir", str(here)]) == 0  # fmt: skip
    roots = [call["store"].root for call in launched]  # type: ignore[attr-defined]
    assert roots == [here] * 4


@pytest.mark.parametrize(
    ("flag", "value", "accepted"),
    [
        ("--minutes", "0", False),
        ("--minutes", "0.01", False),
        ("--minutes", "0.4", False),
        ("--minutes", "0.5", True),
        ("--minutes", "600", True),
        ("--minutes", "601", False),
        ("--minutes", "nan", False),
        ("--session-minutes", "0", False),
        ("--session-minutes", "0.5", True),
        ("--session-minutes", "inf", False),
    ],
    ids=lambda v: str(v),
)
def test_minutes_say_the_real_range(
    flag: str,
    value: str,
    accepted: bool,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    launched: list[dict[str, object]],
) -> None:
    code = main(["start", flag, value, "--sessions-dir", str(tmp_path)])
    err = capsys.readouterr().err
    if accepted:
        assert (code, err, len(launched)) == (0, "", 1)
    else:
        assert code == 2 and not launched
        assert "must be from 0.5 to 600" in err, err


def test_fewer_questions_than_asked_for_are_explained(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], launched: list[dict[str, object]]
) -> None:
    argv = ["start", "--questions", "20", "--difficulty", "hard", "--topic", "sampling"]
    assert main([*argv, "--sessions-dir", str(tmp_path)]) == 0
    assert capsys.readouterr().err == (
        "interview-sim: note: only 2 hard questions in topic sampling: "
        "the interview asks 2, not 20\n"
    )
    assert main(["start", "--questions", "2", "--difficulty", "hard", "--topic", "sampling",
                     "--sessions-dir", str(tmp_path)]) == 0  # fmt: skip
    assert capsys.readouterr().err == ""  # enough questions: nothing to say


EXAMPLE_BANK = Path(__file__).parent / "fixtures" / "example_bank" / "decoding_example.yaml"


@pytest.mark.parametrize(
    ("alias", "accepted"),
    [
        ("keeps the k best sequences at every single step", False),  # 9 words, 7 counted
        ("the model keeps several candidate sequences around", False),  # 6 counted
        ("keeps the k best sequences of all", True),  # 7 words, 5 counted (the, of skipped)
        ("k best sequences", True),
    ],
    ids=["nine-words", "six-content-words", "five-without-little-words", "three-words"],
)
def test_banks_validate_holds_aliases_to_five_words(
    alias: str, accepted: bool, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """banks/README.md: an alias is 1-5 words; concept and misconception aliases alike."""
    text = EXAMPLE_BANK.read_text(encoding="utf-8")
    concept = "aliases: [beam width, k candidates,"
    misconception = "aliases: [always finds the best sequence,"
    assert concept in text and misconception in text
    for i, (old, field) in enumerate(
        [(concept, "concepts[keeps k candidate sequences]"), (misconception, "misconceptions[0]")]
    ):
        bank = tmp_path / f"{i}.yaml"
        bank.write_text(text.replace(old, f"{old[:-1]}, {alias},"), encoding="utf-8")
        code = main(["banks", "validate", str(bank)])
        out = capsys.readouterr().out
        if accepted:
            assert (code, out.startswith("ok: ")) == (0, True), out
            continue
        assert code == 1
        line = next(n for n, t in enumerate(text.splitlines(), 1) if old in t)
        assert out.startswith(f"{bank}:{line}: dec-beam-search.{field}.aliases["), out
        assert "words; an alias is 1-5 words" in out


def test_start_without_a_terminal_exits_instead_of_spinning(tmp_path: Path) -> None:
    """`interview-sim start ... </dev/null | head -3` used to spin at 90% CPU, deaf to SIGTERM."""
    command = (
        f"{shlex.quote(sys.executable)} -m interview_sim start --topic decoding --questions 1 "
        f"--sessions-dir {shlex.quote(str(tmp_path))} </dev/null 2>{tmp_path / 'err'} | head -3"
    )
    process = subprocess.Popen(["bash", "-c", command], start_new_session=True)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        pytest.fail("still running after 30 s")
    err = (tmp_path / "err").read_text(encoding="utf-8")
    assert err.startswith("interview-sim: the interview needs a terminal, and its input (stdin)")
    assert "Traceback" not in err


def test_a_headless_run_needs_no_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Benchmarks run the real entry point headless (TEXTUAL=headless), without a terminal."""
    with pytest.raises(CliError, match="needs a terminal"):  # pytest's stdin is no tty
        cli_sessions._needs_a_terminal()
    monkeypatch.setenv("TEXTUAL", "debug, headless")
    cli_sessions._needs_a_terminal()
