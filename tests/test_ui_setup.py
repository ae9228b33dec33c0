"""Pilot tests of the setup screen and its light widgets (TickList, PlainButton) and its Footer."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from textual.app import App, ComposeResult
from textual.events import Paste
from textual.widgets import Footer
from textual.widgets.input import Selection

from interview_sim import locations
from interview_sim.core.bank import Bank, load_bank
from interview_sim.core.settings import SessionSettings
from interview_sim.ui.app import make_app
from interview_sim.ui.screens.history import HistoryScreen
from interview_sim.ui.screens.interview import InterviewScreen
from interview_sim.ui.screens.setup import SetupScreen
from interview_sim.ui.widgets.choice import Choice
from interview_sim.ui.widgets.number_field import NumberField
from interview_sim.ui.widgets.tick_list import TickList

from .conftest import FakeClock

SIZE = (100, 32)


def setup_app(bank: Bank, tmp_path: Path, clock: FakeClock, **settings) -> object:
    return make_app(
        bank, tmp_path / "s", settings=SessionSettings(seed=7, **settings), clock=clock, tick=0
    )


class TickListApp(App[None]):
    CSS = "TickList { max-height: 5; }"

    def compose(self) -> ComposeResult:
        yield TickList([(f"option {i}", i, i == 3) for i in range(20)], id="ticks")


async def test_tick_list_keys_and_clicks_tick_in_order() -> None:
    app = TickListApp()
    async with app.run_test(size=(40, 10)) as pilot:
        ticks = app.query_one("#ticks", TickList)
        assert ticks.has_focus and ticks.selected == [3]
        await pilot.press("down", "space", "down", "enter", "up", "space")
        assert ticks.selected == [3, 2]  # ticked 1, then 2, then unticked 1
        await pilot.press("end", "space")
        assert ticks.highlighted == 19 and ticks.selected == [3, 2, 19]
        assert ticks.scroll_offset.y == 15  # the highlight is kept in view
        await pilot.press("home")
        assert (ticks.highlighted, ticks.scroll_offset.y) == (0, 0)
        await pilot.click("#ticks", offset=(8, 4))
        assert ticks.highlighted == 4 and ticks.selected == [3, 2, 19, 4]
        await pilot.press("pagedown")
        assert ticks.highlighted == 9


async def test_tick_list_labels_are_literal_and_cropped_with_an_ellipsis() -> None:
    class Narrow(App[None]):
        def compose(self) -> ComposeResult:
            yield TickList(
                [("a rather long topic title", "t", False), ("[b]x[/b] \x1b[31m", "u", True)]
            )

    async with Narrow().run_test(size=(20, 4)) as pilot:
        ticks = pilot.app.query_one(TickList)
        assert ticks.render_line(0).text == "▐ ▌ a rather long t…"  # unticked: an empty box
        assert ticks.render_line(1).text == "▐✔▌ [b]x[/b] ␛[31m".ljust(20)  # ticked: a tick


async def test_tick_list_lights_the_line_under_the_pointer_as_selection_list_does() -> None:
    app = TickListApp()
    async with app.run_test(size=(40, 10)) as pilot:
        ticks = app.query_one("#ticks", TickList)
        await pilot.hover("#ticks", offset=(8, 2))
        assert ticks.hovered == 2
        hover = ticks.get_component_rich_style("tick-list--hover").bgcolor
        assert hover is not None and list(ticks.render_line(2))[-1].style.bgcolor == hover
        assert list(ticks.render_line(3))[-1].style.bgcolor != hover
        await pilot.hover("#ticks", offset=(8, 3))
        assert ticks.hovered == 3
        await pilot.hover(None, offset=(39, 9))  # off the list
        assert ticks.hovered is None


class NumbersApp(App[None]):
    def compose(self) -> ComposeResult:
        yield TickList([("first", 1, False)])
        yield NumberField("5", id="count")
        yield NumberField("", kind="number", placeholder="by difficulty", id="minutes")


async def test_number_field_edits_like_an_input() -> None:
    app = NumbersApp()
    async with app.run_test(size=(40, 6)) as pilot:
        count = app.query_one("#count", NumberField)
        await pilot.press("tab")
        assert count.has_focus and count.selection == Selection(0, 1)  # typing replaces
        await pilot.press("1", "2", "x", "home", "-", "end", "backspace", "3")
        assert (count.value, count.cursor_position) == ("-13", 3)  # "x" refused, "-" in front
        await pilot.press("left", "left", "delete", "ctrl+a", "+")
        assert (count.value, count.cursor_position) == ("-3", 0)  # a second sign is refused
        await pilot.press("tab")
        minutes = app.query_one("#minutes", NumberField)
        assert minutes.has_focus and minutes.selection.is_empty
        assert minutes.render_line(0).text.startswith("by difficulty")  # while empty
        await pilot.press("2", ".", "5", ".", "0")
        assert minutes.value == "2.50"  # one point at most
        await pilot.press("shift+tab")
        assert count.selection == Selection(0, 2)
        await pilot.press("backspace")
        assert count.value == ""


async def test_number_field_selects_copies_and_deletes_as_input_does() -> None:
    app = NumbersApp()
    async with app.run_test(size=(40, 6)) as pilot:
        count = app.query_one("#count", NumberField)
        count.value = "12345"
        count.focus()
        await pilot.press("end", "shift+left", "shift+left", "ctrl+c")
        assert app.clipboard == "45"
        await pilot.press("9")  # replaces the selection
        assert count.value == "1239"
        await pilot.press("shift+home", "ctrl+x")
        assert (count.value, app.clipboard) == ("", "1239")
        await pilot.press("ctrl+v", "home", "ctrl+k")
        assert count.value == ""
        count.value = "777"
        await pilot.press("end", "ctrl+u")
        assert count.value == ""


async def test_number_field_paste_click_drag_and_long_values() -> None:
    app = NumbersApp()
    async with app.run_test(size=(8, 6)) as pilot:
        count = app.query_one("#count", NumberField)
        count.focus()
        await pilot.pause()
        count.post_message(Paste("12a34\nignored"))
        await pilot.pause()
        assert count.value == "1234"  # the paste replaced the selection, letters dropped
        count.value = "123456789012"
        await pilot.press("end")
        assert count.render_line(0).text.strip() == "6789012"  # scrolled to keep the cursor
        await pilot.press("home")
        await pilot.click("#count", offset=(3, 0))
        assert count.cursor_position == 3 and count.selection.is_empty
        await pilot.mouse_down("#count", offset=(1, 0))
        await pilot.hover("#count", offset=(4, 0))
        await pilot.mouse_up("#count", offset=(4, 0))
        assert count.selection == Selection(1, 4)  # dragging selects
        minutes = app.query_one("#minutes", NumberField)
        assert minutes.render_line(0).text.rstrip() == "by diff…"  # cut at the edge, not after "by"


async def test_a_choice_steps_back_from_its_left_arrow_and_on_from_elsewhere(
    mini_bank: Bank, tmp_path: Path, clock: FakeClock
) -> None:
    app = setup_app(mini_bank, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        difficulty = app.screen.query_one("#difficulty", Choice)
        assert difficulty.value == "mixed"
        await pilot.click(difficulty, offset=(1, 1))  # on "‹" (the label is the top row)
        assert difficulty.value == "hard"
        await pilot.click(difficulty, offset=(8, 1))
        await pilot.click(difficulty, offset=(8, 1))
        assert difficulty.value == "easy"
        await pilot.press("left")
        assert difficulty.value == "mixed"


async def test_tab_walks_every_field_in_order(
    mini_bank: Bank, tmp_path: Path, clock: FakeClock
) -> None:
    app = setup_app(mini_bank, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        order = []
        for _ in range(11):
            order.append(app.screen.focused.id)
            await pilot.press("tab")
        assert order == [
            "topics",
            "difficulty",
            "mode",
            "focus",
            "questions",
            "follow-ups",
            "minutes",
            "session-minutes",
            "seed",
            "start",
            "history",
        ]


async def test_start_from_the_keyboard_with_ticked_topics(
    mini_bank: Bank, tmp_path: Path, clock: FakeClock
) -> None:
    app = setup_app(mini_bank, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "space", "tab", "left")  # tick the second topic; hard
        app.screen.query_one("#questions").value = "1"
        app.screen.query_one("#start").focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)
        settings = app.interview.settings
        assert settings.topics == (list(mini_bank.topics)[1],)
        assert (settings.difficulty, settings.questions, settings.seed) == ("hard", 1, 7)


async def test_a_bad_field_shows_one_error_line_and_stays(
    mini_bank: Bank, tmp_path: Path, clock: FakeClock
) -> None:
    app = setup_app(mini_bank, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        assert not app.screen.query("#setup-error")  # mounted only when needed
        app.screen.query_one("#questions").value = ""
        await pilot.click("#start")
        await pilot.pause()
        assert "Questions: enter a whole number" in str(
            app.screen.query_one("#setup-error").render()
        )
        app.screen.query_one("#questions").value = "2"
        app.screen.query_one("#minutes").value = "."
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        errors = app.screen.query("#setup-error")
        assert len(errors) == 1 and "Minutes per question" in str(errors.first().render())


def footer_keys(app) -> list[tuple[str, str]]:
    """(key shown, description) for each key in the current screen's Footer, left to right."""
    return [(k.key_display, k.description) for k in app.screen.query_one(Footer).query("FooterKey")]


async def test_the_footer_shows_the_bindings_and_a_click_presses_one(
    mini_bank: Bank, tmp_path: Path, clock: FakeClock
) -> None:
    app = setup_app(mini_bank, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert footer_keys(app) == [
            ("^s", "Start"),
            ("^r", "History"),
            ("^q", "Quit"),
            ("^p", "palette"),  # the command palette's key, on the right
        ]
        history = next(k for k in app.screen.query("FooterKey") if k.description == "History")
        await pilot.click(history)
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)


async def test_history_button_and_key(mini_bank: Bank, tmp_path: Path, clock: FakeClock) -> None:
    app = setup_app(mini_bank, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        app.screen.query_one("#history").focus()
        await pilot.press("space")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)


async def test_small_terminal_still_reaches_start(
    mini_bank: Bank, tmp_path: Path, clock: FakeClock
) -> None:
    app = setup_app(mini_bank, tmp_path, clock)
    async with app.run_test(size=(60, 20)) as pilot:
        for _ in range(9):
            await pilot.press("tab")
        assert app.screen.focused.id == "start"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)


async def test_another_interview_keeps_the_choices_and_draws_a_new_seed(
    mini_bank: Bank, tmp_path: Path, clock: FakeClock
) -> None:
    sessions = tmp_path / "s"
    app = make_app(mini_bank, sessions, settings=SessionSettings(), clock=clock, tick=0)
    async with app.run_test(size=SIZE) as pilot:
        assert app.screen.query_one("#seed", NumberField).value == ""  # "random"
        app.screen.query_one("#questions", NumberField).value = "1"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("ctrl+n")  # skip the only question
        await pilot.pause()
        await pilot.press("ctrl+n")  # summary: new interview
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        assert app.screen.query_one("#questions", NumberField).value == "1"
        assert not app.screen.query("#setup-error")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("ctrl+n", "ctrl+n")
        await pilot.pause()
    seeds = [
        yaml.safe_load(f.read_text(encoding="utf-8"))["settings"]["seed"]
        for f in sorted(sessions.glob("*.yaml"))
    ]
    assert len(seeds) == 2 and seeds[0] != seeds[1] and min(seeds) >= 1


async def test_a_seed_of_zero_is_refused(mini_bank: Bank, tmp_path: Path, clock: FakeClock) -> None:
    app = setup_app(mini_bank, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        app.screen.query_one("#seed", NumberField).value = "0"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        assert "Seed: enter a whole number from 1" in str(
            app.screen.query_one("#setup-error").render()
        )
        app.screen.query_one("#seed", NumberField).value = "12"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen) and app.interview.settings.seed == 12
        await pilot.press("escape", "e")  # end now: the summary
        await pilot.pause()
        await pilot.press("ctrl+n")  # another interview: the old error is gone
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen) and not app.screen.query("#setup-error")


async def test_an_error_below_the_fold_is_scrolled_into_view(
    tmp_path: Path, clock: FakeClock
) -> None:
    bundled = load_bank([locations.bundled_banks_dir()])  # sixteen topics: a long list
    app = setup_app(bundled, tmp_path, clock)
    async with app.run_test(size=(60, 20)) as pilot:
        app.screen.query_one("#minutes", NumberField).value = "x"
        await pilot.press("ctrl+s")
        await pilot.pause()
        error = app.screen.query_one("#setup-error")
        # the form's last row, scrolled into view above the key bar
        assert app.screen.scrollable_content_region.contains_region(error.region)
        assert error.region.bottom <= app.screen.query_one(Footer).region.y
        start = app.screen.query_one("#start").region
        assert error.region.y > start.y and app.screen.region.contains_region(start)


@pytest.mark.parametrize(
    ("size", "rows"), [((100, 32), 16), ((80, 24), 11)], ids=["100x32", "80x24"]
)
async def test_the_topic_list_takes_about_half_the_terminal_height(
    tmp_path: Path, clock: FakeClock, size: tuple[int, int], rows: int
) -> None:
    """All sixteen bundled topics in view at 100x32 (no scroll bar: nothing to scroll, and one
    widget and layout pass fewer at start-up); eleven at 80x24. The whole form is in view at
    both sizes, Start included."""
    bundled = load_bank([locations.bundled_banks_dir()])
    assert len(bundled.summaries) == 16
    app = setup_app(bundled, tmp_path, clock)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        topics = app.screen.query_one("#topics", TickList)
        assert topics.scrollable_content_region.height == rows
        assert topics.show_vertical_scrollbar == (rows < 16)
        assert app.screen.max_scroll_y == 0
        start = app.screen.query_one("#start").region
        assert app.screen.scrollable_content_region.contains_region(start)


async def test_the_interview_is_prepared_while_the_setup_screen_is_up(
    mini_bank: Bank, tmp_path: Path, clock: FakeClock
) -> None:
    app = make_app(
        mini_bank, tmp_path / "s", settings=SessionSettings(seed=7), clock=clock, tick=0.25
    )  # with timers, as when run for real
    app.PREPARE_AFTER = 0.01
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.05)
        await app.workers.wait_for_complete()
        assert "grader" in vars(app)  # built off the event loop, before Start
        prepared = app.grader
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)
        assert app.interview is not None and app.interview.grader is prepared


async def test_a_second_start_queued_before_the_switch_starts_nothing(
    mini_bank: Bank, tmp_path: Path, clock: FakeClock
) -> None:
    app = setup_app(mini_bank, tmp_path, clock)
    begun: list[SessionSettings] = []
    begin = app.begin
    app.begin = lambda settings: begun.append(settings) or begin(settings)
    async with app.run_test(size=SIZE) as pilot:
        app.screen.action_start()
        app.screen.action_start()  # e.g. a key repeat, before the first is handled
        await pilot.pause()
        assert len(begun) == 1
        assert [type(s) for s in app.screen_stack] == [SetupScreen, InterviewScreen]
