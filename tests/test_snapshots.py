"""What each screen looks like (pytest-textual-snapshot). Review new SVGs before accepting."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, OptionList, TextArea

from interview_sim.core.bank import Bank
from interview_sim.core.settings import SessionSettings
from interview_sim.core.store import SessionStore
from interview_sim.ui.app import make_app

from .conftest import FakeClock
from .snapshot_helpers import recorded_session

SIZE = (100, 32)
FIXED_ID = "20261101-090000-abcd"


@pytest.fixture
def fixed_ids(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setattr(SessionStore, "new_id", staticmethod(lambda: FIXED_ID))
    monkeypatch.chdir(tmp_path)
    return Path("sessions")


def no_blink(pilot) -> None:
    for widget in pilot.app.screen.query(TextArea):
        widget.cursor_blink = False
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False


def started(bank: Bank, sessions: Path, **settings) -> object:
    base = {"seed": 11, "questions": 2, "follow_ups": 1, **settings}
    return make_app(
        bank, sessions, settings=SessionSettings(**base), start_now=True, clock=FakeClock(), tick=0
    )


def one_sampling_question(bank: Bank, sessions: Path) -> object:
    """A practice session of one easy sampling question: feedback after the answer."""
    return started(
        bank, sessions, mode="practice", topics=("sampling",), difficulty="easy", questions=1
    )


async def submitted(pilot, answer: str) -> None:
    """Type ``answer`` in the answer box and submit it (Ctrl+S), the caret kept still."""
    no_blink(pilot)
    pilot.app.screen.query_one("#answer", TextArea).insert(answer)
    await pilot.press("ctrl+s")


def test_setup_screen(snap_compare, mini_bank: Bank, fixed_ids: Path) -> None:
    app = make_app(mini_bank, fixed_ids, settings=SessionSettings(seed=11), tick=0)
    assert snap_compare(app, terminal_size=SIZE, run_before=no_blink)


def test_setup_screen_small_terminal(snap_compare, mini_bank: Bank, fixed_ids: Path) -> None:
    app = make_app(mini_bank, fixed_ids, settings=SessionSettings(seed=11), tick=0)
    assert snap_compare(app, terminal_size=(60, 20), run_before=no_blink)


def test_interview_screen_with_hint(snap_compare, mini_bank: Bank, fixed_ids: Path) -> None:
    async def run_before(pilot) -> None:
        no_blink(pilot)
        pilot.app.screen.query_one("#answer", TextArea).insert(
            "Temperature divides the logits.\n[bold]literal[/] markup stays literal 🤖"
        )
        await pilot.press("ctrl+t")

    assert snap_compare(started(mini_bank, fixed_ids), terminal_size=SIZE, run_before=run_before)


def test_feedback_screen(snap_compare, mini_bank: Bank, fixed_ids: Path) -> None:
    async def run_before(pilot) -> None:
        await submitted(
            pilot,
            "Temperature divides the logits before the softmax, so a low temperature is more "
            "deterministic. It removes tokens from the vocabulary.",
        )

    assert snap_compare(
        one_sampling_question(mini_bank, fixed_ids), terminal_size=SIZE, run_before=run_before
    )


def test_feedback_screen_with_the_wrong_claims_opened(
    snap_compare, mini_bank: Bank, fixed_ids: Path
) -> None:
    """No claim flagged: the question's wrong claims the grader can miss, opened by key."""

    async def run_before(pilot) -> None:
        await submitted(pilot, "Temperature divides the logits before the softmax.")
        await pilot.pause()
        await pilot.press("tab", "enter")

    assert snap_compare(
        one_sampling_question(mini_bank, fixed_ids), terminal_size=SIZE, run_before=run_before
    )


def test_feedback_screen_after_a_dispute(snap_compare, mini_bank: Bank, fixed_ids: Path) -> None:
    """ "Not what I said" taken on the flagged claim: shown in yellow, the score self-assessed."""

    async def run_before(pilot) -> None:
        await submitted(
            pilot,
            "Temperature divides the logits before the softmax, so a low temperature is more "
            "deterministic. Unlike top-k, which removes tokens from the vocabulary, it only "
            "reshapes the distribution.",
        )
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        pilot.app.screen.query_one(OptionList).focus()
        await pilot.press("enter")

    assert snap_compare(
        one_sampling_question(mini_bank, fixed_ids), terminal_size=SIZE, run_before=run_before
    )


def test_quit_dialog(snap_compare, mini_bank: Bank, fixed_ids: Path) -> None:
    async def run_before(pilot) -> None:
        no_blink(pilot)
        await pilot.press("escape")

    assert snap_compare(
        started(mini_bank, fixed_ids), terminal_size=(60, 20), run_before=run_before
    )


def test_summary_screen(snap_compare, mini_bank: Bank, fixed_ids: Path) -> None:
    async def run_before(pilot) -> None:
        await submitted(pilot, "It divides the logits; low temperature is more deterministic.")
        await pilot.pause()
        await submitted(pilot, "k most likely tokens")

    app = started(mini_bank, fixed_ids, follow_ups=0, topics=("sampling",), difficulty="easy")
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_history_screen(
    snap_compare, mini_bank: Bank, fixed_ids: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INTERVIEW_SIM_NOW", "2026-11-03T10:00:00+00:00")  # what is due
    recorded_session(
        mini_bank,
        fixed_ids,
        "20261101-090000-aaaa",
        "2026-11-01T09:00:00+00:00",
        ["divides the logits", "no idea"],
        topics=("sampling",),
    )
    recorded_session(
        mini_bank,
        fixed_ids,
        "20261102-090000-bbbb",
        "2026-11-02T09:00:00+00:00",
        [None, None],
        seed=9,
        questions=3,
        finish=False,
    )
    (fixed_ids / "20261103-090000-cccc.yaml").write_text("schema_version: 99\n")

    async def run_before(pilot) -> None:
        await pilot.pause(0.3)  # the listing loads on a worker thread

    app = make_app(mini_bank, fixed_ids, open_history=True, tick=0)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
