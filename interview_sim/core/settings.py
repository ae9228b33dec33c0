"""A session's settings and the engine's constants: what start-up needs of the engine.

Kept apart from ``session`` (the planning and the running interview) so that the setup
screen can be shown without importing the engine.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from interview_sim.core.bank import DIFFICULTIES

if TYPE_CHECKING:
    from interview_sim.core.bank import Bank

Clock = Callable[[], float]
MODES = ("interview", "practice")
# What a session draws first (core/scheduling.py): due by the schedule, weakest recent scores,
# never asked, or due soon without moving the schedule (cram).
FOCUSES = ("due", "weak", "new", "cram")
DEFAULT_MINUTES = {"easy": 2.0, "medium": 3.0, "hard": 5.0}
FOLLOW_UP_MINUTES = 2.0
HINT_SCORE_CAP = 70
MAX_QUESTIONS = 50
# Timers, per question and for the session: under half a minute nobody can read a question and
# answer it; ten hours is longer than any interview. The CLI and the setup screen both check
# through SessionSettings.validate.
MIN_MINUTES, MAX_MINUTES = 0.5, 600.0


class SessionError(Exception):
    """Settings that cannot make a session (e.g. a topic with no questions)."""


@dataclass(frozen=True, slots=True)
class SessionSettings:
    topics: tuple[str, ...] = ()  # empty: every topic
    difficulty: str = "mixed"
    questions: int = 5
    follow_ups: int = 1
    minutes_per_question: float | None = None  # None: by difficulty
    session_minutes: float | None = None
    mode: str = "interview"
    seed: int = 0
    focus: str | None = None  # one of FOCUSES (core/scheduling.py); None: any question

    def validate(self, bank: Bank) -> None:
        topics = bank.summaries  # the questions are not needed to check settings
        unknown = [t for t in self.topics if t not in topics]
        if unknown:
            raise SessionError(f"unknown topic {unknown[0]!r} (topics: {', '.join(topics)})")
        if self.difficulty not in (*DIFFICULTIES, "mixed"):
            raise SessionError(f"unknown difficulty {self.difficulty!r}")
        if not 1 <= self.questions <= MAX_QUESTIONS:
            raise SessionError(f"questions must be between 1 and {MAX_QUESTIONS}")
        if not 0 <= self.follow_ups <= 2:
            raise SessionError("follow-ups must be 0, 1 or 2")
        if self.mode not in MODES:
            raise SessionError(f"unknown mode {self.mode!r} (interview or practice)")
        if self.focus is not None and self.focus not in FOCUSES:
            raise SessionError(f"unknown focus {self.focus!r} ({', '.join(FOCUSES)})")
        for name, minutes in (
            ("minutes per question", self.minutes_per_question),
            ("session minutes", self.session_minutes),
        ):
            if minutes is not None and not MIN_MINUTES <= minutes <= MAX_MINUTES:
                raise SessionError(
                    f"{name} must be from {MIN_MINUTES:g} to {MAX_MINUTES:g}, got {minutes:g}"
                )

    def available(self, bank: Bank) -> int:
        """How many questions these topics hold at this difficulty: the most a session gets."""
        topics = bank.summaries
        return sum(
            sum(topics[t].counts)
            if self.difficulty == "mixed"
            else topics[t].count_at(self.difficulty)
            for t in self.topics or tuple(topics)
            if t in topics
        )

    def shortfall(self, bank: Bank) -> str | None:
        """Why the session will ask fewer questions than chosen, or None if it asks them all
        (or has none at all: planning refuses that with its own message)."""
        n = self.available(bank)
        if not 0 < n < self.questions:
            return None
        kind = "" if self.difficulty == "mixed" else f"{self.difficulty} "
        if not self.topics:
            where = "the loaded banks"
        elif len(self.topics) == 1:
            where = f"topic {self.topics[0]}"
        else:
            where = f"topics {', '.join(self.topics)}"
        plural = "" if n == 1 else "s"
        return (
            f"only {n} {kind}question{plural} in {where}: "
            f"the interview asks {n}, not {self.questions}"
        )

    def with_seed(self) -> SessionSettings:
        """These settings with a seed: the one chosen, or a new one if none was (seed 0)."""
        return self if self.seed else replace(self, seed=new_seed())

    def question_seconds(self, difficulty: str) -> float:
        minutes = self.minutes_per_question or DEFAULT_MINUTES.get(difficulty, 3.0)
        return minutes * 60

    def follow_up_seconds(self) -> float:
        return (self.minutes_per_question or FOLLOW_UP_MINUTES) * 60


def new_seed() -> int:
    return random.SystemRandom().randrange(1, 1_000_000)
