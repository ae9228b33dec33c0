"""Setup: choose topics, difficulty, length, timing and mode, then start."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, SelectionList, Static

from interview_sim.core.bank import DIFFICULTIES, Bank
from interview_sim.core.session import MODES, SessionError, SessionSettings, new_seed
from interview_sim.ui.widgets.choice import Choice


@dataclass(frozen=True, slots=True)
class SetupChoice:
    settings: SessionSettings


class SetupScreen(Screen[SetupChoice]):
    """Returns the chosen settings with dismiss(); the app starts the session."""

    BINDINGS = [
        Binding("ctrl+s", "start", "Start", id="setup.start", priority=True),
        Binding("ctrl+r", "history", "History", id="setup.history"),
        Binding("ctrl+q", "app.quit", "Quit", id="setup.quit"),
    ]

    def __init__(self, bank: Bank, defaults: SessionSettings) -> None:
        super().__init__()
        self.bank = bank
        self.defaults = defaults

    def compose(self) -> ComposeResult:
        d = self.defaults
        with VerticalScroll(id="setup-form"):
            yield Static(
                "interview-sim · set up a mock interview  (tab: next field · ←/→: change a choice)",
                id="setup-title",
                markup=False,
            )
            yield Label("Topics (space toggles; none ticked = all; easy/medium/hard counts)")
            yield SelectionList[str](
                *(
                    (
                        Text(
                            f"{t.title}  ({t.count('easy')}/{t.count('medium')}/{t.count('hard')})"
                        ),
                        t.id,
                        t.id in d.topics,
                    )
                    for t in self.bank.topics.values()
                ),
                id="topics",
                compact=True,
            )
            with Horizontal(classes="setup-row"):
                with Vertical():
                    yield Label("Difficulty")
                    yield Choice(
                        [(x.capitalize(), x) for x in (*DIFFICULTIES, "mixed")],
                        d.difficulty,
                        id="difficulty",
                    )
                with Vertical():
                    yield Label("Mode")
                    yield Choice(
                        [("Interview", "interview"), ("Practice", "practice")],
                        d.mode if d.mode in MODES else "interview",
                        id="mode",
                    )
                with Vertical():
                    yield Label("Focus")
                    yield Choice(
                        [("All questions", "all"), ("My weak spots", "weak")],
                        d.focus or "all",
                        id="focus",
                    )
            with Horizontal(classes="setup-row"):
                with Vertical():
                    yield Label("Questions")
                    yield Input(str(d.questions), type="integer", id="questions", compact=True)
                with Vertical():
                    yield Label("Follow-ups")
                    yield Choice([("0", 0), ("1", 1), ("2", 2)], d.follow_ups, id="follow-ups")
                with Vertical():
                    yield Label("Minutes each")
                    yield Input(
                        "" if d.minutes_per_question is None else f"{d.minutes_per_question:g}",
                        placeholder="by difficulty",
                        type="number",
                        id="minutes",
                        compact=True,
                    )
                with Vertical():
                    yield Label("Seed")
                    yield Input(
                        "" if not d.seed else str(d.seed),
                        placeholder="random",
                        type="integer",
                        id="seed",
                        compact=True,
                    )
            yield Static("", id="setup-error")
            with Horizontal(id="setup-buttons"):
                yield Button("Start interview", variant="primary", id="start", compact=True)
                yield Button("History", id="history", compact=True)
        yield Footer()

    AUTO_FOCUS = "#topics"

    @on(Button.Pressed, "#start")
    def action_start(self) -> None:
        try:
            settings = self.read_settings()
            settings.validate(self.bank)
        except (ValueError, SessionError) as exc:
            error = self.query_one("#setup-error", Static)
            error.update(Text(str(exc)))
            error.add_class("-shown")
            return
        self.dismiss(SetupChoice(settings))

    @on(Button.Pressed, "#history")
    def action_history(self) -> None:
        self.app.action_open_history()  # type: ignore[attr-defined]

    def read_settings(self) -> SessionSettings:
        topics = tuple(self.query_one("#topics", SelectionList).selected)
        questions_text = self.query_one("#questions", Input).value.strip()
        minutes_text = self.query_one("#minutes", Input).value.strip()
        seed_text = self.query_one("#seed", Input).value.strip()
        try:
            questions = int(questions_text)
        except ValueError:
            raise ValueError("Questions: enter a whole number, e.g. 5") from None
        try:
            minutes = float(minutes_text) if minutes_text else None
        except ValueError:
            raise ValueError("Minutes per question: enter a number, e.g. 3") from None
        try:
            seed = int(seed_text) if seed_text else new_seed()
        except ValueError:
            raise ValueError("Seed: enter a whole number or leave it blank") from None
        focus = self.query_one("#focus", Choice).value
        return SessionSettings(
            topics=topics,
            difficulty=str(self.query_one("#difficulty", Choice).value),
            questions=questions,
            follow_ups=int(self.query_one("#follow-ups", Choice).value),
            minutes_per_question=minutes,
            session_minutes=self.defaults.session_minutes,
            mode=str(self.query_one("#mode", Choice).value),
            seed=seed,
            focus="weak" if focus == "weak" else None,
        )
