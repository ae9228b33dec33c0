"""Setup: choose topics, difficulty, length, timing and mode, then start."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.events import ScreenResume
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Static

from interview_sim.core.bank import DIFFICULTIES, Bank
from interview_sim.core.settings import (
    FOCUSES,
    MAX_MINUTES,
    MIN_MINUTES,
    MODES,
    SessionError,
    SessionSettings,
)
from interview_sim.ui.messages import OpenHistory
from interview_sim.ui.widgets.choice import Choice
from interview_sim.ui.widgets.footer import Footer
from interview_sim.ui.widgets.number_field import NumberField
from interview_sim.ui.widgets.plain_button import PlainButton
from interview_sim.ui.widgets.tick_list import TickList


class SetupScreen(Screen[None]):
    """Posts SettingsChosen when Start is pressed; the app starts the session.

    Usually the app's first screen and the bottom of its stack, so that it is drawn once at
    start-up (not pushed over a blank default screen) and keeps the last choices when the
    person comes back for another interview.
    """

    class SettingsChosen(Message):
        """Start was pressed with these valid settings (seed 0: draw one)."""

        def __init__(self, setup: SetupScreen, settings: SessionSettings) -> None:
            super().__init__()
            self.setup = setup
            self.settings = settings

        @property
        def control(self) -> SetupScreen:
            return self.setup

    BINDINGS = [
        Binding("ctrl+s", "start", "Start", id="setup.start", priority=True),
        Binding("ctrl+r", "history", "History", id="setup.history"),
        Binding("ctrl+q", "app.quit", "Quit", id="setup.quit"),
    ]

    def __init__(self, bank: Bank, defaults: SessionSettings) -> None:
        super().__init__()
        self.bank = bank
        self.defaults = defaults
        self._shown = False

    def on_screen_resume(self, event: ScreenResume) -> None:
        """Skip the restyle of every node when first shown: they were styled as they mounted,
        a moment before. (Handlers run subclass first, so Screen's sees the flag.) On later
        showings, the theme may have changed meanwhile, so those restyle as usual."""
        if not self._shown:
            self._shown = True
            event.refresh_styles = False

    def compose(self) -> ComposeResult:
        # Few nodes: the screen itself is the one scrolling grid that holds everything
        # (app.tcss), with no form, row or button containers.
        yield Static(
            Content("interview-sim · tab: next field · ←/→: change a choice"), id="setup-title"
        )
        topics = TickList[str](
            [
                (
                    f"{t.title}  ({'/'.join(str(t.count_at(d)) for d in DIFFICULTIES)})",
                    t.id,
                    t.id in self.defaults.topics,
                )
                for t in self.bank.summaries.values()  # the questions are not needed
            ],
            id="topics",
        )
        # Labels are border titles (on a blank top border, app.tcss), not nodes of their own.
        topics.border_title = "Topics (space toggles; none ticked = all; easy/medium/hard counts)"
        yield topics
        for label, field in self._fields():  # three fields a row, then four, then one
            field.border_title = label
            yield field
        yield PlainButton("Start interview", id="start", primary=True)
        yield PlainButton("History", id="history")
        yield Footer()

    def _fields(self) -> list[tuple[str, Widget]]:
        d = self.defaults
        minutes = "" if d.minutes_per_question is None else f"{d.minutes_per_question:g}"
        session = "" if d.session_minutes is None else f"{d.session_minutes:g}"
        return [
            (
                "Difficulty",
                Choice(
                    [(x.capitalize(), x) for x in (*DIFFICULTIES, "mixed")],
                    d.difficulty,
                    id="difficulty",
                ),
            ),
            (
                "Mode",
                Choice(
                    [("Interview", "interview"), ("Practice", "practice")],
                    d.mode if d.mode in MODES else "interview",
                    id="mode",
                ),
            ),
            (
                "Focus",
                Choice(
                    [
                        ("All questions", "all"),
                        ("Due", "due"),
                        ("My weak spots", "weak"),
                        ("New", "new"),
                        ("Cram", "cram"),
                    ],
                    d.focus if d.focus in FOCUSES else "all",
                    id="focus",
                ),
            ),
            ("Questions", NumberField(str(d.questions), id="questions")),
            ("Follow-ups", Choice([("0", 0), ("1", 1), ("2", 2)], d.follow_ups, id="follow-ups")),
            (
                "Minutes each",
                NumberField(minutes, kind="number", placeholder="by difficulty", id="minutes"),
            ),
            (
                "Session minutes",
                NumberField(session, kind="number", placeholder="no limit", id="session-minutes"),
            ),
            (
                "Seed",
                NumberField(str(d.seed) if d.seed else "", placeholder="random", id="seed"),
            ),
        ]

    AUTO_FOCUS = "#topics"

    @on(Button.Pressed, "#start")
    def action_start(self) -> None:
        try:
            settings = self.read_settings()
            settings.validate(self.bank)
        except (ValueError, SessionError) as exc:
            self.show_error(str(exc))
            return
        short = settings.shortfall(self.bank)
        if short is not None:  # said before starting: Questions now shows what will be asked
            self.query_one("#questions", NumberField).value = str(settings.available(self.bank))
            self.show_error(
                f"{short[0].upper()}{short[1:]}. Questions is set to that; Start again."
            )
            return
        self.query("#setup-error").remove()  # not still there when the person comes back
        self.post_message(self.SettingsChosen(self, settings))

    def show_error(self, message: str) -> None:
        """Docked above the key bar, always in view; a short terminal's form is scrolled to its
        end, the buttons just above the line. Mounted on first use, one node fewer to draw at
        start-up."""
        shown = self.query("#setup-error")
        if shown:
            shown.first(Static).update(Text(message))
        else:
            self.mount(Static(Text(message), id="setup-error"), before=self.query_one(Footer))
        self.call_after_refresh(self.scroll_end, animate=False)

    @on(Button.Pressed, "#history")
    def action_history(self) -> None:
        self.post_message(OpenHistory())

    def read_settings(self) -> SessionSettings:
        topics = tuple(self.query_one("#topics", TickList).selected)
        questions_text = self.query_one("#questions", NumberField).value.strip()
        minutes_text = self.query_one("#minutes", NumberField).value.strip()
        seed_text = self.query_one("#seed", NumberField).value.strip()
        try:
            questions = int(questions_text)
        except ValueError:
            raise ValueError("Questions: enter a whole number, e.g. 5") from None
        minutes = _minutes(minutes_text, "Minutes per question", "3")
        session_minutes = _minutes(
            self.query_one("#session-minutes", NumberField).value.strip(), "Session minutes", "30"
        )
        seed = 0  # blank: a new seed for each interview
        if seed_text:
            try:
                seed = int(seed_text)
            except ValueError:
                seed = 0
            if seed < 1:
                raise ValueError("Seed: enter a whole number from 1, or leave it blank")
        focus = self.query_one("#focus", Choice).value
        return SessionSettings(
            topics=topics,
            difficulty=str(self.query_one("#difficulty", Choice).value),
            questions=questions,
            follow_ups=int(self.query_one("#follow-ups", Choice).value),
            minutes_per_question=minutes,
            session_minutes=session_minutes,
            mode=str(self.query_one("#mode", Choice).value),
            seed=seed,
            focus=str(focus) if focus in FOCUSES else None,
        )


def _minutes(text: str, name: str, example: str) -> float | None:
    """A minutes field: blank is None (by difficulty, or no limit); the range is checked by
    SessionSettings.validate, the same rule as the CLI's."""
    try:
        return float(text) if text else None
    except ValueError:
        raise ValueError(
            f"{name}: enter a number from {MIN_MINUTES:g} to {MAX_MINUTES:g}, e.g. {example}"
        ) from None
