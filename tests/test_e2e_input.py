"""Terminal input Textual 8.2 mishandles (issue 13, items 15 and 16), in a real terminal (tmux):
a bracketed paste holding ESC, and a byte that is not UTF-8. See interview_sim/ui/driver.py."""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from .test_e2e_tmux import TMUX, Terminal, only_transcript, start_command, wait_until

pytestmark = pytest.mark.e2e


@pytest.fixture
def term() -> Iterator[Terminal]:
    if TMUX is None:
        pytest.skip("tmux is not installed")
    terminal = Terminal(f"isim-input-{uuid.uuid4().hex[:8]}")
    yield terminal
    terminal.close()


def _paste(term: Terminal, text: str, tmp_path: Path) -> None:
    """Paste as a terminal does when the app asked for bracketed paste (ESC[200~ ... ESC[201~);
    tmux sends the buffer's newlines as CR, as most terminals do."""
    source = tmp_path / "clipboard.txt"
    source.write_bytes(text.encode("utf-8"))
    buffer = f"{term.name}-clip"
    assert TMUX is not None
    subprocess.run([TMUX, "load-buffer", "-b", buffer, str(source)], check=True)
    subprocess.run([TMUX, "paste-buffer", "-p", "-d", "-b", buffer, "-t", term.name], check=True)


def test_a_paste_holding_escape_lands_whole_in_its_box(term: Terminal, tmp_path: Path) -> None:
    sessions = tmp_path / "sessions"
    term.start(start_command(sessions), tmp_path)
    term.wait_for("Q1 of 3")
    _paste(term, "part one \x1b[0m PART-TWO\nline two \x1b[2J\x1b]52;c;aGk=\x07 end", tmp_path)
    screen = term.wait_for("line two ␛[2J␛]52;c;aGk=␇ end")
    assert "part one ␛[0m PART-TWO" in screen
    assert "Q1 of 3" in screen  # nothing was submitted
    term.keys("C-s")
    screen = term.wait_for("Q2 of 3")
    assert "PART-TWO" not in screen  # nothing spilled into the next question's box
    _, saved = only_transcript(sessions)
    assert [a["answer"] for a in saved["answers"]] == [
        "part one ␛[0m PART-TWO\nline two ␛[2J␛]52;c;aGk=␇ end"
    ]
    term.keys("Escape")
    term.wait_for("Save")
    term.keys("s")
    wait_until(term.dead)


def test_a_byte_that_is_not_utf8_does_not_end_the_app(term: Terminal, tmp_path: Path) -> None:
    sessions = tmp_path / "sessions"
    term.start(start_command(sessions), tmp_path)
    term.wait_for("Q1 of 3")
    term.type("hello ")
    term.keys("-H", "ff")
    term.type("world")
    term.wait_for("hello \ufffdworld")
    assert not term.dead()
    term.keys("C-s")
    term.wait_for("Q2 of 3")
    _, saved = only_transcript(sessions)
    assert saved["answers"][0]["answer"] == "hello \ufffdworld"
    term.keys("Escape")
    term.wait_for("Save")
    term.keys("s")
    wait_until(term.dead)
