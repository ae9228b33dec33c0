"""Remembered choices (issue 11, item 16): the setup screen's settings and the theme are kept
between runs in a small file, written atomically; a damaged one is ignored with a warning."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from interview_sim import locations
from interview_sim.cli import sessions as cli_sessions
from interview_sim.cli.main import main
from interview_sim.core.bank import Bank
from interview_sim.core.preferences import Preferences, PreferencesError, load, save
from interview_sim.core.settings import SessionSettings
from interview_sim.ui.app import InterviewApp, make_app
from interview_sim.ui.widgets.choice import Choice
from interview_sim.ui.widgets.number_field import NumberField

from .conftest import MINI_BANKS, FakeClock


@pytest.fixture
def launched(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, object]]:
    monkeypatch.setattr(locations, "bundled_banks_dir", lambda: MINI_BANKS)
    calls: list[dict[str, object]] = []
    monkeypatch.setattr(cli_sessions, "_run_app", lambda **kw: calls.append(kw) or 0)
    return calls


async def test_setup_choices_and_theme_are_kept_for_the_next_run(
    mini_bank: Bank, tmp_path: Path, clock: FakeClock
) -> None:
    path = tmp_path / "config" / "preferences.json"
    app = make_app(mini_bank, tmp_path / "s", clock=clock, tick=0, preferences_path=path)
    async with app.run_test(size=(100, 32)) as pilot:
        app.screen.query_one("#questions", NumberField).value = "3"
        app.screen.query_one("#mode", Choice).value = "practice"
        app.screen.query_one("#session-minutes", NumberField).value = "45"
        app.screen.query_one("#seed", NumberField).value = "99"
        await pilot.press("ctrl+s")
        await pilot.pause()
        app.theme = "nord"
        await pilot.pause()
        await app.workers.wait_for_complete()
    kept = load(path)
    assert kept.theme == "nord"
    assert kept.settings == SessionSettings(
        questions=3, mode="practice", session_minutes=45.0, seed=0
    )  # the seed is not kept: the next interview draws its own
    assert not list(path.parent.glob(".*.tmp"))  # written via a temporary file, renamed


def test_the_next_run_starts_from_them(tmp_path: Path, launched: list[dict[str, object]]) -> None:
    path = Path(locations.preferences_file() or "")
    kept = SessionSettings(topics=("sampling",), questions=3, mode="practice")
    save(path, Preferences(kept, "nord"))
    assert main(["--sessions-dir", str(tmp_path)]) == 0  # the setup screen
    assert launched[0]["settings"] == kept and launched[0]["start_now"] is False
    assert launched[0]["preferences"] == Preferences(kept, "nord")
    assert "warning" not in launched[0]
    # flags given: the interview they describe, not the remembered one
    assert main(["start", "--questions", "2", "--sessions-dir", str(tmp_path)]) == 0
    assert launched[1]["settings"] == SessionSettings(questions=2)


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        "[]",
        '{"version": 9}',
        '{"version": 1, "settings": {"questions": "x"}}',
        '{"version": 1, "settings": {"topics": ["gone"]}}',
        "\udcff",
    ],
    ids=["broken", "list", "newer", "bad-field", "unknown-topic", "bad-bytes"],
)
def test_a_damaged_file_is_ignored_with_a_warning(
    content: str, tmp_path: Path, launched: list[dict[str, object]]
) -> None:
    path = Path(locations.preferences_file() or "")
    path.parent.mkdir(parents=True)
    path.write_bytes(content.encode("utf-8", "surrogateescape"))
    assert main(["--sessions-dir", str(tmp_path)]) == 0
    assert launched[0]["settings"] == SessionSettings()
    warning = str(launched[0]["warning"])
    assert warning.startswith("Your last choices were not"), warning
    if content != '{"version": 1, "settings": {"topics": ["gone"]}}':
        assert str(path) in warning


async def test_the_app_applies_the_theme_and_shows_the_warning(
    mini_bank: Bank, tmp_path: Path, clock: FakeClock
) -> None:
    app = InterviewApp(
        mini_bank,
        cli_sessions.SessionStore(tmp_path / "s"),
        settings=SessionSettings(),
        clock=clock,
        tick=0,
        preferences=Preferences(None, "nord"),
        warning="Your last choices were not loaded: x. Defaults are used.",
    )
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert app.theme == "nord"
        assert [n.message for n in app._notifications][-1].startswith("Your last choices")


def test_load_names_the_file_and_the_problem(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    assert load(path) == Preferences()  # no file yet: nothing kept
    path.write_text(json.dumps({"version": 1, "settings": {"minutes_per_question": "3"}}))
    with pytest.raises(PreferencesError, match=r"p\.json: settings\.minutes_per_question"):
        load(path)
