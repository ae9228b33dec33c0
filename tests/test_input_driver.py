"""The input fixes of ui/driver.py at unit level (tmux checks them end to end in
test_e2e_input.py): a bracketed paste stays one Paste event however the terminal's bytes are
split between reads, and keys outside a paste are parsed as before."""

from __future__ import annotations

import time

import pytest
from textual import events
from textual.drivers.linux_driver import LinuxDriver

from interview_sim.core.settings import SessionSettings
from interview_sim.core.store import SessionStore
from interview_sim.ui.app import InterviewApp
from interview_sim.ui.driver import PasteSafeParser, SafeInputLinuxDriver

from .conftest import MINI_BANKS

START, END = "\x1b[200~", "\x1b[201~"
PASTED = "part one \x1b[0m PART-TWO\rline \x1b\x1b[2J two\x1b"
STREAM = "a" + START + PASTED + END + "b"


def _events(chunks: list[str]) -> list[object]:
    parser = PasteSafeParser()
    out: list[object] = []
    for chunk in chunks:
        out.extend(parser.feed(chunk))
    out.extend(parser.feed(""))
    return out


def _summary(found: list[object]) -> list[tuple[str, str]]:
    return [
        ("paste", e.text) if isinstance(e, events.Paste) else ("key", e.key)  # type: ignore[attr-defined]
        for e in found
        if isinstance(e, (events.Paste, events.Key))
    ]


EXPECTED = [("key", "a"), ("paste", PASTED.replace("\x1b", "\u241b")), ("key", "b")]


def test_a_paste_holding_escapes_is_one_paste_event() -> None:
    assert _summary(_events([STREAM])) == EXPECTED


@pytest.mark.parametrize("cut", range(1, len(STREAM)))
def test_a_paste_split_anywhere_between_two_reads_is_still_one_event(cut: int) -> None:
    assert _summary(_events([STREAM[:cut], STREAM[cut:]])) == EXPECTED


def test_a_paste_arriving_one_character_at_a_time_is_still_one_event() -> None:
    assert _summary(_events(list(STREAM))) == EXPECTED


def test_keys_and_escape_sequences_outside_a_paste_are_unchanged() -> None:
    parser = PasteSafeParser()
    found = list(parser.feed("x\x1b[A\x13"))  # x, up arrow, ctrl+s
    assert _summary(found) == [("key", "x"), ("key", "up"), ("key", "ctrl+s")]
    found = list(parser.feed("\x1b"))  # the escape key alone: reported once its delay passes
    time.sleep(0.2)
    found += list(parser.tick())
    assert _summary(found) == [("key", "escape")]


def test_the_app_uses_the_fixed_driver_where_textual_would_use_the_linux_one() -> None:
    from interview_sim.core.bank import load_bank

    app = InterviewApp(
        load_bank([MINI_BANKS]), SessionStore(MINI_BANKS), settings=SessionSettings()
    )
    assert issubclass(SafeInputLinuxDriver, LinuxDriver)
    assert app.driver_class is SafeInputLinuxDriver
