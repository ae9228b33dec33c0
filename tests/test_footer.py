"""Every screen's key bar is Textual's Footer: each key it shows is in view and can be clicked,
at the usual size and in a small terminal."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Button, Footer, TextArea

from interview_sim.core.bank import Bank
from interview_sim.core.settings import SessionSettings
from interview_sim.ui.app import make_app
from interview_sim.ui.screens.feedback import FeedbackScreen
from interview_sim.ui.screens.interview import InterviewScreen
from interview_sim.ui.screens.setup import SetupScreen
from interview_sim.ui.screens.summary import SummaryScreen
from interview_sim.ui.widgets.footer import Footer as KeyFooter

from .conftest import FakeClock

# What each screen's footer says, left to right; the palette key is always last, on the right.
EXPECTED = {
    SetupScreen: ["Start", "History", "Quit", "palette"],
    InterviewScreen: ["Submit", "Hint", "Skip", "Quit", "palette"],
    FeedbackScreen: ["Continue", "I covered this", "palette"],
    SummaryScreen: ["New interview", "History", "Quit", "palette"],
}


def keys_in_view(app) -> list[str]:
    """The descriptions of the footer keys drawn wholly on screen, none over another."""
    screen = app.screen
    keys = list(screen.query_one(Footer).query("FooterKey"))
    regions = [k.region for k in keys]
    for i, region in enumerate(regions):
        assert all(not region.overlaps(other) for other in regions[i + 1 :]), keys[i]
    return [k.description for k in keys if screen.region.contains_region(k.region)]


@pytest.mark.parametrize("size", [(100, 32), (60, 20)], ids=["100x32", "60x20"])
async def test_every_footer_key_is_in_view_on_every_screen(
    mini_bank: Bank, tmp_path: Path, clock: FakeClock, size: tuple[int, int]
) -> None:
    settings = SessionSettings(seed=7, questions=1, follow_ups=0, mode="practice")
    app = make_app(mini_bank, tmp_path / "s", settings=settings, clock=clock, tick=0)
    seen = []
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        for press in ("ctrl+s", "ctrl+s", "enter", None):
            await pilot.pause()
            assert keys_in_view(app) == EXPECTED[type(app.screen)], type(app.screen)
            seen.append(type(app.screen))
            if press == "ctrl+s" and isinstance(app.screen, InterviewScreen):
                app.screen.query_one("#answer", TextArea).insert("the logits are divided")
                await pilot.pause()
            if press is not None:
                await pilot.press(press)
    assert seen == [SetupScreen, InterviewScreen, FeedbackScreen, SummaryScreen]


async def test_a_click_on_a_footer_key_presses_it(
    mini_bank: Bank, tmp_path: Path, clock: FakeClock
) -> None:
    settings = SessionSettings(seed=7, questions=1, follow_ups=0)
    app = make_app(mini_bank, tmp_path / "s", settings=settings, clock=clock, tick=0)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)
        skip = next(k for k in app.screen.query("FooterKey") if k.description == "Skip")
        await pilot.click(skip)
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert [r.outcome for r in app.screen.transcript.records] == ["skipped"]


class Toggling(App[None]):
    """A screen whose second key is shown or hidden by check_action."""

    BINDINGS = [
        Binding("a", "noop", "Always", id="t.always"),
        Binding("b", "sometimes", "Sometimes", id="t.sometimes"),
    ]
    offered = True

    def compose(self) -> ComposeResult:
        yield Button("one", id="one")
        yield Button("two", id="two")
        yield KeyFooter()  # ours

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.offered if action == "sometimes" else True

    def action_noop(self) -> None:
        pass

    def action_sometimes(self) -> None:
        pass


async def test_the_footer_is_rebuilt_only_when_its_keys_change() -> None:
    app = Toggling()
    async with app.run_test(size=(60, 8)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(Footer)
        keys = list(footer.query("FooterKey"))
        assert [k.description for k in keys] == ["Always", "Sometimes", "palette"]
        await pilot.press("tab", "tab", "tab")  # focus moves: the bindings are updated...
        await pilot.pause()
        assert list(footer.query("FooterKey")) == keys  # ...but the same keys: not remade
        app.offered = False
        app.refresh_bindings()
        await pilot.pause()
        assert [k.description for k in footer.query("FooterKey")] == ["Always", "palette"]
